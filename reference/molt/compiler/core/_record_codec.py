"""The MessagePack codecs of records (MOLT-L-TYPE-RECORD): a map keyed by field name.

Reading is strict like the input map of an export (spec/abi.yaml `wire_format`),
and shares its code (`_fields`): keys must be str (else
MOLT-E-MALFORMED-MESSAGE), each field exactly once (a repeated key is MALFORMED,
an unknown key or a missing field a SCHEMA-VIOLATION at the field's JSON path),
in any order. Writing is canonical:
the fields in declaration order, each key in the smallest str format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llvmlite import ir

from molt.compiler.core._llvm import I1, I8, I32, I64, PTR, VOID, Builder, const, intrinsic
from molt.compiler.ir.types import RecordType

if TYPE_CHECKING:
    from molt.compiler.core._msgpack import MessagePack

__all__ = ["build_record_decoder", "build_record_encoder"]


def build_record_decoder(codec: MessagePack, f: ir.Function, kind: RecordType) -> None:
    """The body of molt.decode.record.<Name>(depth) -> ptr (null with the error recorded):
    the map header, then `_fields` reads the keys through the record's field table."""
    from molt.compiler.core._msgpack import KIND_MAP, expectation, record_offsets, record_size

    rt, fields = codec.rt, codec.fields
    (depth,) = f.args
    null = ir.Constant(PTR, None)
    count = const(I32, len(kind.fields))
    table = fields.table(
        f"molt.fields.{kind.name}",
        [
            (name, field, offset)
            for (name, field), offset in zip(kind.fields, record_offsets(kind), strict=True)
        ],
    )
    b = Builder(f.entry_basic_block)
    head = b.call(codec.read_head, [], name="kind")
    with b.if_then(b.icmp_signed("<", head, const(I32, 0))):
        b.ret(null)
    with b.if_then(b.icmp_signed("!=", head, const(I32, KIND_MAP))):
        codec.mismatch(b, expectation(kind), head)
        b.ret(null)
    entries = b.load(rt.head_value, name="entries")
    # the record, then one `seen` byte per field
    size = record_size(b, kind)
    record = b.call(rt.alloc, [b.add(size, const(I64, len(kind.fields)))], name="record")
    with b.if_then(b.icmp_unsigned("==", record, null)):
        b.ret(null)
    seen = b.gep(record, [b.trunc(size, I32)], source_etype=I8, name="seen")
    memset = intrinsic(codec.module, "llvm.memset.p0.i32", VOID, [PTR, I8, I32, I1])
    b.call(memset, [seen, const(I8, 0), count, const(I1, 0)])
    decoded = b.call(fields.decode_fields, [table, count, entries, depth, record, seen])
    with b.if_then(b.not_(decoded)):
        b.ret(null)
    complete = b.call(fields.missing_fields, [table, count, depth, seen])
    b.ret(b.select(complete, record, null))


def build_record_encoder(codec: MessagePack, f: ir.Function, kind: RecordType) -> None:
    """The body of molt.encode.record.<Name>(record): a map in declaration order, written
    by `_fields` from the record's key table."""
    from molt.compiler.core._msgpack import record_offsets

    (record,) = f.args
    count = len(kind.fields)
    header = bytes([0x80 | count]) if count < 16 else b"\xde" + count.to_bytes(2, "big")
    table = codec.fields.key_table(
        f"molt.keys.{kind.name}",
        header,
        [
            (_key_bytes(name), field, offset)
            for (name, field), offset in zip(kind.fields, record_offsets(kind), strict=True)
        ],
    )
    b = Builder(f.entry_basic_block)
    b.call(codec.fields.encode_fields, [table, const(I32, count), record])
    b.ret_void()


def _key_bytes(name: str) -> bytes:
    """A field name as a canonical MessagePack str (fixstr or str 8: names are short)."""
    data = name.encode("utf-8")
    if len(data) < 32:
        return bytes([0xA0 | len(data)]) + data
    if len(data) < 256:
        return b"\xd9" + bytes([len(data)]) + data
    return b"\xda" + len(data).to_bytes(2, "big") + data
