"""Artifacts: build (or take) a module, copy it to dist/, sign it and lock it.

Every function here ends in an atomic write of `molt-lock.json` through
`molt.lockfile`, so a crash leaves the old lockfile or the new one. A recipe
either names Molt sources in `[source] files` (compiled by `molt.compiler`) or a
prebuilt module in `[source] prebuilt`; either way the build checks the bytes as a
host would (a valid module, a molt.interface section, no imports, the ABI's
exports) and against the recipe before it signs anything.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from molt._atomic import write_atomically
from molt.build._recipe import Recipe, read_recipe, recipe_error
from molt.errors import MoltError
from molt.lockfile import (
    LockEntry,
    Lockfile,
    lockfile_bytes,
    read_lockfile,
    with_entry,
    write_lockfile,
)
from molt.signing import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
    PublicKeySource,
    TrustedKeys,
    load_private_key,
    sign_artifact,
    verify_artifact,
)
from molt.spec import load_spec
from molt.wasmfile import WasmExport, WasmInfo, read_interface, read_wasm

__all__ = [
    "DEFAULT_LOCKFILE",
    "VerifyResult",
    "add_to_lock",
    "build_from_recipe",
    "dist_name",
    "sign_lock_entry",
    "verify_lock",
]

DEFAULT_LOCKFILE = "molt-lock.json"
"""The lockfile's name when none is given: next to the recipe."""

_TARGET_BY_ABI_MAJOR = {1: "wasm32-molt-v1"}
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]")


# -- molt build -------------------------------------------------------------------


def build_from_recipe(
    recipe_path: Path | str,
    key_path: Path | str | None = None,
    lock_path: Path | str | None = None,
    out_dir: Path | str | None = None,
) -> LockEntry:
    """Build the recipe's module into `dist/NAME-VERSION.wasm` and lock it.

    `out_dir` defaults to `dist/` next to the recipe and `lock_path` to
    `molt-lock.json` next to the recipe; the artifact must lie inside the
    lockfile's folder. With `key_path` the entry is signed. The entry for the
    same name and version, if any, is replaced. Returns the new entry.
    """
    recipe = read_recipe(recipe_path)
    private_key = load_private_key(key_path) if key_path is not None else None
    lock_file = Path(lock_path) if lock_path is not None else recipe.folder / DEFAULT_LOCKFILE
    lock = read_lockfile(lock_file, missing_ok=True)

    if recipe.files is not None:
        data = _compile_sources(recipe)
        origin, field_path = recipe.files[0], "$.source.files"
    else:
        assert recipe.prebuilt is not None  # the schema requires files or prebuilt
        data = _read_bytes(recipe.folder / recipe.prebuilt)
        origin, field_path = recipe.prebuilt, "$.source.prebuilt"
    interface = _check_module(data, recipe.name, recipe.version)
    module = interface["module"]
    if (module["name"], module["version"]) != (recipe.name, recipe.version):
        raise recipe_error(
            recipe.path,
            field_path,
            f"{origin} is {module['name']} {module['version']} by its molt.interface "
            f"section, but the recipe builds {recipe.name} {recipe.version}",
        )
    built = sorted(export["name"] for export in interface["exports"])
    if built != sorted(recipe.exports):
        raise recipe_error(
            recipe.path,
            "$.build.exports",
            f"{origin} exports {_names(built)} but the recipe lists "
            f"{_names(sorted(recipe.exports))}; list exactly the module's exports",
        )
    destination = (Path(out_dir) if out_dir is not None else recipe.folder / "dist") / dist_name(
        recipe.name, recipe.version
    )
    relative = _relative_to_lock(destination, lock.path, command="molt build")
    entry = _entry(interface, relative, data, recipe.targets, private_key)
    _commit(with_entry(lock, entry), destination, data)
    return entry


def _compile_sources(recipe: Recipe) -> bytes:
    """Compile the recipe's Molt source with the reference compiler (one file per module)."""
    from molt.compiler import compile_file

    assert recipe.files is not None
    if len(recipe.files) != 1:
        raise recipe_error(
            recipe.path,
            "$.source.files",
            f"lists {len(recipe.files)} files, but this compiler version builds a module from "
            "one source file; put the module's functions in one file",
        )
    compiled = compile_file(
        recipe.folder / recipe.files[0],
        module_name=recipe.name,
        version=recipe.version,
        opt_level=recipe.opt_level,
    )
    return compiled.wasm


# -- molt lock add ------------------------------------------------------------------


