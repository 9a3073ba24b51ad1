"""MessagePack at the boundary, generated for exactly the types the exports use.

Reading (spec/abi.yaml `wire_format`, strict): `read_head` reads one item's
header at `molt.in.pos`, bounds-checked against the message, and reports the
wire problems the host reports (truncation, byte 0xc1, ext types, a uint64
above 2**63-1, invalid UTF-8, an array or map longer than the bytes left) as
MOLT-E-MALFORMED-MESSAGE with the same detail texts as `molt.runtime._codec`.
`decoder(T)` builds `molt.decode.<T>(depth)`, which reads a T or reports
MOLT-E-SCHEMA-VIOLATION ("expected number, got string") at the JSON path the
path stack holds; lists are allocated only after their length has been checked
against the bytes left, so a lying header cannot make the module allocate more
than the message could fill.

Writing: `encoder(T)` builds `molt.encode.<T>(value)`, canonical: the smallest
integer and length formats, floats always float64, every NaN as 7ff8000000000000.
"""

from __future__ import annotations

from collections.abc import Callable

from llvmlite import ir

from molt.compiler.core._bytes import build_bytes_decoder, build_bytes_encoder
from molt.compiler.core._dicts import DictOps, build_dict_decoder, build_dict_encoder
from molt.compiler.core._fields import Fields
from molt.compiler.core._llvm import (
    F32,
    F64,
    I1,
    I8,
    I32,
    I64,
    PTR,
    VOID,
    Builder,
    const,
    internal_function,
)
from molt.compiler.core._loops import counted_loop
from molt.compiler.core._messages import detail_template
from molt.compiler.core._optional_codec import build_optional_decoder, build_optional_encoder
from molt.compiler.core._record_codec import build_record_decoder, build_record_encoder
from molt.compiler.core._runtime import Runtime
from molt.compiler.core._strings import StringOps
from molt.compiler.ir.types import (
    BOOL,
    BYTES,
    FLOAT,
    INT,
    NONE,
    STR,
    DictType,
    ListType,
    MoltType,
    OptionalType,
    RecordType,
)

__all__ = [
    "KIND_NAMES",
    "MessagePack",
    "expectation",
    "field_pointer",
    "llvm_type",
    "record_offsets",
    "record_size",
    "record_struct",
    "type_key",
]

# What read_head returns: the kind of the item.
KIND_INT, KIND_FLOAT, KIND_NIL, KIND_BOOL, KIND_STR, KIND_BIN, KIND_ARRAY, KIND_MAP = range(8)
KIND_NAMES = ("integer", "number", "null", "boolean", "string", "bytes", "array", "object")
"""JSON Schema words for what came, in SCHEMA-VIOLATION messages (as the host says)."""
KEY_KIND_NAMES = ("int", "float", "nil", "bool", "str", "bin", "array", "map")
"""Wire words for a map key that is not a str (as the host's decoder says)."""

CANONICAL_NAN = 0x7FF8_0000_0000_0000

D_EMPTY = "the message is empty: expected one MessagePack value"
D_END = "truncated: the message ends at byte {u0} where a value should start"
D_NEED = (
    "truncated: the value at offset {u0} needs {u1} bytes from offset {u2} but only {u3} remain"
)
D_CONTAINER = (
    "truncated: the {slot1} at offset {u0} declares {u1} entries but only {u2} bytes remain"
)
"""For an array or a map (slot1: the wire word, "array" or "map")."""
D_C1 = "byte 0xc1 at offset {u0} is not a MessagePack type"
D_EXT = "ext type at offset {u0}: Molt messages use no ext types (no timestamps)"
D_UINT = "integer {u0} is outside signed 64-bit"
D_UTF8 = "the str at offset {u0} is not valid UTF-8"
D_KEY = "map key at offset {u0} is {slot1}, not a str"


def is_pointer(kind: MoltType) -> bool:
    """str, bytes, lists, records and optional values are pointers (null: None)."""
    return kind in (STR, BYTES) or isinstance(kind, (ListType, DictType, RecordType, OptionalType))


def llvm_type(kind: MoltType) -> ir.Type:
    """The LLVM type of a Molt value (lists, records and optional values are pointers)."""
    if is_pointer(kind):
        return PTR
    return {INT: I64, FLOAT: F64, BOOL: I1, NONE: VOID}[kind]


def type_key(kind: MoltType) -> str:
    """A name for `kind` in symbol names: int, float, bool, none, list.int ..."""
    if isinstance(kind, ListType):
        return f"list.{type_key(kind.item)}"
    if isinstance(kind, DictType):
        return f"dict.{type_key(kind.value)}"
    if isinstance(kind, RecordType):
        return f"record.{kind.name}"
    if isinstance(kind, OptionalType):
        return f"optional.{type_key(kind.item)}"
    return str(kind).lower()


def expectation(kind: MoltType) -> str:
    """What a SCHEMA-VIOLATION says was expected (the host's wording for the schema)."""
    if isinstance(kind, ListType):
        return "array"
    if isinstance(kind, DictType):
        return "object"
    if isinstance(kind, RecordType):
        return f"object {kind.name}"
    if isinstance(kind, OptionalType):
        return f"{expectation(kind.item)} or null"
    return {
        STR: "string",
        BYTES: "bytes",
        INT: "integer within signed 64-bit",
        FLOAT: "number",
        BOOL: "boolean",
        NONE: "null",
    }[kind]


def item_size(kind: MoltType) -> int:
    """Bytes per list item: i64 and f64 take 8, bool 1, a list's or record's pointer 4,
    None 1 (an unused byte: a None item carries no data, but a size of 1 keeps the
    list and dict helpers, which count items by their bytes, free of a special case)."""
    if is_pointer(kind):
        return 4
    return {INT: 8, FLOAT: 8, BOOL: 1, NONE: 1}[kind]


def item_type(kind: MoltType) -> ir.Type:
    """The in-memory LLVM type of a list item or record field (a bool is one byte; a
    None field takes one unused byte)."""
    return I8 if kind in (BOOL, NONE) else llvm_type(kind)


