"""The minimal core of every module: memory, error state, output, lists, numbers.

Everything is emitted into the module's LLVM IR (there is no libc, and the
module imports nothing). Each helper is built on first use, so a module only
carries what its code needs. Layout of linear memory (spec/abi.yaml `arena`):

    [0, __heap_base)          wasm-ld's stack (first, so an overflow traps) and data
    [input.base, input.end)   the input buffer molt_alloc reserves; it starts at the
                              (16-aligned) heap base, so a bigger one reuses the space
    [arena.base, ...)         the per-call arena: a bump allocator reset by every
                              molt_call_*, growing memory with memory.grow

Errors: a failing operation records its registry code, message template, text
slots, source position and arguments in the `molt.err.*` globals and its
function returns at once, with a failure flag beside its value (generated
functions; see `lower._emitter`) or a null/false result (core helpers); callers
test that and return in turn, so the error unwinds to the export, which checks
`molt.err.code` and renders the error map. Out of memory is recorded with the template null: the
export then returns the constant MOLT-E-OUT-OF-MEMORY map, which needs no memory.
"""

from __future__ import annotations

from collections.abc import Callable

from llvmlite import ir

from molt.compiler.core._llvm import (
    F64,
    I1,
    I8,
    I32,
    I64,
    PTR,
    VOID,
    Builder,
    Strings,
    const,
    internal_function,
    intrinsic,
    memory_class,
    tag_call,
)
from molt.compiler.core._loops import counted_loop
from molt.compiler.core._messages import HOLE, TEXT_SLOTS, registry_template

__all__ = ["LIST_HEADER", "LIST_HEADER_BYTES", "LIST_HEADER_MEMORY", "LIST_ITEMS_MEMORY", "Runtime"]

LIST_HEADER = ir.LiteralStructType([I32, I32, PTR])
"""A list: {length, capacity, items}; the items are a separate arena block."""
LIST_HEADER_BYTES = 12
LIST_HEADER_MEMORY = "list header"
"""The memory class (TBAA) of list headers."""
LIST_ITEMS_MEMORY = "list items"
"""The memory class of list items; items of one LLVM type are its subclass
"list items/TYPE", so a memcpy tagged with it may touch items of any type."""

ERROR_KIND = ir.LiteralStructType([PTR] * (2 + TEXT_SLOTS))
"""An error's constant part: code, message template and the text slots."""

_LIST_BLOCK = 16
"""Bytes before the first item of a list's first block (the header, 8-aligned)."""

INT64_MIN = -(1 << 63)
TWO_63 = 9223372036854775808.0


