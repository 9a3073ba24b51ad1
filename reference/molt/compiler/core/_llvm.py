"""LLVM building blocks shared by the core and the lowering: types, constants,
intrinsics and the read-only strings of a module.

wasm32 has 32-bit pointers; every address in generated code is an opaque `ptr`.
`Strings` keeps the NUL-terminated byte strings of the data section, each once,
named `molt.str.<n>` in the order of first use, so the output is deterministic.
"""

from __future__ import annotations

from llvmlite import ir

__all__ = [
    "F32",
    "F64",
    "I1",
    "I8",
    "I16",
    "I32",
    "I64",
    "PTR",
    "VOID",
    "WASM32_DATA_LAYOUT",
    "WASM32_TRIPLE",
    "Builder",
    "Strings",
    "const",
    "internal_function",
    "intrinsic",
    "memory_class",
    "tag_call",
]

WASM32_TRIPLE = "wasm32-unknown-unknown"
WASM32_DATA_LAYOUT = "e-m:e-p:32:32-p10:8:8-p20:8:8-i64:64-i128:128-n32:64-S128-ni:1:10:20"
"""LLVM 22's data layout for wasm32; the link stage checks the target machine agrees."""

I1 = ir.IntType(1)
I8 = ir.IntType(8)
I16 = ir.IntType(16)
I32 = ir.IntType(32)
I64 = ir.IntType(64)
F32 = ir.FloatType()
F64 = ir.DoubleType()
PTR = ir.PointerType()
VOID = ir.VoidType()


class Builder(ir.IRBuilder):
    """An IRBuilder that knows what each pointer points to, for opaque pointers.

    With opaque pointers a load must name the loaded type. `gep` records the type
    of the element its result points to (`result_etype`), and `load` takes it from
    there, from a global's value type or from an alloca, so emitter code reads
    `b.load(field)` instead of repeating types. LLVM's own printer (used for the
    IR the compiler returns) writes every pointer as `ptr`.
    """

    def gep(self, ptr, indices, inbounds=False, name="", source_etype=None):  # type: ignore[no-untyped-def]
        if source_etype is None:
            source_etype = _pointee(ptr)
        if ptr.type.is_opaque:
            instr = super().gep(
                ptr, indices, inbounds=inbounds, name=name, source_etype=source_etype
            )
        elif ptr.type.pointee == source_etype:
            instr = super().gep(ptr, indices, inbounds=inbounds, name=name)  # typed by llvmlite
        else:
            opaque = self.bitcast(ptr, PTR)
            instr = super().gep(
                opaque, indices, inbounds=inbounds, name=name, source_etype=source_etype
            )
        element = source_etype
        for index in indices[1:]:
            if isinstance(element, (ir.LiteralStructType, ir.IdentifiedStructType)):
                element = element.elements[index.constant]
            else:
                element = element.element
        instr.result_etype = element
        return instr

    def load(self, ptr, name="", align=None, typ=None):  # type: ignore[no-untyped-def]
        if typ is None:
            typ = _pointee(ptr)
        return self._tagged(super().load(ptr, name=name, align=align, typ=typ), ptr)

    def store(self, value, ptr, align=None):  # type: ignore[no-untyped-def]
        return self._tagged(super().store(value, ptr, align=align), ptr)

    def _tagged(self, instr: ir.Instruction, ptr: ir.Value) -> ir.Instruction:
        """Attach the TBAA tag of the memory class `memory_class` gave `ptr`, if any."""
        name = getattr(ptr, "memory_class", None)
        if name is not None:
            instr.set_metadata("tbaa", _tbaa_tag(self.block.parent.module, name))
        return instr


def _pointee(ptr: ir.Value) -> ir.Type:
    for attribute in ("result_etype", "value_type", "allocated_type"):
        found = getattr(ptr, attribute, None)
        if found is not None:
            return found
    pointer_type = ptr.type
    if not pointer_type.is_opaque:
        return pointer_type.pointee
    raise TypeError(f"cannot tell what {ptr!r} points to; pass the type")


def memory_class(pointer: ir.Value, name: str) -> ir.Value:
    """Mark `pointer` (a gep) as addressing memory of class `name`, and return it.

    Loads and stores through it (by `Builder`) carry a TBAA tag of that class, and
    LLVM may assume that accesses tagged with different classes never overlap: a
    store to a list's items cannot change the list's length or items pointer, so
    loops keep both in registers. Give a class only to memory that no tagged access
    of another class ever touches; accesses without a tag (most memcpy calls, the
    decoders) may overlap anything.

    A name with "/" is a subclass: "list items/i8" may overlap its parent "list
    items" (a memcpy of any list's items, `tag_call`) but not "list items/double"
    or "list header".
    """
    pointer.memory_class = name  # type: ignore[attr-defined]
    return pointer