def accepts(b: ir.IRBuilder, kind_value: ir.Value, kind: MoltType) -> ir.Value:
    """Whether an item of `kind_value` (from read_head) can be decoded as a `kind`
    (an int is a valid float; an optional accepts nil)."""
    if isinstance(kind, OptionalType):
        nil = b.icmp_signed("==", kind_value, const(I32, KIND_NIL))
        return b.or_(nil, accepts(b, kind_value, kind.item))
    if kind == FLOAT:
        return b.icmp_unsigned("<=", kind_value, const(I32, KIND_FLOAT))
    wanted = (
        KIND_ARRAY
        if isinstance(kind, ListType)
        else KIND_MAP
        if isinstance(kind, (RecordType, DictType))
        else {NONE: KIND_NIL, INT: KIND_INT, BOOL: KIND_BOOL, STR: KIND_STR, BYTES: KIND_BIN}[kind]
    )
    return b.icmp_signed("==", kind_value, const(I32, wanted))


def record_struct(kind: RecordType) -> ir.LiteralStructType:
    """The in-memory layout of a record: its fields in declaration order."""
    return ir.LiteralStructType([item_type(field) for _, field in kind.fields])


def record_offsets(kind: RecordType) -> list[int]:
    """The byte offset of each field in `record_struct(kind)`: wasm32 aligns each item
    type to its size (i8 1, ptr 4, i64 and double 8)."""
    offsets = []
    at = 0
    for _, field in kind.fields:
        size = 1 if item_type(field) == I8 else item_size(field)
        at = (at + size - 1) // size * size
        offsets.append(at)
        at += size
    return offsets


def record_size(b: ir.IRBuilder, kind: RecordType) -> ir.Value:
    """The size of `record_struct(kind)` in bytes, as an i64 LLVM folds to a constant."""
    end = b.gep(ir.Constant(PTR, None), [const(I32, 1)], source_etype=record_struct(kind))
    return b.zext(b.ptrtoint(end, I32), I64, name="record_size")


def field_pointer(b: ir.IRBuilder, record: ir.Value, kind: RecordType, index: int) -> ir.Value:
    """The address of field `index` of `record`."""
    name = f"{kind.fields[index][0]}.at"
    return b.gep(
        record, [const(I32, 0), const(I32, index)], source_etype=record_struct(kind), name=name
    )


