"""A compiler whose // and % round toward zero, as C does, instead of toward -inf.

The reference compiler with the lowering of floor division and modulo replaced:
int // and % become plain `sdiv` and `srem` (after the same zero-divisor and
overflow checks), float // becomes trunc(a / b) and float % becomes
a - trunc(a / b) * b. Everything else is the reference compiler. The floor
division cases must catch it.
"""

import sys

from llvmlite import ir

from molt.adapter import main
from molt.compiler.core._llvm import F64, I64, const, intrinsic
from molt.compiler.ir.nodes import ArithOp
from molt.compiler.lower._emitter import FunctionEmitter

_int_arith = FunctionEmitter._int_arith
_float_arith = FunctionEmitter._float_arith
_FLOORS = (ArithOp.FLOORDIV, ArithOp.MOD)


def int_arith(self, node, a, c):
    if node.op not in _FLOORS:
        return _int_arith(self, node, a, c)
    b, floor = self.b, node.op is ArithOp.FLOORDIV
    zero = b.icmp_signed("==", c, const(I64, 0))
    self.fail_if(
        zero, "trunc.zero", "MOLT-E-ZERO-DIVISION", self.detail("division by zero"), node.loc
    )
    minus_one = b.icmp_signed("==", c, const(I64, -1))
    if floor:
        overflow = b.and_(b.icmp_signed("==", a, const(I64, -(2**63))), minus_one)
        self.fail_if(
            overflow,
            "trunc.overflow",
            "MOLT-E-OVERFLOW",
            self.overflow("//", "{a0} // {a1}"),
            node.loc,
            (a, c),
        )
        return b.sdiv(a, c, name="truncated_quotient")
    return b.srem(a, b.select(minus_one, const(I64, 1), c), name="truncated_remainder")


def float_arith(self, node, a, c):
    if node.op not in _FLOORS:
        return _float_arith(self, node, a, c)
    b = self.b
    zero = b.fcmp_ordered("==", c, ir.Constant(F64, 0.0))
    self.fail_if(
        zero, "trunc.zero", "MOLT-E-ZERO-DIVISION", self.detail("division by zero"), node.loc
    )
    trunc = intrinsic(self.module, "llvm.trunc.f64", F64, [F64])
    quotient = b.call(trunc, [b.fdiv(a, c)], name="truncated_quotient")
    if node.op is ArithOp.FLOORDIV:
        return quotient
    return b.fsub(a, b.fmul(quotient, c), name="truncated_remainder")


FunctionEmitter._int_arith = int_arith
FunctionEmitter._float_arith = float_arith

sys.exit(main())