def tag_call(call: ir.Instruction, name: str) -> ir.Instruction:
    """Give a call (a memcpy or memset) the TBAA tag of memory class `name`.

    LLVM then knows the call touches only memory of that class (and its
    subclasses), so, for example, copying list items keeps a list's length, loaded
    before the copy, valid after it.
    """
    call.set_metadata("tbaa", _tbaa_tag(call.parent.parent.module, name))
    return call


def _tbaa_tag(module: ir.Module, name: str) -> ir.MDValue:
    """The TBAA access tag of memory class `name` (its scalar type, offset 0)."""
    tags: dict[str, ir.MDValue] | None = getattr(module, "molt_tbaa", None)
    if tags is None:
        tags = {}
        module.molt_tbaa = tags  # type: ignore[attr-defined]
    found = tags.get(name)
    if found is None:
        scalar = _tbaa_type(module, name)
        found = tags[name] = module.add_metadata([scalar, scalar, const(I64, 0)])
    return found


def _tbaa_type(module: ir.Module, name: str) -> ir.MDValue:
    """The TBAA scalar type of class `name`: under its parent class, or under the root."""
    types: dict[str, ir.MDValue] | None = getattr(module, "molt_tbaa_types", None)
    if types is None:
        types = {"": module.add_metadata([ir.MetaDataString(module, "molt")])}
        module.molt_tbaa_types = types  # type: ignore[attr-defined]
    found = types.get(name)
    if found is None:
        parent = _tbaa_type(module, name.rpartition("/")[0])
        found = module.add_metadata([ir.MetaDataString(module, name), parent, const(I64, 0)])
        types[name] = found
    return found


def const(kind: ir.Type, value: int | float | bool | None) -> ir.Constant:
    return ir.Constant(kind, value)


def intrinsic(module: ir.Module, name: str, result: ir.Type, params: list[ir.Type]) -> ir.Function:
    """The declaration of LLVM intrinsic `name` (declared once per module)."""
    existing = module.globals.get(name)
    if existing is not None:
        assert isinstance(existing, ir.Function)
        return existing
    return ir.Function(module, ir.FunctionType(result, params), name=name)


def internal_function(
    module: ir.Module,
    name: str,
    result: ir.Type,
    params: list[ir.Type],
    arg_names: list[str],
    *,
    cold: bool = False,
) -> ir.Function:
    """A new internal function with named arguments and an `entry` block."""
    function = ir.Function(module, ir.FunctionType(result, params), name=name)
    function.linkage = "internal"
    for arg, arg_name in zip(function.args, arg_names, strict=True):
        arg.name = arg_name
    if cold:
        # error paths: out of the way of the optimizer, and as small as possible
        for attribute in ("cold", "noinline", "minsize", "optsize"):
            function.attributes.add(attribute)
    function.append_basic_block("entry")
    return function


class Strings:
    """The module's read-only byte strings: each distinct content one private global."""

    def __init__(self, module: ir.Module) -> None:
        self.module = module
        self._by_content: dict[bytes, ir.GlobalVariable] = {}

    def cstr(self, data: bytes | str) -> ir.GlobalVariable:
        """A NUL-terminated copy of `data` (str is UTF-8 encoded)."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        return self.raw(raw + b"\x00")

    def raw(self, data: bytes) -> ir.GlobalVariable:
        """`data` as it is (no terminator)."""
        found = self._by_content.get(data)
        if found is not None:
            return found
        kind = ir.ArrayType(I8, len(data))
        variable = ir.GlobalVariable(self.module, kind, name=f"molt.str.{len(self._by_content)}")
        variable.linkage = "private"
        variable.global_constant = True
        variable.unnamed_addr = True
        variable.align = 1
        variable.initializer = ir.Constant(kind, bytearray(data))
        self._by_content[data] = variable
        return variable

    def hole_selectors(self) -> frozenset[int]:
        """The byte after every 0xFF in the strings so far: the holes their message
        templates use (`_messages`; UTF-8 text never holds 0xFF, so other strings add
        at most a selector nothing needs)."""
        return frozenset(
            data[index + 1]
            for data in self._by_content
            for index in range(len(data) - 1)
            if data[index] == 0xFF
        )
