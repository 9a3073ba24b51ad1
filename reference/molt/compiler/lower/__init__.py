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
from molt.compiler.core._llvm import I32, VOID
from molt.compiler.core._runtime import LIST_HEADER_BYTES
from molt.compiler.ir import Module, fallible_functions, stable_length_lists
from molt.compiler.ir.types import NONE, DictType, ListType, MoltType, OptionalType, RecordType
from molt.compiler.lower._emitter import FunctionEmitter, LowerError
from molt.compiler.lower._inline import always_inline, recursive_functions, unrolled_recursion

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
    inline = always_inline(module)
    # a recursive function is rarely inlined, so a flag beside its value saves
    # nothing, and returning two values costs more than one load of the error code
    flagged = fallible - recursive_functions(module)
    stable = stable_length_lists(module)
    functions: dict[str, ir.Function] = {}
    for function in module.functions:
        params = [llvm_type(p.type) for p in function.params if p.type != NONE]
        returns = _returns(llvm_type(function.returns), function.name in flagged)
        signature = ir.FunctionType(returns, params)
        declared = ir.Function(llvm_module, signature, name=f"molt.fn.{function.name}")
        declared.linkage = "internal"
        if function.name in inline:
            declared.attributes.add("alwaysinline")
        kinds = [p.type for p in function.params if p.type != NONE]
        for arg, kind in zip(declared.args, kinds, strict=True):
            if isinstance(kind, ListType):
                # a list is never null and its header stays put: LLVM may then load
                # its length and items pointer once, before a loop, on any path
                arg.add_attribute("nonnull")
                arg.attributes.dereferenceable = LIST_HEADER_BYTES
                arg.attributes.align = 4
        functions[function.name] = declared
    twins = {
        name: [_twin(functions[name], level) for level in range(1, count + 1)]
        for name, count in sorted(unrolled_recursion(module).items())
    }
    for function in module.functions:
        # self-calls go to the first twin, each twin's to the next, the last one's back
        chain = [functions[function.name], *twins.get(function.name, [])]
        emitted = [
            (target, {**functions, function.name: chain[(level + 1) % len(chain)]})
            for level, target in enumerate(chain)
        ]
        for target, callees in emitted:
            FunctionEmitter(
                function,
                target,
                callees,
                fallible,
                core,
                module.filename,
                flagged,
                stable_lengths=stable[function.name],
            ).emit()
    core.abi.emit_abi_version()
    core.abi.emit_alloc()
    for function in module.exports:
        core.abi.emit_export(
            ExportSpec(
                name=function.name,
                params=[(p.name, p.type) for p in function.params],
                returns=function.returns,
                function=_entry(functions[function.name], function.name in flagged),
                can_fail=function.name in fallible,
            )
        )
    core.abi.finish()
    return LoweredModule(llvm_ir=_no_builtins(str(llvm_module)))


def _twin(function: ir.Function, level: int) -> ir.Function:
    """An always-inlined copy of `function`'s declaration, the `level`-th of its chain
    (see `unrolled_recursion`)."""
    suffix = "unrolled" if level == 1 else f"unrolled{level}"
    twin = ir.Function(function.module, function.function_type, name=f"{function.name}.{suffix}")
    twin.linkage = "internal"
    twin.attributes.add("alwaysinline")
    for arg, original in zip(twin.args, function.args, strict=True):
        for attribute in original.attributes:
            arg.add_attribute(attribute)
        arg.attributes.dereferenceable = original.attributes.dereferenceable
        arg.attributes.align = original.attributes.align
    return twin


def _returns(value: ir.Type, can_fail: bool) -> ir.Type:
    """What a function returns: its value, and when it can fail also whether it did
    (`{value, i32}`, or `i32` for None; see `FunctionEmitter.ret`)."""
    if not can_fail:
        return value
    return I32 if isinstance(value, ir.VoidType) else ir.LiteralStructType([value, I32])


def _entry(function: ir.Function, can_fail: bool) -> ir.Function:
    """`function` as the ABI layer calls it: its value only, an error in `molt.err.*`.

    A function that can fail also returns whether it did; the export checks the
    recorded error instead, so it gets this wrapper (inlined by LLVM) that drops
    the flag.
    """
    if not can_fail:
        return function
    returns = function.function_type.return_type
    value = VOID if returns == I32 else returns.elements[0]
    name = function.name.replace("molt.fn.", "molt.entry.", 1)
    entry = ir.Function(function.module, ir.FunctionType(value, function.function_type.args), name)
    entry.linkage = "internal"
    entry.attributes.add("alwaysinline")
    b = ir.IRBuilder(entry.append_basic_block("entry"))
    result = b.call(function, entry.args)
    if value == VOID:
        b.ret_void()
    else:
        b.ret(b.extract_value(result, 0, name="value"))
    return entry


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
