"""The ABI v1 entry points (spec/abi.yaml `exports`): molt_abi_version, molt_alloc
and one molt_call_<name> per exported function.

`molt_call_<name>(ptr, len)` resets the arena, decodes the input map with the
generated decoders (every parameter exactly once, in any order), calls the
function, and encodes the result, or renders the error map {code, message,
path?}. The result is packed as (ptr << 32) | (status << 31) | len. Running out
of memory anywhere returns the export's constant MOLT-E-OUT-OF-MEMORY map, which
is in the data section and needs no allocation.
"""

from __future__ import annotations

from llvmlite import ir

from molt.compiler.core._llvm import (
    I1,
    I8,
    I32,
    I64,
    PTR,
    VOID,
    Builder,
    const,
    internal_function,
    intrinsic,
)
from molt.compiler.core._msgpack import KIND_MAP, MessagePack, item_type, llvm_type, type_key
from molt.compiler.core._runtime import Runtime
from molt.compiler.ir.types import BOOL, NONE, MoltType
from molt.spec import load_spec

__all__ = ["ABI_VERSION", "Abi", "ExportSpec"]

ABI_VERSION = (1, 0)
D_TRAILING = "{u0} byte{slot1} after the value (one value per message)"
"""slot1: "s" unless one byte is left."""


class ExportSpec:
    """What the ABI layer needs to know about one exported function."""

    def __init__(
        self,
        name: str,
        params: list[tuple[str, MoltType]],
        returns: MoltType,
        function: ir.Function,
        can_fail: bool,
    ) -> None:
        self.name = name
        self.params = params
        self.returns = returns
        self.function = function
        self.can_fail = can_fail


