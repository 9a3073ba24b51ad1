"""Lowering: typed IR to one LLVM module for wasm32, with the core and the ABI.

`lower_module(module, version=...)` declares every function, emits each body
(`_emitter.FunctionEmitter`), then the ABI's exports (`molt.compiler.core`),
and returns the LLVM module as text, verified by LLVM's own verifier in the
link stage. Names are deterministic: functions are `molt.fn.<name>`, core
helpers `molt.<helper>`, strings `molt.str.<n>` in order of first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from llvmlite import ir

from molt.compiler.core import WASM32_DATA_LAYOUT, WASM32_TRIPLE, Core, ExportSpec, llvm_type
from molt.compiler.ir import Module, fallible_functions
from molt.compiler.ir.types import NONE, DictType, ListType, MoltType, OptionalType, RecordType
from molt.compiler.lower._emitter import FunctionEmitter, LowerError

__all__ = ["LowerError", "LoweredModule", "lower_module"]


@dataclass(frozen=True)
class LoweredModule:
    """The module's LLVM IR, as text."""

    llvm_ir: str


def lower_module(module: Module, *, version: str) -> LoweredModule:
    """The LLVM IR of `module`; raises `LowerError` (MOLT-E-INTERNAL) on a compiler bug."""
    llvm_module = ir.Module(name=module.name)
    llvm_module.triple = WASM32_TRIPLE
    llvm_module.data_layout = WASM32_DATA_LAYOUT
    depth = max(
        (1 + _nesting(kind) for f in module.exports for kind in (p.type for p in f.params)),
        default=1,
    )
    core = Core(
        llvm_module,
        filename=module.filename,
        module_name=module.name,
        version=version,
        path_depth=depth,
        max_params=max((len(f.params) for f in module.exports), default=0),
    )
    fallible = fallible_functions(module)
    functions: dict[str, ir.Function] = {}
    for function in module.functions:
        params = [llvm_type(p.type) for p in function.params if p.type != NONE]
        signature = ir.FunctionType(llvm_type(function.returns), params)
        declared = ir.Function(llvm_module, signature, name=f"molt.fn.{function.name}")
        declared.linkage = "internal"
        functions[function.name] = declared
    for function in module.functions:
        FunctionEmitter(
            function, functions[function.name], functions, fallible, core, module.filename
        ).emit()
    core.abi.emit_abi_version()
    core.abi.emit_alloc()
    for function in module.exports:
        core.abi.emit_export(
            ExportSpec(
                name=function.name,
                params=[(p.name, p.type) for p in function.params],
                returns=function.returns,
                function=functions[function.name],
                can_fail=function.name in fallible,
            )
        )
    core.abi.finish()
    return LoweredModule(llvm_ir=_no_builtins(str(llvm_module)))


def _no_builtins(text: str) -> str:
    """Mark every defined function "no-builtins".

    The module has no libc, so LLVM must not turn loops into library calls (a NUL
    scan into strlen, say); llvmlite cannot spell string attributes, so they are
    added to the printed `define` lines.
    """
    return _DEFINE.sub(r'\1 "no-builtins"', text)


_DEFINE = re.compile(r"^(define [^\n]*)$", re.MULTILINE)


def _nesting(kind: MoltType) -> int:
    """How many JSON path components a value of `kind` can add below itself."""
    if isinstance(kind, ListType):
        return 1 + _nesting(kind.item)
    if isinstance(kind, DictType):
        return 1 + _nesting(kind.value)
    if isinstance(kind, RecordType):
        return 1 + max(_nesting(field) for _, field in kind.fields)
    if isinstance(kind, OptionalType):
        return _nesting(kind.item)
    return 0
