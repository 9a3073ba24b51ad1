"""A compiler whose str comparison orders by UTF-16 code units, not code points.

The reference core compares the UTF-8 bytes of two strs, which is code point
order, as CPython's is. This one orders them as Java, JavaScript and C# do,
by UTF-16 code units: a character above U+FFFF (a surrogate pair, D800-DBFF
first) sorts before U+E000..U+FFFF. In UTF-8 that is one change at the first
differing byte: a lead byte EE or EF (U+E000..U+FFFF) sorts after the lead
bytes F0-F4 of the supplementary planes. The comparison routine is the
reference's with that byte mapping; equality is unchanged, so only an order
between such characters tells the two apart, as MC-STR-002's 😀 and U+FFFF do.
"""

import sys

from molt.adapter import main
from molt.compiler.core._llvm import I8, I32, PTR, Builder, const, internal_function
from molt.compiler.core._strings import StringOps


def utf16_unit_order(b, byte):
    """The byte as UTF-16 order ranks it: lead bytes EE and EF move above F0-F4."""
    bmp_top = b.icmp_unsigned("<", b.sub(byte, const(I32, 0xEE)), const(I32, 2))
    return b.select(bmp_top, b.add(byte, const(I32, 0x10)), byte)


def compare(self):
    def build():
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
        b.ret(b.sub(utf16_unit_order(b, x), utf16_unit_order(b, y)))
        b.position_at_end(same)
        b.store(b.add(at, const(I32, 1)), index)
        b.branch(loop)
        b.position_at_end(done)
        less = b.icmp_unsigned("<", left_size, right_size)
        more = b.icmp_unsigned(">", left_size, right_size)
        b.ret(b.select(less, const(I32, -1), b.zext(more, I32)))
        return f

    return self._lazy("compare", build)


StringOps.compare = property(compare)

sys.exit(main())
