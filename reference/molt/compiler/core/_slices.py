"""Slicing (MOLT-L-EXPR-SLICE) and list concatenation (MOLT-L-EXPR-CONCAT) in the core:
CPython's slice.indices() and the copies.

`indices` clamps start and stop exactly as CPython's PySlice_Unpack and
PySlice_AdjustIndices do for a sequence of `length` items (Molt ints are
signed 64-bit, CPython's Py_ssize_t on a 64-bit host, so even the extreme
bounds agree) and gives the first index and the number of selected items; the
caller has already refused a zero step. `list_slice` copies the selected items
(a shallow copy); `text_slice` copies the selected code points of a str, or the
selected bytes of a bytes value, which has the layout of a str whose count of
code points equals its size. `list_concat` copies the items of two lists into a
new one.
"""

from __future__ import annotations

from collections.abc import Callable

from llvmlite import ir

from molt.compiler.core._llvm import I1, I8, I32, I64, PTR, Builder, const, internal_function
from molt.compiler.core._loops import counted_loop
from molt.compiler.core._runtime import Runtime
from molt.compiler.core._strings import StringOps

__all__ = ["INDICES", "SliceOps"]

INDICES = ir.LiteralStructType([I64, I64])
"""{first index, number of selected items}."""

_INT64_MAX = (1 << 63) - 1
_INT64_MIN = -(1 << 63)


def _loop(b: ir.IRBuilder, count: ir.Value, name: str, body: Callable[[ir.Value], None]) -> None:
    """for i in range(count): body(i), with i an i64 counter (count >= 0)."""
    with counted_loop(b, count, name, kind=I64, signed=True) as loop:
        body(loop.index)


