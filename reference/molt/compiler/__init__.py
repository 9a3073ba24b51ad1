"""The Molt reference compiler: typed Python source to a signed-ready wasm32 module.

    >>> from molt.compiler import compile_source
    >>> compiled = compile_source(source, filename="stats.py", module_name="stats")
    >>> compiled.wasm[:4]
    b'\\x00asm'

Stages, one package each, in order (each has one entry point and its own error):

    frontend  check_source   ast -> checked, typed IR        FrontendError (every problem)
    ir        verify         the IR's invariants              (internal)
    lower     lower_module   typed IR -> LLVM IR + the core   LowerError (internal)
    link      link_module    LLVM IR -> optimized object ->   LinkError (MOLT-E-TOOLCHAIN)
                             wasm-ld -> module.wasm + interface

This package never imports `molt.runtime`; llvmlite is imported only when a
module is compiled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from molt.compiler._fingerprint import compiler_fingerprint
from molt.compiler.diagnostics import Location, StageError
from molt.compiler.frontend import FrontendError, check_source
from molt.errors import MoltError

__all__ = [
    "CompiledModule",
    "FrontendError",
    "Location",
    "StageError",
    "compile_file",
    "compile_source",
    "compiler_fingerprint",
]

_MODULE_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
_SEMVER = re.compile(
    r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"
)


@dataclass(frozen=True)
class CompiledModule:
    """A compiled module: its bytes, its interface (as in its molt.interface section)
    and its LLVM IR before optimization (for `--emit-llvm`)."""

    wasm: bytes
    interface: dict[str, Any]
    llvm_ir: str


def compile_source(
    source: str,
    *,
    filename: str,
    module_name: str,
    version: str = "0.1.0",
    opt_level: int = 2,
) -> CompiledModule:
    """Compile Molt source text; `filename` is what error messages and the module call it.

    Raises `FrontendError` (a `CompileError`) listing every problem of the source,
    `LinkError` for a missing or failing toolchain (MOLT-E-TOOLCHAIN), and
    `StageError` MOLT-E-INTERNAL for a compiler bug.
    """
    from molt.compiler.link import build_interface, link_module
    from molt.compiler.lower import lower_module

    if not isinstance(source, str):
        raise TypeError(f"source must be str, not {type(source).__name__}")
    if not _MODULE_NAME.match(module_name):
        raise ValueError(
            f"module_name {module_name!r} must be lower-case letters, digits, '-' and '_', "
            "starting with a letter, at most 64 characters"
        )
    if not _SEMVER.match(version):
        raise ValueError(f"version {version!r} is not a semantic version such as 1.2.0")
    module = check_source(source, filename=filename, module_name=module_name)
    lowered = lower_module(module, version=version)
    interface = build_interface(module, version=version)
    linked = link_module(lowered.llvm_ir, interface=interface, opt_level=opt_level)
    return CompiledModule(wasm=linked.wasm, interface=interface, llvm_ir=linked.llvm_ir)


def compile_file(
    path: str | Path,
    *,
    module_name: str | None = None,
    version: str = "0.1.0",
    opt_level: int = 2,
) -> CompiledModule:
    """Compile the Molt source file at `path`.

    Messages name the file by its base name only, so the module does not depend
    on the folder it was built in. `module_name` defaults to the file's stem
    (lower-cased). A file that is not UTF-8 is MOLT-E-SYNTAX; one that cannot be
    read is MOLT-E-IO.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MoltError.from_code(
            "MOLT-E-IO", operation="read", file=str(path), detail=exc.strerror or str(exc)
        ) from None
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FrontendError.from_code(
            "MOLT-E-SYNTAX",
            path=f"{path.name}:1:1",
            file=path.name,
            line=1,
            column=1,
            detail=f"the file is not valid UTF-8 (byte {exc.start})",
        ) from None
    if source.startswith("\ufeff"):
        source = source[1:]
    name = module_name if module_name is not None else path.stem.lower().replace(".", "-")
    return compile_source(
        source, filename=path.name, module_name=name, version=version, opt_level=opt_level
    )