class Abi:
    """Emits the exported functions of the ABI."""

    def __init__(
        self,
        runtime: Runtime,
        codec: MessagePack,
        *,
        module_name: str,
        version: str,
        max_params: int,
    ) -> None:
        self.max_params = max_params
        self.rt = runtime
        self.codec = codec
        self.module = runtime.module
        self.module_name = module_name
        self.version = version
        self._write_error: ir.Function | None = None
        self._decode_input: ir.Function | None = None
        self._oom_result: ir.Function | None = None

    # -- molt_abi_version, molt_alloc ------------------------------------------------------

    def emit_abi_version(self) -> None:
        f = ir.Function(self.module, ir.FunctionType(I32, []), name="molt_abi_version")
        b = Builder(f.append_basic_block("entry"))
        major, minor = ABI_VERSION
        b.ret(const(I32, major << 16 | minor))

    def emit_alloc(self) -> None:
        """molt_alloc(len): the input buffer at the 16-aligned heap base; 0 if memory is full."""
        rt = self.rt
        f = ir.Function(self.module, ir.FunctionType(I32, [I32]), name="molt_alloc")
        (length,) = f.args
        length.name = "len"
        b = Builder(f.append_basic_block("entry"))
        heap = b.zext(b.ptrtoint(rt.heap_base, I32), I64)
        base = b.and_(b.add(heap, const(I64, 15)), const(I64, -16), name="base")
        end = b.add(base, b.zext(length, I64), name="end")
        with b.if_then(b.not_(b.call(rt.grow_to, [end]))):
            b.ret(const(I32, 0))
        b.store(rt.pointer(b, base), rt.input_base)
        b.store(rt.pointer(b, end), rt.input_end)
        arena = rt.pointer(b, b.and_(b.add(end, const(I64, 7)), const(I64, -8)), "arena")
        b.store(arena, rt.arena_base)
        b.store(arena, rt.arena_top)
        b.ret(b.trunc(base, I32))

    # -- molt_call_<name> -------------------------------------------------------------------

    def emit_export(self, export: ExportSpec) -> None:
        """molt_call_<name>: decode the input map, call, encode the result or the error map."""
        rt = self.rt
        count = len(export.params)
        slots = ir.GlobalVariable(
            self.module, ir.ArrayType(I64, max(count, 1)), name=f"molt.params.{export.name}"
        )
        slots.linkage = "internal"
        slots.initializer = ir.Constant(ir.ArrayType(I64, max(count, 1)), None)
        f = ir.Function(
            self.module, ir.FunctionType(I64, [I32, I32]), name=f"molt_call_{export.name}"
        )
        pointer_arg, length_arg = f.args
        pointer_arg.name, length_arg.name = "ptr", "len"
        b = Builder(f.append_basic_block("entry"))
        error = f.append_basic_block("error")
        call = f.append_basic_block("call")
        name_text = rt.strings.cstr(export.name)
        name_length = const(I32, len(export.name))
        # block layout: entry (decode the input map into the parameter slots) -> call
        # (then result.<T> encodes the value or the error the call recorded) | error
        table = self.codec.fields.table(
            f"molt.param_table.{export.name}",
            [(name, kind, 8 * index) for index, (name, kind) in enumerate(export.params)],
        )
        decoded = b.call(
            self.decode_input,
            [
                pointer_arg,
                length_arg,
                table,
                const(I32, count),
                b.gep(slots, [const(I32, 0), const(I32, 0)]),
            ],
            name="decoded",
        )
        b.cbranch(decoded, call, error)
        b.position_at_end(call)
        args = []
        for index, (name, kind) in enumerate(export.params):
            if kind == NONE:
                continue
            # each 8-byte slot holds its value the way a list item of its type is held
            slot = b.gep(slots, [const(I32, 0), const(I32, index)])
            value = b.load(slot, typ=item_type(kind), name=name)
            args.append(b.trunc(value, I1) if kind == BOOL else value)
        result = b.call(export.function, args, name="result")
        values = [] if export.returns == NONE else [result]
        b.ret(b.call(self.result(export.returns), [*values, name_text, name_length]))
        b.position_at_end(error)
        b.ret(b.call(self.write_error, [name_text, name_length]))

    def result(self, kind: MoltType) -> ir.Function:
        """result.<kind>([value,] export, export_length) -> i64: what molt_call_<name>
        returns after the call: the recorded error's map, or the encoded value (one
        per return type, shared by the exports)."""
        name = f"molt.result.{type_key(kind)}"
        found = self.module.globals.get(name)
        if found is not None:
            assert isinstance(found, ir.Function)
            return found
        rt = self.rt
        params = ([] if kind == NONE else [llvm_type(kind)]) + [PTR, I32]
        names = ([] if kind == NONE else ["value"]) + ["export", "export_length"]
        f = internal_function(self.module, name, I64, params, names)
        f.attributes.add("noinline")
        *value, export, export_length = f.args
        b = Builder(f.entry_basic_block)
        with b.if_then(rt.failed(b)):
            b.ret(b.call(self.write_error, [export, export_length]))
        # the result: encoded after everything the call allocated
        begin = b.load(rt.arena_top, name="out_start")
        b.store(begin, rt.out_pos)
        b.call(self.codec.encoder(kind), value)
        with b.if_then(rt.output_failed(b)):
            b.ret(b.call(self.oom_result, [export, export_length]))
        end = b.load(rt.out_pos, name="out_end")
        b.ret(self._pack(b, begin, end, 0))
        return f

    # -- decoding the input map --------------------------------------------------------------

    def finish(self) -> None:
        """Emit what depends on the whole module: decode_any (every type read through a
        field table), then write_error and the renderer (every message template)."""
        self.codec.fields.finish()
        if self._write_error is not None:
            self._emit_write_error(self._write_error)
        handled = self.rt.render_holes
        if handled is not None:
            missed = self.rt.strings.hole_selectors() - handled
            # a template made after the renderer was built would lose its holes
            assert not missed, f"the renderer was built before templates with {sorted(missed)}"

    @property
    def decode_input(self) -> ir.Function:
        """decode_input(ptr, len, table, count, slots) -> i1: reset the call's state and
        decode the input map, every parameter exactly once in any order, into `slots`
        (8 bytes each) through the export's field table (`_fields`).

        Returns 0 with the problem recorded. A host that breaks the ABI contract (a
        message outside the input buffer) traps.
        """
        if self._decode_input is not None:
            return self._decode_input
        rt, codec = self.rt, self.codec
        f = internal_function(
            self.module,
            "molt.decode_input",
            I1,
            [I32, I32, PTR, I32, PTR],
            ["ptr", "len", "table", "count", "slots"],
        )
        for attribute in ("noinline", "minsize", "optsize"):
            f.attributes.add(attribute)
        self._decode_input = f
        seen_type = ir.ArrayType(I8, max(self.max_params, 1))
        seen = ir.GlobalVariable(self.module, seen_type, name="molt.seen")
        seen.linkage = "internal"
        seen.initializer = ir.Constant(seen_type, None)
        pointer_arg, length_arg, table, count, slots = f.args
        b = Builder(f.entry_basic_block)
        failed = f.append_basic_block("failed")
        zero = const(I32, 0)
        # block layout: entry (reset, ABI check) -> decode_map -> the keys (decode_fields)
        # -> trailing bytes -> missing parameters (missing_fields); every problem
        # branches to `failed`
        b.store(b.load(rt.arena_base), rt.arena_top)
        b.store(ir.Constant(PTR, None), rt.err_code)
        b.store(const(I32, 0), rt.out_failed)
        b.store(zero, rt.decode_depth)
        seen_start = b.gep(seen, [zero, zero], name="seen")
        memset = intrinsic(self.module, "llvm.memset.p0.i32", VOID, [PTR, I8, I32, I1])
        b.call(memset, [seen_start, const(I8, 0), count, const(I1, 0)])
        start = b.zext(pointer_arg, I64, name="start")
        stop = b.add(start, b.zext(length_arg, I64), name="stop")
        buffer_start = rt.address(b, b.load(rt.input_base))
        buffer_stop = rt.address(b, b.load(rt.input_end))
        inside = b.and_(
            b.and_(
                b.icmp_unsigned("!=", buffer_start, const(I64, 0)),
                b.icmp_unsigned(">=", start, buffer_start),
            ),
            b.icmp_unsigned("<=", stop, buffer_stop),
            name="inside_buffer",
        )
        host_bug = f.append_basic_block("host_bug")
        decode_map = f.append_basic_block("decode_map")
        b.cbranch(inside, decode_map, host_bug)
        b.position_at_end(host_bug)
        b.unreachable()

        b.position_at_end(decode_map)
        message = b.inttoptr(pointer_arg, PTR, name="message")
        b.store(message, rt.in_base)
        b.store(message, rt.in_pos)
        b.store(b.gep(message, [length_arg], source_etype=I8), rt.in_end)
        with b.if_then(b.icmp_unsigned("==", length_arg, zero)):
            codec.malformed(b, "the message is empty: expected one MessagePack value", [])
            b.branch(failed)
        kind = b.call(codec.read_head, [], name="kind")
        with b.if_then(b.icmp_signed("<", kind, zero)):
            b.branch(failed)
        with b.if_then(b.icmp_signed("!=", kind, const(I32, KIND_MAP))):
            codec.mismatch(b, "object", kind)
            b.branch(failed)
        entries = b.load(rt.head_value, name="entries")
        fields = codec.fields
        decoded = b.call(fields.decode_fields, [table, count, entries, zero, slots, seen_start])
        with b.if_then(b.not_(decoded)):
            b.branch(failed)
        position_now = rt.address(b, b.load(rt.in_pos))
        extra = b.sub(rt.address(b, b.load(rt.in_end)), position_now, name="extra")
        with b.if_then(b.icmp_unsigned("!=", extra, const(I64, 0))):
            one = b.icmp_unsigned("==", extra, const(I64, 1))
            one_byte, many_bytes = (
                b.gep(rt.strings.cstr(text), [zero, zero]) for text in ("", "s")
            )
            plural = b.select(one, one_byte, many_bytes, name="plural")
            codec.malformed(b, D_TRAILING, [extra], slot1=plural)
            b.branch(failed)
        b.ret(b.call(fields.missing_fields, [table, count, zero, seen_start]))
        b.position_at_end(failed)
        b.ret(const(I1, 0))
        return f

    def _pack(self, b: ir.IRBuilder, begin: ir.Value, end: ir.Value, status: int) -> ir.Value:
        """(ptr << 32) | (status << 31) | len (spec/abi.yaml `result_packing`)."""
        start = self.rt.address(b, begin)
        size = b.sub(self.rt.address(b, end), start)
        packed = b.or_(b.shl(start, const(I64, 32)), size)
        if status:
            packed = b.or_(packed, const(I64, 1 << 31))
        return packed

    @property
    def oom_result(self) -> ir.Function:
        """oom_result(export, export_length) -> i64: the MOLT-E-OUT-OF-MEMORY error map.

        It is written into a static buffer of the data section, so reporting that
        memory is exhausted needs no memory.
        """
        if self._oom_result is not None:
            return self._oom_result
        rt = self.rt
        before, after = oom_message("\x00", self.module_name, self.version).split("\x00")
        head = b"\x82\xa4code\xb4MOLT-E-OUT-OF-MEMORY\xa7message"
        parts = [
            rt.strings.raw(head),
            rt.strings.raw(before.encode()),
            rt.strings.raw(after.encode()),
        ]
        fixed = len(before.encode()) + len(after.encode())
        capacity = len(head) + 3 + fixed + 128
        buffer = ir.GlobalVariable(self.module, ir.ArrayType(I8, capacity), name="molt.oom.buffer")
        buffer.linkage = "internal"
        buffer.initializer = ir.Constant(ir.ArrayType(I8, capacity), None)
        f = internal_function(
            self.module, "molt.oom_result", I64, [PTR, I32], ["export", "export_length"], cold=True
        )
        self._oom_result = f
        export, export_length = f.args
        b = Builder(f.entry_basic_block)
        at = b.gep(buffer, [const(I32, 0), const(I32, 0)], name="at")
        rt.memcpy(b, at, parts[0], const(I32, len(head)))
        at = b.gep(at, [const(I32, len(head))], source_etype=I8)
        size = b.add(export_length, const(I32, fixed), name="message_size")
        b.store(const(I8, 0xD9), at)
        b.store(b.trunc(size, I8), b.gep(at, [const(I32, 1)], source_etype=I8))
        at = b.gep(at, [const(I32, 2)], source_etype=I8)
        for text, length in ((parts[1], const(I32, len(before.encode()))), (export, export_length)):
            rt.memcpy(b, at, text, length)
            at = b.gep(at, [length], source_etype=I8)
        rt.memcpy(b, at, parts[2], const(I32, len(after.encode())))
        total = b.add(size, const(I32, len(head) + 2), name="total")
        start = b.zext(b.ptrtoint(buffer, I32), I64)
        packed = b.or_(b.shl(start, const(I64, 32)), const(I64, 1 << 31))
        b.ret(b.or_(packed, b.zext(total, I64), name="oom_result"))
        return f

    @property
    def write_error(self) -> ir.Function:
        """write_error(export, export_length) -> i64: the recorded error as the packed map.

        Its body is emitted by `finish`, when every template the renderer must handle
        exists."""
        if self._write_error is None:
            self._write_error = internal_function(
                self.module,
                "molt.write_error",
                I64,
                [PTR, I32],
                ["export", "export_length"],
                cold=True,
            )
        return self._write_error

    def _emit_write_error(self, f: ir.Function) -> None:
        rt = self.rt
        export, export_length = f.args
        b = Builder(f.entry_basic_block)
        template = b.load(rt.err_template, name="template")
        with b.if_then(b.icmp_unsigned("==", template, ir.Constant(PTR, None))):
            b.ret(b.call(self.oom_result, [export, export_length]))
        b.store(b.load(rt.arena_top), rt.out_pos)
        b.store(const(I32, 0), rt.out_failed)
        message_start = b.load(rt.out_pos, name="message_start")
        b.call(rt.render, [template, export])
        path_start = b.load(rt.out_pos, name="path_start")
        has_path = b.icmp_signed(">=", b.load(rt.err_path_depth), const(I32, 0), name="has_path")
        with b.if_then(has_path):
            b.call(rt.render_path, [])
        map_start = b.load(rt.out_pos, name="map_start")
        message_size = b.sub(b.ptrtoint(path_start, I32), b.ptrtoint(message_start, I32))
        path_size = b.sub(b.ptrtoint(map_start, I32), b.ptrtoint(path_start, I32))
        b.call(rt.out_byte, [b.select(has_path, const(I8, 0x83), const(I8, 0x82))])
        self._write_str(b, rt.strings.cstr("code"), const(I32, 4))
        code = b.load(rt.err_code, name="code")
        self._write_str(b, code, b.call(rt.strlen, [code]))
        self._write_str(b, rt.strings.cstr("message"), const(I32, 7))
        self._write_str(b, message_start, message_size)
        with b.if_then(has_path):
            self._write_str(b, rt.strings.cstr("path"), const(I32, 4))
            self._write_str(b, path_start, path_size)
        with b.if_then(rt.output_failed(b)):
            b.ret(b.call(self.oom_result, [export, export_length]))
        b.ret(self._pack(b, map_start, b.load(rt.out_pos), 1))

    def _write_str(self, b: ir.IRBuilder, text: ir.Value, size: ir.Value) -> None:
        """A MessagePack str of `size` bytes from `text`, in the smallest format."""
        b.call(self.codec.str_header, [size])
        b.call(self.rt.out_copy, [text, size])


def oom_message(export: str, module_name: str, version: str) -> str:
    """The registry's MOLT-E-OUT-OF-MEMORY message as a module can know it.

    The module does not know the host's memory limit, so the constant map leaves
    out the template's " of {limit} bytes" (as the ABI fixtures in conformance/ do).
    """
    entry = load_spec().error("MOLT-E-OUT-OF-MEMORY")
    assert entry is not None
    text = str(entry["message"]).replace(" of {limit} bytes", "")
    return text.format(export=export, name=module_name, version=version)
