"""Example modules that ship with Molt, ready to sign, lock, load and call.

Until the compiler exists (issue 5), `molt demo` needs a real module to build,
sign, lock, load and call, and users need one to try the host with. These are
written by hand in WebAssembly text and follow ABI 1.0 exactly (spec/abi.yaml):
no imports, only the ABI's exports, the input decoded and checked by the module
itself, every failure a coded error map. Each example is two files in this
package, so they travel inside the wheel:

- `<name>.wat`: the module's WebAssembly text;
- `<name>.interface.json`: its molt.interface section, pretty-printed.

`example_wasm(name)` compiles the text with `wasmtime.wat2wasm` and appends the
interface in canonical form as the `molt.interface` custom section; the same
sources and wasmtime version always give the same bytes.

Examples:

- `stats` 1.0.0: `mean(values: list[float]) -> float` and
  `total(values: list[float]) -> float`.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

__all__ = ["EXAMPLES", "example_interface", "example_source", "example_wasm"]

EXAMPLES = ("stats",)
"""The names of the example modules."""


def _read(name: str, suffix: str) -> str:
    if name not in EXAMPLES:
        raise KeyError(f"no example {name!r}; examples: {', '.join(EXAMPLES)}")
    return resources.files(__name__).joinpath(f"{name}{suffix}").read_text(encoding="utf-8")


def example_source(name: str) -> str:
    """The WebAssembly text of example `name`."""
    return _read(name, ".wat")


def example_interface(name: str) -> dict[str, Any]:
    """The interface of example `name` (a fresh dict on every call)."""
    return json.loads(_read(name, ".interface.json"))


@functools.cache
def example_wasm(name: str) -> bytes:
    """The .wasm bytes of example `name`, with its molt.interface section."""
    import wasmtime

    from molt.wasmfile import INTERFACE_SECTION, append_custom_section, canonical_interface_bytes

    wasm = bytes(wasmtime.wat2wasm(example_source(name)))
    payload = canonical_interface_bytes(example_interface(name))
    return append_custom_section(wasm, INTERFACE_SECTION, payload)
