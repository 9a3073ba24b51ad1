"""Table-driven codecs: maps with known keys (an export's input map, every record),
and the type-code dispatch that the list and dict loops share.

Every map with known keys is read the same way (spec/abi.yaml `messages.input`,
MOLT-L-TYPE-RECORD): str keys (else MOLT-E-MALFORMED-MESSAGE), each known key at
most once (a repeat is MALFORMED), no unknown key and no missing one
(SCHEMA-VIOLATION at the key's JSON path), any order. So one pair of functions
reads them all, driven by a constant table per map (`table`) whose entries give
a key, the type code of its value, what a SCHEMA-VIOLATION says was expected,
and the value's byte offset in the destination:

    molt.decode_fields(table, count, entries, depth, base, seen) -> i1
        read `entries` key/value pairs; a value's type code picks its decoder in
        molt.decode_any(code, depth, at), which stores the value at `at` the way a
        list item or record field of its type is stored (`_msgpack.item_type`)
    molt.missing_fields(table, count, depth, seen) -> i1

`seen` holds one byte per key, zeroed by the caller. Writing a record is driven
by a table too (`key_table`): each entry is the field's key as canonical
MessagePack bytes (the first one led by the map header), the field's type code
and its offset:

    molt.encode_fields(table, count, base)
        per field: the key bytes, then molt.encode_any(code, at)
    molt.encode_items(data, count, code, item_size)
        list items and dict values, through encode_any

A record's decoder and encoder are then a few instructions each, and every list
and dict type shares one loop per direction; the tables are data. Type codes are
numbered in order of first use, so the output is deterministic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
)
from molt.compiler.core._loops import counted_loop
from molt.compiler.ir.types import BOOL, NONE, MoltType

if TYPE_CHECKING:
    from molt.compiler.core._msgpack import MessagePack

__all__ = ["FIELD_ENTRY", "KEY_ENTRY", "Fields"]

FIELD_ENTRY = ir.LiteralStructType([PTR, I32, I32, PTR])
"""One key to read: its name, the name's length in bytes, `code | offset << 16` (the
value's type code and its byte offset in the destination), and what a
SCHEMA-VIOLATION says was expected."""
KEY_ENTRY = ir.LiteralStructType([PTR, I32, I32])
"""One field to write: its key as MessagePack bytes, their length, and
`code | offset << 16` (an encode_any type code)."""

D_DUPLICATE = "duplicate map key '{last_key}'"
MISSING = "no value (the key is missing)"
UNKNOWN = "no such key here"


class Fields:
    """The table-driven codecs of one module, built on first use; `finish` emits the
    type-code dispatchers once every code is known."""

    def __init__(self, codec: MessagePack) -> None:
        self.codec = codec
        self.rt = codec.rt
        self.module = codec.module
        self._codes: dict[MoltType, int] = {}
        self._encode_codes: dict[MoltType, int] = {}
        self._decode_any: ir.Function | None = None
        self._encode_any: ir.Function | None = None
        self._encode_fields: ir.Function | None = None
        self._decode_fields: ir.Function | None = None
        self._missing_fields: ir.Function | None = None

    # -- tables ------------------------------------------------------------------------------

    def type_code(self, kind: MoltType) -> int:
        """A small number for each value type read through a table (see decode_any)."""
        if kind not in self._codes:
            self._codes[kind] = len(self._codes)
        return self._codes[kind]

    def table(self, name: str, fields: list[tuple[str, MoltType, int]]) -> ir.GlobalVariable:
        """The constant table of (key, value type, offset) `fields`, as global `name`."""
        from molt.compiler.core._msgpack import expectation

        strings = self.rt.strings
        entries = []
        for key, kind, offset in fields:
            code = self.type_code(kind)
            assert code < 1 << 16 and offset < 1 << 16, (key, code, offset)
            packed = code | offset << 16
            entries.append(
                ir.Constant(
                    FIELD_ENTRY,
                    [
                        strings.cstr(key),
                        const(I32, len(key.encode("utf-8"))),
                        const(I32, packed),
                        strings.cstr(expectation(kind)),
                    ],
                )
            )
        kind = ir.ArrayType(FIELD_ENTRY, max(len(entries), 1))
        table = ir.GlobalVariable(self.module, kind, name=name)
        table.linkage = "private"
        table.global_constant = True
        table.initializer = ir.Constant(kind, entries or None)
        return table

    # -- decoding ----------------------------------------------------------------------------

    @property
    def decode_any(self) -> ir.Function:
        """decode_any(code, depth, at): read a value of type `code` and store it at `at`
        (a bool as one byte, nothing for None); emitted by `finish`."""
        if self._decode_any is None:
            f = internal_function(
                self.module, "molt.decode_any", VOID, [I32, I32, PTR], ["code", "depth", "at"]
            )
            for attribute in ("noinline", "minsize", "optsize"):
                f.attributes.add(attribute)
            self._decode_any = f
        return self._decode_any

    def finish(self) -> None:
        """Emit decode_any and encode_any for every type code (a record's decoder or
        encoder may add codes while they are emitted)."""
        if self._encode_any is not None:
            self._emit_encode_any(self._encode_any)
        if self._decode_any is None:
            return
        f = self._decode_any
        b = Builder(f.entry_basic_block)
        code, depth, at = f.args
        unknown = f.append_basic_block("unknown")
        switch = b.switch(code, unknown)
        done = 0
        while done < len(self._codes):
            kind, number = list(self._codes.items())[done]
            done += 1
            block = f.append_basic_block(f"type.{number}")
            switch.add_case(const(I32, number), block)
            b.position_at_end(block)
            value = b.call(self.codec.decoder(kind), [depth])
            if kind != NONE:
                b.store(b.zext(value, I8) if kind == BOOL else value, at, align=1)
            b.ret_void()
        b.position_at_end(unknown)
        b.unreachable()

    def _entry(self, b: ir.IRBuilder, table: ir.Value, index: ir.Value, field: int) -> ir.Value:
        zero = const(I32, 0)
        entry = b.gep(table, [index], source_etype=FIELD_ENTRY)
        return b.load(b.gep(entry, [zero, const(I32, field)], source_etype=FIELD_ENTRY))

    @property
    def decode_fields(self) -> ir.Function:
        """decode_fields(table, count, entries, depth, base, seen) -> i1: read `entries`
        key/value pairs at in.pos into `base`; 0 with the problem recorded."""
        if self._decode_fields is not None:
            return self._decode_fields
        rt, codec = self.rt, self.codec
        f = internal_function(
            self.module,
            "molt.decode_fields",
            I1,
            [PTR, I32, I64, I32, PTR, PTR],
            ["table", "count", "entries", "depth", "base", "seen"],
        )
        for attribute in ("noinline", "minsize", "optsize"):
            f.attributes.add(attribute)
        self._decode_fields = f
        table, count, entries, depth, base, seen = f.args
        zero = const(I32, 0)
        inner = None
        b = Builder(f.entry_basic_block)
        failed = f.append_basic_block("failed")
        # block layout: entry -> key_loop -> key -> param_loop (compare the key with each
        # entry) -> matched -> store -> key_loop | unknown; after_keys; every problem
        # branches to `failed`
        key_loop = f.append_basic_block("key_loop")
        key_block = f.append_basic_block("key")
        after_keys = f.append_basic_block("after_keys")
        inner = b.add(depth, const(I32, 1), name="inner")
        b.branch(key_loop)
        b.position_at_end(key_loop)
        index = b.phi(I64, name="entry_index")
        index.add_incoming(const(I64, 0), f.entry_basic_block)
        b.cbranch(b.icmp_unsigned("<", index, entries), key_block, after_keys)

        b.position_at_end(key_block)
        key, key_length = codec.read_key(b, depth, inner, lambda: b.branch(failed))
        # find the key in the table
        param_loop = f.append_basic_block("param_loop")
        param_body = f.append_basic_block("param")
        compare = f.append_basic_block("compare")
        matched = f.append_basic_block("matched")
        unknown = f.append_basic_block("unknown")
        next_param = f.append_basic_block("next_param")
        here = b.block
        b.branch(param_loop)
        b.position_at_end(param_loop)
        param = b.phi(I32, name="param")
        param.add_incoming(zero, here)
        b.cbranch(b.icmp_unsigned("<", param, count), param_body, unknown)
        b.position_at_end(param_body)
        name_length = self._entry(b, table, param, 1)
        b.cbranch(b.icmp_unsigned("==", name_length, key_length), compare, next_param)
        b.position_at_end(compare)
        name = self._entry(b, table, param, 0)
        equal = b.call(rt.bytes_equal, [key, name, key_length])
        b.cbranch(equal, matched, next_param)
        b.position_at_end(next_param)
        param.add_incoming(b.add(param, const(I32, 1)), next_param)
        b.branch(param_loop)

        b.position_at_end(matched)
        flag = b.gep(seen, [param], source_etype=I8, name="flag")
        with b.if_then(b.icmp_unsigned("!=", b.load(flag, typ=I8), const(I8, 0))):
            codec.malformed(b, D_DUPLICATE, [])
            b.branch(failed)
        b.store(const(I8, 1), flag)
        packed = self._entry(b, table, param, 2)
        code = b.and_(packed, const(I32, 0xFFFF), name="code")
        at = b.gep(base, [b.lshr(packed, const(I32, 16))], source_etype=I8, name="at")
        b.call(self.decode_any, [code, inner, at])
        with b.if_then(rt.failed(b)):
            b.branch(failed)
        index.add_incoming(b.add(index, const(I64, 1)), b.block)
        b.branch(key_loop)

        # an unknown key: the value's kind tells what came
        b.position_at_end(unknown)
        value_kind = b.call(codec.read_head, [], name="value_kind")
        with b.if_then(b.icmp_signed("<", value_kind, zero)):
            b.branch(failed)
        got = b.load(b.gep(codec.kind_names, [zero, value_kind]), name="got")
        codec.mismatch_text(b, UNKNOWN, got)
        b.branch(failed)

        b.position_at_end(after_keys)
        b.store(depth, rt.decode_depth)
        b.ret(const(I1, 1))
        b.position_at_end(failed)
        b.ret(const(I1, 0))
        return f

    @property
    def missing_fields(self) -> ir.Function:
        """missing_fields(table, count, depth, seen) -> i1: 1 when every key was seen,
        else 0 with a SCHEMA-VIOLATION at the first missing key's path."""
        if self._missing_fields is not None:
            return self._missing_fields
        rt, codec = self.rt, self.codec
        f = internal_function(
            self.module,
            "molt.missing_fields",
            I1,
            [PTR, I32, I32, PTR],
            ["table", "count", "depth", "seen"],
        )
        for attribute in ("noinline", "minsize", "optsize"):
            f.attributes.add(attribute)
        self._missing_fields = f
        table, count, depth, seen = f.args
        zero = const(I32, 0)
        b = Builder(f.entry_basic_block)
        loop = f.append_basic_block("missing_loop")
        check = f.append_basic_block("missing_check")
        missing = f.append_basic_block("missing")
        present = f.append_basic_block("present")
        complete = f.append_basic_block("complete")
        b.branch(loop)
        b.position_at_end(loop)
        param = b.phi(I32, name="checked")
        param.add_incoming(zero, f.entry_basic_block)
        b.cbranch(b.icmp_unsigned("<", param, count), check, complete)
        b.position_at_end(check)
        flag = b.load(b.gep(seen, [param], source_etype=I8), typ=I8)
        b.cbranch(b.icmp_unsigned("==", flag, const(I8, 0)), missing, present)
        b.position_at_end(present)
        param.add_incoming(b.add(param, const(I32, 1)), present)
        b.branch(loop)
        b.position_at_end(missing)
        b.store(self._entry(b, table, param, 0), b.gep(rt.path_name, [zero, depth]))
        b.store(self._entry(b, table, param, 1), b.gep(rt.path_len, [zero, depth]))
        b.store(b.add(depth, const(I32, 1)), rt.decode_depth)
        codec.mismatch_values(b, self._entry(b, table, param, 3), rt.strings.cstr(MISSING))
        b.ret(const(I1, 0))
        b.position_at_end(complete)
        b.ret(const(I1, 1))
        return f

    # -- encoding ----------------------------------------------------------------------------

    def key_table(
        self, name: str, header: bytes, fields: list[tuple[bytes, MoltType, int]]
    ) -> ir.GlobalVariable:
        """The constant table of (key bytes, value type, offset) `fields` to write, the
        first key led by the map `header`, as global `name`."""
        strings = self.rt.strings
        entries = []
        for position, (key, kind, offset) in enumerate(fields):
            code = self.encode_code(kind)
            assert code < 1 << 16 and offset < 1 << 16, (key, code, offset)
            data = header + key if position == 0 else key
            entries.append(
                ir.Constant(
                    KEY_ENTRY,
                    [strings.raw(data), const(I32, len(data)), const(I32, code | offset << 16)],
                )
            )
        kind = ir.ArrayType(KEY_ENTRY, len(entries))
        table = ir.GlobalVariable(self.module, kind, name=name)
        table.linkage = "private"
        table.global_constant = True
        table.initializer = ir.Constant(kind, entries)
        return table

    def encode_code(self, kind: MoltType) -> int:
        """A small number for each value type written through encode_any."""
        if kind not in self._encode_codes:
            self._encode_codes[kind] = len(self._encode_codes)
        return self._encode_codes[kind]

    @property
    def encode_items(self) -> ir.Function:
        """encode_items(data, count, code, item_size): `count` values of type `code`
        stored `item_size` bytes apart from `data` (list items, dict values)."""
        found = self.module.globals.get("molt.encode_items")
        if found is not None:
            assert isinstance(found, ir.Function)
            return found
        f = internal_function(
            self.module,
            "molt.encode_items",
            VOID,
            [PTR, I32, I32, I32],
            ["data", "count", "code", "item_size"],
        )
        f.attributes.add("noinline")
        data, count, code, size = f.args
        b = Builder(f.entry_basic_block)
        with counted_loop(b, count, "item") as loop:
            at = loop.carry(PTR, data, "at")
            b.call(self.encode_any, [code, at])
            loop.next(at, b.gep(at, [size], source_etype=I8))
        b.ret_void()
        return f

    @property
    def encode_any(self) -> ir.Function:
        """encode_any(code, at): write the value of type `code` stored at `at` (as a list
        item of its type is); emitted by `finish`."""
        if self._encode_any is None:
            f = internal_function(self.module, "molt.encode_any", VOID, [I32, PTR], ["code", "at"])
            for attribute in ("noinline", "minsize", "optsize"):
                f.attributes.add(attribute)
            self._encode_any = f
        return self._encode_any

    def _emit_encode_any(self, f: ir.Function) -> None:
        from molt.compiler.core._msgpack import item_type

        b = Builder(f.entry_basic_block)
        code, at = f.args
        unknown = f.append_basic_block("unknown")
        switch = b.switch(code, unknown)
        done = 0
        while done < len(self._encode_codes):
            kind, number = list(self._encode_codes.items())[done]
            done += 1
            block = f.append_basic_block(f"type.{number}")
            switch.add_case(const(I32, number), block)
            b.position_at_end(block)
            if kind == NONE:
                b.call(self.codec.encoder(kind), [])
            else:
                value = b.load(at, typ=item_type(kind), align=1, name="value")
                b.call(self.codec.encoder(kind), [b.trunc(value, I1) if kind == BOOL else value])
            b.ret_void()
        b.position_at_end(unknown)
        b.unreachable()

    @property
    def encode_fields(self) -> ir.Function:
        """encode_fields(table, count, base): per entry, its key bytes, then its value
        from `base`; a full output sets out.failed (as every writer does)."""
        if self._encode_fields is not None:
            return self._encode_fields
        rt = self.rt
        f = internal_function(
            self.module, "molt.encode_fields", VOID, [PTR, I32, PTR], ["table", "count", "base"]
        )
        for attribute in ("noinline", "minsize", "optsize"):
            f.attributes.add(attribute)
        self._encode_fields = f
        table, count, base = f.args
        zero = const(I32, 0)
        b = Builder(f.entry_basic_block)
        with counted_loop(b, count, "field") as loop:
            entry = b.gep(table, [loop.index], source_etype=KEY_ENTRY, name="entry")

            def field(number: int) -> ir.Value:
                return b.load(b.gep(entry, [zero, const(I32, number)], source_etype=KEY_ENTRY))

            b.call(rt.out_copy, [field(0), field(1)])
            packed = field(2)
            code = b.and_(packed, const(I32, 0xFFFF), name="code")
            at = b.gep(base, [b.lshr(packed, const(I32, 16))], source_etype=I8, name="at")
            b.call(self.encode_any, [code, at])
        b.ret_void()
        return f