class MessagePack:
    """The codecs of one module, built on first use."""

    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime
        self.text = StringOps(runtime)
        self.dicts = DictOps(runtime)
        self.module = runtime.module
        self.strings = runtime.strings
        self._functions: dict[str, ir.Function] = {}
        self.fields = Fields(self)
        malformed = runtime.code_and_template("MOLT-E-MALFORMED-MESSAGE")
        schema = runtime.code_and_template("MOLT-E-SCHEMA-VIOLATION")
        self.malformed_code, self.malformed_template, _ = malformed
        self.schema_code, self.schema_template, _ = schema
        self.kind_names = self._table("molt.kind_names", KIND_NAMES)
        self.key_kind_names = self._table("molt.key_kind_names", KEY_KIND_NAMES)

    def _table(self, name: str, words: tuple[str, ...]) -> ir.GlobalVariable:
        kind = ir.ArrayType(PTR, len(words))
        table = ir.GlobalVariable(self.module, kind, name=name)
        table.linkage = "private"
        table.global_constant = True
        table.initializer = ir.Constant(kind, [self.strings.cstr(word) for word in words])
        return table

    # -- recording decode errors --------------------------------------------------------

    def malformed(
        self,
        b: ir.IRBuilder,
        detail: str,
        args: list[ir.Value],
        slot1: ir.Value | None = None,
    ) -> None:
        """Record a MALFORMED-MESSAGE with `detail` (a `detail_template` text), its args
        and the text of its {slot1}."""
        text = self.strings.cstr(detail_template(detail))
        padded = list(args) + [const(I64, 0)] * (4 - len(args))
        b.call(self.malformed_function, [text, slot1 or ir.Constant(PTR, None), *padded])

    def mismatch(self, b: ir.IRBuilder, expected: str, kind: ir.Value) -> None:
        """A SCHEMA-VIOLATION: `expected`, got the item of `kind` (an i32 from read_head)."""
        got = b.load(b.gep(self.kind_names, [const(I32, 0), kind]), name="got")
        self.mismatch_values(b, self.strings.cstr(expected), got)

    def mismatch_text(self, b: ir.IRBuilder, expected: str, got: ir.Value) -> None:
        self.mismatch_values(b, self.strings.cstr(expected), got)

    def mismatch_values(self, b: ir.IRBuilder, expected: ir.Value, got: ir.Value) -> None:
        b.call(self.mismatch_function, [expected, got])

    @property
    def malformed_function(self) -> ir.Function:
        """malformed(detail, slot1, a0..a3): record MOLT-E-MALFORMED-MESSAGE at the path."""
        found = self._functions.get("malformed")
        if found is None:
            names = ["detail", "slot1", "a0", "a1", "a2", "a3"]
            params = [PTR, PTR, I64, I64, I64, I64]
            found = internal_function(self.module, "molt.malformed", VOID, params, names, cold=True)
            self._functions["malformed"] = found
            b = Builder(found.entry_basic_block)
            detail, slot1, *args = found.args
            code, template = self.malformed_code, self.malformed_template
            b.call(self.rt.fail_decode, [code, template, detail, slot1, *args])
            b.ret_void()
        return found

    @property
    def mismatch_function(self) -> ir.Function:
        """mismatch(expected, got): record MOLT-E-SCHEMA-VIOLATION at the path."""
        found = self._functions.get("mismatch")
        if found is None:
            params = [PTR, PTR]
            found = internal_function(
                self.module, "molt.mismatch", VOID, params, ["expected", "got"], cold=True
            )
            self._functions["mismatch"] = found
            b = Builder(found.entry_basic_block)
            zero = const(I64, 0)
            code, template = self.schema_code, self.schema_template
            b.call(self.rt.fail_decode, [code, template, *found.args, zero, zero, zero, zero])
            b.ret_void()
        return found

    def read_key(
        self, b: ir.IRBuilder, depth: ir.Value, inner: ir.Value, fail: Callable[[], None]
    ) -> tuple[ir.Value, ir.Value]:
        """Read one map key at nesting `depth`: its UTF-8 bytes and length, recorded as the
        path's entry at `depth` (the decode depth is then `inner`, for the value). On a
        problem, recorded (MOLT-E-MALFORMED-MESSAGE for a key that is not a str),
        `fail()` ends the block: every map reader (records, export inputs, dicts) reads
        its keys this one way."""
        rt = self.rt
        zero = const(I32, 0)
        b.store(depth, rt.decode_depth)
        key_at = b.load(rt.in_pos, name="key_at")
        key_kind = b.call(self.read_head, [], name="key_kind")
        with b.if_then(b.icmp_signed("<", key_kind, zero)):
            fail()
        with b.if_then(b.icmp_signed("!=", key_kind, const(I32, KIND_STR))):
            word = b.load(b.gep(self.key_kind_names, [zero, key_kind]))
            self.malformed(b, D_KEY, [self.offset(b, key_at)], slot1=word)
            fail()
        key = b.load(rt.head_str, name="key")
        length = b.trunc(b.load(rt.head_value), I32, name="key_length")
        b.store(key, b.gep(rt.path_name, [zero, depth]))
        b.store(length, b.gep(rt.path_len, [zero, depth]))
        b.store(inner, rt.decode_depth)
        return key, length

    def offset(self, b: ir.IRBuilder, at: ir.Value) -> ir.Value:
        """The offset of pointer `at` in the message, as i64."""
        base = self.rt.address(b, b.load(self.rt.in_base))
        return b.sub(self.rt.address(b, at), base, name="offset")

    # -- reading ---------------------------------------------------------------------------

    @property
    def read_head(self) -> ir.Function:
        """read_head() -> i32: the kind of the item at in.pos, or -1 with the problem recorded.

        Scalars and strings are read whole (head.value: an int's value, a bool's 0/1, a
        length or an entry count; head.float: a float; head.str: a str's bytes); for
        arrays and maps only the header. in.pos moves past what was read.
        """
        found = self._functions.get("read_head")
        if found is None:
            found = self._functions["read_head"] = _HeadReader(self).build()
        return found

    @property
    def utf8_valid(self) -> ir.Function:
        """utf8_valid(bytes, size: i32) -> i1: well-formed UTF-8 (no surrogates, no overlongs)."""
        found = self._functions.get("utf8_valid")
        if found is not None:
            return found
        f = internal_function(self.module, "molt.utf8_valid", I1, [PTR, I32], ["text", "size"])
        for attribute in ("noinline", "minsize", "optsize"):
            f.attributes.add(attribute)
        self._functions["utf8_valid"] = f
        text, size = f.args
        b = Builder(f.entry_basic_block)
        blocks = {
            name: f.append_basic_block(name)
            for name in (
                "loop",
                "lead",
                "multi",
                "check",
                "third",
                "fourth",
                "advance",
                "valid",
                "invalid",
            )
        }
        b.branch(blocks["loop"])
        b.position_at_end(blocks["loop"])
        index = b.phi(I32, name="index")
        index.add_incoming(const(I32, 0), f.entry_basic_block)
        b.cbranch(b.icmp_unsigned("<", index, size), blocks["lead"], blocks["valid"])
        b.position_at_end(blocks["lead"])
        byte = b.load(b.gep(text, [index], source_etype=I8), name="byte")
        ascii_next = b.add(index, const(I32, 1))
        b.cbranch(b.icmp_unsigned("<", byte, const(I8, 0x80)), blocks["advance"], blocks["multi"])
        b.position_at_end(blocks["multi"])
        lead = b.zext(byte, I32, name="lead")

        def between(value: ir.Value, low: int, high: int) -> ir.Value:
            return b.and_(
                b.icmp_unsigned(">=", value, const(I32, low)),
                b.icmp_unsigned("<=", value, const(I32, high)),
            )

        two = between(lead, 0xC2, 0xDF)
        three = between(lead, 0xE0, 0xEF)
        four = between(lead, 0xF0, 0xF4)
        extra = b.select(
            two, const(I32, 1), b.select(three, const(I32, 2), const(I32, 3)), name="extra"
        )
        low = b.select(
            b.icmp_unsigned("==", lead, const(I32, 0xE0)),
            const(I32, 0xA0),
            b.select(
                b.icmp_unsigned("==", lead, const(I32, 0xF0)), const(I32, 0x90), const(I32, 0x80)
            ),
            name="low",
        )
        high = b.select(
            b.icmp_unsigned("==", lead, const(I32, 0xED)),
            const(I32, 0x9F),
            b.select(
                b.icmp_unsigned("==", lead, const(I32, 0xF4)), const(I32, 0x8F), const(I32, 0xBF)
            ),
            name="high",
        )
        lead_ok = b.or_(b.or_(two, three), four)
        room = b.icmp_unsigned("<", b.add(index, extra), size, name="room")
        b.cbranch(b.and_(lead_ok, room), blocks["check"], blocks["invalid"])
        b.position_at_end(blocks["check"])

        def continuation(offset: int) -> ir.Value:
            at = b.add(index, const(I32, offset))
            return b.zext(b.load(b.gep(text, [at], source_etype=I8)), I32)

        second = continuation(1)
        second_ok = b.and_(b.icmp_unsigned(">=", second, low), b.icmp_unsigned("<=", second, high))
        needs_third = b.icmp_unsigned(">=", extra, const(I32, 2))
        third_block, fourth_block = blocks["third"], blocks["fourth"]
        multi_next = b.add(index, b.add(extra, const(I32, 1)), name="multi_next")
        after_second = f.append_basic_block("after_second")
        b.cbranch(second_ok, after_second, blocks["invalid"])
        b.position_at_end(after_second)
        b.cbranch(needs_third, third_block, blocks["advance"])
        b.position_at_end(third_block)
        needs_fourth = b.icmp_unsigned("==", extra, const(I32, 3))
        third_ok = between(continuation(2), 0x80, 0xBF)
        after_third = f.append_basic_block("after_third")
        b.cbranch(third_ok, after_third, blocks["invalid"])
        b.position_at_end(after_third)
        b.cbranch(needs_fourth, fourth_block, blocks["advance"])
        b.position_at_end(fourth_block)
        b.cbranch(between(continuation(3), 0x80, 0xBF), blocks["advance"], blocks["invalid"])
        b.position_at_end(blocks["advance"])
        following = b.phi(I32, name="following")
        following.add_incoming(ascii_next, blocks["lead"])
        following.add_incoming(multi_next, after_second)
        following.add_incoming(multi_next, after_third)
        following.add_incoming(multi_next, fourth_block)
        index.add_incoming(following, blocks["advance"])
        b.branch(blocks["loop"])
        b.position_at_end(blocks["valid"])
        b.ret(const(I1, 1))
        b.position_at_end(blocks["invalid"])
        b.ret(const(I1, 0))
        return f

    def decoder(self, kind: MoltType) -> ir.Function:
        """molt.decode.<kind>(depth: i32) -> value; on a problem the error is recorded."""
        name = f"decode.{type_key(kind)}"
        found = self._functions.get(name)
        if found is not None:
            return found
        f = internal_function(self.module, f"molt.{name}", llvm_type(kind), [I32], ["depth"])
        if isinstance(kind, RecordType):
            self._functions[name] = f
            build_record_decoder(self, f, kind)
            return f
        if isinstance(kind, OptionalType):
            self._functions[name] = f
            build_optional_decoder(self, f, kind)
            return f
        if not isinstance(kind, ListType):
            for attribute in ("minsize", "optsize"):
                f.attributes.add(attribute)
        self._functions[name] = f
        b = Builder(f.entry_basic_block)
        kind_value = b.call(self.read_head, [], name="kind")

        def give_up() -> None:
            if kind == NONE:
                b.ret_void()
            else:
                b.ret(ir.Constant(llvm_type(kind), None))

        with b.if_then(b.icmp_signed("<", kind_value, const(I32, 0))):
            give_up()
        ok = accepts(b, kind_value, kind)
        with b.if_then(b.not_(ok)):
            self.mismatch(b, expectation(kind), kind_value)
            give_up()
        value = b.load(self.rt.head_value, name="value")
        if kind == BYTES:
            build_bytes_decoder(self, b, b.trunc(value, I32, name="size"))
            return f
        if kind == STR:
            size = b.trunc(value, I32, name="size")
            source = b.load(self.rt.head_str, name="source")
            count = b.call(self.text.count_points, [source, size], name="count")
            text = b.call(self.text.alloc, [size, count], name="text")
            with b.if_then(b.icmp_unsigned("!=", text, ir.Constant(PTR, None))):
                self.rt.memcpy(b, self.text.data(b, text), source, size)
            b.ret(text)
            return f
        if kind == NONE:
            b.ret_void()
        elif kind == INT:
            b.ret(value)
        elif kind == FLOAT:
            as_float = b.select(
                b.icmp_signed("==", kind_value, const(I32, KIND_INT)),
                b.sitofp(value, F64),
                b.load(self.rt.head_float),
            )
            b.ret(as_float)
        elif kind == BOOL:
            b.ret(b.trunc(value, I1))
        elif isinstance(kind, DictType):
            build_dict_decoder(self, b, f, kind, b.trunc(value, I32, name="count"))
        else:
            assert isinstance(kind, ListType)
            self._decode_list_items(b, f, kind, b.trunc(value, I32, name="count"))
        return f

    def _decode_list_items(
        self, b: ir.IRBuilder, f: ir.Function, kind: ListType, count: ir.Value
    ) -> None:
        (depth,) = f.args
        code = const(I32, self.fields.type_code(kind.item))
        size = const(I32, item_size(kind.item))
        b.ret(b.call(self.decode_list, [code, size, count, depth], name="items"))

    @property
    def decode_list(self) -> ir.Function:
        """decode_list(code, item_size, count, depth) -> ptr: `count` items of type
        `code` (through `Fields.decode_any`), each at its path index; null with the
        error recorded."""
        found = self._functions.get("decode_list")
        if found is not None:
            return found
        rt = self.rt
        f = internal_function(
            self.module,
            "molt.decode_list",
            PTR,
            [I32, I32, I32, I32],
            ["code", "item_size", "count", "depth"],
        )
        f.attributes.add("noinline")
        self._functions["decode_list"] = f
        code, size, count, depth = f.args
        b = Builder(f.entry_basic_block)
        items = b.call(rt.list_new, [count, size], name="items")
        with b.if_then(b.icmp_unsigned("==", items, ir.Constant(PTR, None))):
            b.ret(items)
        data = b.load(rt.list_field(b, items, 2, "items_field"), name="data")
        zero = const(I32, 0)
        b.store(const(I32, -1), b.gep(rt.path_len, [zero, depth]))
        inner = b.add(depth, const(I32, 1), name="inner")
        # loop over the items: path[depth] = index, decode one at depth + 1
        loop = f.append_basic_block("item_loop")
        body = f.append_basic_block("item")
        stored = f.append_basic_block("stored")
        done = f.append_basic_block("done")
        failed = f.append_basic_block("failed")
        start = b.block
        b.branch(loop)
        b.position_at_end(loop)
        index = b.phi(I32, name="index")
        at = b.phi(PTR, name="at")
        index.add_incoming(zero, start)
        at.add_incoming(data, start)
        b.cbranch(b.icmp_unsigned("<", index, count), body, done)
        b.position_at_end(body)
        b.store(b.zext(index, I64), b.gep(rt.path_index, [zero, depth]))
        b.store(inner, rt.decode_depth)
        b.call(self.fields.decode_any, [code, inner, at])
        b.cbranch(rt.failed(b), failed, stored)
        b.position_at_end(stored)
        index.add_incoming(b.add(index, const(I32, 1)), stored)
        at.add_incoming(b.gep(at, [size], source_etype=I8), stored)
        b.branch(loop)
        b.position_at_end(done)
        b.store(depth, rt.decode_depth)
        b.ret(items)
        b.position_at_end(failed)
        b.ret(ir.Constant(PTR, None))
        return f

    # -- writing ---------------------------------------------------------------------------

    def write_scalar(
        self, b: ir.IRBuilder, at: ir.Value, kind: MoltType, value: ir.Value
    ) -> ir.Value:
        """Write scalar `value` at `at` (room checked by the caller); the position after it."""
        if kind == FLOAT:
            bits = b.bitcast(value, I64)
            is_nan = b.fcmp_unordered("uno", value, value)
            bits = b.select(is_nan, const(I64, CANONICAL_NAN), bits, name="bits")
            b.store(const(I8, 0xCB), at)
            after = b.gep(at, [const(I32, 1)], source_etype=I8)
            return b.call(self.write_be, [after, bits, const(I32, 8)])
        if kind == BOOL:
            b.store(b.select(value, const(I8, 0xC3), const(I8, 0xC2)), at)
            return b.gep(at, [const(I32, 1)], source_etype=I8)
        if kind == NONE:
            b.store(const(I8, 0xC0), at)
            return b.gep(at, [const(I32, 1)], source_etype=I8)
        assert kind == INT
        return b.call(self.write_int, [at, value])

    @property
    def write_int(self) -> ir.Function:
        """write_int(at, value: i64) -> ptr: the smallest MessagePack int format."""
        found = self._functions.get("write_int")
        if found is not None:
            return found
        f = internal_function(self.module, "molt.write_int", PTR, [PTR, I64], ["at", "value"])
        for attribute in ("minsize", "optsize"):
            f.attributes.add(attribute)
        self._functions["write_int"] = f
        at, value = f.args
        b = Builder(f.entry_basic_block)
        # fixints are their own byte; otherwise a marker and a big-endian value of the
        # smallest width that holds it: uint 8/16/32/64 (cc-cf), int 8/16/32/64 (d0-d3)
        fixint = f.append_basic_block("fixint")
        sized = f.append_basic_block("sized")
        negative = b.icmp_signed("<", value, const(I64, 0), name="negative")
        is_fix = b.select(
            negative,
            b.icmp_signed(">=", value, const(I64, -32)),
            b.icmp_signed("<", value, const(I64, 128)),
            name="is_fixint",
        )
        b.cbranch(is_fix, fixint, sized)
        b.position_at_end(fixint)
        b.store(b.trunc(value, I8), at)
        b.ret(b.gep(at, [const(I32, 1)], source_etype=I8))
        b.position_at_end(sized)
        # the magnitude that must fit: value for positive, ~value for negative numbers,
        # shifted once more for the sign bit of int formats
        bits = b.select(negative, b.shl(b.xor(value, const(I64, -1)), const(I64, 1)), value)
        step = b.select(
            b.icmp_unsigned("<", bits, const(I64, 1 << 8)),
            const(I32, 0),
            b.select(
                b.icmp_unsigned("<", bits, const(I64, 1 << 16)),
                const(I32, 1),
                b.select(
                    b.icmp_unsigned("<", bits, const(I64, 1 << 32)), const(I32, 2), const(I32, 3)
                ),
            ),
            name="step",
        )
        base = b.select(negative, const(I32, 0xD0), const(I32, 0xCC))
        b.store(b.trunc(b.add(base, step), I8), at)
        width = b.shl(const(I32, 1), step, name="width")
        b.ret(b.call(self.write_be, [b.gep(at, [const(I32, 1)], source_etype=I8), value, width]))
        return f

    @property
    def write_be(self) -> ir.Function:
        """write_be(at, value: i64, width: i32 >= 1) -> ptr: the low `width` bytes,
        big-endian."""
        found = self._functions.get("write_be")
        if found is not None:
            return found
        f = internal_function(
            self.module, "molt.write_be", PTR, [PTR, I64, I32], ["at", "value", "width"]
        )
        for attribute in ("minsize", "optsize"):
            f.attributes.add(attribute)
        self._functions["write_be"] = f
        at, value, width = f.args
        b = Builder(f.entry_basic_block)
        loop = f.append_basic_block("byte")
        done = f.append_basic_block("done")
        b.branch(loop)
        b.position_at_end(loop)
        left = b.phi(I32, name="left")
        rest = b.phi(I64, name="rest")
        left.add_incoming(width, f.entry_basic_block)
        rest.add_incoming(value, f.entry_basic_block)
        position = b.sub(left, const(I32, 1), name="position")
        b.store(b.trunc(rest, I8), b.gep(at, [position], source_etype=I8))
        left.add_incoming(position, loop)
        rest.add_incoming(b.lshr(rest, const(I64, 8)), loop)
        b.cbranch(b.icmp_unsigned("==", position, const(I32, 0)), done, loop)
        b.position_at_end(done)
        b.ret(b.gep(at, [width], source_etype=I8))
        return f

    def _encode_str(self, f: ir.Function) -> None:
        """A str in the smallest str format: fixstr, str 8, str 16 or str 32."""
        (text,) = f.args
        b = Builder(f.entry_basic_block)
        size = self.text.size(b, text)
        b.call(self.str_header, [size])
        b.call(self.rt.out_copy, [self.text.data(b, text), size])
        b.ret_void()

    @property
    def str_header(self) -> ir.Function:
        """str_header(size: i32): the smallest str header (fixstr, str 8, 16 or 32)."""
        found = self._functions.get("str_header")
        if found is not None:
            return found
        rt = self.rt
        f = internal_function(self.module, "molt.str_header", VOID, [I32], ["size"])
        for attribute in ("noinline", "minsize", "optsize"):
            f.attributes.add(attribute)
        self._functions["str_header"] = f
        (size,) = f.args
        b = Builder(f.entry_basic_block)
        with b.if_then(b.icmp_unsigned("<", size, const(I32, 32))):
            b.call(rt.out_byte, [b.or_(b.trunc(size, I8), const(I8, 0xA0))])
            b.ret_void()
        # str 8/16/32: the marker, then the size big-endian
        with b.if_then(b.not_(b.call(rt.out_ensure, [const(I64, 5)]))):
            b.ret_void()
        at = b.load(rt.out_pos, name="at")
        small = b.icmp_unsigned("<", size, const(I32, 256), name="small")
        medium = b.icmp_unsigned("<", size, const(I32, 1 << 16), name="medium")
        marker = b.select(
            small, const(I8, 0xD9), b.select(medium, const(I8, 0xDA), const(I8, 0xDB))
        )
        width = b.select(small, const(I32, 1), b.select(medium, const(I32, 2), const(I32, 4)))
        b.store(marker, at)
        after = b.gep(at, [const(I32, 1)], source_etype=I8, name="after")
        b.store(b.call(self.write_be, [after, b.zext(size, I64), width]), rt.out_pos)
        b.ret_void()
        return f

    def encoder(self, kind: MoltType) -> ir.Function:
        """molt.encode.<kind>(value): append the value at out.pos (out.failed when full)."""
        name = f"encode.{type_key(kind)}"
        found = self._functions.get(name)
        if found is not None:
            return found
        params = [] if kind == NONE else [llvm_type(kind)]
        f = internal_function(self.module, f"molt.{name}", VOID, params, ["value"][: len(params)])
        f.attributes.add("noinline")
        if isinstance(kind, RecordType):
            self._functions[name] = f
            build_record_encoder(self, f, kind)
            return f
        if isinstance(kind, OptionalType):
            self._functions[name] = f
            build_optional_encoder(self, f, kind)
            return f
        if isinstance(kind, DictType):
            self._functions[name] = f
            build_dict_encoder(self, f, kind)
            return f
        if kind == STR:
            self._functions[name] = f
            self._encode_str(f)
            return f
        if kind == BYTES:
            self._functions[name] = f
            build_bytes_encoder(self, f)
            return f
        if not isinstance(kind, ListType):
            for attribute in ("minsize", "optsize"):
                f.attributes.add(attribute)
        self._functions[name] = f
        rt = self.rt
        b = Builder(f.entry_basic_block)
        if not isinstance(kind, ListType):
            with b.if_then(b.call(rt.out_ensure, [const(I64, 9)])):
                at = b.load(rt.out_pos)
                value = f.args[0] if params else None
                b.store(self.write_scalar(b, at, kind, value), rt.out_pos)
            b.ret_void()
            return f
        (items,) = f.args
        count = b.load(rt.list_field(b, items, 0, "length_field"), name="count")
        data = b.load(rt.list_field(b, items, 2, "items_field"), name="data")
        item = kind.item
        b.call(self.container_header, [count, const(I1, 0)])
        if is_pointer(item):
            # lists, records, dicts, str and optional items: the shared loop
            code = const(I32, self.fields.encode_code(item))
            b.call(self.fields.encode_items, [data, count, code, const(I32, item_size(item))])
            b.ret_void()
            return f
        # scalars are written in place, after one check of room for them all
        room = b.mul(b.zext(count, I64), const(I64, 9))
        with b.if_then(b.not_(b.call(rt.out_ensure, [room]))):
            b.ret_void()
        start = b.load(rt.out_pos, name="start")
        with counted_loop(b, count, "item") as loop:
            position = loop.carry(PTR, start, "position")
            slot = b.gep(data, [loop.index], source_etype=item_type(item))
            value = b.load(slot, name="value")
            if item == BOOL:
                value = b.trunc(value, I1)
            loop.next(position, self.write_scalar(b, position, item, value))
        b.store(position, rt.out_pos)
        b.ret_void()
        return f

    @property
    def container_header(self) -> ir.Function:
        """container_header(count: i32, is_map: i1): the smallest array or map header
        (fixarray/fixmap, array 16/map 16, array 32/map 32)."""
        found = self._functions.get("container_header")
        if found is not None:
            return found
        rt = self.rt
        f = internal_function(
            self.module, "molt.container_header", VOID, [I32, I1], ["count", "is_map"]
        )
        for attribute in ("noinline", "minsize", "optsize"):
            f.attributes.add(attribute)
        self._functions["container_header"] = f
        count, is_map = f.args
        b = Builder(f.entry_basic_block)
        with b.if_then(b.not_(b.call(rt.out_ensure, [const(I64, 5)]))):
            b.ret_void()
        at = b.load(rt.out_pos, name="at")
        after = b.gep(at, [const(I32, 1)], source_etype=I8, name="after")
        # fix formats hold the count in the marker; 16/32 ones follow it big-endian
        fix = b.icmp_unsigned("<", count, const(I32, 16), name="fix")
        medium = b.icmp_unsigned("<", count, const(I32, 1 << 16), name="medium")
        width = b.select(medium, const(I32, 2), const(I32, 4), name="width")
        fix_marker = b.or_(b.trunc(count, I8), b.select(is_map, const(I8, 0x80), const(I8, 0x90)))
        sized = b.select(
            medium,
            b.select(is_map, const(I8, 0xDE), const(I8, 0xDC)),
            b.select(is_map, const(I8, 0xDF), const(I8, 0xDD)),
        )
        b.store(b.select(fix, fix_marker, sized), at)
        b.store(after, rt.out_pos)
        with b.if_then(b.not_(fix)):
            b.store(b.call(self.write_be, [after, b.zext(count, I64), width]), rt.out_pos)
        b.ret_void()
        return f


