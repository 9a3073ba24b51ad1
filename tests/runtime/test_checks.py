"""molt.runtime._checks: the check-abi step, one exact code per broken rule."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import wasmtime

from molt.errors import LoadError
from molt.runtime import _checks
from molt.wasmfile import append_custom_section, canonical_interface_bytes, read_wasm
from tests.runtime.conftest import FIXTURE_SOURCES, fixture_interface


def _lock_exports(interface: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": e["name"], "input": e["input"], "output": e["output"]}
        for e in interface["exports"]
    ]


def _check_fixture(wasm: bytes, name: str) -> tuple[Any, dict[str, Any]]:
    interface = fixture_interface("echo" if name == "no-interface" else name)
    return _checks.check_module(
        wasm,
        lock_exports=_lock_exports(interface),
        name=f"fixture-{name}",
        version="1.0.0",
    )


def test_the_echo_fixture_passes_every_check(abi1_wasm: dict[str, bytes]) -> None:
    info, interface = _check_fixture(abi1_wasm["echo"], "echo")
    assert interface == fixture_interface("echo")
    assert info.imports == ()


@pytest.mark.parametrize(
    ("fixture", "code", "message"),
    [
        (
            "with-import",
            "MOLT-E-FORBIDDEN-IMPORT",
            "fixture-with-import 1.0.0 declares the import env.f (function), but Molt modules "
            "import nothing; rebuild it with the Molt compiler, and report a compiler bug if it "
            "produced this module",
        ),
        (
            "abi2",
            "MOLT-E-ABI-MISMATCH",
            "fixture-abi2 1.0.0 uses Molt ABI 2.0 but this host supports ABI 1.x; rebuild the "
            "module for ABI 1.x, or use a host that supports ABI 2.0",
        ),
        (
            "extra-export",
            "MOLT-E-INTERFACE-MISMATCH",
            "fixture-extra-export 1.0.0: the module's exports do not match its molt.interface "
            "section: wasm export 'helper' (a function () -> (i32)) is not part of ABI 1, which "
            "allows only memory, molt_abi_version, molt_alloc and molt_call_<export> for each "
            "interface export; rebuild the module with molt build and re-lock it",
        ),
        (
            "missing-export",
            "MOLT-E-INTERFACE-MISMATCH",
            "fixture-missing-export 1.0.0: the module's exports do not match its molt.interface "
            "section: export 'fail' has no wasm export molt_call_fail; rebuild the module with "
            "molt build and re-lock it",
        ),
        (
            "no-interface",
            "MOLT-E-INTERFACE-INVALID",
            "fixture-no-interface 1.0.0: invalid molt.interface section: the module has no "
            "molt.interface custom section; rebuild the module with molt build",
        ),
        (
            "bad-interface",
            "MOLT-E-INTERFACE-INVALID",
            "fixture-bad-interface 1.0.0: invalid molt.interface section: not canonical JSON: the "
            "bytes differ from the canonical form at byte 1 (keys sorted, no whitespace, UTF-8 "
            "instead of \\u escapes); rebuild the module with molt build",
        ),
    ],
)
def test_each_negative_fixture_fails_with_its_exact_code_and_message(
    abi1_wasm: dict[str, bytes], fixture: str, code: str, message: str
) -> None:
    with pytest.raises(LoadError) as caught:
        _check_fixture(abi1_wasm[fixture], fixture)
    assert caught.value.code == code
    assert caught.value.message == message


def test_garbage_bytes_fail_first_with_module_invalid() -> None:
    with pytest.raises(LoadError) as caught:
        _checks.check_module(b"not wasm", lock_exports=[], name="x", version="1.0.0")
    assert caught.value.code == "MOLT-E-MODULE-INVALID"


def test_the_abi_major_is_checked_before_the_imports() -> None:
    interface = fixture_interface("with-import")
    interface["abi"]["major"] = 2
    wat = (FIXTURE_SOURCES / "with-import.wat").read_text(encoding="utf-8")
    wasm = append_custom_section(
        bytes(wasmtime.wat2wasm(wat)), "molt.interface", canonical_interface_bytes(interface)
    )
    assert read_wasm(wasm).imports  # the module imports, yet the ABI check comes first
    with pytest.raises(LoadError) as caught:
        _checks.check_module(
            wasm, lock_exports=_lock_exports(interface), name="fixture-with-import", version="1.0.0"
        )
    assert caught.value.code == "MOLT-E-ABI-MISMATCH"


# -- check_abi and check_reported_abi --------------------------------------------------------


def test_a_minor_version_above_the_hosts_is_accepted() -> None:
    interface = fixture_interface("echo")
    interface["abi"]["minor"] = 7
    _checks.check_abi(interface, 1)


def test_a_reported_version_different_from_the_interface_is_abi_mismatch() -> None:
    with pytest.raises(LoadError) as caught:
        _checks.check_reported_abi(2 << 16, fixture_interface("echo"))
    assert caught.value.code == "MOLT-E-ABI-MISMATCH"
    assert caught.value.message == (
        "fixture-echo 1.0.0 uses Molt ABI 2.0 (molt_abi_version) but this host supports ABI 1.0 "
        "(molt.interface); rebuild the module for ABI 1.0 (molt.interface), or use a host that "
        "supports ABI 2.0 (molt_abi_version)"
    )


def test_the_reported_version_is_read_as_unsigned_32_bit() -> None:
    _checks.check_reported_abi(65536, fixture_interface("echo"))
    with pytest.raises(LoadError):
        _checks.check_reported_abi(-65536, fixture_interface("echo"))


# -- check_exports -----------------------------------------------------------------------------

_BASE = """
  (memory (export "memory") 1)
  (func (export "molt_abi_version") (result i32) (i32.const 65536))
  (func (export "molt_alloc") (param i32) (result i32) (i32.const 1024))
