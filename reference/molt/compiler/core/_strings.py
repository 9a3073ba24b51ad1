"""str values (MOLT-L-TYPE-STR) in the core: immutable UTF-8 in the arena.

A str is a pointer to `{i32 size, i32 count}` (its UTF-8 byte size and its
code point count) followed by the bytes. Knowing the count makes len() O(1)
and indexing of an all-ASCII str (count == size) O(1); other indexing scans.
Comparison is byte-wise, which for valid UTF-8 is code point order, as in
CPython. Every helper is emitted on first use; loops keep their counters in
entry-block allocas, which mem2reg turns into registers.
"""

from __future__ import annotations

from collections.abc import Callable

from llvmlite import ir

from molt.compiler.core._llvm import I1, I8, I32, I64, PTR, Builder, const, internal_function
from molt.compiler.core._loops import counted_loop
from molt.compiler.core._runtime import Runtime

__all__ = ["STR_HEADER", "StringOps"]

STR_HEADER = ir.LiteralStructType([I32, I32])
"""The header of a str: its size in bytes and its count of code points."""


class StringOps:
    """The str helpers of one module."""

    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime
        self.module = runtime.module
        self._functions: dict[str, ir.Function] = {}

    def _lazy(self, name: str, build: Callable[[], ir.Function]) -> ir.Function:
        found = self._functions.get(name)
        if found is None:
            found = self._functions[name] = build()
        return found

    # -- access -------------------------------------------------------------------------

    def size(self, b: ir.IRBuilder, text: ir.Value) -> ir.Value:
        return b.load(
            b.gep(text, [const(I32, 0), const(I32, 0)], source_etype=STR_HEADER),
            typ=I32,
            name="size",
        )

    def count(self, b: ir.IRBuilder, text: ir.Value) -> ir.Value:
        return b.load(
            b.gep(text, [const(I32, 0), const(I32, 1)], source_etype=STR_HEADER),
            typ=I32,
            name="count",
        )

    def data(self, b: ir.IRBuilder, text: ir.Value) -> ir.Value:
        return b.gep(text, [const(I32, 8)], source_etype=I8, name="data")

    def literal(self, value: str) -> ir.Value:
        """A constant str in the data section."""
        data = value.encode("utf-8")
        header = len(data).to_bytes(4, "little") + len(value).to_bytes(4, "little")
        variable = self.rt.strings.raw(header + data)
        variable.align = 4
        return variable

    # -- helpers ------------------------------------------------------------------------

    @property
    def alloc(self) -> ir.Function:
        """str_alloc(size, count) -> ptr: an uninitialised str, or null (out of memory)."""

        def build() -> ir.Function:
            f = internal_function(self.module, "molt.str.alloc", PTR, [I32, I32], ["size", "count"])
            size, count = f.args
            b = Builder(f.entry_basic_block)
            text = b.call(self.rt.alloc, [b.add(b.zext(size, I64), const(I64, 8))], name="text")
            with b.if_then(b.icmp_unsigned("!=", text, ir.Constant(PTR, None))):
                b.store(size, text)
                b.store(count, b.gep(text, [const(I32, 4)], source_etype=I8))
            b.ret(text)
            return f

        return self._lazy("alloc", build)

    @property
    def count_points(self) -> ir.Function:
        """count_points(bytes, size) -> i32: the code points of valid UTF-8."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.str.count_points", I32, [PTR, I32], ["bytes", "size"]
            )
            data, size = f.args
            b = Builder(f.entry_basic_block)
            with counted_loop(b, size, "byte") as loop:
                total = loop.carry(I32, const(I32, 0), "total")
                byte = b.load(b.gep(data, [loop.index], source_etype=I8))
                lead = b.icmp_unsigned("!=", b.and_(byte, const(I8, 0xC0)), const(I8, 0x80))
                loop.next(total, b.add(total, b.zext(lead, I32)))
            b.ret(total)
            return f

        return self._lazy("count_points", build)

    @property
    def concat(self) -> ir.Function:
        """concat(a, b) -> ptr: a + b, or null (out of memory)."""

        def build() -> ir.Function:
            f = internal_function(self.module, "molt.str.concat", PTR, [PTR, PTR], ["a", "b"])
            left, right = f.args
            b = Builder(f.entry_basic_block)
            left_size, right_size = self.size(b, left), self.size(b, right)
            total = b.add(left_size, right_size, name="total")
            # the sum of two sizes below the memory limit fits in i32; alloc checks it
            text = b.call(self.alloc, [total, b.add(self.count(b, left), self.count(b, right))])
            with b.if_then(b.icmp_unsigned("==", text, ir.Constant(PTR, None))):
                b.ret(text)
            target = self.data(b, text)
            self.rt.memcpy(b, target, self.data(b, left), left_size)
            self.rt.memcpy(
                b, b.gep(target, [left_size], source_etype=I8), self.data(b, right), right_size
            )
            b.ret(text)
            return f

        return self._lazy("concat", build)

    @property
    def compare(self) -> ir.Function:
        """compare(a, b) -> i32: <0, 0 or >0 as a sorts before, with or after b."""

        def build() -> ir.Function:
            f = internal_function(self.module, "molt.str.compare", I32, [PTR, PTR], ["a", "b"])
            left, right = f.args
            b = Builder(f.entry_basic_block)
            left_size, right_size = self.size(b, left), self.size(b, right)
            shorter = b.select(b.icmp_unsigned("<", left_size, right_size), left_size, right_size)
            index = b.alloca(I32, name="index")
            b.store(const(I32, 0), index)
            loop, body, differ, same, done = (
                f.append_basic_block(n) for n in ("loop", "body", "differ", "same", "done")
            )
            b.branch(loop)
            b.position_at_end(loop)
            at = b.load(index)
            b.cbranch(b.icmp_unsigned("<", at, shorter), body, done)
            b.position_at_end(body)
            x = b.zext(b.load(b.gep(self.data(b, left), [at], source_etype=I8)), I32)
            y = b.zext(b.load(b.gep(self.data(b, right), [at], source_etype=I8)), I32)
            b.cbranch(b.icmp_unsigned("!=", x, y), differ, same)
            b.position_at_end(differ)
            b.ret(b.sub(x, y))
            b.position_at_end(same)
            b.store(b.add(at, const(I32, 1)), index)
            b.branch(loop)
            b.position_at_end(done)
            less = b.icmp_unsigned("<", left_size, right_size)
            more = b.icmp_unsigned(">", left_size, right_size)
            b.ret(b.select(less, const(I32, -1), b.zext(more, I32)))
            return f

        return self._lazy("compare", build)

    @property
    def matches_at(self) -> ir.Function:
        """matches_at(text, part, offset) -> i1: part's bytes at byte `offset` of text."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.str.matches_at", I1, [PTR, PTR, I32], ["text", "part", "offset"]
            )
            text, part, offset = f.args
            b = Builder(f.entry_basic_block)
            size = self.size(b, part)
            fits = b.icmp_unsigned(
                "<=", b.zext(b.add(offset, size), I64), b.zext(self.size(b, text), I64)
            )
            with b.if_then(b.not_(fits)):
                b.ret(const(I1, 0))
            start = b.gep(self.data(b, text), [offset], source_etype=I8)
            b.ret(b.call(self.rt.bytes_equal, [start, self.data(b, part), size]))
            return f

        return self._lazy("matches_at", build)

    @property
    def contains(self) -> ir.Function:
        """contains(text, part) -> i1: `part in text` (a substring at any byte offset)."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.str.contains", I1, [PTR, PTR], ["text", "part"]
            )
            text, part = f.args
            b = Builder(f.entry_basic_block)
            index = b.alloca(I32, name="index")
            b.store(const(I32, 0), index)
            loop, body, found, next_offset, done = (
                f.append_basic_block(n) for n in ("loop", "body", "found", "next", "done")
            )
            b.branch(loop)
            b.position_at_end(loop)
            at = b.load(index)
            last = b.sub(self.size(b, text), self.size(b, part))
            b.cbranch(b.icmp_signed("<=", at, last), body, done)
            b.position_at_end(body)
            b.cbranch(b.call(self.matches_at, [text, part, at]), found, next_offset)
            b.position_at_end(found)
            b.ret(const(I1, 1))
            b.position_at_end(next_offset)
            b.store(b.add(at, const(I32, 1)), index)
            b.branch(loop)
            b.position_at_end(done)
            b.ret(const(I1, 0))
            return f

        return self._lazy("contains", build)

    @property
    def affix(self) -> ir.Function:
        """affix(text, part, at_end) -> i1: text.startswith(part) / text.endswith(part)."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.str.affix", I1, [PTR, PTR, I1], ["text", "part", "at_end"]
            )
            text, part, at_end = f.args
            b = Builder(f.entry_basic_block)
            text_size, part_size = self.size(b, text), self.size(b, part)
            with b.if_then(b.icmp_unsigned(">", part_size, text_size)):
                b.ret(const(I1, 0))
            offset = b.select(at_end, b.sub(text_size, part_size), const(I32, 0))
            b.ret(b.call(self.matches_at, [text, part, offset]))
            return f

        return self._lazy("affix", build)

    @property
    def char_at(self) -> ir.Function:
        """char_at(text, position) -> ptr: the one-code-point str at code point `position`
        (0 <= position < count, checked by the caller), or null (out of memory)."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.str.char_at", PTR, [PTR, I32], ["text", "position"]
            )
            text, position = f.args
            b = Builder(f.entry_basic_block)
            data = self.data(b, text)
            ascii_only = b.icmp_unsigned("==", self.size(b, text), self.count(b, text))
            offset = b.alloca(I32, name="offset")
            seen = b.alloca(I32, name="seen")
            b.store(position, offset)
            scan, scan_body, found = (
                f.append_basic_block(n) for n in ("scan", "scan_body", "found")
            )
            b.cbranch(ascii_only, found, scan)
            # scan: move to the lead byte of the wanted code point
            b.position_at_end(scan)
            b.store(const(I32, 0), offset)
            b.store(const(I32, -1), seen)
            b.branch(scan_body)
            b.position_at_end(scan_body)
            at = b.load(offset)
            byte = b.load(b.gep(data, [at], source_etype=I8))
            lead = b.icmp_unsigned("!=", b.and_(byte, const(I8, 0xC0)), const(I8, 0x80))
            count = b.add(b.load(seen), b.zext(lead, I32))
            b.store(count, seen)
            step = f.append_basic_block("step")
            b.cbranch(b.and_(lead, b.icmp_unsigned("==", count, position)), found, step)
            b.position_at_end(step)
            b.store(b.add(at, const(I32, 1)), offset)
            b.branch(scan_body)
            b.position_at_end(found)
            start = b.load(offset, name="start")
            first = b.zext(b.load(b.gep(data, [start], source_etype=I8)), I32)
            width = b.select(
                b.icmp_unsigned("<", first, const(I32, 0x80)),
                const(I32, 1),
                b.select(
                    b.icmp_unsigned("<", first, const(I32, 0xE0)),
                    const(I32, 2),
                    b.select(
                        b.icmp_unsigned("<", first, const(I32, 0xF0)), const(I32, 3), const(I32, 4)
                    ),
                ),
                name="width",
            )
            char = b.call(self.alloc, [width, const(I32, 1)], name="char")
            with b.if_then(b.icmp_unsigned("!=", char, ir.Constant(PTR, None))):
                self.rt.memcpy(b, self.data(b, char), b.gep(data, [start], source_etype=I8), width)
            b.ret(char)
            return f

        return self._lazy("char_at", build)

    @property
    def from_int(self) -> ir.Function:
        """from_int(value: i64) -> ptr: str(value), or null (out of memory)."""

        def build() -> ir.Function:
            f = internal_function(self.module, "molt.str.from_int", PTR, [I64], ["value"])
            (value,) = f.args
            b = Builder(f.entry_basic_block)
            # a module-level buffer, not a stack array: a local whose address is taken
            # would give every module that formats ints wasm-ld's shadow stack (and
            # longer address constants); from_int never re-enters itself
            digits_type = ir.ArrayType(I8, 20)
            digits = ir.GlobalVariable(self.module, digits_type, name="molt.str.digits")
            digits.linkage = "internal"
            digits.initializer = ir.Constant(digits_type, None)
            left = b.alloca(I32, name="left")
            rest = b.alloca(I64, name="rest")
            negative = b.icmp_signed("<", value, const(I64, 0), name="negative")
            # work with the negative magnitude, which holds INT64_MIN too
            b.store(b.select(negative, value, b.sub(const(I64, 0), value)), rest)
            b.store(const(I32, 20), left)
            loop, done = f.append_basic_block("digit"), f.append_basic_block("done")
            b.branch(loop)
            b.position_at_end(loop)
            current = b.load(rest)
            digit = b.trunc(b.sub(const(I64, 0), b.srem(current, const(I64, 10))), I8)
            position = b.sub(b.load(left), const(I32, 1))
            b.store(b.add(digit, const(I8, 0x30)), b.gep(digits, [const(I32, 0), position]))
            b.store(position, left)
            following = b.sdiv(current, const(I64, 10))
            b.store(following, rest)
            b.cbranch(b.icmp_signed("!=", following, const(I64, 0)), loop, done)
            b.position_at_end(done)
            start = b.load(left)
            length = b.sub(const(I32, 20), start)
            sign = b.zext(negative, I32)
            total = b.add(length, sign)
            text = b.call(self.alloc, [total, total], name="text")
            with b.if_then(b.icmp_unsigned("==", text, ir.Constant(PTR, None))):
                b.ret(text)
            target = self.data(b, text)
            with b.if_then(negative):
                b.store(const(I8, 0x2D), target)
            self.rt.memcpy(
                b,
                b.gep(target, [sign], source_etype=I8),
                b.gep(digits, [const(I32, 0), start]),
                length,
            )
            b.ret(text)
            return f

        return self._lazy("from_int", build)

    @property
    def change_case(self) -> ir.Function:
        """change_case(text, upper: i1) -> ptr: ASCII letters mapped to upper or lower
        case, every other code point unchanged (MOLT-L-METHOD-STR-LOWER, -UPPER)."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.str.change_case", PTR, [PTR, I1], ["text", "upper"]
            )
            text, upper = f.args
            b = Builder(f.entry_basic_block)
            size = self.size(b, text)
            result = b.call(self.alloc, [size, self.count(b, text)], name="result")
            with b.if_then(b.icmp_unsigned("==", result, ir.Constant(PTR, None))):
                b.ret(result)
            source, target = self.data(b, text), self.data(b, result)
            low = b.select(upper, const(I8, 0x61), const(I8, 0x41), name="low")
            shift = b.select(upper, const(I8, -32), const(I8, 32), name="shift")
            with counted_loop(b, size, "byte") as loop:
                byte = b.load(b.gep(source, [loop.index], source_etype=I8))
                letter = b.icmp_unsigned("<", b.sub(byte, low), const(I8, 26), name="letter")
                mapped = b.select(letter, b.add(byte, shift), byte)
                b.store(mapped, b.gep(target, [loop.index], source_etype=I8))
            b.ret(result)
            return f

        return self._lazy("change_case", build)

    @property
    def join(self) -> ir.Function:
        """join(separator, items: list[str]) -> ptr: the items with separator between."""

        def build() -> ir.Function:
            from molt.compiler.core._runtime import LIST_HEADER

            f = internal_function(
                self.module, "molt.str.join", PTR, [PTR, PTR], ["separator", "items"]
            )
            separator, items = f.args
            b = Builder(f.entry_basic_block)
            length = b.load(b.gep(items, [const(I32, 0), const(I32, 0)], source_etype=LIST_HEADER))
            data = b.load(
                b.gep(items, [const(I32, 0), const(I32, 2)], source_etype=LIST_HEADER), typ=PTR
            )
            index = b.alloca(I32, name="index")
            size = b.alloca(I64, name="total_size")
            count = b.alloca(I32, name="total_count")
            position = b.alloca(PTR, name="position")
            gaps = b.select(
                b.icmp_unsigned("==", length, const(I32, 0)), length, b.sub(length, const(I32, 1))
            )
            sep_size, sep_count = self.size(b, separator), self.count(b, separator)
            b.store(b.mul(b.zext(gaps, I64), b.zext(sep_size, I64)), size)
            b.store(b.mul(gaps, sep_count), count)
            b.store(const(I32, 0), index)
            # pass 1: sizes; pass 2: copy
            measure, measure_body, allocate = (
                f.append_basic_block(n) for n in ("measure", "measure_body", "allocate")
            )
            b.branch(measure)
            b.position_at_end(measure)
            at = b.load(index)
            b.cbranch(b.icmp_unsigned("<", at, length), measure_body, allocate)
            b.position_at_end(measure_body)
            item = b.load(b.gep(data, [at], source_etype=PTR), typ=PTR)
            b.store(b.add(b.load(size), b.zext(self.size(b, item), I64)), size)
            b.store(b.add(b.load(count), self.count(b, item)), count)
            b.store(b.add(at, const(I32, 1)), index)
            b.branch(measure)
            b.position_at_end(allocate)
            total = b.load(size)
            too_big = b.icmp_unsigned(">", total, const(I64, 0x7FFF0000))
            # a size that cannot fit in memory asks alloc for all of it: out of memory
            request = b.select(too_big, const(I32, -1), b.trunc(total, I32))
            result = b.call(self.alloc, [request, b.load(count)], name="result")
            with b.if_then(b.icmp_unsigned("==", result, ir.Constant(PTR, None))):
                b.ret(result)
            b.store(self.data(b, result), position)
            b.store(const(I32, 0), index)
            copy, copy_body, done = (f.append_basic_block(n) for n in ("copy", "copy_body", "done"))
            b.branch(copy)
            b.position_at_end(copy)
            at = b.load(index)
            b.cbranch(b.icmp_unsigned("<", at, length), copy_body, done)
            b.position_at_end(copy_body)
            with b.if_then(b.icmp_unsigned("!=", at, const(I32, 0))):
                here = b.load(position)
                self.rt.memcpy(b, here, self.data(b, separator), sep_size)
                b.store(b.gep(here, [sep_size], source_etype=I8), position)
            item = b.load(b.gep(data, [at], source_etype=PTR), typ=PTR)
            here = b.load(position)
            item_size = self.size(b, item)
            self.rt.memcpy(b, here, self.data(b, item), item_size)
            b.store(b.gep(here, [item_size], source_etype=I8), position)
            b.store(b.add(at, const(I32, 1)), index)
            b.branch(copy)
            b.position_at_end(done)
            b.ret(result)
            return f

        return self._lazy("join", build)

    # -- whitespace, strip and split (MOLT-L-METHOD-STR-STRIP, -SPLIT) --------------------

    @property
    def space_width(self) -> ir.Function:
        """space_width(at, left: i32) -> i32: the byte width of the whitespace code point
        at `at` (CPython's str.isspace()), or 0; `left` bytes remain from `at`."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.str.space_width", I32, [PTR, I32], ["at", "left"]
            )
            for attribute in ("minsize", "optsize"):
                f.attributes.add(attribute)
            at, left = f.args
            b = Builder(f.entry_basic_block)

            def byte(offset: int) -> ir.Value:
                return b.zext(b.load(b.gep(at, [const(I32, offset)], source_etype=I8)), I32)

            def between(value: ir.Value, low: int, high: int) -> ir.Value:
                return b.icmp_unsigned("<=", b.sub(value, const(I32, low)), const(I32, high - low))

            first = byte(0)
            ascii_space = b.or_(
                b.or_(between(first, 0x09, 0x0D), between(first, 0x1C, 0x1F)),
                b.icmp_unsigned("==", first, const(I32, 0x20)),
            )
            with b.if_then(ascii_space):
                b.ret(const(I32, 1))
            with b.if_then(b.icmp_unsigned("==", first, const(I32, 0xC2))):
                with b.if_then(b.icmp_unsigned(">=", left, const(I32, 2))):
                    second = byte(1)
                    two = b.or_(
                        b.icmp_unsigned("==", second, const(I32, 0x85)),
                        b.icmp_unsigned("==", second, const(I32, 0xA0)),
                    )
                    b.ret(b.select(two, const(I32, 2), const(I32, 0)))
                b.ret(const(I32, 0))
            three = b.and_(
                b.icmp_unsigned(">=", left, const(I32, 3)),
                b.or_(between(first, 0xE1, 0xE3), const(I1, 0)),
            )
            with b.if_then(b.not_(three)):
                b.ret(const(I32, 0))
            # the three-byte spaces as one number: (first << 16) | (second << 8) | third
            code = b.or_(
                b.or_(b.shl(first, const(I32, 16)), b.shl(byte(1), const(I32, 8))), byte(2)
            )
            hit = b.or_(
                b.or_(
                    b.icmp_unsigned("==", code, const(I32, 0xE19A80)),  # U+1680
                    between(code, 0xE28080, 0xE2808A),  # U+2000-U+200A
                ),
                b.or_(
                    b.or_(
                        between(code, 0xE280A8, 0xE280A9),  # U+2028, U+2029
                        b.icmp_unsigned("==", code, const(I32, 0xE280AF)),  # U+202F
                    ),
                    b.or_(
                        b.icmp_unsigned("==", code, const(I32, 0xE2819F)),  # U+205F
                        b.icmp_unsigned("==", code, const(I32, 0xE38080)),  # U+3000
                    ),
                ),
            )
            b.ret(b.select(hit, const(I32, 3), const(I32, 0)))
            return f

        return self._lazy("space_width", build)

    @property
    def strip_width(self) -> ir.Function:
        """strip_width(at, left, chars) -> i32: the width of the code point at `at` when it
        is to be stripped (whitespace when chars is null, else a code point of chars)."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.str.strip_width", I32, [PTR, I32, PTR], ["at", "left", "chars"]
            )
            at, left, chars = f.args
            b = Builder(f.entry_basic_block)
            with b.if_then(b.icmp_unsigned("==", chars, ir.Constant(PTR, None))):
                b.ret(b.call(self.space_width, [at, left]))
            width = b.call(self.point_width, [at], name="width")
            index = b.alloca(I32, name="index")
            b.store(const(I32, 0), index)
            data, size = self.data(b, chars), self.size(b, chars)
            loop, body, done, found, step = (
                f.append_basic_block(n) for n in ("loop", "body", "done", "found", "step")
            )
            b.branch(loop)
            b.position_at_end(loop)
            offset = b.load(index)
            room = b.icmp_unsigned("<=", b.add(offset, width), size)
            b.cbranch(room, body, done)
            b.position_at_end(body)
            same = b.call(self.rt.bytes_equal, [b.gep(data, [offset], source_etype=I8), at, width])
            b.cbranch(same, found, step)
            b.position_at_end(step)
            b.store(b.add(offset, const(I32, 1)), index)
            b.branch(loop)
            b.position_at_end(found)
            b.ret(width)
            b.position_at_end(done)
            b.ret(const(I32, 0))
            return f

        return self._lazy("strip_width", build)

    @property
    def point_width(self) -> ir.Function:
        """point_width(at) -> i32: the byte width of the code point whose lead byte is at `at`."""

        def build() -> ir.Function:
            f = internal_function(self.module, "molt.str.point_width", I32, [PTR], ["at"])
            (at,) = f.args
            b = Builder(f.entry_basic_block)
            first = b.zext(b.load(at, typ=I8), I32)
            b.ret(
                b.select(
                    b.icmp_unsigned("<", first, const(I32, 0x80)),
                    const(I32, 1),
                    b.select(
                        b.icmp_unsigned("<", first, const(I32, 0xE0)),
                        const(I32, 2),
                        b.select(
                            b.icmp_unsigned("<", first, const(I32, 0xF0)),
                            const(I32, 3),
                            const(I32, 4),
                        ),
                    ),
                )
            )
            return f

        return self._lazy("point_width", build)

    @property
    def substring(self) -> ir.Function:
        """substring(text, start, end) -> ptr: the bytes [start, end) (code point
        boundaries) as a new str, or null (out of memory)."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.str.substring", PTR, [PTR, I32, I32], ["text", "start", "end"]
            )
            text, start, end = f.args
            b = Builder(f.entry_basic_block)
            source = b.gep(self.data(b, text), [start], source_etype=I8)
            size = b.sub(end, start, name="size")
            count = b.call(self.count_points, [source, size])
            result = b.call(self.alloc, [size, count], name="result")
            with b.if_then(b.icmp_unsigned("!=", result, ir.Constant(PTR, None))):
                self.rt.memcpy(b, self.data(b, result), source, size)
            b.ret(result)
            return f

        return self._lazy("substring", build)

    @property
    def strip(self) -> ir.Function:
        """strip(text, chars) -> ptr: text without leading and trailing whitespace (chars
        null) or code points of chars; null when out of memory."""

        def build() -> ir.Function:
            f = internal_function(self.module, "molt.str.strip", PTR, [PTR, PTR], ["text", "chars"])
            text, chars = f.args
            b = Builder(f.entry_basic_block)
            data, size = self.data(b, text), self.size(b, text)
            start = b.alloca(I32, name="start")
            end = b.alloca(I32, name="end")
            b.store(const(I32, 0), start)
            b.store(size, end)
            front, front_body, back, back_body, back_step, done = (
                f.append_basic_block(n)
                for n in ("front", "front_body", "back", "back_body", "back_step", "done")
            )
            b.branch(front)
            b.position_at_end(front)
            at = b.load(start)
            b.cbranch(b.icmp_unsigned("<", at, size), front_body, back)
            b.position_at_end(front_body)
            width = b.call(
                self.strip_width, [b.gep(data, [at], source_etype=I8), b.sub(size, at), chars]
            )
            b.store(b.add(at, width), start)
            b.cbranch(b.icmp_unsigned("==", width, const(I32, 0)), back, front)
            # from the end: find the lead byte of the last code point, test it
            b.position_at_end(back)
            first = b.load(start)
            last = b.load(end)
            b.cbranch(b.icmp_unsigned(">", last, first), back_body, done)
            b.position_at_end(back_body)
            position = b.sub(last, const(I32, 1))
            b.store(position, end)
            b.branch(back_step)
            b.position_at_end(back_step)
            cursor = b.load(end)
            byte = b.load(b.gep(data, [cursor], source_etype=I8))
            continuation = b.icmp_unsigned("==", b.and_(byte, const(I8, 0xC0)), const(I8, 0x80))
            test = f.append_basic_block("back_test")
            back_up = f.append_basic_block("back_up")
            b.cbranch(continuation, back_up, test)
            b.position_at_end(back_up)
            b.store(b.sub(cursor, const(I32, 1)), end)
            b.branch(back_step)
            b.position_at_end(test)
            width = b.call(
                self.strip_width,
                [b.gep(data, [cursor], source_etype=I8), b.sub(last, cursor), chars],
            )
            keep = f.append_basic_block("keep")
            b.cbranch(b.icmp_unsigned("==", width, const(I32, 0)), keep, back)
            b.position_at_end(keep)
            b.store(last, end)
            b.branch(done)
            b.position_at_end(done)
            b.ret(b.call(self.substring, [text, b.load(start), b.load(end)]))
            return f

        return self._lazy("strip", build)

    def _append(self, b: ir.IRBuilder, items: ir.Value, value: ir.Value) -> ir.Value:
        """Append str `value` to list `items`; i1 false when out of memory."""
        rt = self.rt
        length = b.load(rt.list_field(b, items, 0, "length_field"), typ=I32)
        reserved = b.call(rt.list_reserve, [items, b.add(length, const(I32, 1)), const(I32, 4)])
        with b.if_then(reserved):
            data = b.load(rt.list_field(b, items, 2, "items_field"), typ=PTR)
            b.store(value, b.gep(data, [length], source_etype=PTR))
            b.store(b.add(length, const(I32, 1)), rt.list_field(b, items, 0, "length_field"))
        return reserved

    @property
    def split(self) -> ir.Function:
        """split(text, separator) -> ptr: a list[str]; at runs of whitespace (separator
        null, empty pieces dropped) or at every occurrence of a non-empty separator."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.str.split", PTR, [PTR, PTR], ["text", "separator"]
            )
            text, separator = f.args
            null = ir.Constant(PTR, None)
            b = Builder(f.entry_basic_block)
            data, size = self.data(b, text), self.size(b, text)
            whitespace = b.icmp_unsigned("==", separator, null, name="whitespace")
            piece = b.alloca(I32, name="piece")
            cursor = b.alloca(I32, name="cursor")
            items = b.call(self.rt.list_new, [const(I32, 0), const(I32, 4)], name="items")
            with b.if_then(b.icmp_unsigned("==", items, null)):
                b.ret(null)
            b.store(const(I32, 0), piece)
            b.store(const(I32, 0), cursor)
            # block layout: scan -> probe (a separator at cursor?) -> cut | advance;
            # finish appends the last piece
            scan, probe, cut, advance, finish = (
                f.append_basic_block(n) for n in ("scan", "probe", "cut", "advance", "finish")
            )
            b.branch(scan)
            b.position_at_end(scan)
            at = b.load(cursor)
            b.cbranch(b.icmp_unsigned("<", at, size), probe, finish)
            b.position_at_end(probe)
            here = b.gep(data, [at], source_etype=I8)
            space = b.call(self.space_width, [here, b.sub(size, at)])
            # with whitespace, the separator stands in as text itself (never used)
            pattern = b.select(whitespace, text, separator, name="pattern")
            sep_size = self.size(b, pattern)
            matched = b.select(
                whitespace,
                b.icmp_unsigned("!=", space, const(I32, 0)),
                b.call(self.matches_at, [text, pattern, at]),
            )
            width = b.select(whitespace, space, sep_size, name="width")
            b.cbranch(matched, cut, advance)
            b.position_at_end(cut)
            start = b.load(piece)
            nonempty = b.icmp_unsigned("<", start, at)
            keep = b.or_(b.not_(whitespace), nonempty)
            with b.if_then(keep):
                part = b.call(self.substring, [text, start, at], name="part")
                with b.if_then(b.icmp_unsigned("==", part, null)):
                    b.ret(null)
                with b.if_then(b.not_(self._append(b, items, part))):
                    b.ret(null)
            following = b.add(at, width)
            b.store(following, piece)
            b.store(following, cursor)
            b.branch(scan)
            b.position_at_end(advance)
            b.store(b.add(at, const(I32, 1)), cursor)
            b.branch(scan)
            b.position_at_end(finish)
            start = b.load(piece)
            keep = b.or_(b.not_(whitespace), b.icmp_unsigned("<", start, size))
            with b.if_then(keep):
                part = b.call(self.substring, [text, start, size], name="last")
                with b.if_then(b.icmp_unsigned("==", part, null)):
                    b.ret(null)
                with b.if_then(b.not_(self._append(b, items, part))):
                    b.ret(null)
            b.ret(items)
            return f

        return self._lazy("split", build)
