"""Small ABI-v1 modules for the build tests.

`module_bytes()` uses the shared conformance fixture `build("echo")` when it
exists and a hand-written equivalent otherwise; `make_module()` writes a
variant (another name, version, exports or an import) from WebAssembly text
plus a molt.interface custom section.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import wasmtime

from molt.wasmfile import INTERFACE_SECTION, append_custom_section, canonical_interface_bytes
from tests.conftest import REPO_ROOT

INT = {"type": "integer", "minimum": -9223372036854775808, "maximum": 9223372036854775807}


def interface(name: str, version: str, exports: Sequence[str]) -> dict[str, Any]:
    return {
        "abi": {"major": 1, "minor": 0},
        "module": {"name": name, "version": version},
        "exports": [
            {
                "name": export,
                "params": [{"name": "value", "type": "int"}],
                "returns": "int",
                "input": {
                    "type": "object",
                    "properties": {"value": INT},
                    "required": ["value"],
                    "additionalProperties": False,
                },
                "output": INT,
            }
            for export in sorted(exports)
        ],
    }


def make_module(
    name: str = "echo",
    version: str = "1.0.0",
    exports: Sequence[str] = ("echo",),
    *,
    wasm_exports: Sequence[str] | None = None,
    with_import: bool = False,
    abi_major: int = 1,
) -> bytes:
    """An ABI-v1 module whose molt_call_* return their input unchanged."""
    calls = exports if wasm_exports is None else wasm_exports
    functions = "\n".join(
        f'  (func (export "molt_call_{export}") (param i32 i32) (result i64)\n'
        "    (i64.or (i64.shl (i64.extend_i32_u (local.get 0)) (i64.const 32))\n"
        "            (i64.extend_i32_u (local.get 1))))"
        for export in calls
    )
    imported = '  (import "env" "clock" (func (result i64)))\n' if with_import else ""
    text = (
        "(module\n"
        f"{imported}"
        '  (memory (export "memory") 1)\n'
        f'  (func (export "molt_abi_version") (result i32) (i32.const {abi_major << 16}))\n'
        '  (func (export "molt_alloc") (param i32) (result i32) (i32.const 1024))\n'
        f"{functions})"
    )
    section = interface(name, version, exports)
    section["abi"]["major"] = abi_major
    return append_custom_section(
        wasmtime.wat2wasm(text), INTERFACE_SECTION, canonical_interface_bytes(section)
    )


def module_bytes() -> bytes:
    """The shared `echo` fixture once conformance/fixtures/build_fixtures.py exists."""
    if not (REPO_ROOT / "conformance" / "fixtures" / "build_fixtures.py").is_file():
        return make_module()
    from conformance.fixtures.build_fixtures import build

    return build("echo")
