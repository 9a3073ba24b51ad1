"""Counted loops in LLVM IR, written once.

The core walks items, bytes, keys and table slots with the same shape: an index
from 0 while below a count, a body, the index plus one, maybe a few values
carried from one turn to the next (a write position, a hash). `counted_loop`
emits that shape around a `with` block, so each codec states only its body:

    with counted_loop(b, count, "entry") as loop:
        at = loop.carry(PTR, data, "at")
        ...body using loop.index and at...
        loop.next(at, b.gep(at, [size], source_etype=I8))

The body may return from the function (`b.ret` inside `b.if_then`) but not jump
out of the loop otherwise; after the block the builder is positioned where the
loop ends, every carried value available as its phi's final value.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from llvmlite import ir

from molt.compiler.core._llvm import I32

__all__ = ["CountedLoop", "counted_loop"]


class CountedLoop:
    """The loop being emitted: its index and the values carried around it."""

    def __init__(self, b: ir.IRBuilder, top: ir.Block, start: ir.Block, index: ir.PhiInstr) -> None:
        self._b = b
        self._top = top
        self._start = start
        self.index = index
        self._next: dict[ir.PhiInstr, ir.Value] = {}

    def carry(self, kind: ir.Type, initial: ir.Value, name: str) -> ir.PhiInstr:
        """A value carried around the loop, `initial` on the first turn; set its next
        value with `next`. Call before the body branches anywhere."""
        here = self._b.block
        self._b.position_at_start(self._top)
        phi = self._b.phi(kind, name=name)
        phi.add_incoming(initial, self._start)
        self._b.position_at_end(here)
        return phi

    def next(self, phi: ir.PhiInstr, value: ir.Value) -> None:
        """The value `phi` has on the next turn."""
        self._next[phi] = value


@contextmanager
def counted_loop(
    b: ir.IRBuilder, count: ir.Value, name: str, *, kind: ir.IntType = I32, signed: bool = False
) -> Iterator[CountedLoop]:
    """for index in range(count): the `with` block is the body (see the module docstring).

    `kind` is the index's integer type (that of `count`); `signed` compares as
    signed, so a negative count runs no turn.
    """
    f = b.function
    top, body, done = (f.append_basic_block(f"{name}.{part}") for part in ("top", "body", "done"))
    start = b.block
    b.branch(top)
    b.position_at_end(top)
    index = b.phi(kind, name=f"{name}.index")
    index.add_incoming(ir.Constant(kind, 0), start)
    compare = b.icmp_signed if signed else b.icmp_unsigned
    b.cbranch(compare("<", index, count), body, done)
    b.position_at_end(body)
    loop = CountedLoop(b, top, start, index)
    yield loop
    if not b.block.is_terminated:
        latch = b.block
        index.add_incoming(b.add(index, ir.Constant(kind, 1)), latch)
        for phi, value in loop._next.items():
            phi.add_incoming(value, latch)
        missing = [phi.name for phi in _carried(top) if phi is not index and phi not in loop._next]
        if missing:
            raise AssertionError(f"loop {name}: no next value for {', '.join(missing)}")
        b.branch(top)
    b.position_at_end(done)


def _carried(top: ir.Block) -> list[ir.PhiInstr]:
    return [instr for instr in top.instructions if isinstance(instr, ir.PhiInstr)]
