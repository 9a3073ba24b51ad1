"""The check-abi step: what a host verifies before compiling a module.

spec/abi.yaml `host_checks` lists them in order; each function here is one
check and raises `LoadError` with that check's code:

1. `molt.wasmfile.read_wasm`       MOLT-E-MODULE-INVALID      (the bytes parse)
2. `molt.wasmfile.read_interface`  MOLT-E-INTERFACE-INVALID   (present, canonical, valid)
3. `check_abi`                     MOLT-E-ABI-MISMATCH        (same ABI major as the host)
4. `check_no_imports`              MOLT-E-FORBIDDEN-IMPORT    (no imports at all)
5. `check_exports`                 MOLT-E-INTERFACE-MISMATCH  (exports exactly as the ABI says)
6. `check_interface_matches_lock`  MOLT-E-INTERFACE-MISMATCH  (interface equals the lock entry)

`check_module` runs 1-6 in that order. After instantiating, `check_reported_abi`
compares what molt_abi_version() returned with the interface (MOLT-E-ABI-MISMATCH).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from molt.errors import LoadError, MoltError
from molt.wasmfile import WasmExport, WasmInfo, read_interface, read_wasm

__all__ = [
    "ABI_EXPORTS",
    "CALL_PREFIX",
    "check_abi",
    "check_exports",
    "check_interface_matches_lock",
    "check_module",
    "check_no_imports",
    "check_reported_abi",
]

CALL_PREFIX = "molt_call_"

ABI_EXPORTS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "memory": ("memory", (), ()),
    "molt_abi_version": ("func", (), ("i32",)),
    "molt_alloc": ("func", ("i32",), ("i32",)),
}
"""The fixed exports of ABI 1: name -> (kind, params, results)."""

_CALL_SIGNATURE = ("func", ("i32", "i32"), ("i64",))


def _identity(
    interface: Mapping[str, Any], name: str | None = None, version: str | None = None
) -> tuple[str, str]:
    module = interface.get("module") or {}
    return (
        name if name is not None else str(module.get("name", "module")),
        version if version is not None else str(module.get("version", "(unversioned)")),
    )


def _load_error(code: str, **fields: Any) -> LoadError:
    error = MoltError.from_code(code, **fields)
    assert isinstance(error, LoadError)
    return error


def check_abi(
    interface: Mapping[str, Any],
    host_major: int = 1,
    *,
    name: str | None = None,
    version: str | None = None,
) -> None:
    """The interface's ABI major equals the host's (MOLT-E-ABI-MISMATCH).

    `name` and `version` (default: the interface's) fill the message.
    """
    abi = interface["abi"]
    if abi["major"] != host_major:
        name, version = _identity(interface, name, version)
        raise _load_error(
            "MOLT-E-ABI-MISMATCH",
            name=name,
            version=version,
            actual=f"{abi['major']}.{abi['minor']}",
            expected=f"{host_major}.x",
        )


def check_reported_abi(
    reported: int,
    interface: Mapping[str, Any],
    *,
    name: str | None = None,
    version: str | None = None,
) -> None:
    """molt_abi_version() returned what the interface declares (MOLT-E-ABI-MISMATCH)."""
    abi = interface["abi"]
    declared = (abi["major"] << 16) | abi["minor"]
    reported &= 0xFFFF_FFFF
    if reported != declared:
        name, version = _identity(interface, name, version)
        raise _load_error(
            "MOLT-E-ABI-MISMATCH",
            name=name,
            version=version,
            actual=f"{reported >> 16}.{reported & 0xFFFF} (molt_abi_version)",
            expected=f"{abi['major']}.{abi['minor']} (molt.interface)",
        )


def check_no_imports(
    info: WasmInfo, *, name: str = "module", version: str = "(unversioned)"
) -> None:
    """The module imports nothing (MOLT-E-FORBIDDEN-IMPORT, naming the first import)."""
    if info.imports:
        first = info.imports[0]
        more = len(info.imports) - 1
        detail = f"{first.module}.{first.name} ({_kind_word(first.kind)})"
        if more:
            detail += f" and {more} more"
        raise _load_error("MOLT-E-FORBIDDEN-IMPORT", name=name, version=version, detail=detail)


def _kind_word(kind: str) -> str:
    return "function" if kind == "func" else kind


def _expected_exports(
    interface: Mapping[str, Any],
) -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    expected = dict(ABI_EXPORTS)
    for export in interface["exports"]:
        expected[CALL_PREFIX + export["name"]] = _CALL_SIGNATURE
    return expected


def _describe(export: WasmExport) -> str:
    return _signature_text(export.kind, export.params, export.results)


def _signature_text(kind: str, params: Sequence[str], results: Sequence[str]) -> str:
    if kind != "func":
        return f"a {kind}"
    return f"a function ({', '.join(params)}) -> ({', '.join(results)})"


def check_exports(
    info: WasmInfo,
    interface: Mapping[str, Any],
    *,
    name: str | None = None,
    version: str | None = None,
) -> None:
    """The wasm exports are exactly those ABI 1 and the interface imply (MOLT-E-INTERFACE-MISMATCH).

    Reports, in this order, the first missing export (in the ABI's order, then the
    interface's), the first export with the wrong kind or signature, and the first
    extra export (in the module's order).
    """
    expected = _expected_exports(interface)
    actual: dict[str, WasmExport] = {export.name: export for export in info.exports}
    name, version = _identity(interface, name, version)

    def mismatch(detail: str) -> LoadError:
        return _load_error("MOLT-E-INTERFACE-MISMATCH", name=name, version=version, detail=detail)

    for wanted in expected:
        if wanted not in actual:
            if wanted.startswith(CALL_PREFIX):
                export_name = wanted[len(CALL_PREFIX) :]
                raise mismatch(f"export {export_name!r} has no wasm export {wanted}")
            raise mismatch(
                f"the module does not export {wanted} ({_signature_text(*expected[wanted])})"
            )
    for wanted, (kind, params, results) in expected.items():
        found = actual[wanted]
        if (found.kind, found.params, found.results) != (kind, params, results):
            raise mismatch(
                f"wasm export {wanted} is {_describe(found)} "
                f"but ABI 1 requires {_signature_text(kind, params, results)}"
            )
    for export in info.exports:
        if export.name not in expected:
            if export.name.startswith(CALL_PREFIX):
                raise mismatch(
                    f"wasm export {export.name} has no export "
                    f"{export.name[len(CALL_PREFIX) :]!r} in the interface"
                )
            raise mismatch(
                f"wasm export {export.name!r} ({_describe(export)}) "
                "is not part of ABI 1, which allows only memory, molt_abi_version, molt_alloc and "
                "molt_call_<export> for each interface export"
            )


def check_interface_matches_lock(
    interface: Mapping[str, Any],
    lock_exports: Sequence[Mapping[str, Any]],
    name: str,
    version: str,
) -> None:
    """The interface names the lock entry's module and exports (MOLT-E-INTERFACE-MISMATCH).

    `name` and `version` are the lock entry's; `lock_exports` its exports
    (`[{name, input, output}]`). Compares the module's identity, then the export
    names, then each export's input and output schemas.
    """

    def mismatch(detail: str) -> LoadError:
        return _load_error("MOLT-E-INTERFACE-MISMATCH", name=name, version=version, detail=detail)

    own_name, own_version = _identity(interface)
    if (own_name, own_version) != (name, version):
        raise mismatch(
            f"the molt.interface section names the module {own_name} {own_version}, but the "
            f"lockfile entry is {name} {version}"
        )
    locked = {export["name"]: export for export in lock_exports}
    declared = {export["name"]: export for export in interface["exports"]}
    for export_name in locked:
        if export_name not in declared:
            raise mismatch(
                f"the lockfile lists export {export_name!r}, which the module does not declare"
            )
    for export_name in declared:
        if export_name not in locked:
            raise mismatch(
                f"the module declares export {export_name!r}, which the lockfile does not list"
            )
    for export_name, export in declared.items():
        for side in ("input", "output"):
            if not _same_json(export[side], locked[export_name].get(side)):
                raise mismatch(
                    f"the {side} schema of export {export_name!r} differs from the lockfile entry's"
                )


def _same_json(left: Any, right: Any) -> bool:
    """JSON equality: like ==, but true and 1 (or false and 0) are different values."""
    if type(left) is bool or type(right) is bool:
        return type(left) is type(right) and left == right
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(_same_json(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_same_json, left, right))
    return bool(left == right)


def check_module(
    data: bytes,
    *,
    lock_exports: Sequence[Mapping[str, Any]],
    name: str,
    version: str,
    host_major: int = 1,
) -> tuple[WasmInfo, dict[str, Any]]:
    """Run the whole check-abi step in the spec's order; return (info, interface)."""
    info = read_wasm(data, name=name, version=version)
    interface = read_interface(info, name=name, version=version)
    check_abi(interface, host_major, name=name, version=version)
    check_no_imports(info, name=name, version=version)
    check_exports(info, interface, name=name, version=version)
    check_interface_matches_lock(interface, lock_exports, name, version)
    return info, interface
