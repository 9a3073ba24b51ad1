"""The MessagePack codecs of records (MOLT-L-TYPE-RECORD): a map keyed by field name.

Reading is strict like the input map of an export (spec/abi.yaml `wire_format`):
keys must be str (else MOLT-E-MALFORMED-MESSAGE), each field exactly once (a
repeated key is MALFORMED, an unknown key or a missing field a
SCHEMA-VIOLATION at the field's JSON path), in any order. Writing is canonical:
the fields in declaration order, each key in the smallest str format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llvmlite import ir

from molt.compiler.core._llvm import I1, I8, I32, I64, PTR, Builder, const
from molt.compiler.ir.types import BOOL, NONE, RecordType

if TYPE_CHECKING:
    from molt.compiler.core._msgpack import MessagePack

__all__ = ["build_record_decoder", "build_record_encoder"]

D_KEY = "map key at offset {u0} is {slot1}, not a str"
D_DUPLICATE = "duplicate map key '{last_key}'"
MISSING = "no value (the key is missing)"


def build_record_decoder(codec: MessagePack, f: ir.Function, kind: RecordType) -> None:
    """The body of molt.decode.record.<Name>(depth) -> ptr (null with the error recorded)."""
    from molt.compiler.core._msgpack import (
        KIND_MAP,
        KIND_STR,
        expectation,
        field_pointer,
        record_size,
    )

    rt = codec.rt
    (depth,) = f.args
    zero = const(I32, 0)
    null = ir.Constant(PTR, None)
    count = len(kind.fields)
    b = Builder(f.entry_basic_block)
    # block layout: entry (map header, allocation) -> key_loop -> key -> match.<field>
    # ... -> field.<field> (decode at depth + 1) -> key_loop | unknown; after_keys ->
    # missing.<field> ... -> done; every problem returns null
    seen_type = ir.ArrayType(I8, count)
    seen = b.alloca(seen_type, name="seen")
    b.store(ir.Constant(seen_type, None), seen)
    head = b.call(codec.read_head, [], name="kind")
    with b.if_then(b.icmp_signed("<", head, zero)):
        b.ret(null)
    with b.if_then(b.icmp_signed("!=", head, const(I32, KIND_MAP))):
        codec.mismatch(b, expectation(kind), head)
        b.ret(null)
    entries = b.load(rt.head_value, name="entries")
    record = b.call(rt.alloc, [record_size(b, kind)], name="record")
    with b.if_then(b.icmp_unsigned("==", record, null)):
        b.ret(null)
    inner = b.add(depth, const(I32, 1), name="inner")
    key_loop = f.append_basic_block("key_loop")
    key_block = f.append_basic_block("key")
    unknown = f.append_basic_block("unknown")
    after_keys = f.append_basic_block("after_keys")
    start = b.block
    b.branch(key_loop)
    b.position_at_end(key_loop)
    index = b.phi(I64, name="entry_index")
    index.add_incoming(const(I64, 0), start)
    b.cbranch(b.icmp_unsigned("<", index, entries), key_block, after_keys)

    b.position_at_end(key_block)
    b.store(depth, rt.decode_depth)
    key_at = b.load(rt.in_pos, name="key_at")
    key_kind = b.call(codec.read_head, [], name="key_kind")
    with b.if_then(b.icmp_signed("<", key_kind, zero)):
        b.ret(null)
    with b.if_then(b.icmp_signed("!=", key_kind, const(I32, KIND_STR))):
        word = b.load(b.gep(codec.key_kind_names, [zero, key_kind]))
        codec.malformed(b, D_KEY, [codec.offset(b, key_at)], slot1=word)
        b.ret(null)
    key = b.load(rt.head_str, name="key")
    key_length = b.trunc(b.load(rt.head_value), I32, name="key_length")
    b.store(key, b.gep(rt.path_name, [zero, depth]))
    b.store(key_length, b.gep(rt.path_len, [zero, depth]))
    b.store(inner, rt.decode_depth)
    for position, (name, field) in enumerate(kind.fields):
        encoded = name.encode("utf-8")
        compare = f.append_basic_block(f"compare.{name}")
        matched = f.append_basic_block(f"field.{name}")
        following = f.append_basic_block(f"after_compare.{name}")
        same_length = b.icmp_unsigned("==", key_length, const(I32, len(encoded)))
        b.cbranch(same_length, compare, following)
        b.position_at_end(compare)
        equal = b.call(rt.bytes_equal, [key, rt.strings.cstr(name), key_length])
        b.cbranch(equal, matched, following)
        b.position_at_end(matched)
        flag = b.gep(seen, [zero, const(I32, position)], name=f"{name}.seen")
        with b.if_then(b.icmp_unsigned("!=", b.load(flag), const(I8, 0))):
            codec.malformed(b, D_DUPLICATE, [])
            b.ret(null)
        b.store(const(I8, 1), flag)
        value = b.call(codec.decoder(field), [inner], name=name)
        with b.if_then(rt.failed(b)):
            b.ret(null)
        if field == BOOL:
            value = b.zext(value, I8)
        if field != NONE:
            b.store(value, field_pointer(b, record, kind, position))
        index.add_incoming(b.add(index, const(I64, 1)), b.block)
        b.branch(key_loop)
        b.position_at_end(following)
    b.branch(unknown)

    # an unknown key: the value's kind tells what came
    b.position_at_end(unknown)
    value_kind = b.call(codec.read_head, [], name="value_kind")
    with b.if_then(b.icmp_signed("<", value_kind, zero)):
        b.ret(null)
    got = b.load(b.gep(codec.kind_names, [zero, value_kind]), name="got")
    codec.mismatch_text(b, "no such key here", got)
    b.ret(null)

    b.position_at_end(after_keys)
    for position, (name, field) in enumerate(kind.fields):
        flag = b.load(b.gep(seen, [zero, const(I32, position)]), name=f"{name}.present")
        with b.if_then(b.icmp_unsigned("==", flag, const(I8, 0))):
            b.store(rt.strings.cstr(name), b.gep(rt.path_name, [zero, depth]))
            b.store(const(I32, len(name.encode("utf-8"))), b.gep(rt.path_len, [zero, depth]))
            b.store(inner, rt.decode_depth)
            codec.mismatch_text(b, expectation(field), rt.strings.cstr(MISSING))
            b.ret(null)
    b.store(depth, rt.decode_depth)
    b.ret(record)


def build_record_encoder(codec: MessagePack, f: ir.Function, kind: RecordType) -> None:
    """The body of molt.encode.record.<Name>(record): a map in declaration order."""
    from molt.compiler.core._msgpack import field_pointer, is_pointer, item_type

    rt = codec.rt
    (record,) = f.args
    b = Builder(f.entry_basic_block)
    count = len(kind.fields)
    header = bytes([0x80 | count]) if count < 16 else b"\xde" + count.to_bytes(2, "big")
    prefix = header + _key_bytes(kind.fields[0][0])
    # the header with the first key, then per field: its value, then the next key
    pieces = [prefix] + [_key_bytes(name) for name, _ in kind.fields[1:]]
    for position, (_, field) in enumerate(kind.fields):
        piece = pieces[position]
        scalar = not is_pointer(field)
        room = len(piece) + (9 if scalar else 0)
        with b.if_then(b.not_(b.call(rt.out_ensure, [const(I64, room)]))):
            b.ret_void()
        at = b.load(rt.out_pos, name="at")
        rt.memcpy(b, at, rt.strings.raw(piece), const(I32, len(piece)))
        after = b.gep(at, [const(I32, len(piece))], source_etype=I8)
        value = None
        if field != NONE:
            value = b.load(field_pointer(b, record, kind, position), typ=item_type(field))
            if field == BOOL:
                value = b.trunc(value, I1)
        if scalar:
            b.store(codec.write_scalar(b, after, field, value), rt.out_pos)
        else:
            b.store(after, rt.out_pos)
            b.call(codec.encoder(field), [value])
    b.ret_void()


def _key_bytes(name: str) -> bytes:
    """A field name as a canonical MessagePack str (fixstr or str 8: names are short)."""
    data = name.encode("utf-8")
    if len(data) < 32:
        return bytes([0xA0 | len(data)]) + data
    if len(data) < 256:
        return b"\xd9" + bytes([len(data)]) + data
    return b"\xda" + len(data).to_bytes(2, "big") + data
