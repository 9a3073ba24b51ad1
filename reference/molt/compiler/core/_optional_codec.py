"""The MessagePack codecs of optional values (MOLT-L-TYPE-OPTIONAL): nil or a T.

In memory a T | None is a pointer: null for None; a list or record is its own
pointer, an int, float or bool a pointer to an 8-byte box in the arena. Reading
checks the item's kind first, so a value that is neither nil nor a T is the
SCHEMA-VIOLATION the host reports for the anyOf ("number or null"), while a
problem deeper inside a T keeps its own path and wording, as the host's
deepest-branch rule gives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llvmlite import ir

from molt.compiler.core._llvm import I1, I8, I32, I64, PTR, Builder, const
from molt.compiler.ir.types import BOOL, OptionalType

if TYPE_CHECKING:
    from molt.compiler.core._msgpack import MessagePack

__all__ = ["build_optional_decoder", "build_optional_encoder"]


def build_optional_decoder(codec: MessagePack, f: ir.Function, kind: OptionalType) -> None:
    """The body of molt.decode.optional.<T>(depth) -> ptr (null: None or an error)."""
    from molt.compiler.core._msgpack import KIND_NIL, accepts, expectation, is_pointer

    rt = codec.rt
    (depth,) = f.args
    null = ir.Constant(PTR, None)
    b = Builder(f.entry_basic_block)
    start = b.load(rt.in_pos, name="start")
    head = b.call(codec.read_head, [], name="kind")
    with b.if_then(b.icmp_signed("<", head, const(I32, 0))):
        b.ret(null)
    with b.if_then(b.icmp_signed("==", head, const(I32, KIND_NIL))):
        b.ret(null)
    with b.if_then(b.not_(accepts(b, head, kind.item))):
        codec.mismatch(b, expectation(kind), head)
        b.ret(null)
    # read the item again with its own decoder
    b.store(start, rt.in_pos)
    value = b.call(codec.decoder(kind.item), [depth], name="item")
    if is_pointer(kind.item):
        b.ret(value)
        return
    with b.if_then(rt.failed(b)):
        b.ret(null)
    b.ret(box(b, codec, value, kind))


def box(b: ir.IRBuilder, codec: MessagePack, value: ir.Value, kind: OptionalType) -> ir.Value:
    """An arena box holding scalar `value` (null when memory is out: the error is recorded)."""
    boxed = b.call(codec.rt.alloc, [const(I64, 8)], name="box")
    stored = b.zext(value, I8) if kind.item == BOOL else value
    with b.if_then(b.icmp_unsigned("!=", boxed, ir.Constant(PTR, None))):
        b.store(stored, boxed)
    return boxed


def build_optional_encoder(codec: MessagePack, f: ir.Function, kind: OptionalType) -> None:
    """The body of molt.encode.optional.<T>(value): nil, or the T."""
    from molt.compiler.core._msgpack import is_pointer, item_type

    rt = codec.rt
    (value,) = f.args
    b = Builder(f.entry_basic_block)
    with b.if_then(b.icmp_unsigned("==", value, ir.Constant(PTR, None))):
        with b.if_then(b.call(rt.out_ensure, [const(I64, 1)])):
            at = b.load(rt.out_pos)
            b.store(const(I8, 0xC0), at)
            b.store(b.gep(at, [const(I32, 1)], source_etype=I8), rt.out_pos)
        b.ret_void()
    item = value
    if not is_pointer(kind.item):
        item = b.load(value, typ=item_type(kind.item), name="item")
        if kind.item == BOOL:
            item = b.trunc(item, I1)
    b.call(codec.encoder(kind.item), [item])
    b.ret_void()