# The markers c0..df, each as (category << 4) | width: the bytes after the marker
# that hold its length, count or value.
(
    _NIL,
    _FALSE,
    _TRUE,
    _NEVER,
    _BIN,
    _EXT,
    _FLOAT32,
    _FLOAT64,
    _UINT,
    _INT,
    _STR,
    _ARRAY,
    _MAP,
) = range(13)
_TYPED = {
    0xC0: (_NIL, 0), 0xC1: (_NEVER, 0), 0xC2: (_FALSE, 0), 0xC3: (_TRUE, 0),
    0xC4: (_BIN, 1), 0xC5: (_BIN, 2), 0xC6: (_BIN, 4),
    0xCA: (_FLOAT32, 4), 0xCB: (_FLOAT64, 8),
    0xCC: (_UINT, 1), 0xCD: (_UINT, 2), 0xCE: (_UINT, 4), 0xCF: (_UINT, 8),
    0xD0: (_INT, 1), 0xD1: (_INT, 2), 0xD2: (_INT, 4), 0xD3: (_INT, 8),
    0xD9: (_STR, 1), 0xDA: (_STR, 2), 0xDB: (_STR, 4),
    0xDC: (_ARRAY, 2), 0xDD: (_ARRAY, 4), 0xDE: (_MAP, 2), 0xDF: (_MAP, 4),
}  # fmt: skip
_MARKERS = bytes(
    (_TYPED.get(marker, (_EXT, 0))[0] << 4) | _TYPED.get(marker, (_EXT, 0))[1]
    for marker in range(0xC0, 0xE0)
)