"""
_CALL = '(func (export "molt_call_{name}") (param i32 i32) (result i64) (i64.const 0))'


def _exports_of(body: str) -> Any:
    return read_wasm(bytes(wasmtime.wat2wasm(f"(module {body})")))


def _one_export_interface() -> dict[str, Any]:
    interface = fixture_interface("echo")
    interface["exports"] = [e for e in interface["exports"] if e["name"] == "echo"]
    return interface


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (_BASE + _CALL.format(name="echo"), None),
        (
            _BASE,
            "export 'echo' has no wasm export molt_call_echo",
        ),
        (
            _BASE.replace('(memory (export "memory") 1)', "(memory 1)") + _CALL.format(name="echo"),
            "the module does not export memory (a memory)",
        ),
        (
            _BASE.replace('(export "molt_alloc") ', "") + _CALL.format(name="echo"),
            "the module does not export molt_alloc (a function (i32) -> (i32))",
        ),
        (
            _BASE + '(func (export "molt_call_echo") (param i32) (result i64) (i64.const 0))',
            "wasm export molt_call_echo is a function (i32) -> (i64) but ABI 1 requires a function "
            "(i32, i32) -> (i64)",
        ),
        (
            _BASE.replace("(result i32) (i32.const 65536)", "(result i64) (i64.const 65536)")
            + _CALL.format(name="echo"),
            "wasm export molt_abi_version is a function () -> (i64) but ABI 1 requires a function "
            "() -> (i32)",
        ),
        (
            _BASE.replace('(memory (export "memory") 1)', "(memory 1)")
            + '(global (export "memory") i32 (i32.const 0))'
            + _CALL.format(name="echo"),
            "wasm export memory is a global but ABI 1 requires a memory",
        ),
        (
            _BASE + _CALL.format(name="echo") + _CALL.format(name="area"),
            "wasm export molt_call_area has no export 'area' in the interface",
        ),
        (
            _BASE + _CALL.format(name="echo") + '(table (export "t") 1 funcref)',
            "wasm export 't' (a table) is not part of ABI 1",
        ),
        (
            _BASE + _CALL.format(name="echo") + '(func (export "_start"))',
            "wasm export '_start' (a function () -> ()) is not part of ABI 1",
        ),
    ],
)
def test_wasm_exports_must_be_exactly_the_abi_ones(body: str, detail: str | None) -> None:
    info = _exports_of(body)
    if detail is None:
        _checks.check_exports(info, _one_export_interface())
        return
    with pytest.raises(LoadError) as caught:
        _checks.check_exports(info, _one_export_interface())
    assert caught.value.code == "MOLT-E-INTERFACE-MISMATCH"
    assert detail in caught.value.message


# -- check_interface_matches_lock ----------------------------------------------------------------


def _lock_mismatch(mutate: Any, name: str = "fixture-echo", version: str = "1.0.0") -> str:
    interface = fixture_interface("echo")
    lock = copy.deepcopy(_lock_exports(interface))
    mutate(lock)
    with pytest.raises(LoadError) as caught:
        _checks.check_interface_matches_lock(interface, lock, name, version)
    assert caught.value.code == "MOLT-E-INTERFACE-MISMATCH"
    return caught.value.message


def test_an_interface_equal_to_the_lock_entry_passes() -> None:
    interface = fixture_interface("echo")
    _checks.check_interface_matches_lock(
        interface, copy.deepcopy(_lock_exports(interface)), "fixture-echo", "1.0.0"
    )


@pytest.mark.parametrize(
    ("mutate", "name", "version", "detail"),
    [
        (
            lambda lock: None,
            "geometry",
            "1.0.0",
            "the molt.interface section names the module fixture-echo 1.0.0, but the lockfile "
            "entry is geometry 1.0.0",
        ),
        (
            lambda lock: None,
            "fixture-echo",
            "1.0.1",
            "the molt.interface section names the module fixture-echo 1.0.0, but the lockfile "
            "entry is fixture-echo 1.0.1",
        ),
        (
            lambda lock: lock.append({"name": "zeta", "input": {}, "output": {}}),
            "fixture-echo",
            "1.0.0",
            "the lockfile lists export 'zeta', which the module does not declare",
        ),
        (
            lambda lock: lock.pop(0),
            "fixture-echo",
            "1.0.0",
            "the module declares export 'bad_result', which the lockfile does not list",
        ),
        (
            lambda lock: lock[1]["input"]["properties"]["value"]["items"].update(type="integer"),
            "fixture-echo",
            "1.0.0",
            "the input schema of export 'echo' differs from the lockfile entry's",
        ),
        (
            lambda lock: lock[2].update(output={"type": "string"}),
            "fixture-echo",
            "1.0.0",
            "the output schema of export 'fail' differs from the lockfile entry's",
        ),
        (
            lambda lock: lock[1]["input"].update(additionalProperties=0),
            "fixture-echo",
            "1.0.0",
            "the input schema of export 'echo' differs from the lockfile entry's",
        ),
    ],
)
def test_an_interface_that_differs_from_the_lock_entry_is_interface_mismatch(
    mutate: Any, name: str, version: str, detail: str
) -> None:
    message = _lock_mismatch(mutate, name, version)
    assert message == (
        f"{name} {version}: the module's exports do not match its molt.interface section: "
        f"{detail}; rebuild the module with molt build and re-lock it"
    )
