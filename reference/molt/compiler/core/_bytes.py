"""bytes values (MOLT-L-TYPE-BYTES) in the core: the layout of a str, and the bin codec.

A bytes value is laid out exactly as a str (`_strings`): a pointer to
`{i32 size, i32 count}` and the bytes, with count == size. So len(), indexing,
slicing, +, == and the ordering comparisons reuse the str helpers: a str whose
count equals its size is handled one byte per item, and str comparison is
byte-wise. Only the wire form differs: MessagePack bin 8, bin 16 or bin 32
(spec/abi.yaml value table), never a str, and no UTF-8 check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llvmlite import ir

from molt.compiler.core._llvm import I8, I32, I64, PTR, Builder, const

if TYPE_CHECKING:
    from molt.compiler.core._msgpack import MessagePack
    from molt.compiler.core._strings import StringOps

__all__ = ["build_bytes_decoder", "build_bytes_encoder", "bytes_literal"]


def bytes_literal(text: StringOps, value: bytes) -> ir.Value:
    """A constant bytes value in the data section."""
    header = len(value).to_bytes(4, "little") * 2
    variable = text.rt.strings.raw(header + value)
    variable.align = 4
    return variable


def build_bytes_decoder(codec: MessagePack, b: ir.IRBuilder, size: ir.Value) -> None:
    """The rest of molt.decode.bytes: copy the bin payload that read_head found."""
    source = b.load(codec.rt.head_str, name="source")
    value = b.call(codec.text.alloc, [size, size], name="bytes")
    with b.if_then(b.icmp_unsigned("!=", value, ir.Constant(PTR, None))):
        codec.rt.memcpy(b, codec.text.data(b, value), source, size)
    b.ret(value)


def build_bytes_encoder(codec: MessagePack, f: ir.Function) -> None:
    """molt.encode.bytes: the smallest bin format (bin 8, bin 16 or bin 32)."""
    rt = codec.rt
    (value,) = f.args
    b = Builder(f.entry_basic_block)
    size = codec.text.size(b, value)
    with b.if_then(b.not_(b.call(rt.out_ensure, [b.add(b.zext(size, I64), const(I64, 5))]))):
        b.ret_void()
    at = b.load(rt.out_pos, name="at")
    small = b.icmp_unsigned("<", size, const(I32, 256))
    medium = b.icmp_unsigned("<", size, const(I32, 1 << 16))
    marker = b.select(small, const(I8, 0xC4), b.select(medium, const(I8, 0xC5), const(I8, 0xC6)))
    width = b.select(small, const(I32, 1), b.select(medium, const(I32, 2), const(I32, 4)))
    b.store(marker, at)
    after = b.gep(at, [const(I32, 1)], source_etype=I8)
    b.call(codec.write_be, [after, b.zext(size, I64), width])
    start = b.gep(after, [width], source_etype=I8)
    rt.memcpy(b, start, codec.text.data(b, value), size)
    b.store(b.gep(start, [size], source_etype=I8), rt.out_pos)
    b.ret_void()