class _HeadReader:
    """Builds `molt.read_head` (see `MessagePack.read_head`), table-driven.

    Block layout: entry (end of message?) -> fixed formats by range (fixint,
    negative fixint, fixmap or fixarray, fixstr) | typed: the marker table gives a
    category and a width; `need` checks the width, `read_be` reads it, and a switch
    on the category finishes; strings and bins share `string`, every truncation
    shares `short`, and every item read ends in `exit`.
    """

    def __init__(self, codec: MessagePack) -> None:
        self.codec = codec
        self.rt = codec.rt
        self.module = codec.module

    def build(self) -> ir.Function:
        rt, codec = self.rt, self.codec
        f = internal_function(self.module, "molt.read_head", I32, [], [])
        for attribute in ("noinline", "minsize", "optsize"):
            f.attributes.add(attribute)
        b = Builder(f.entry_basic_block)
        block = {
            name: f.append_basic_block(name)
            for name in (
                "marker", "fixint", "not_fixint", "negative_fixint", "not_negative",
                "fixmap", "not_fixarray", "fixstr", "typed",
                "have_width", "string", "have_string", "check_utf8", "string_done",
                "short", "end", "bad_utf8", "uint", "bad_uint", "uint_ok", "int", "float32",
                "float64", "container", "container_short", "container_ok", "never", "ext",
                "nil", "false", "true", "bin", "str",
            )
        }  # fmt: skip
        one = const(I32, 1)
        pos = b.load(rt.in_pos, name="pos")
        end = b.load(rt.in_end, name="end")
        end_address = rt.address(b, end)
        b.cbranch(
            b.icmp_unsigned("==", rt.address(b, pos), end_address), block["end"], block["marker"]
        )
        b.position_at_end(block["end"])
        codec.malformed(b, D_END, [codec.offset(b, end)])
        b.ret(const(I32, -1))

        b.position_at_end(block["marker"])
        marker = b.zext(b.load(pos, typ=I8, name="byte"), I32, name="marker")
        after = b.gep(pos, [one], source_etype=I8, name="after_marker")

        # every item read ends in `exit`: head.value and in.pos stored once
        exit_block = f.append_basic_block("exit")
        exit_builder = Builder(exit_block)
        exit_kind = exit_builder.phi(I32, name="exit_kind")
        exit_at = exit_builder.phi(PTR, name="exit_at")
        exit_value = exit_builder.phi(I64, name="exit_value")
        exit_builder.store(exit_value, rt.head_value)
        exit_builder.store(exit_at, rt.in_pos)
        exit_builder.ret(exit_kind)

        def finish(kind: int | ir.Value, at: ir.Value, value: ir.Value) -> None:
            exit_kind.add_incoming(const(I32, kind) if isinstance(kind, int) else kind, b.block)
            exit_at.add_incoming(at, b.block)
            exit_value.add_incoming(value, b.block)
            b.branch(exit_block)

        def split(condition: ir.Value, yes: str, no: str) -> None:
            b.cbranch(condition, block[yes], block[no])
            b.position_at_end(block[yes])

        low4 = b.zext(b.and_(marker, const(I32, 15)), I64, name="low4")
        split(b.icmp_unsigned("<", marker, const(I32, 0x80)), "fixint", "not_fixint")
        finish(KIND_INT, after, b.zext(marker, I64))
        b.position_at_end(block["not_fixint"])
        split(b.icmp_unsigned(">=", marker, const(I32, 0xE0)), "negative_fixint", "not_negative")
        finish(KIND_INT, after, b.sub(b.zext(marker, I64), const(I64, 0x100)))
        b.position_at_end(block["not_negative"])
        split(b.icmp_unsigned("<", marker, const(I32, 0xA0)), "fixmap", "not_fixarray")
        is_map = b.icmp_unsigned("<", marker, const(I32, 0x90), name="is_fixmap")
        finish(b.select(is_map, const(I32, KIND_MAP), const(I32, KIND_ARRAY)), after, low4)
        b.position_at_end(block["not_fixarray"])
        fixstr_length = b.zext(b.and_(marker, const(I32, 31)), I64, name="fixstr_length")
        b.cbranch(b.icmp_unsigned("<", marker, const(I32, 0xC0)), block["fixstr"], block["typed"])
        b.position_at_end(block["fixstr"])
        b.branch(block["string"])

        # typed formats: category and width from the table
        b.position_at_end(block["typed"])
        table = self.rt.strings.raw(_MARKERS)
        entry = b.zext(
            b.load(b.gep(table, [const(I32, 0), b.sub(marker, const(I32, 0xC0))])),
            I32,
            name="entry",
        )
        category = b.lshr(entry, const(I32, 4), name="category")
        width = b.zext(b.and_(entry, const(I32, 15)), I64, name="width")
        remaining = b.sub(end_address, rt.address(b, after), name="remaining")
        short_from = [(after, width, b.block)]
        b.cbranch(b.icmp_unsigned(">", width, remaining), block["short"], block["have_width"])
        b.position_at_end(block["have_width"])
        raw = b.call(self.read_be, [after, b.trunc(width, I32)], name="raw")
        payload = b.gep(after, [b.trunc(width, I32)], source_etype=I8, name="payload")
        switch = b.switch(category, block["ext"])
        for value, name in (
            (_NIL, "nil"), (_FALSE, "false"), (_TRUE, "true"), (_NEVER, "never"),
            (_BIN, "bin"), (_STR, "str"), (_FLOAT32, "float32"), (_FLOAT64, "float64"),
            (_UINT, "uint"), (_INT, "int"), (_ARRAY, "container"), (_MAP, "container"),
        ):  # fmt: skip
            switch.add_case(const(I32, value), block[name])
        for name, value in (("nil", 0), ("false", 0), ("true", 1)):
            b.position_at_end(block[name])
            finish(KIND_NIL if name == "nil" else KIND_BOOL, payload, const(I64, value))
        for name, text in (("never", D_C1), ("ext", D_EXT)):
            b.position_at_end(block[name])
            codec.malformed(b, text, [codec.offset(b, pos)])
            b.ret(const(I32, -1))
        b.position_at_end(block["float32"])
        single = b.bitcast(b.trunc(raw, I32), F32)
        b.store(b.fpext(single, F64), rt.head_float)
        finish(KIND_FLOAT, payload, raw)
        b.position_at_end(block["float64"])
        b.store(b.bitcast(raw, F64), rt.head_float)
        finish(KIND_FLOAT, payload, raw)
        b.position_at_end(block["uint"])
        b.cbranch(b.icmp_signed("<", raw, const(I64, 0)), block["bad_uint"], block["uint_ok"])
        b.position_at_end(block["bad_uint"])
        codec.malformed(b, D_UINT, [raw])
        b.ret(const(I32, -1))
        b.position_at_end(block["uint_ok"])
        finish(KIND_INT, payload, raw)
        b.position_at_end(block["int"])
        # sign-extend the low `width` bytes
        shift = b.sub(const(I64, 64), b.shl(width, const(I64, 3)), name="shift")
        finish(KIND_INT, payload, b.ashr(b.shl(raw, shift), shift, name="signed"))
        b.position_at_end(block["container"])
        rest = b.sub(end_address, rt.address(b, payload), name="rest")
        is_map = b.icmp_unsigned("==", category, const(I32, _MAP), name="is_map")
        b.cbranch(b.icmp_unsigned(">", raw, rest), block["container_short"], block["container_ok"])
        b.position_at_end(block["container_short"])
        zero = const(I32, 0)
        word_kind = b.select(is_map, const(I32, KIND_MAP), const(I32, KIND_ARRAY))
        word = b.load(b.gep(codec.key_kind_names, [zero, word_kind]), name="word")
        codec.malformed(b, D_CONTAINER, [codec.offset(b, pos), raw, rest], slot1=word)
        b.ret(const(I32, -1))
        b.position_at_end(block["container_ok"])
        finish(b.select(is_map, const(I32, KIND_MAP), const(I32, KIND_ARRAY)), payload, raw)

        for name in ("bin", "str"):
            b.position_at_end(block[name])
            b.branch(block["string"])
        # strings and bins: `length` bytes from `start`
        b.position_at_end(block["string"])
        start = b.phi(PTR, name="start")
        length = b.phi(I64, name="length")
        is_str = b.phi(I1, name="is_str")
        start.add_incoming(after, block["fixstr"])
        length.add_incoming(fixstr_length, block["fixstr"])
        is_str.add_incoming(const(I1, 1), block["fixstr"])
        for name in ("bin", "str"):
            start.add_incoming(payload, block[name])
            length.add_incoming(raw, block[name])
            is_str.add_incoming(const(I1, name == "str"), block[name])
        left = b.sub(end_address, rt.address(b, start), name="left")
        short_from.append((start, length, block["string"]))
        b.cbranch(b.icmp_unsigned(">", length, left), block["short"], block["have_string"])
        b.position_at_end(block["have_string"])
        b.cbranch(is_str, block["check_utf8"], block["string_done"])
        b.position_at_end(block["check_utf8"])
        valid = b.call(codec.utf8_valid, [start, b.trunc(length, I32)])
        b.cbranch(valid, block["string_done"], block["bad_utf8"])
        b.position_at_end(block["bad_utf8"])
        codec.malformed(b, D_UTF8, [codec.offset(b, pos)])
        b.ret(const(I32, -1))
        b.position_at_end(block["string_done"])
        b.store(start, rt.head_str)
        kind = b.select(is_str, const(I32, KIND_STR), const(I32, KIND_BIN))
        finish(kind, b.gep(start, [b.trunc(length, I32)], source_etype=I8), length)

        # a truncated value: `count` bytes needed from `from`
        b.position_at_end(block["short"])
        need_from = b.phi(PTR, name="need_from")
        need_count = b.phi(I64, name="need_count")
        for at, count, source in short_from:
            need_from.add_incoming(at, source)
            need_count.add_incoming(count, source)
        available = b.sub(end_address, rt.address(b, need_from))
        offsets = [codec.offset(b, pos), need_count, codec.offset(b, need_from), available]
        codec.malformed(b, D_NEED, offsets)
        b.ret(const(I32, -1))
        return f

    @property
    def read_be(self) -> ir.Function:
        """read_be(at, width: i32) -> i64: the big-endian unsigned value of `width` bytes."""
        found = self.codec._functions.get("read_be")
        if found is not None:
            return found
        f = internal_function(self.module, "molt.read_be", I64, [PTR, I32], ["at", "width"])
        self.codec._functions["read_be"] = f
        at, width = f.args
        b = Builder(f.entry_basic_block)
        loop = f.append_basic_block("byte")
        done = f.append_basic_block("done")
        b.branch(loop)
        b.position_at_end(loop)
        index = b.phi(I32, name="index")
        value = b.phi(I64, name="value")
        index.add_incoming(const(I32, 0), f.entry_basic_block)
        value.add_incoming(const(I64, 0), f.entry_basic_block)
        more = b.icmp_unsigned("<", index, width)
        step = f.append_basic_block("step")
        b.cbranch(more, step, done)
        b.position_at_end(step)
        byte = b.zext(b.load(b.gep(at, [index], source_etype=I8), typ=I8), I64)
        index.add_incoming(b.add(index, const(I32, 1)), step)
        value.add_incoming(b.or_(b.shl(value, const(I64, 8)), byte), step)
        b.branch(loop)
        b.position_at_end(done)
        b.ret(value)
        return f