def add_to_lock(
    lock_path: Path | str, wasm_path: Path | str, key_path: Path | str | None = None
) -> LockEntry:
    """Check a built module, copy it to `dist/NAME-VERSION.wasm` and lock it.

    Name, version, ABI and exports come from the module's molt.interface
    section; `dist/` is next to the lockfile. With `key_path` the entry is signed.
    """
    private_key = load_private_key(key_path) if key_path is not None else None
    lock = read_lockfile(lock_path, missing_ok=True)
    source = Path(wasm_path)
    data = _read_bytes(source)
    interface = _check_module(data, str(source), "(not yet locked)")
    module = interface["module"]
    destination = lock.folder / "dist" / dist_name(module["name"], module["version"])
    relative = _relative_to_lock(destination, lock.path, command="molt lock add")
    targets = (_TARGET_BY_ABI_MAJOR[interface["abi"]["major"]],)
    entry = _entry(interface, relative, data, targets, private_key)
    same_file = destination.exists() and destination.resolve() == source.resolve()
    _commit(with_entry(lock, entry), None if same_file else destination, data)
    return entry


# -- molt sign ----------------------------------------------------------------------


def sign_lock_entry(
    lock_path: Path | str, name: str, version: str | None, key_path: Path | str
) -> LockEntry:
    """Sign the entry `name` (`version`, default the highest) and rewrite the lockfile.

    The artifact's size and SHA-256 are checked first: a key never blesses
    bytes that differ from what the lockfile says.
    """
    private_key = load_private_key(key_path)
    lock = read_lockfile(lock_path)
    entry = lock.entry(name, version)
    _check_bytes(lock, entry)
    signature = sign_artifact(private_key, entry.name, entry.version, entry.sha256)
    signed = replace(entry, signature=signature)
    write_lockfile(with_entry(lock, signed))
    return signed


# -- molt verify --------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    """What `verify_lock` found for one entry: OK, or the first coded error."""

    name: str
    version: str
    file: str
    key_id: str | None
    error: MoltError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def code(self) -> str | None:
        return self.error.code if self.error is not None else None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "version": self.version,
            "file": self.file,
            "key_id": self.key_id,
            "ok": self.ok,
        }
        if self.error is not None:
            out["error"] = self.error.as_dict()
        return out


def verify_lock(
    lock_path: Path | str,
    trusted_keys: Mapping[str, Ed25519PublicKey] | Iterable[PublicKeySource],
) -> list[VerifyResult]:
    """Check every entry as a host would before compiling it; never stops early.

    Per entry, in the ABI's order: the file is readable and has the locked
    size, its SHA-256 matches, the signature is there, by a trusted key and
    valid, then the module is valid, its interface section is valid, its ABI
    major is the host's, it imports nothing and its exports match the
    interface and the entry. An invalid lockfile raises MOLT-E-LOCK-INVALID.
    """
    trusted = (
        trusted_keys if isinstance(trusted_keys, Mapping) else TrustedKeys.from_keys(trusted_keys)
    )
    lock = read_lockfile(lock_path)
    results = []
    for entry in lock.entries:
        try:
            data = _check_bytes(lock, entry)
            verify_artifact(entry.signature, entry.name, entry.version, entry.sha256, trusted)
            interface = _check_module(data, entry.name, entry.version)
            _check_entry_matches(entry, interface)
        except MoltError as error:
            results.append(VerifyResult(entry.name, entry.version, entry.file, entry.key_id, error))
        else:
            results.append(VerifyResult(entry.name, entry.version, entry.file, entry.key_id))
    return results


# -- checks -------------------------------------------------------------------------


def _check_bytes(lock: Lockfile, entry: LockEntry) -> bytes:
    """The entry's bytes, if they have its size and SHA-256."""
    path = lock.artifact_path(entry)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(entry, exc.strerror or str(exc)) from None
    if len(data) != entry.size:
        raise _unreadable(
            entry, f"its size is {len(data)} bytes but the lockfile expects {entry.size}"
        )
    actual = hashlib.sha256(data).hexdigest()
    if actual != entry.sha256:
        raise MoltError.from_code(
            "MOLT-E-HASH-MISMATCH",
            file=entry.file,
            name=entry.name,
            version=entry.version,
            actual=actual,
            expected=entry.sha256,
        )
    return data


def _unreadable(entry: LockEntry, detail: str) -> MoltError:
    return MoltError.from_code(
        "MOLT-E-ARTIFACT-UNREADABLE",
        file=entry.file,
        name=entry.name,
        version=entry.version,
        detail=detail,
    )


def _check_module(data: bytes, name: str, version: str) -> dict[str, Any]:
    """Check the bytes as a host would before compiling; return the interface.

    The order and codes are the ABI's host checks (spec/abi.yaml): a valid
    module, a valid molt.interface section, the host's ABI major, no imports,
    and exactly the wasm exports the interface implies, with the ABI's types.
    """
    info = read_wasm(data, name=name, version=version)
    interface = read_interface(info, name=name, version=version)
    abi = load_spec().abi
    host = abi["abi_version"]
    actual = interface["abi"]
    if actual["major"] != host["major"]:
        raise MoltError.from_code(
            "MOLT-E-ABI-MISMATCH",
            name=name,
            version=version,
            actual=f"{actual['major']}.{actual['minor']}",
            expected=f"{host['major']}.x",
        )
    if info.imports:
        first = info.imports[0]
        raise MoltError.from_code(
            "MOLT-E-FORBIDDEN-IMPORT",
            name=name,
            version=version,
            detail=f"{first.module}.{first.name} ({first.kind})",
        )
    problems = _export_problems(info, interface, abi["exports"])
    if problems:
        raise MoltError.from_code(
            "MOLT-E-INTERFACE-MISMATCH", name=name, version=version, detail="; ".join(problems)
        )
    return interface