class SliceOps:
    """The slicing helpers of one module, each emitted on first use."""

    def __init__(self, runtime: Runtime, text: StringOps) -> None:
        self.rt = runtime
        self.text = text
        self.module = runtime.module
        self._functions: dict[str, ir.Function] = {}

    def _lazy(self, name: str, build: Callable[[], ir.Function]) -> ir.Function:
        found = self._functions.get(name)
        if found is None:
            found = self._functions[name] = build()
        return found

    @property
    def indices(self) -> ir.Function:
        """indices(length, start, stop, step != 0, has_start, has_stop) -> {first, count}."""

        def build() -> ir.Function:
            f = internal_function(
                self.module,
                "molt.slice.indices",
                INDICES,
                [I64, I64, I64, I64, I1, I1],
                ["length", "start", "stop", "step", "has_start", "has_stop"],
            )
            length, start, stop, step, has_start, has_stop = f.args
            b = Builder(f.entry_basic_block)
            backwards = b.icmp_signed("<", step, const(I64, 0), name="backwards")
            # PySlice_Unpack: the defaults of omitted bounds, and -step must not overflow
            step = b.select(
                b.icmp_signed("==", step, const(I64, _INT64_MIN)), const(I64, -_INT64_MAX), step
            )
            start = b.select(
                has_start, start, b.select(backwards, const(I64, _INT64_MAX), const(I64, 0))
            )
            stop = b.select(
                has_stop,
                stop,
                b.select(backwards, const(I64, _INT64_MIN), const(I64, _INT64_MAX)),
            )
            below = b.select(backwards, const(I64, -1), const(I64, 0))
            above = b.select(backwards, b.sub(length, const(I64, 1)), length)

            def adjust(bound: ir.Value, name: str) -> ir.Value:
                # negative: count from the end, then clamp; past the end: clamp
                negative = b.icmp_signed("<", bound, const(I64, 0))
                from_end = b.add(bound, length)
                from_end = b.select(b.icmp_signed("<", from_end, const(I64, 0)), below, from_end)
                too_big = b.icmp_signed(">=", bound, length)
                return b.select(negative, from_end, b.select(too_big, above, bound), name=name)

            first = adjust(start, "first")
            last = adjust(stop, "last")
            # count = (last - first - 1) // step + 1 when the range is not empty
            forward_count = b.add(
                b.sdiv(b.sub(b.sub(last, first), const(I64, 1)), step), const(I64, 1)
            )
            backward_count = b.add(
                b.sdiv(b.sub(b.sub(first, last), const(I64, 1)), b.sub(const(I64, 0), step)),
                const(I64, 1),
            )
            nonempty = b.select(
                backwards, b.icmp_signed("<", last, first), b.icmp_signed("<", first, last)
            )
            count = b.select(
                nonempty, b.select(backwards, backward_count, forward_count), const(I64, 0)
            )
            result = b.insert_value(ir.Constant(INDICES, None), first, 0)
            b.ret(b.insert_value(result, count, 1, name="indices"))
            return f

        return self._lazy("indices", build)

    @property
    def list_slice(self) -> ir.Function:
        """list_slice(list, first, count, step, item_size) -> ptr, or null (out of memory)."""

        def build() -> ir.Function:
            f = internal_function(
                self.module,
                "molt.list.slice",
                PTR,
                [PTR, I64, I64, I64, I32],
                ["items", "first", "count", "step", "item_size"],
            )
            items, first, count, step, item_size = f.args
            b = Builder(f.entry_basic_block)
            result = b.call(self.rt.list_new, [b.trunc(count, I32), item_size], name="result")
            with b.if_then(b.icmp_unsigned("==", result, ir.Constant(PTR, None))):
                b.ret(result)
            source = b.load(self.rt.list_field(b, items, 2, "source_field"), name="source")
            target = b.load(self.rt.list_field(b, result, 2, "target_field"), name="target")
            size = b.zext(item_size, I64)

            def copy(index: ir.Value) -> None:
                at = b.mul(b.add(first, b.mul(index, step)), size)
                self.rt.memcpy(
                    b,
                    b.gep(target, [b.trunc(b.mul(index, size), I32)], source_etype=I8),
                    b.gep(source, [b.trunc(at, I32)], source_etype=I8),
                    item_size,
                )

            _loop(b, count, "copy", copy)
            b.ret(result)
            return f

        return self._lazy("list_slice", build)

    @property
    def list_concat(self) -> ir.Function:
        """list_concat(a, b, item_size) -> ptr: a new list of a's items then b's (MOLT-L-
        EXPR-CONCAT), or null (out of memory, recorded)."""

        def build() -> ir.Function:
            f = internal_function(
                self.module,
                "molt.list.concat",
                PTR,
                [PTR, PTR, I32],
                ["left", "right", "item_size"],
            )
            left, right, item_size = f.args
            b = Builder(f.entry_basic_block)
            rt = self.rt
            sizes = [b.load(rt.list_field(b, items, 0, "length_field")) for items in f.args[:2]]
            total = b.add(b.zext(sizes[0], I64), b.zext(sizes[1], I64), name="total")
            with b.if_then(b.icmp_unsigned(">", total, const(I64, 0x7FFF_FFFF))):
                rt.record_out_of_memory(b)
                b.ret(ir.Constant(PTR, None))
            result = b.call(rt.list_new, [b.trunc(total, I32), item_size], name="result")
            with b.if_then(b.icmp_unsigned("==", result, ir.Constant(PTR, None))):
                b.ret(result)
            target = b.load(rt.list_field(b, result, 2, "target_field"), name="target")
            first = b.mul(sizes[0], item_size, name="first")
            for items, at, size in ((left, const(I32, 0), first), (right, first, None)):
                source = b.load(rt.list_field(b, items, 2, "source_field"), name="source")
                count = size if size is not None else b.mul(sizes[1], item_size)
                rt.memcpy(b, b.gep(target, [at], source_etype=I8), source, count)
            b.ret(result)
            return f

        return self._lazy("list_concat", build)

    @property
    def text_slice(self) -> ir.Function:
        """text_slice(text, first, count, step) -> ptr: the selected code points of a str
        (bytes of a bytes value), or null (out of memory)."""

        def build() -> ir.Function:
            f = internal_function(
                self.module,
                "molt.str.slice",
                PTR,
                [PTR, I64, I64, I64],
                ["text", "first", "count", "step"],
            )
            text, first, count, step = f.args
            b = Builder(f.entry_basic_block)
            t = self.text
            data = t.data(b, text)
            points = t.count(b, text)
            null = ir.Constant(PTR, None)
            seen, total, written = (b.alloca(I32, name=n) for n in ("seen", "total", "written"))
            simple = f.append_basic_block("one_byte_each")
            general = f.append_basic_block("by_code_point")
            b.cbranch(b.icmp_unsigned("==", t.size(b, text), points), simple, general)

            def position(index: ir.Value) -> ir.Value:
                return b.trunc(b.add(first, b.mul(index, step)), I32)

            # every code point is one byte: copy bytes
            b.position_at_end(simple)
            narrow = b.trunc(count, I32)
            out = b.call(t.alloc, [narrow, narrow], name="out")
            with b.if_then(b.icmp_unsigned("==", out, null)):
                b.ret(out)
            target = t.data(b, out)

            def copy_byte(index: ir.Value) -> None:
                byte = b.load(b.gep(data, [position(index)], source_etype=I8))
                b.store(byte, b.gep(target, [b.trunc(index, I32)], source_etype=I8))

            _loop(b, count, "bytes", copy_byte)
            b.ret(out)

            # otherwise: the byte offset of every code point first (offsets[points] = size)
            b.position_at_end(general)
            table_size = b.mul(b.add(b.zext(points, I64), const(I64, 1)), const(I64, 4))
            offsets = b.call(self.rt.alloc, [table_size], name="offsets")
            with b.if_then(b.icmp_unsigned("==", offsets, null)):
                b.ret(offsets)
            b.store(const(I32, 0), seen)

            def note(index: ir.Value) -> None:
                at = b.trunc(index, I32)
                byte = b.load(b.gep(data, [at], source_etype=I8))
                with b.if_then(
                    b.icmp_unsigned("!=", b.and_(byte, const(I8, 0xC0)), const(I8, 0x80))
                ):
                    number = b.load(seen)
                    b.store(at, b.gep(offsets, [number], source_etype=I32))
                    b.store(b.add(number, const(I32, 1)), seen)

            _loop(b, b.zext(t.size(b, text), I64), "scan", note)
            b.store(t.size(b, text), b.gep(offsets, [points], source_etype=I32))

            def width(index: ir.Value) -> tuple[ir.Value, ir.Value]:
                at = position(index)
                start = b.load(b.gep(offsets, [at], source_etype=I32))
                end = b.load(b.gep(offsets, [b.add(at, const(I32, 1))], source_etype=I32))
                return start, b.sub(end, start)

            b.store(const(I32, 0), total)
            _loop(b, count, "measure", lambda i: b.store(b.add(b.load(total), width(i)[1]), total))
            out = b.call(t.alloc, [b.load(total), b.trunc(count, I32)], name="result")
            with b.if_then(b.icmp_unsigned("==", out, null)):
                b.ret(out)
            target = t.data(b, out)
            b.store(const(I32, 0), written)

            def copy_point(index: ir.Value) -> None:
                start, size = width(index)
                done = b.load(written)
                self.rt.memcpy(
                    b,
                    b.gep(target, [done], source_etype=I8),
                    b.gep(data, [start], source_etype=I8),
                    size,
                )
                b.store(b.add(done, size), written)

            _loop(b, count, "points", copy_point)
            b.ret(out)
            return f

        return self._lazy("text_slice", build)
