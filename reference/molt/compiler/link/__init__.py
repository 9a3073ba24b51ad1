"""Linking: LLVM IR text to the final module.wasm.

`link_module(llvm_ir, interface=..., opt_level=2)`:

1. parse and verify the IR with LLVM;
2. optimize it with LLVM's standard pipeline at `opt_level` (0-3, default 2);
3. emit a relocatable wasm32 object with llvmlite's target machine;
4. link it with wasm-ld (`--no-entry`, exports exactly memory, molt_abi_version,
   molt_alloc and molt_call_<name>; undefined symbols are an error, so the module
   can import nothing). Memory layout: when the code uses wasm-ld's shadow stack
   (locals whose address is taken, kept in memory), the stack comes first, so that
   overflowing it traps; when it does not (the object imports no
   `__stack_pointer`), there is no stack and the data starts at address
   `DATA_BASE`, so every address in the code is a short LEB128 constant;
5. drop every custom section wasm-ld wrote (names, producers, target features)
   and append the `molt.interface` section in canonical JSON;
6. check the result: no imports, exactly the ABI's exports.

The output depends only on the IR, the interface and the toolchain: no paths,
times or hash-seed-dependent orders get in, so the same source gives the same
bytes.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from molt.compiler.core import WASM32_DATA_LAYOUT
from molt.compiler.diagnostics import StageError
from molt.compiler.link._interface import build_interface
from molt.compiler.link._pipeline import optimize
from molt.compiler.link._toolchain import ToolMissing, target_machine, wasm_ld_command
from molt.errors import CompileError, MoltError
from molt.wasmfile import (
    INTERFACE_SECTION,
    append_custom_section,
    canonical_interface_bytes,
    read_wasm,
)

__all__ = ["DATA_BASE", "STACK_SIZE", "LinkError", "LinkedModule", "build_interface", "link_module"]

STACK_SIZE = (1 << 20) - (16 << 10)
"""Bytes of wasm-ld's shadow stack (locals that live in memory; little is used): about
1 MiB, and 16 KiB short of it, so that data up to 16 KiB lies below 2**20, where its
addresses are 3-byte LEB128 constants in the code rather than 4."""

DATA_BASE = 16
"""Where the data starts in a module without a shadow stack: past address 0, which is
the null pointer, and 16-aligned."""

_ABI_EXPORTS = ("memory", "molt_abi_version", "molt_alloc")


class LinkError(StageError, CompileError):
    """A toolchain step failed (MOLT-E-TOOLCHAIN) or produced a module that breaks the ABI."""

    stage = "link"


@dataclass(frozen=True)
class LinkedModule:
    """The module's bytes, and its LLVM IR as LLVM prints it (before optimization)."""

    wasm: bytes
    llvm_ir: str


def link_module(llvm_ir: str, *, interface: dict[str, Any], opt_level: int = 2) -> LinkedModule:
    """The wasm bytes of `llvm_ir` with `interface` in its molt.interface section."""
    if opt_level not in (0, 1, 2, 3):
        raise ValueError(f"opt_level must be 0, 1, 2 or 3, not {opt_level!r}")
    try:
        machine = target_machine(opt_level)
    except ToolMissing as missing:
        raise LinkError.from_code(
            "MOLT-E-TOOLCHAIN", name=missing.name, detail=missing.detail
        ) from None
    import llvmlite.binding as llvm

    if str(machine.target_data) != WASM32_DATA_LAYOUT:
        raise _internal(
            f"llvmlite's wasm32 data layout is {machine.target_data}, not {WASM32_DATA_LAYOUT}"
        )
    try:
        module = llvm.parse_assembly(llvm_ir)
        module.verify()
    except RuntimeError as exc:
        raise _internal(f"the generated LLVM IR is invalid: {exc}") from None
    printed = str(module)
    if opt_level > 0:
        module = optimize(module, machine, opt_level)
    obj = machine.emit_object(module)
    exports = ["molt_abi_version", "molt_alloc"] + [
        f"molt_call_{e['name']}" for e in interface["exports"]
    ]
    linked = _wasm_ld(obj, exports, stack=_uses_stack(obj))
    wasm = _without_custom_sections(linked)
    wasm = append_custom_section(wasm, INTERFACE_SECTION, canonical_interface_bytes(interface))
    _check(wasm, exports)
    return LinkedModule(wasm=wasm, llvm_ir=printed)


def _uses_stack(obj: bytes) -> bool:
    """Whether the relocatable object uses wasm-ld's shadow stack (imports its pointer)."""
    try:
        info = read_wasm(obj, name="object")
    except MoltError as exc:
        raise _internal(f"LLVM wrote an invalid object: {exc.message}") from None
    return any(i.kind == "global" and i.name == "__stack_pointer" for i in info.imports)


def _wasm_ld(obj: bytes, exports: list[str], *, stack: bool) -> bytes:
    try:
        command = wasm_ld_command()
    except ToolMissing as missing:
        raise LinkError.from_code(
            "MOLT-E-TOOLCHAIN", name=missing.name, detail=missing.detail
        ) from None
    with tempfile.TemporaryDirectory(prefix="molt-link-") as folder:
        source = Path(folder) / "module.o"
        target = Path(folder) / "module.wasm"
        source.write_bytes(obj)
        arguments = [
            "--no-entry",
            "--strip-all",
            "--gc-sections",
            "--compress-relocations",
            *(
                ("--stack-first", "-z", f"stack-size={STACK_SIZE}")
                if stack
                else ("-z", "stack-size=0", f"--global-base={DATA_BASE}")
            ),
            *(f"--export={name}" for name in exports),
            "-o",
            "module.wasm",
            "module.o",
        ]
        try:
            done = subprocess.run(
                [*command, *arguments], cwd=folder, capture_output=True, text=True, check=False
            )
        except OSError as exc:
            raise LinkError.from_code(
                "MOLT-E-TOOLCHAIN", name="wasm-ld", detail=f"cannot run: {exc}"
            ) from None
        if done.returncode != 0:
            output = " ".join((done.stderr or done.stdout).split())
            raise LinkError.from_code(
                "MOLT-E-TOOLCHAIN",
                name="wasm-ld",
                detail=f"exited with status {done.returncode}: {output}",
            )
        return target.read_bytes()


def _without_custom_sections(wasm: bytes) -> bytes:
    """`wasm` without its custom sections (names, producers, target_features)."""
    out = bytearray(wasm[:8])
    at = 8
    while at < len(wasm):
        section_id = wasm[at]
        size, body = _uleb(wasm, at + 1)
        end = body + size
        if section_id != 0:
            out += wasm[at:end]
        at = end
    return bytes(out)


def _uleb(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def _check(wasm: bytes, exports: list[str]) -> None:
    try:
        info = read_wasm(wasm, name="module")
    except MoltError as exc:
        raise _internal(f"wasm-ld wrote an invalid module: {exc.message}") from None
    if info.imports:
        names = ", ".join(f"{i.module}.{i.name}" for i in info.imports)
        raise _internal(f"the linked module imports {names}; a Molt module must import nothing")
    found = sorted(e.name for e in info.exports)
    wanted = sorted([*exports, "memory"])
    if found != wanted:
        raise _internal(f"the linked module exports {found}, not {wanted}")


def _internal(detail: str) -> LinkError:
    error = LinkError.from_code("MOLT-E-INTERNAL", name="the Molt compiler", detail=detail)
    return error