def _export_problems(
    info: WasmInfo, interface: Mapping[str, Any], abi_exports: Iterable[Mapping[str, Any]]
) -> list[str]:
    """How the module's wasm exports differ from those the ABI and interface imply."""
    expected: dict[str, Mapping[str, Any]] = {}
    for item in abi_exports:
        if "{export}" in item["name"]:
            for export in interface["exports"]:
                expected[item["name"].replace("{export}", export["name"])] = item
        else:
            expected[item["name"]] = item
    problems = []
    for wasm_name, item in expected.items():
        present = info.export(wasm_name)
        if present is None:
            problems.append(f"there is no wasm export {wasm_name}")
            continue
        wanted = WasmExport(
            wasm_name, item["kind"], tuple(item.get("params", ())), tuple(item.get("results", ()))
        )
        if present != wanted:
            problems.append(
                f"wasm export {wasm_name} is {present.signature}, the ABI says {wanted.signature}"
            )
    extra = sorted(export.name for export in info.exports if export.name not in expected)
    if extra:
        problems.append(f"unexpected wasm exports {_names(extra)}")
    return problems


def _check_entry_matches(entry: LockEntry, interface: Mapping[str, Any]) -> None:
    """The lockfile entry states what the module's interface section states."""
    module = interface["module"]
    abi = interface["abi"]
    problems = []
    if (module["name"], module["version"]) != (entry.name, entry.version):
        problems.append(
            f"the section names {module['name']} {module['version']}, the lockfile entry "
            f"{entry.name} {entry.version}"
        )
    if (abi["major"], abi["minor"]) != entry.abi:
        problems.append(
            f"the section says ABI {abi['major']}.{abi['minor']}, the lockfile entry "
            f"{entry.abi[0]}.{entry.abi[1]}"
        )
    if list(entry.exports) != _lock_exports(interface):
        problems.append("the lockfile entry's exports differ from the section's")
    if problems:
        raise MoltError.from_code(
            "MOLT-E-INTERFACE-MISMATCH",
            name=entry.name,
            version=entry.version,
            detail="; ".join(problems),
        )


# -- helpers ------------------------------------------------------------------------


def dist_name(name: str, version: str) -> str:
    """`NAME-VERSION.wasm`, with characters a lockfile path cannot hold (such as
    the '+' of build metadata) replaced by '_'."""
    return _UNSAFE_FILE_CHARS.sub("_", f"{name}-{version}") + ".wasm"


def _entry(
    interface: Mapping[str, Any],
    file: str,
    data: bytes,
    targets: Iterable[str],
    private_key: Ed25519PrivateKey | None,
) -> LockEntry:
    module = interface["module"]
    sha256 = hashlib.sha256(data).hexdigest()
    signature = (
        sign_artifact(private_key, module["name"], module["version"], sha256)
        if private_key is not None
        else None
    )
    return LockEntry(
        name=module["name"],
        version=module["version"],
        file=file,
        size=len(data),
        sha256=sha256,
        abi=(interface["abi"]["major"], interface["abi"]["minor"]),
        exports=tuple(_lock_exports(interface)),
        targets=tuple(targets),
        signature=signature,
    )


def _lock_exports(interface: Mapping[str, Any]) -> list[dict[str, Any]]:
    exports = [
        {"name": export["name"], "input": export["input"], "output": export["output"]}
        for export in interface["exports"]
    ]
    return sorted(exports, key=lambda export: export["name"])


def _relative_to_lock(destination: Path, lock_path: Path, *, command: str) -> str:
    folder = lock_path.parent.resolve()
    target = destination.parent.resolve() / destination.name
    if not target.is_relative_to(folder):
        raise MoltError.from_code(
            "MOLT-E-USAGE",
            name=command,
            detail=f"the artifact {destination} would lie outside the lockfile's folder "
            f"{lock_path.parent}, and a lockfile can only name files inside its folder; "
            "choose an --out folder under it or another --lock",
        )
    return target.relative_to(folder).as_posix()


def _commit(lock: Lockfile, destination: Path | None, data: bytes) -> None:
    """Write the artifact, then the lockfile, once the new lockfile is known to be valid."""
    lockfile_bytes(lock)  # raises MOLT-E-LOCK-INVALID before anything is written
    if destination is not None:
        write_atomically(destination, data, make_parents=True)
    write_lockfile(lock)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise MoltError.from_code(
            "MOLT-E-IO", operation="read", file=str(path), detail=exc.strerror or str(exc)
        ) from None


def _names(names: Iterable[str]) -> str:
    listed = ", ".join(names)
    return f"[{listed}]"