class Runtime:
    """The core helpers of one LLVM module, built on first use."""

    def __init__(self, module: ir.Module, strings: Strings, *, filename: str, path_depth: int):
        self.module = module
        self.strings = strings
        self.filename = filename
        self._functions: dict[str, ir.Function] = {}
        self._kinds: dict[tuple[str, tuple[tuple[str, bytes], ...]], ir.GlobalVariable] = {}
        self.render_holes: frozenset[int] | None = None
        """The hole selectors `render` handles, once it is built."""
        g = self._global
        self.input_base = g("molt.input.base", PTR)
        self.input_end = g("molt.input.end", PTR)
        self.arena_base = g("molt.arena.base", PTR)
        self.arena_top = g("molt.arena.top", PTR)
        self.err_code = g("molt.err.code", PTR)
        """The failing code's name (NUL-terminated), or null while nothing failed."""
        self.err_template = g("molt.err.template", PTR)
        self.err_slots = g("molt.err.slots", ir.ArrayType(PTR, TEXT_SLOTS))
        self.err_args = g("molt.err.args", ir.ArrayType(I64, 4))
        self.err_line = g("molt.err.line", I32)
        self.err_column = g("molt.err.column", I32)
        self.err_path_depth = g("molt.err.path_depth", I32)
        depth = max(1, path_depth)
        self.path_name = g("molt.path.name", ir.ArrayType(PTR, depth))
        self.path_len = g("molt.path.len", ir.ArrayType(I32, depth))
        self.path_index = g("molt.path.index", ir.ArrayType(I64, depth))
        self.decode_depth = g("molt.decode.depth", I32)
        self.out_pos = g("molt.out.pos", PTR)
        self.out_failed = g("molt.out.failed", I32)
        self.in_base = g("molt.in.base", PTR)
        self.in_pos = g("molt.in.pos", PTR)
        self.in_end = g("molt.in.end", PTR)
        self.head_value = g("molt.head.value", I64)
        self.head_float = g("molt.head.float", F64)
        self.head_str = g("molt.head.str", PTR)
        heap = ir.GlobalVariable(module, I8, name="__heap_base")
        heap.linkage = "external"
        self.heap_base = heap
        self.oom_code = strings.cstr("MOLT-E-OUT-OF-MEMORY")
        self._define_multi3()

    def _define_multi3(self) -> None:
        """compiler-rt's `__multi3` (the low 128 bits of a 128-bit product).

        LLVM's optimizer may replace a loop that sums an arithmetic series by its
        closed form, computed in 128-bit integers (when it has proven the sum fits),
        and wasm32 has no 128-bit multiply: the code generator then calls
        `__multi3`, which a module that imports nothing must define itself.
        wasm-ld drops it from modules that do not call it. Multiplied out from
        32-bit halves; `optnone` keeps LLVM from turning it back into a 128-bit
        multiply, which would call itself.
        """
        i128 = ir.IntType(128)
        f = ir.Function(self.module, ir.FunctionType(i128, [i128, i128]), name="__multi3")
        f.attributes.add("noinline")
        f.attributes.add("optnone")
        a, c = f.args
        a.name, c.name = "a", "b"
        b = Builder(f.append_basic_block("entry"))
        mask, half = const(I64, 0xFFFF_FFFF), const(I64, 32)
        a_lo, c_lo = b.trunc(a, I64), b.trunc(c, I64)
        a_hi = b.trunc(b.lshr(a, ir.Constant(i128, 64)), I64)
        c_hi = b.trunc(b.lshr(c, ir.Constant(i128, 64)), I64)
        x0, x1 = b.and_(a_lo, mask), b.lshr(a_lo, half)
        y0, y1 = b.and_(c_lo, mask), b.lshr(c_lo, half)
        p00, p01 = b.mul(x0, y0), b.mul(x0, y1)
        p10, p11 = b.mul(x1, y0), b.mul(x1, y1)
        middle = b.add(b.add(b.lshr(p00, half), b.and_(p01, mask)), b.and_(p10, mask))
        low = b.or_(b.shl(middle, half), b.and_(p00, mask))
        high = b.add(b.add(p11, b.lshr(p01, half)), b.add(b.lshr(p10, half), b.lshr(middle, half)))
        high = b.add(high, b.add(b.mul(a_lo, c_hi), b.mul(a_hi, c_lo)))
        wide_high = b.shl(b.zext(high, i128), ir.Constant(i128, 64))
        b.ret(b.or_(wide_high, b.zext(low, i128)))

    def _global(self, name: str, kind: ir.Type) -> ir.GlobalVariable:
        """Module state, in linear memory.

        (Not in wasm globals, LLVM's address space 1: LLVM 22's wasm backend folds an
        extension of such a load into a memory load at the global's symbol, which is
        wrong code.)
        """
        variable = ir.GlobalVariable(self.module, kind, name=name)
        variable.linkage = "internal"
        variable.initializer = ir.Constant(kind, None)
        return variable

    def _lazy(self, name: str, build: Callable[[], ir.Function]) -> ir.Function:
        function = self._functions.get(name)
        if function is None:
            function = build()
            self._functions[name] = function
        return function

    # -- small instruction helpers ----------------------------------------------------

    def memory_bytes(self, b: ir.IRBuilder) -> ir.Value:
        """The current size of linear memory in bytes, as i64."""
        size = b.call(
            intrinsic(self.module, "llvm.wasm.memory.size.i32", I32, [I32]), [const(I32, 0)]
        )
        return b.shl(b.zext(size, I64), const(I64, 16), name="memory_bytes")

    def address(self, b: ir.IRBuilder, pointer: ir.Value, name: str = "") -> ir.Value:
        return b.zext(b.ptrtoint(pointer, I32), I64, name=name)

    def pointer(self, b: ir.IRBuilder, address: ir.Value, name: str = "") -> ir.Value:
        return b.inttoptr(b.trunc(address, I32), PTR, name=name)

    def memcpy(
        self,
        b: ir.IRBuilder,
        dst: ir.Value,
        src: ir.Value,
        size: ir.Value,
        memory: str | None = None,
    ) -> None:
        """Copy `size` bytes (the ranges may overlap); `memory` is the memory class of
        both ranges when they are all of one class (see `memory_class`)."""
        move = intrinsic(self.module, "llvm.memmove.p0.p0.i32", VOID, [PTR, PTR, I32, I1])
        call = b.call(move, [dst, src, size, const(I1, 0)])
        if memory is not None:
            tag_call(call, memory)

    def output_failed(self, b: ir.IRBuilder) -> ir.Value:
        """Whether writing the output ran out of memory."""
        flag = b.load(self.out_failed, name="out_failed")
        return b.icmp_unsigned("!=", flag, const(I32, 0))

    def failed(self, b: ir.IRBuilder) -> ir.Value:
        """Whether an error is recorded (after a call of something that can fail)."""
        code = b.load(self.err_code, name="err_code")
        return b.icmp_unsigned("!=", code, ir.Constant(PTR, None), name="failed")

    def code_and_template(
        self, code: str, **fixed: str
    ) -> tuple[ir.Value, ir.Value, tuple[str, ...]]:
        template = registry_template(code, file=self.filename, **fixed)
        return self.strings.cstr(code), self.strings.cstr(template.template), template.slots

    # -- memory (spec/abi.yaml `arena`) --------------------------------------------------

    @property
    def grow_to(self) -> ir.Function:
        """grow_to(end: i64) -> i1: make memory at least `end` bytes long; 0 if it cannot."""

        def build() -> ir.Function:
            f = internal_function(self.module, "molt.grow_to", I1, [I64], ["end"], cold=True)
            (end,) = f.args
            b = Builder(f.entry_basic_block)
            # entry -> grow -> (exact) -> done | fail
            have = self.memory_bytes(b)
            fits = b.icmp_unsigned("<=", end, have, name="fits")
            grow_block = f.append_basic_block("grow")
            exact_block = f.append_basic_block("exact")
            done = f.append_basic_block("done")
            fail = f.append_basic_block("fail")
            b.cbranch(fits, done, grow_block)
            b.position_at_end(grow_block)
            too_big = b.icmp_unsigned(">", end, const(I64, 0xFFFF_0000), name="too_big")
            pages = b.lshr(b.add(b.sub(end, have), const(I64, 0xFFFF)), const(I64, 16))
            have_pages = b.lshr(have, const(I64, 16))
            headroom = b.select(
                b.icmp_unsigned("<", have_pages, const(I64, 1024)), have_pages, const(I64, 1024)
            )
            wanted = b.select(b.icmp_unsigned(">", pages, headroom), pages, headroom)
            memory_grow = intrinsic(self.module, "llvm.wasm.memory.grow.i32", I32, [I32, I32])
            ok_block = f.append_basic_block("try_headroom")
            b.cbranch(too_big, fail, ok_block)
            b.position_at_end(ok_block)
            got = b.call(memory_grow, [const(I32, 0), b.trunc(wanted, I32)], name="grown")
            b.cbranch(b.icmp_signed("!=", got, const(I32, -1)), done, exact_block)
            b.position_at_end(exact_block)
            got = b.call(memory_grow, [const(I32, 0), b.trunc(pages, I32)], name="grown_exact")
            b.cbranch(b.icmp_signed("!=", got, const(I32, -1)), done, fail)
            b.position_at_end(done)
            b.ret(const(I1, 1))
            b.position_at_end(fail)
            b.ret(const(I1, 0))
            return f

        return self._lazy("grow_to", build)

    @property
    def alloc(self) -> ir.Function:
        """alloc(size: i64) -> ptr: 8-aligned arena memory, or null with MOLT-E-OUT-OF-MEMORY."""

        def build() -> ir.Function:
            f = internal_function(self.module, "molt.alloc", PTR, [I64], ["size"])
            f.attributes.add("noinline")
            # like malloc's: the block is fresh, so what the caller stores in it (a
            # list's header, say) stays known across later allocations
            f.return_value.add_attribute("noalias")
            (size,) = f.args
            b = Builder(f.entry_basic_block)
            top = self.address(b, b.load(self.arena_top), "top")
            start = b.and_(b.add(top, const(I64, 7)), const(I64, -8), name="start")
            end = b.add(start, size, name="end")
            grow = f.append_basic_block("grow")
            take = f.append_basic_block("take")
            oom = f.append_basic_block("out_of_memory")
            fits = b.icmp_unsigned("<=", end, self.memory_bytes(b))
            b.cbranch(fits, take, grow)
            b.position_at_end(grow)
            b.cbranch(b.call(self.grow_to, [end]), take, oom)
            b.position_at_end(take)
            b.store(self.pointer(b, end), self.arena_top)
            b.ret(self.pointer(b, start, "block"))
            b.position_at_end(oom)
            self.record_out_of_memory(b)
            b.ret(ir.Constant(PTR, None))
            return f

        return self._lazy("alloc", build)

    def record_out_of_memory(self, b: ir.IRBuilder) -> None:
        b.store(self.oom_code, self.err_code)
        b.store(ir.Constant(PTR, None), self.err_template)

    # -- errors ------------------------------------------------------------------------------

    @property
    def fail(self) -> ir.Function:
        """fail(kind, line, column, a0, a1): record a runtime error of `kind` (see error_kind)."""

        def build() -> ir.Function:
            names = ["kind", "line", "column", "a0", "a1"]
            params = [PTR, I32, I32, I64, I64]
            f = internal_function(self.module, "molt.fail", VOID, params, names, cold=True)
            b = Builder(f.entry_basic_block)
            kind, line, column, a0, a1 = f.args
            fields = [
                b.load(b.gep(kind, [const(I32, 0), const(I32, i)], source_etype=ERROR_KIND))
                for i in range(2 + TEXT_SLOTS)
            ]
            self._record(b, fields[0], fields[1], tuple(fields[2:]), (a0, a1))
            b.store(line, self.err_line)
            b.store(column, self.err_column)
            b.store(const(I32, -1), self.err_path_depth)
            b.ret_void()
            return f

        return self._lazy("fail", build)

    def error_kind(self, code: str, texts: dict[str, bytes]) -> ir.GlobalVariable:
        """The constant record {code, template, slot0..2} of an error, shared by its sites."""
        key = (code, tuple(sorted(texts.items())))
        found = self._kinds.get(key)
        if found is not None:
            return found
        code_ptr, template, slots = self.code_and_template(code)
        slot_values = [ir.Constant(PTR, None)] * TEXT_SLOTS
        for index, field in enumerate(slots):
            slot_values[index] = self.strings.cstr(texts[field])
        record = ir.GlobalVariable(
            self.module, ERROR_KIND, name=f"molt.error_kind.{len(self._kinds)}"
        )
        record.linkage = "private"
        record.global_constant = True
        record.initializer = ir.Constant(ERROR_KIND, [code_ptr, template, *slot_values])
        self._kinds[key] = record
        return record

    @property
    def fail_decode(self) -> ir.Function:
        """fail_decode(code, template, slot0, slot1, a0..a3): an input error at the decode path."""

        def build() -> ir.Function:
            names = ["code", "template", "slot0", "slot1", "a0", "a1", "a2", "a3"]
            params = [PTR, PTR, PTR, PTR, I64, I64, I64, I64]
            f = internal_function(self.module, "molt.fail_decode", VOID, params, names, cold=True)
            b = Builder(f.entry_basic_block)
            code, template, s0, s1, a0, a1, a2, a3 = f.args
            self._record(b, code, template, (s0, s1, ir.Constant(PTR, None)), (a0, a1, a2, a3))
            b.store(b.load(self.decode_depth), self.err_path_depth)
            b.ret_void()
            return f

        return self._lazy("fail_decode", build)

    def _record(
        self,
        b: ir.IRBuilder,
        code: ir.Value,
        template: ir.Value,
        slots: tuple[ir.Value, ...],
        args: tuple[ir.Value, ...],
    ) -> None:
        b.store(code, self.err_code)
        b.store(template, self.err_template)
        for index, slot in enumerate(slots):
            b.store(slot, b.gep(self.err_slots, [const(I32, 0), const(I32, index)]))
        for index, arg in enumerate(args):
            b.store(arg, b.gep(self.err_args, [const(I32, 0), const(I32, index)]))

    def raise_error(
        self,
        b: ir.IRBuilder,
        code: str,
        texts: dict[str, bytes],
        line: int,
        column: int,
        args: tuple[ir.Value, ...] = (),
    ) -> None:
        """Emit the recording of runtime error `code`.

        `texts` fills the registry template's text fields, each itself a template
        (`_messages.detail_template` or `text_template`); `args` are a0 and a1.
        """
        kind = self.error_kind(code, texts)
        padded = list(args) + [const(I64, 0)] * (2 - len(args))
        b.call(self.fail, [kind, const(I32, line), const(I32, column), *padded])

    # -- output: the bytes a call returns ------------------------------------------------

    @property
    def out_ensure(self) -> ir.Function:
        """out_ensure(n: i64) -> i1: room for n more output bytes, else out.failed is set."""

        def build() -> ir.Function:
            f = internal_function(self.module, "molt.out.ensure", I1, [I64], ["size"])
            for attribute in ("noinline", "minsize", "optsize"):
                f.attributes.add(attribute)
            (size,) = f.args
            b = Builder(f.entry_basic_block)
            end = b.add(self.address(b, b.load(self.out_pos)), size, name="end")
            fits = b.icmp_unsigned("<=", end, self.memory_bytes(b))
            yes = f.append_basic_block("yes")
            grow = f.append_basic_block("grow")
            no = f.append_basic_block("no")
            b.cbranch(fits, yes, grow)
            b.position_at_end(grow)
            b.cbranch(b.call(self.grow_to, [end]), yes, no)
            b.position_at_end(yes)
            b.ret(const(I1, 1))
            b.position_at_end(no)
            b.store(const(I32, 1), self.out_failed)
            b.ret(const(I1, 0))
            return f

        return self._lazy("out_ensure", build)

    def emit_bytes(self, b: ir.IRBuilder, at: ir.Value, data: list[ir.Value]) -> ir.Value:
        """Store i8 values at `at`, `at+1`, ...; returns the position after them."""
        for offset, value in enumerate(data):
            b.store(value, b.gep(at, [const(I32, offset)], source_etype=I8))
        return b.gep(at, [const(I32, len(data))], source_etype=I8)

    def store_be(self, b: ir.IRBuilder, at: ir.Value, value: ir.Value, width: int) -> None:
        """Store the low `width` bytes of i64 `value` big-endian at `at` (unaligned)."""
        kind = ir.IntType(width * 8)
        narrow = b.trunc(value, kind) if width < 8 else value
        if width > 1:
            swap = intrinsic(self.module, f"llvm.bswap.i{width * 8}", kind, [kind])
            narrow = b.call(swap, [narrow])
        b.store(narrow, at, align=1)

    @property
    def out_byte(self) -> ir.Function:
        """out_byte(value: i8): append one byte."""

        def build() -> ir.Function:
            f = internal_function(self.module, "molt.out.byte", VOID, [I8], ["value"], cold=True)
            b = Builder(f.entry_basic_block)
            with b.if_then(b.call(self.out_ensure, [const(I64, 1)])):
                at = b.load(self.out_pos)
                b.store(self.emit_bytes(b, at, [f.args[0]]), self.out_pos)
            b.ret_void()
            return f

        return self._lazy("out_byte", build)

    @property
    def out_copy(self) -> ir.Function:
        """out_copy(src: ptr, size: i32): append `size` bytes from `src`."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.out.copy", VOID, [PTR, I32], ["src", "size"], cold=True
            )
            src, size = f.args
            b = Builder(f.entry_basic_block)
            with b.if_then(b.call(self.out_ensure, [b.zext(size, I64)])):
                at = b.load(self.out_pos)
                self.memcpy(b, at, src, size)
                b.store(b.gep(at, [size], source_etype=I8), self.out_pos)
            b.ret_void()
            return f

        return self._lazy("out_copy", build)

    @property
    def strlen(self) -> ir.Function:
        def build() -> ir.Function:
            f = internal_function(self.module, "molt.strlen", I32, [PTR], ["text"], cold=True)
            b = Builder(f.entry_basic_block)
            loop = f.append_basic_block("loop")
            done = f.append_basic_block("done")
            b.branch(loop)
            b.position_at_end(loop)
            index = b.phi(I32, name="index")
            index.add_incoming(const(I32, 0), f.entry_basic_block)
            byte = b.load(b.gep(f.args[0], [index], source_etype=I8))
            index.add_incoming(b.add(index, const(I32, 1)), loop)
            b.cbranch(b.icmp_unsigned("==", byte, const(I8, 0)), done, loop)
            b.position_at_end(done)
            b.ret(index)
            return f

        return self._lazy("strlen", build)

    @property
    def out_decimal(self) -> ir.Function:
        """out_decimal(value: i64, signed: i1): append the decimal digits of `value`."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.out.decimal", VOID, [I64, I1], ["value", "signed"], cold=True
            )
            value, signed = f.args
            b = Builder(f.entry_basic_block)
            # the digits from the last one back into a buffer, then a copy of them
            buffer_type = ir.ArrayType(I8, 20)
            buffer = ir.GlobalVariable(self.module, buffer_type, name="molt.decimal.buffer")
            buffer.linkage = "internal"
            buffer.initializer = ir.Constant(buffer_type, None)
            end = b.gep(buffer, [const(I32, 0), const(I32, 20)], name="end")
            negative = b.and_(signed, b.icmp_signed("<", value, const(I64, 0)), name="negative")
            magnitude = b.select(negative, b.sub(const(I64, 0), value), value, name="magnitude")
            with b.if_then(negative):
                b.call(self.out_byte, [const(I8, ord("-"))])
            entry = b.block
            loop = f.append_basic_block("digit")
            done = f.append_basic_block("done")
            b.branch(loop)
            b.position_at_end(loop)
            at = b.phi(PTR, name="at")
            left = b.phi(I64, name="left")
            at.add_incoming(end, entry)
            left.add_incoming(magnitude, entry)
            before = b.gep(at, [const(I32, -1)], source_etype=I8, name="before")
            digit = b.trunc(b.urem(left, const(I64, 10)), I8)
            b.store(b.add(digit, const(I8, ord("0"))), before)
            rest = b.udiv(left, const(I64, 10), name="rest")
            at.add_incoming(before, loop)
            left.add_incoming(rest, loop)
            b.cbranch(b.icmp_unsigned("==", rest, const(I64, 0)), done, loop)
            b.position_at_end(done)
            size = b.sub(b.ptrtoint(end, I32), b.ptrtoint(before, I32), name="size")
            b.call(self.out_copy, [before, size])
            b.ret_void()
            return f

        return self._lazy("out_decimal", build)

    # -- rendering error messages ----------------------------------------------------------

    @property
    def render(self) -> ir.Function:
        """render(template: ptr, export: ptr): append a message template with its holes filled.

        Build it after every template exists: it handles only the holes they have.
        """

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.render", VOID, [PTR, PTR], ["template", "export"], cold=True
            )
            template, export = f.args
            b = Builder(f.entry_basic_block)
            # loop: byte == 0 -> done; byte == HOLE -> hole (switch on the selector);
            # anything else -> literal
            loop = f.append_basic_block("loop")
            literal = f.append_basic_block("literal")
            hole = f.append_basic_block("hole")
            next_block = f.append_basic_block("next")
            done = f.append_basic_block("done")
            b.branch(loop)
            b.position_at_end(loop)
            at = b.phi(PTR, name="at")
            at.add_incoming(template, f.entry_basic_block)
            byte = b.load(at, name="byte", typ=I8)
            after = b.gep(at, [const(I32, 1)], source_etype=I8, name="after")
            is_end = b.icmp_unsigned("==", byte, const(I8, 0))
            is_hole = b.icmp_unsigned("==", byte, const(I8, HOLE))
            check_hole = f.append_basic_block("check_hole")
            b.cbranch(is_end, done, check_hole)
            b.position_at_end(check_hole)
            b.cbranch(is_hole, hole, literal)
            b.position_at_end(literal)
            b.call(self.out_byte, [byte])
            b.branch(next_block)
            b.position_at_end(hole)
            selector = b.zext(b.load(after, name="selector", typ=I8), I32)
            hole_end = b.gep(at, [const(I32, 2)], source_etype=I8)
            filled = f.append_basic_block("filled")
            switch = b.switch(selector, filled)
            # only the holes some string of the module has (the renderer is built last);
            # selectors that differ only in an index share one block
            used = self.strings.hole_selectors()
            self.render_holes = used
            zero = const(I32, 0)

            def case(values: tuple[int, ...], name: str) -> bool:
                present = [value for value in values if value in used]
                if not present:
                    return False
                block = f.append_basic_block(name)
                for value in present:
                    switch.add_case(const(I32, value), block)
                b.position_at_end(block)
                return True

            if case((0x00,), "nul"):
                b.call(self.out_byte, [const(I8, 0)])
                b.branch(filled)
            if case((0x01, 0x02, 0x03, 0x04, 0x11, 0x12, 0x13, 0x14), "argument"):
                # 0x01-0x04 signed, 0x11-0x14 unsigned
                index = b.sub(b.and_(selector, const(I32, 15)), const(I32, 1), name="index")
                signed = b.icmp_unsigned("<", selector, const(I32, 0x10), name="signed")
                value = b.load(b.gep(self.err_args, [zero, index]), name="value")
                b.call(self.out_decimal, [value, signed])
                b.branch(filled)
            if case((0x20,), "path"):
                b.call(self.render_path, [])
                b.branch(filled)
            if case((0x21,), "export"):
                b.call(self.out_copy, [export, b.call(self.strlen, [export])])
                b.branch(filled)
            if case((0x22,), "file"):
                name = self.strings.cstr(self.filename)
                b.call(self.out_copy, [name, const(I32, len(self.filename.encode("utf-8")))])
                b.branch(filled)
            if case((0x23, 0x24), "line_or_column"):
                is_line = b.icmp_unsigned("==", selector, const(I32, 0x23))
                number = b.select(is_line, b.load(self.err_line), b.load(self.err_column))
                b.call(self.out_decimal, [b.zext(number, I64), const(I1, 0)])
                b.branch(filled)
            if case((0x25,), "last_key"):
                last = b.sub(b.load(self.err_path_depth), const(I32, 1), name="last")
                key = b.load(b.gep(self.path_name, [zero, last]), name="key")
                key_length = b.load(b.gep(self.path_len, [zero, last]), name="key_length")
                b.call(self.out_copy, [key, key_length])
                b.branch(filled)
            if case((0x26,), "repr0"):
                first = b.load(b.gep(self.err_args, [zero, zero]))
                b.call(self.out_repr, [b.inttoptr(b.trunc(first, I32), PTR)])
                b.branch(filled)
            if case((0x27,), "text0"):  # a str: {i32 size, i32 count} and its UTF-8 bytes
                first = b.load(b.gep(self.err_args, [zero, zero]))
                text = b.inttoptr(b.trunc(first, I32), PTR)
                size = b.load(text, typ=I32, name="text_size")
                data = b.gep(text, [const(I32, 8)], source_etype=I8)
                b.call(self.out_copy, [data, size])
                b.branch(filled)
            if case(tuple(0x30 + index for index in range(TEXT_SLOTS)), "slot"):
                index = b.sub(selector, const(I32, 0x30), name="slot_index")
                text = b.load(b.gep(self.err_slots, [zero, index]), name="text")
                b.call(f, [text, export])
                b.branch(filled)
            b.position_at_end(filled)
            b.branch(next_block)
            b.position_at_end(next_block)
            following = b.phi(PTR, name="following")
            following.add_incoming(after, literal)
            following.add_incoming(hole_end, filled)
            at.add_incoming(following, next_block)
            b.branch(loop)
            b.position_at_end(done)
            b.ret_void()
            return f

        return self._lazy("render", build)

    @property
    def out_repr(self) -> ir.Function:
        """out_repr(text): append a str as Python's repr() quotes it: in '...' unless it
        holds ' and no ", with \\, the quote, \\n, \\r, \\t and other ASCII control
        bytes escaped (other code points are written as they are)."""

        def build() -> ir.Function:
            f = internal_function(self.module, "molt.out.repr", VOID, [PTR], ["text"], cold=True)
            (text,) = f.args
            b = Builder(f.entry_basic_block)
            size = b.load(text, typ=I32, name="size")
            data = b.gep(text, [const(I32, 8)], source_etype=I8, name="data")
            single = b.alloca(I1, name="has_single")
            double = b.alloca(I1, name="has_double")
            b.store(const(I1, 0), single)
            b.store(const(I1, 0), double)
            with counted_loop(b, size, "scan") as scan:
                byte = b.load(b.gep(data, [scan.index], source_etype=I8), typ=I8)
                for flag, char in ((single, "'"), (double, '"')):
                    hit = b.icmp_unsigned("==", byte, const(I8, ord(char)))
                    b.store(b.or_(b.load(flag), hit), flag)
            chosen = b.block
            use_double = b.and_(b.load(single), b.not_(b.load(double)))
            quote = b.select(use_double, const(I8, ord('"')), const(I8, ord("'")), name="quote")
            b.call(self.out_byte, [quote])
            loop = f.append_basic_block("loop")
            body = f.append_basic_block("byte")
            plain = f.append_basic_block("plain")
            escaped = f.append_basic_block("escaped")
            control = f.append_basic_block("control")
            hexa = f.append_basic_block("hex")
            step = f.append_basic_block("step")
            done = f.append_basic_block("done")
            b.branch(loop)
            b.position_at_end(loop)
            index = b.phi(I32, name="index")
            index.add_incoming(const(I32, 0), chosen)
            b.cbranch(b.icmp_unsigned("<", index, size), body, done)
            b.position_at_end(body)
            byte = b.load(b.gep(data, [index], source_etype=I8), typ=I8, name="byte")
            backslash = b.icmp_unsigned("==", byte, const(I8, ord("\\")))
            is_quote = b.icmp_unsigned("==", byte, quote)
            low = b.icmp_unsigned("<", byte, const(I8, 0x20))
            delete = b.icmp_unsigned("==", byte, const(I8, 0x7F))
            b.cbranch(b.or_(backslash, is_quote), escaped, control)
            b.position_at_end(escaped)
            b.call(self.out_byte, [const(I8, ord("\\"))])
            b.branch(plain)
            b.position_at_end(control)
            b.cbranch(b.or_(low, delete), hexa, plain)
            b.position_at_end(hexa)
            b.call(self.out_byte, [const(I8, ord("\\"))])
            named = f.append_basic_block("named")
            numeric = f.append_basic_block("numeric")
            switch = b.switch(byte, numeric)
            for code, letter in ((0x0A, "n"), (0x0D, "r"), (0x09, "t")):
                block = f.append_basic_block(f"escape_{letter}")
                switch.add_case(const(I8, code), block)
                b.position_at_end(block)
                b.call(self.out_byte, [const(I8, ord(letter))])
                b.branch(named)
            b.position_at_end(numeric)
            b.call(self.out_byte, [const(I8, ord("x"))])
            digits = self.strings.raw(b"0123456789abcdef")
            for nibble in (b.lshr(byte, const(I8, 4)), b.and_(byte, const(I8, 15))):
                digit = b.load(b.gep(digits, [const(I32, 0), b.zext(nibble, I32)]), typ=I8)
                b.call(self.out_byte, [digit])
            b.branch(named)
            b.position_at_end(named)
            b.branch(step)
            b.position_at_end(plain)
            b.call(self.out_byte, [byte])
            b.branch(step)
            b.position_at_end(step)
            index.add_incoming(b.add(index, const(I32, 1)), step)
            b.branch(loop)
            b.position_at_end(done)
            b.call(self.out_byte, [quote])
            b.ret_void()
            return f

        return self._lazy("out_repr", build)

    @property
    def render_path(self) -> ir.Function:
        """render_path(): append the JSON path of the recorded input error, `$.values[3]`."""

        def build() -> ir.Function:
            f = internal_function(self.module, "molt.render_path", VOID, [], [], cold=True)
            b = Builder(f.entry_basic_block)
            b.call(self.out_byte, [const(I8, ord("$"))])
            depth = b.load(self.err_path_depth, name="depth")
            loop = f.append_basic_block("entry_loop")
            body = f.append_basic_block("path_entry")
            done = f.append_basic_block("done")
            b.branch(loop)
            b.position_at_end(loop)
            index = b.phi(I32, name="index")
            index.add_incoming(const(I32, 0), f.entry_basic_block)
            b.cbranch(b.icmp_signed("<", index, depth), body, done)
            b.position_at_end(body)
            zero = const(I32, 0)
            length = b.load(b.gep(self.path_len, [zero, index]), name="length")
            is_index = b.icmp_signed("<", length, zero)
            name_block = f.append_basic_block("name")
            index_block = f.append_basic_block("index")
            next_block = f.append_basic_block("next")
            b.cbranch(is_index, index_block, name_block)
            b.position_at_end(index_block)
            b.call(self.out_byte, [const(I8, ord("["))])
            value = b.load(b.gep(self.path_index, [zero, index]))
            b.call(self.out_decimal, [value, const(I1, 1)])
            b.call(self.out_byte, [const(I8, ord("]"))])
            b.branch(next_block)
            b.position_at_end(name_block)
            name = b.load(b.gep(self.path_name, [zero, index]), name="name")
            b.call(self.out_key, [name, length])
            b.branch(next_block)
            b.position_at_end(next_block)
            index.add_incoming(b.add(index, const(I32, 1)), next_block)
            b.branch(loop)
            b.position_at_end(done)
            b.ret_void()
            return f

        return self._lazy("render_path", build)

    @property
    def out_key(self) -> ir.Function:
        """out_key(name, length): `.name` for an ASCII identifier, else `["json-escaped"]`."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.out.key", VOID, [PTR, I32], ["name", "length"], cold=True
            )
            name, length = f.args
            b = Builder(f.entry_basic_block)
            # scan: every byte [A-Za-z0-9_], the first not a digit, at least one byte
            scan = f.append_basic_block("scan")
            check = f.append_basic_block("check_byte")
            dotted = f.append_basic_block("dotted")
            quoted = f.append_basic_block("quoted")
            b.cbranch(b.icmp_signed(">", length, const(I32, 0)), scan, quoted)
            b.position_at_end(scan)
            index = b.phi(I32, name="index")
            index.add_incoming(const(I32, 0), f.entry_basic_block)
            b.cbranch(b.icmp_signed("<", index, length), check, dotted)
            b.position_at_end(check)
            byte = b.load(b.gep(name, [index], source_etype=I8), name="byte")
            lower = b.or_(byte, const(I8, 0x20))
            letter = b.and_(
                b.icmp_unsigned(">=", lower, const(I8, ord("a"))),
                b.icmp_unsigned("<=", lower, const(I8, ord("z"))),
            )
            digit = b.and_(
                b.icmp_unsigned(">=", byte, const(I8, ord("0"))),
                b.icmp_unsigned("<=", byte, const(I8, ord("9"))),
            )
            underscore = b.icmp_unsigned("==", byte, const(I8, ord("_")))
            first = b.icmp_unsigned("==", index, const(I32, 0))
            allowed = b.or_(b.or_(letter, underscore), b.and_(digit, b.not_(first)))
            index.add_incoming(b.add(index, const(I32, 1)), check)
            b.cbranch(allowed, scan, quoted)
            b.position_at_end(dotted)
            b.call(self.out_byte, [const(I8, ord("."))])
            b.call(self.out_copy, [name, length])
            b.ret_void()
            b.position_at_end(quoted)
            for char in '["':
                b.call(self.out_byte, [const(I8, ord(char))])
            with counted_loop(b, length, "escape", signed=True) as escape:
                byte = b.load(b.gep(name, [escape.index], source_etype=I8), name="byte")
                b.call(self.out_json_byte, [byte])
            for char in '"]':
                b.call(self.out_byte, [const(I8, ord(char))])
            b.ret_void()
            return f

        return self._lazy("out_key", build)

    @property
    def out_json_byte(self) -> ir.Function:
        """out_json_byte(byte): append `byte` as JSON string text holds it (json.dumps,
        ensure_ascii=False): a backslash and a letter for the quote, the backslash, b, f,
        n, r and t, a \\u00XX escape for other control bytes, else the byte itself."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.out.json_byte", VOID, [I8], ["byte"], cold=True
            )
            (byte,) = f.args
            b = Builder(f.entry_basic_block)
            escaped, letters = b'"\\\x08\x0c\n\r\t', b'"\\bfnrt'
            table = self.strings.raw(escaped + letters)
            loop = f.append_basic_block("scan")
            check = f.append_basic_block("check")
            hit = f.append_basic_block("short")
            other = f.append_basic_block("other")
            b.branch(loop)
            b.position_at_end(loop)
            index = b.phi(I32, name="index")
            index.add_incoming(const(I32, 0), f.entry_basic_block)
            b.cbranch(b.icmp_unsigned("<", index, const(I32, len(escaped))), check, other)
            b.position_at_end(check)
            entry = b.load(b.gep(table, [const(I32, 0), index]), name="entry")
            index.add_incoming(b.add(index, const(I32, 1)), check)
            b.cbranch(b.icmp_unsigned("==", entry, byte), hit, loop)
            b.position_at_end(hit)
            b.call(self.out_byte, [const(I8, ord("\\"))])
            letter_at = b.add(index, const(I32, len(escaped)))
            b.call(self.out_byte, [b.load(b.gep(table, [const(I32, 0), letter_at]))])
            b.ret_void()
            b.position_at_end(other)
            with b.if_then(b.icmp_unsigned("<", byte, const(I8, 0x20))):
                b.call(self.out_copy, [self.strings.raw(b"\\u00"), const(I32, 4)])
                hex_digits = self.strings.raw(b"0123456789abcdef")
                for nibble in (b.lshr(byte, const(I8, 4)), b.and_(byte, const(I8, 15))):
                    digit = b.gep(hex_digits, [const(I32, 0), b.zext(nibble, I32)])
                    b.call(self.out_byte, [b.load(digit)])
                b.ret_void()
            b.call(self.out_byte, [byte])
            b.ret_void()
            return f

        return self._lazy("out_json_byte", build)

    # -- lists (MOLT-L-TYPE-LIST) -----------------------------------------------------------

    def list_field(self, b: ir.IRBuilder, items: ir.Value, field: int, name: str) -> ir.Value:
        """A field of a list's header (0 length, 1 capacity, 2 items), its own memory class."""
        field_at = b.gep(
            items, [const(I32, 0), const(I32, field)], source_etype=LIST_HEADER, name=name
        )
        return memory_class(field_at, LIST_HEADER_MEMORY)

    @property
    def list_new(self) -> ir.Function:
        """list_new(length: i32, item_size: i32) -> ptr: a list of `length` (unset) items."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.list.new", PTR, [I32, I32], ["length", "item_size"]
            )
            length, item_size = f.args
            b = Builder(f.entry_basic_block)
            payload = b.mul(b.zext(length, I64), b.zext(item_size, I64))
            block = b.call(self.alloc, [b.add(payload, const(I64, _LIST_BLOCK))], name="block")
            with b.if_then(b.icmp_unsigned("==", block, ir.Constant(PTR, None))):
                b.ret(block)
            b.store(length, self.list_field(b, block, 0, "length_field"))
            b.store(length, self.list_field(b, block, 1, "capacity_field"))
            data = b.gep(block, [const(I32, _LIST_BLOCK)], source_etype=I8, name="data")
            b.store(data, self.list_field(b, block, 2, "items_field"))
            b.ret(block)
            return f

        return self._lazy("list_new", build)

    @property
    def list_reserve(self) -> ir.Function:
        """list_reserve(list, needed: i32, item_size: i32) -> i1: capacity for `needed` items."""

        def build() -> ir.Function:
            f = internal_function(
                self.module,
                "molt.list.reserve",
                I1,
                [PTR, I32, I32],
                ["items", "needed", "item_size"],
            )
            items, needed, item_size = f.args
            b = Builder(f.entry_basic_block)
            capacity_field = self.list_field(b, items, 1, "capacity_field")
            capacity = b.load(capacity_field, name="capacity")
            with b.if_then(b.icmp_unsigned("<=", needed, capacity)):
                b.ret(const(I1, 1))
            doubled = b.add(b.zext(capacity, I64), b.zext(capacity, I64))
            wanted = b.select(
                b.icmp_unsigned(">", doubled, b.zext(needed, I64)), doubled, b.zext(needed, I64)
            )
            wanted = b.select(b.icmp_unsigned("<", wanted, const(I64, 4)), const(I64, 4), wanted)
            too_many = b.icmp_unsigned(">", wanted, const(I64, 0x7FFF_FFFF))
            with b.if_then(too_many):
                self.record_out_of_memory(b)
                b.ret(const(I1, 0))
            size = b.mul(wanted, b.zext(item_size, I64))
            data = b.call(self.alloc, [size], name="data")
            with b.if_then(b.icmp_unsigned("==", data, ir.Constant(PTR, None))):
                b.ret(const(I1, 0))
            items_field = self.list_field(b, items, 2, "items_field")
            length = b.load(self.list_field(b, items, 0, "length_field"), name="length")
            self.memcpy(b, data, b.load(items_field), b.mul(length, item_size))
            b.store(data, items_field)
            b.store(b.trunc(wanted, I32), capacity_field)
            b.ret(const(I1, 1))
            return f

        return self._lazy("list_reserve", build)

    @property
    def list_repeat(self) -> ir.Function:
        """list_repeat(list, times: i64, item_size: i32) -> ptr: the items `times` times."""

        def build() -> ir.Function:
            f = internal_function(
                self.module,
                "molt.list.repeat",
                PTR,
                [PTR, I64, I32],
                ["items", "times", "item_size"],
            )
            items, times, item_size = f.args
            b = Builder(f.entry_basic_block)
            length = b.zext(b.load(self.list_field(b, items, 0, "length_field")), I64)
            times = b.select(b.icmp_signed("<", times, const(I64, 0)), const(I64, 0), times)
            # too many items: more than fit in 32-bit lengths (memory could not hold them)
            limit = b.udiv(
                const(I64, 0x7FFF_FFFF),
                b.select(b.icmp_unsigned("==", length, const(I64, 0)), const(I64, 1), length),
            )
            with b.if_then(b.icmp_unsigned(">", times, limit)):
                self.record_out_of_memory(b)
                b.ret(ir.Constant(PTR, None))
            total = b.trunc(b.mul(length, times), I32, name="total")
            result = b.call(self.list_new, [total, item_size], name="result")
            with b.if_then(b.icmp_unsigned("==", result, ir.Constant(PTR, None))):
                b.ret(result)
            # copy the items once, then double the copied part until it is full
            chunk = b.mul(b.trunc(length, I32), item_size, name="chunk")
            full = b.mul(total, item_size, name="full")
            target = b.load(self.list_field(b, result, 2, "target_field"), name="target")
            source = b.load(self.list_field(b, items, 2, "source_field"), name="source")
            with b.if_then(b.icmp_unsigned("!=", full, const(I32, 0))):
                self.memcpy(b, target, source, chunk, LIST_ITEMS_MEMORY)
                loop = f.append_basic_block("double")
                copy = f.append_basic_block("copy")
                after = f.append_basic_block("copied")
                start = b.block
                b.branch(loop)
                b.position_at_end(loop)
                filled = b.phi(I32, name="filled")
                filled.add_incoming(chunk, start)
                b.cbranch(b.icmp_unsigned("<", filled, full), copy, after)
                b.position_at_end(copy)
                rest = b.sub(full, filled)
                size = b.select(b.icmp_unsigned("<", filled, rest), filled, rest)
                self.memcpy(
                    b, b.gep(target, [filled], source_etype=I8), target, size, LIST_ITEMS_MEMORY
                )
                filled.add_incoming(b.add(filled, size), copy)
                b.branch(loop)
                b.position_at_end(after)
            b.ret(result)
            return f

        return self._lazy("list_repeat", build)

    # -- numbers -----------------------------------------------------------------------------

    @property
    def mul_overflows(self) -> ir.Function:
        """mul_overflows(a, b: i64) -> i1: whether a * b leaves signed 64-bit.

        Operands in [-2**31, 2**31) cannot overflow; other pairs go to
        `mul_overflows_exact`.
        """

        def build() -> ir.Function:
            f = internal_function(self.module, "molt.int.mul_overflows", I1, [I64, I64], ["a", "b"])
            a, bb = f.args
            b = Builder(f.entry_basic_block)
            half = const(I64, 1 << 31)
            # umax, not or: LLVM's range analysis follows umax, so where it knows both
            # operands' ranges (index arithmetic bounded by list lengths) it drops the test
            umax = intrinsic(self.module, "llvm.umax.i64", I64, [I64, I64])
            widest = b.call(umax, [b.add(a, half), b.add(bb, half)])
            small = b.icmp_unsigned("<", widest, const(I64, 1 << 32), name="small")
            with b.if_then(small, likely=True):
                b.ret(const(I1, 0))
            b.ret(b.call(self.mul_overflows_exact, [a, bb]))
            return f

        return self._lazy("mul_overflows", build)

    @property
    def mul_overflows_exact(self) -> ir.Function:
        """mul_overflows_exact(a, b: i64) -> i1, from the magnitudes' 32-bit halves.

        wasm32 has no 128-bit multiply, and LLVM turns a check that divides the
        wrapped product back into llvm.smul.with.overflow, which needs compiler-rt's
        __multi3, which a module cannot import. Multiplying 32-bit halves is plain
        i64 arithmetic with no memory access, so LLVM knows that a call of it
        changes nothing a loop has loaded.
        """

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.int.mul_overflows_exact", I1, [I64, I64], ["a", "b"]
            )
            f.attributes.add("noinline")
            a, bb = f.args
            b = Builder(f.entry_basic_block)
            zero = const(I64, 0)
            negative = b.xor(b.icmp_signed("<", a, zero), b.icmp_signed("<", bb, zero))
            # |a| and |b| as unsigned (|INT64_MIN| is 2**63)
            ua = b.select(b.icmp_signed("<", a, zero), b.sub(zero, a), a, name="ua")
            ub = b.select(b.icmp_signed("<", bb, zero), b.sub(zero, bb), bb, name="ub")
            low_mask, shift = const(I64, 0xFFFF_FFFF), const(I64, 32)
            a_hi, b_hi = b.lshr(ua, shift), b.lshr(ub, shift)
            a_lo, b_lo = b.and_(ua, low_mask), b.and_(ub, low_mask)
            # both high halves set: the product is at least 2**64
            both_high = b.and_(b.icmp_unsigned("!=", a_hi, zero), b.icmp_unsigned("!=", b_hi, zero))
            # otherwise at most one cross product is not 0, and it is below 2**64
            cross = b.add(b.mul(a_hi, b_lo), b.mul(a_lo, b_hi), name="cross")
            cross_big = b.icmp_unsigned(">", cross, low_mask)
            low = b.mul(a_lo, b_lo, name="low")
            magnitude = b.add(b.shl(cross, shift), low, name="magnitude")
            carry = b.icmp_unsigned("<", magnitude, low)
            limit = b.select(negative, const(I64, INT64_MIN), const(I64, (1 << 63) - 1))
            too_big = b.icmp_unsigned(">", magnitude, limit)
            b.ret(b.or_(b.or_(both_high, cross_big), b.or_(carry, too_big)))
            return f

        return self._lazy("mul_overflows_exact", build)

    @property
    def int_pow(self) -> ir.Function:
        """int_pow(base, exponent >= 0) -> {i64, i1 overflow}, by repeated squaring."""

        def build() -> ir.Function:
            result_type = ir.LiteralStructType([I64, I1])
            f = internal_function(
                self.module, "molt.int.pow", result_type, [I64, I64], ["base", "exponent"]
            )
            base0, exponent0 = f.args
            b = Builder(f.entry_basic_block)
            # loop: multiply the result by base when the low bit is set, square base
            # while bits remain; any overflow ends the loop (the true result overflows too)
            loop = f.append_basic_block("loop")
            odd = f.append_basic_block("odd")
            square = f.append_basic_block("square")
            again = f.append_basic_block("again")
            done = f.append_basic_block("done")
            overflow = f.append_basic_block("overflow")
            b.branch(loop)
            b.position_at_end(loop)
            result = b.phi(I64, name="result")
            base = b.phi(I64, name="base")
            exponent = b.phi(I64, name="exponent")
            result.add_incoming(const(I64, 1), f.entry_basic_block)
            base.add_incoming(base0, f.entry_basic_block)
            exponent.add_incoming(exponent0, f.entry_basic_block)
            odd_check = f.append_basic_block("odd_check")
            b.cbranch(b.icmp_signed("==", exponent, const(I64, 0)), done, odd_check)
            b.position_at_end(odd_check)
            b.cbranch(b.trunc(exponent, I1, name="low_bit"), odd, square)
            b.position_at_end(odd)
            multiplied = b.mul(result, base, name="multiplied")
            b.cbranch(b.call(self.mul_overflows, [result, base]), overflow, square)
            b.position_at_end(square)
            new_result = b.phi(I64, name="new_result")
            new_result.add_incoming(result, odd_check)
            new_result.add_incoming(multiplied, odd)
            rest = b.lshr(exponent, const(I64, 1), name="rest")
            b.cbranch(b.icmp_signed("==", rest, const(I64, 0)), done, again)
            b.position_at_end(again)
            squared = b.mul(base, base, name="squared")
            b.cbranch(b.call(self.mul_overflows, [base, base]), overflow, loop)
            result.add_incoming(new_result, again)
            base.add_incoming(squared, again)
            exponent.add_incoming(rest, again)
            b.position_at_end(done)
            final = b.phi(I64, name="final")
            final.add_incoming(result, loop)
            final.add_incoming(new_result, square)
            value = b.insert_value(ir.Constant(result_type, None), final, 0)
            b.ret(b.insert_value(value, const(I1, 0), 1))
            b.position_at_end(overflow)
            b.ret(b.insert_value(ir.Constant(result_type, None), const(I1, 1), 1))
            return f

        return self._lazy("int_pow", build)

    @property
    def fmod(self) -> ir.Function:
        """fmod(x, y) -> f64: C's fmod, exact, on the bits (musl's algorithm; no libm)."""

        def build() -> ir.Function:
            f = internal_function(self.module, "molt.float.fmod", F64, [F64, F64], ["x", "y"])
            f.attributes.add("noinline")
            x, y = f.args
            b = Builder(f.entry_basic_block)
            ux = b.bitcast(x, I64, name="ux")
            uy = b.bitcast(y, I64, name="uy")
            ex = b.and_(b.lshr(ux, const(I64, 52)), const(I64, 0x7FF), name="ex")
            ey = b.and_(b.lshr(uy, const(I64, 52)), const(I64, 0x7FF), name="ey")
            sign = b.and_(ux, const(I64, INT64_MIN), name="sign")
            zero_x = b.fmul(x, ir.Constant(F64, 0.0), name="zero_x")  # a zero with x's sign
            # y is zero or NaN, or x is infinite or NaN: the result is NaN
            y_zero = b.icmp_unsigned("==", b.shl(uy, const(I64, 1)), const(I64, 0))
            y_nan = b.fcmp_unordered("uno", y, y)
            x_special = b.icmp_unsigned("==", ex, const(I64, 0x7FF))
            with b.if_then(b.or_(b.or_(y_zero, y_nan), x_special)):
                product = b.fmul(x, y)
                b.ret(b.fdiv(product, product))
            # |x| <= |y|: x itself, or a zero when they are equal
            ax = b.shl(ux, const(I64, 1), name="ax2")
            ay = b.shl(uy, const(I64, 1), name="ay2")
            with b.if_then(b.icmp_unsigned("<=", ax, ay)):
                b.ret(b.select(b.icmp_unsigned("==", ax, ay), zero_x, x))
            mantissa = const(I64, (1 << 52) - 1)
            implicit = const(I64, 1 << 52)

            def normalize(
                bits: ir.Value, exponent: ir.Value, label: str
            ) -> tuple[ir.Value, ir.Value]:
                """(mantissa with the implicit bit, exponent), subnormals shifted up."""
                subnormal = f.append_basic_block(f"{label}_subnormal")
                shift_loop = f.append_basic_block(f"{label}_shift")
                normal = f.append_basic_block(f"{label}_normal")
                joined = f.append_basic_block(f"{label}_joined")
                b.cbranch(b.icmp_unsigned("==", exponent, const(I64, 0)), subnormal, normal)
                b.position_at_end(subnormal)
                initial = b.shl(bits, const(I64, 12), name=f"{label}_fraction")
                b.branch(shift_loop)
                b.position_at_end(shift_loop)
                e = b.phi(I64, name=f"{label}_e")
                probe = b.phi(I64, name=f"{label}_probe")
                e.add_incoming(const(I64, 0), subnormal)
                probe.add_incoming(initial, subnormal)
                top = b.icmp_signed("<", probe, const(I64, 0))
                e_next = b.sub(e, const(I64, 1))
                e.add_incoming(e_next, shift_loop)
                probe.add_incoming(b.shl(probe, const(I64, 1)), shift_loop)
                counted = f.append_basic_block(f"{label}_counted")
                b.cbranch(top, counted, shift_loop)
                b.position_at_end(counted)
                shifted = b.shl(bits, b.sub(const(I64, 1), e))
                b.branch(joined)
                b.position_at_end(normal)
                with_bit = b.or_(b.and_(bits, mantissa), implicit)
                b.branch(joined)
                b.position_at_end(joined)
                m = b.phi(I64, name=f"{label}_m")
                m.add_incoming(shifted, counted)
                m.add_incoming(with_bit, normal)
                exp = b.phi(I64, name=f"{label}_exp")
                exp.add_incoming(e, counted)
                exp.add_incoming(exponent, normal)
                return m, exp

            mx, ex = normalize(ux, ex, "x")
            my, ey = normalize(uy, ey, "y")
            # x mod y, one bit of the quotient at a time
            loop = f.append_basic_block("reduce")
            step = f.append_basic_block("reduce_step")
            last = f.append_basic_block("last")
            exact_zero = f.append_basic_block("exact_zero")
            pre = b.block
            b.branch(loop)
            b.position_at_end(loop)
            m = b.phi(I64, name="m")
            e = b.phi(I64, name="e")
            m.add_incoming(mx, pre)
            e.add_incoming(ex, pre)
            b.cbranch(b.icmp_signed(">", e, ey), step, last)
            b.position_at_end(step)
            diff = b.sub(m, my, name="diff")
            non_negative = b.icmp_signed(">=", diff, const(I64, 0))
            keep = f.append_basic_block("reduce_keep")
            b.cbranch(
                b.and_(non_negative, b.icmp_signed("==", diff, const(I64, 0))), exact_zero, keep
            )
            b.position_at_end(keep)
            kept = b.select(non_negative, diff, m)
            m.add_incoming(b.shl(kept, const(I64, 1)), keep)
            e.add_incoming(b.sub(e, const(I64, 1)), keep)
            b.branch(loop)
            b.position_at_end(last)
            diff = b.sub(m, my, name="last_diff")
            non_negative = b.icmp_signed(">=", diff, const(I64, 0))
            after_last = f.append_basic_block("after_last")
            b.cbranch(
                b.and_(non_negative, b.icmp_signed("==", diff, const(I64, 0))),
                exact_zero,
                after_last,
            )
            b.position_at_end(after_last)
            rest = b.select(non_negative, diff, m, name="rest")
            # normalize the remainder: shift up until the implicit bit is set
            norm = f.append_basic_block("normalize")
            scaled = f.append_basic_block("scale")
            b.branch(norm)
            b.position_at_end(norm)
            r = b.phi(I64, name="r")
            re = b.phi(I64, name="re")
            r.add_incoming(rest, after_last)
            re.add_incoming(e, after_last)
            has_bit = b.icmp_unsigned("!=", b.lshr(r, const(I64, 52)), const(I64, 0))
            r.add_incoming(b.shl(r, const(I64, 1)), norm)
            re.add_incoming(b.sub(re, const(I64, 1)), norm)
            b.cbranch(has_bit, scaled, norm)
            b.position_at_end(scaled)
            normal_bits = b.or_(b.sub(r, implicit), b.shl(re, const(I64, 52)))
            subnormal_bits = b.lshr(r, b.sub(const(I64, 1), re))
            bits = b.select(b.icmp_signed(">", re, const(I64, 0)), normal_bits, subnormal_bits)
            b.ret(b.bitcast(b.or_(bits, sign), F64))
            b.position_at_end(exact_zero)
            b.ret(zero_x)
            return f

        return self._lazy("fmod", build)

    @property
    def float_divmod(self) -> ir.Function:
        """float_divmod(x, y != 0) -> {floordiv, mod}: CPython's float_divmod, bit for bit."""

        def build() -> ir.Function:
            pair = ir.LiteralStructType([F64, F64])
            f = internal_function(self.module, "molt.float.divmod", pair, [F64, F64], ["x", "y"])
            f.attributes.add("noinline")
            x, y = f.args
            b = Builder(f.entry_basic_block)
            zero = ir.Constant(F64, 0.0)
            copysign = intrinsic(self.module, "llvm.copysign.f64", F64, [F64, F64])
            floor = intrinsic(self.module, "llvm.floor.f64", F64, [F64])
            mod = b.call(self.fmod, [x, y], name="mod")
            div = b.fdiv(b.fsub(x, mod), y, name="div")
            # if mod: fix its sign to the divisor's; else mod = copysign(0, y)
            mod_nonzero = b.fcmp_unordered("une", mod, zero)
            signs_differ = b.xor(b.fcmp_ordered("<", y, zero), b.fcmp_ordered("<", mod, zero))
            fix = b.and_(mod_nonzero, signs_differ, name="fix")
            mod = b.select(fix, b.fadd(mod, y), mod)
            div = b.select(fix, b.fsub(div, ir.Constant(F64, 1.0)), div)
            mod = b.select(mod_nonzero, mod, b.call(copysign, [zero, y]), name="mod_fixed")
            # if div: floor it (rounding up past .5); else copysign(0, x / y)
            floored = b.call(floor, [div], name="floored")
            up = b.fcmp_ordered(">", b.fsub(div, floored), ir.Constant(F64, 0.5))
            floored = b.select(up, b.fadd(floored, ir.Constant(F64, 1.0)), floored)
            div_nonzero = b.fcmp_unordered("une", div, zero)
            quotient = b.select(
                div_nonzero, floored, b.call(copysign, [zero, b.fdiv(x, y)]), name="floordiv"
            )
            result = b.insert_value(ir.Constant(pair, None), quotient, 0)
            b.ret(b.insert_value(result, mod, 1))
            return f

        return self._lazy("float_divmod", build)

    @property
    def compare_int_float(self) -> ir.Function:
        """compare_int_float(i, x) -> i32: -1, 0 or 1 as i is below, equal to or above x
        by exact value (CPython's rule), 2 when x is NaN."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.compare_int_float", I32, [I64, F64], ["i", "x"]
            )
            i, x = f.args
            b = Builder(f.entry_basic_block)
            with b.if_then(b.fcmp_unordered("uno", x, x)):
                b.ret(const(I32, 2))
            with b.if_then(b.fcmp_ordered(">=", x, ir.Constant(F64, TWO_63))):
                b.ret(const(I32, -1))
            with b.if_then(b.fcmp_ordered("<", x, ir.Constant(F64, -TWO_63))):
                b.ret(const(I32, 1))
            trunc = intrinsic(self.module, "llvm.trunc.f64", F64, [F64])
            whole = b.call(trunc, [x], name="whole")
            whole_int = b.fptosi(whole, I64, name="whole_int")
            with b.if_then(b.icmp_signed("<", i, whole_int)):
                b.ret(const(I32, -1))
            with b.if_then(b.icmp_signed(">", i, whole_int)):
                b.ret(const(I32, 1))
            fraction = b.fsub(x, whole, name="fraction")
            above = b.fcmp_ordered(">", fraction, ir.Constant(F64, 0.0))
            below = b.fcmp_ordered("<", fraction, ir.Constant(F64, 0.0))
            b.ret(b.select(above, const(I32, -1), b.select(below, const(I32, 1), const(I32, 0))))
            return f

        return self._lazy("compare_int_float", build)

    # -- bytes -------------------------------------------------------------------------------

    @property
    def bytes_equal(self) -> ir.Function:
        """bytes_equal(a, b, size: i32) -> i1 (no libc memcmp)."""

        def build() -> ir.Function:
            f = internal_function(
                self.module, "molt.bytes_equal", I1, [PTR, PTR, I32], ["a", "b", "size"]
            )
            a, bb, size = f.args
            b = Builder(f.entry_basic_block)
            loop = f.append_basic_block("loop")
            body = f.append_basic_block("compare")
            equal = f.append_basic_block("equal")
            differ = f.append_basic_block("differ")
            b.branch(loop)
            b.position_at_end(loop)
            index = b.phi(I32, name="index")
            index.add_incoming(const(I32, 0), f.entry_basic_block)
            b.cbranch(b.icmp_unsigned("<", index, size), body, equal)
            b.position_at_end(body)
            left = b.load(b.gep(a, [index], source_etype=I8))
            right = b.load(b.gep(bb, [index], source_etype=I8))
            index.add_incoming(b.add(index, const(I32, 1)), body)
            b.cbranch(b.icmp_unsigned("==", left, right), loop, differ)
            b.position_at_end(equal)
            b.ret(const(I1, 1))
            b.position_at_end(differ)
            b.ret(const(I1, 0))
            return f

        return self._lazy("bytes_equal", build)
