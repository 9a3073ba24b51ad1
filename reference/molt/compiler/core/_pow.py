"""float ** float (MOLT-L-EXPR-POW) in the core: CPython's special cases and a pow of
its own, because a wasm module has no libm (llvm.pow.f64 would become an import).

`molt.float.pow(x, y) -> {f64 result, i32 status}` first applies the rules of
CPython's float_pow in its order (y == 0, NaN, infinities, zero and negative
bases, base 1), then takes exact fast paths (y = 1, 2, -1 and 0.5, whose IEEE
operations are correctly rounded), and otherwise computes exp(y * log(x)) in
double-double arithmetic (a value as the unevaluated sum hi + lo of two doubles):

- log: x = 2**k * z with z in [0.703, 1.406); one of 32 table entries c gives
  r = z / c - 1 exactly as a double-double (Dekker's product, no FMA), so
  log(x) = k log 2 - log(1/c) + log1p(r), with |r| <= 2**-5 and log1p(r) a
  Taylor polynomial in double-double (relative error about 2**-100);
- exp: E = y * log(x) = n log(2) / 32 + s, |s| <= log(2) / 64, and
  exp(E) = 2**(n // 32) * 2**((n % 32) / 32) * exp(s), exp(s) again a
  double-double polynomial;
- the final rounding is one IEEE rounding of hi + lo, also for subnormal results
  (rounded at 2**-1074 from the double-double).

The result is the correctly rounded pow except when the exact value lies within
about 2**-100 (relative) of a rounding boundary. Tables are computed here with
`decimal` at 60 digits, so the module bytes do not depend on the build machine.
"""

from __future__ import annotations

import functools
import math
from decimal import Decimal, localcontext

from llvmlite import ir

from molt.compiler.core._llvm import (
    F64,
    I32,
    I64,
    PTR,
    Builder,
    const,
    internal_function,
    intrinsic,
)
from molt.compiler.core._runtime import Runtime

__all__ = [
    "POW_NEGATIVE_FRACTIONAL",
    "POW_OK",
    "POW_OVERFLOW",
    "POW_ZERO_NEGATIVE",
    "FloatPow",
]

POW_OK = 0
POW_OVERFLOW = 1
"""A finite base and exponent whose result is too large for a double."""
POW_ZERO_NEGATIVE = 2
"""0.0 (either sign) to a negative power."""
POW_NEGATIVE_FRACTIONAL = 3
"""A negative finite base to a non-integer power (CPython gives a complex number)."""

DD = ir.LiteralStructType([F64, F64])
RESULT = ir.LiteralStructType([F64, I32])
_LOG_ENTRY = ir.LiteralStructType([F64, F64, F64])

_TABLE_BITS = 5
_N = 1 << _TABLE_BITS
_OFFSET = 0x3FE6800000000000
"""The bits of 0.703125: the reduced argument z lies in [0.703125, 1.40625)."""
_LOG_TERMS = 21
_EXP_TERMS = 14
_EXACT_TERMS = 10
"""The coefficients summed in double-double; the rest are |r|**10 <= 2**-50 of the sum."""
_SPLITTER = 134217729.0  # 2**27 + 1, Veltkamp's split of a double into two halves


def _double_double(value: Decimal) -> tuple[float, float]:
    hi = float(value)
    return hi, float(value - Decimal(hi))


def _as_float(bits: int) -> float:
    return float.fromhex(f"0x1.{bits & ((1 << 52) - 1):013x}p{((bits >> 52) & 0x7FF) - 1023}")


@functools.cache
def _tables() -> dict[str, list[tuple[float, ...]]]:
    """The constant tables, computed once per process with 60 significant digits."""
    with localcontext() as context:
        context.prec = 60
        low = _as_float(_OFFSET)
        # the z values of each table index: z's bits minus the offset, top 5 bits
        bounds: dict[int, list[float]] = {}
        steps = _N * 256
        for step in range(steps):
            z = low * (1 + step / steps)
            index = ((_bits(z) - _OFFSET) >> (52 - _TABLE_BITS)) & (_N - 1)
            bounds.setdefault(index, []).append(z)
        one = ((_bits(1.0) - _OFFSET) >> (52 - _TABLE_BITS)) & (_N - 1)
        log_table = []
        for index in range(_N):
            zs = bounds[index]
            # 1/c of the interval's middle; exactly 1 where z can be 1, so that
            # log(x) near x = 1 is log1p(r) alone, with no cancellation
            inverse = 1.0 if index == one else 1.0 / ((min(zs) + max(zs)) / 2)
            log_table.append((inverse, *_double_double(-Decimal(inverse).ln())))
        return {
            "log": log_table,
            "log_poly": [
                _double_double(Decimal((-1) ** (n + 1)) / n) for n in range(1, _LOG_TERMS + 1)
            ],
            "exp_poly": [_double_double(Decimal(1) / math.factorial(n)) for n in range(_EXP_TERMS)],
            "exp": [_double_double(Decimal(2) ** (Decimal(j) / _N)) for j in range(_N)],
            "ln2": [_double_double(Decimal(2).ln())],
            "ln2_n": [_double_double(Decimal(2).ln() / _N)],
        }


def _bits(value: float) -> int:
    mantissa, exponent = math.frexp(value)
    return ((exponent + 1022) << 52) | (int(mantissa * (1 << 53)) & ((1 << 52) - 1))


class FloatPow:
    """The float power function of one module, emitted on first use."""

    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime
        self.module = runtime.module
        self._function: ir.Function | None = None
        self._helpers: dict[str, ir.Function] = {}
        self._tables: dict[str, ir.GlobalVariable] = {}

    # -- double-double arithmetic, emitted inline ------------------------------------

    @staticmethod
    def two_sum(b: ir.IRBuilder, x: ir.Value, y: ir.Value) -> tuple[ir.Value, ir.Value]:
        """x + y = s + e exactly (Knuth)."""
        s = b.fadd(x, y)
        v = b.fsub(s, x)
        return s, b.fadd(b.fsub(x, b.fsub(s, v)), b.fsub(y, v))

    @staticmethod
    def fast_two_sum(b: ir.IRBuilder, x: ir.Value, y: ir.Value) -> tuple[ir.Value, ir.Value]:
        """x + y = s + e exactly, when |x| >= |y| or x == 0 (Dekker)."""
        s = b.fadd(x, y)
        return s, b.fsub(y, b.fsub(s, x))

    @staticmethod
    def split(b: ir.IRBuilder, x: ir.Value) -> tuple[ir.Value, ir.Value]:
        c = b.fmul(ir.Constant(F64, _SPLITTER), x)
        hi = b.fsub(c, b.fsub(c, x))
        return hi, b.fsub(x, hi)

    def two_prod(self, b: ir.IRBuilder, x: ir.Value, y: ir.Value) -> tuple[ir.Value, ir.Value]:
        """x * y = p + e exactly (Dekker's product; wasm has no fused multiply-add)."""
        p = b.fmul(x, y)
        xh, xl = self.split(b, x)
        yh, yl = self.split(b, y)
        e = b.fadd(b.fsub(b.fmul(xh, yh), p), b.fmul(xh, yl))
        e = b.fadd(b.fadd(e, b.fmul(xl, yh)), b.fmul(xl, yl))
        return p, e

    def _dd_function(self, name: str) -> ir.Function:
        found = self._helpers.get(name)
        if found is not None:
            return found
        f = internal_function(
            self.module, f"molt.dd.{name}", DD, [F64] * 4, ["ah", "al", "bh", "bl"]
        )
        ah, al, bh, bl = f.args
        b = Builder(f.entry_basic_block)
        if name == "add":
            s, e = self.two_sum(b, ah, bh)
            t, g = self.two_sum(b, al, bl)
            s, e = self.fast_two_sum(b, s, b.fadd(e, t))
            hi, lo = self.fast_two_sum(b, s, b.fadd(e, g))
        else:
            p, e = self.two_prod(b, ah, bh)
            e = b.fadd(e, b.fadd(b.fmul(ah, bl), b.fmul(al, bh)))
            hi, lo = self.fast_two_sum(b, p, e)
        b.ret(b.insert_value(b.insert_value(ir.Constant(DD, None), hi, 0), lo, 1))
        self._helpers[name] = f
        return f

    def dd(
        self, b: ir.IRBuilder, name: str, x: tuple[ir.Value, ir.Value], y: tuple[ir.Value, ir.Value]
    ) -> tuple[ir.Value, ir.Value]:
        """x + y or x * y of two double-doubles (relative error about 2**-104)."""
        pair = b.call(self._dd_function(name), [*x, *y])
        return b.extract_value(pair, 0), b.extract_value(pair, 1)

    def _table(self, name: str, kind: ir.Type) -> ir.GlobalVariable:
        """The constant table `name` (emitted once), each row a `kind` of doubles."""
        found = self._tables.get(name)
        if found is not None:
            return found
        rows = _tables()[name]
        array = ir.ArrayType(kind, len(rows))
        variable = ir.GlobalVariable(self.module, array, name=f"molt.pow.{name}")
        variable.linkage = "private"
        variable.global_constant = True
        variable.initializer = ir.Constant(
            array, [ir.Constant(kind, [ir.Constant(F64, v) for v in row]) for row in rows]
        )
        self._tables[name] = variable
        return variable

    def _constant(self, name: str) -> tuple[ir.Constant, ir.Constant]:
        hi, lo = _tables()[name][0]
        return ir.Constant(F64, hi), ir.Constant(F64, lo)

    @property
    def _polynomial(self) -> ir.Function:
        """poly(coefficients, n, k, rh, rl) -> dd: the sum of c[i] * r**i for i < n.

        The terms from r**k on are at most |r|**k <= 2**-50 of the sum (|r| <= 2**-5,
        k = 10), so their sum T is Horner's rule in doubles (with r's high part) and
        its rounding errors stay below 2**-100 of the sum; the first k coefficients
        then take it in double-double: c0 + r(c1 + ... + r T).
        """
        found = self._helpers.get("poly")
        if found is not None:
            return found
        f = internal_function(
            self.module,
            "molt.dd.poly",
            DD,
            [PTR, I32, I32, F64, F64],
            ["coefficients", "n", "k", "rh", "rl"],
        )
        table, count, exact, rh, rl = f.args
        b = Builder(f.entry_basic_block)

        def coefficient(index: ir.Value) -> tuple[ir.Value, ir.Value]:
            pair = b.load(b.gep(table, [index], source_etype=DD), typ=DD)
            return b.extract_value(pair, 0), b.extract_value(pair, 1)

        # block layout: tail runs T = T * rh + c[i] (doubles) from n-1 down to k; step
        # runs acc = acc * r + c[i] (double-doubles) from k-1 down to 0
        entry = b.block
        tail, tail_step, head, step, done = (
            f.append_basic_block(n) for n in ("tail", "tail_step", "head", "step", "done")
        )
        last = b.sub(count, const(I32, 1))
        first = coefficient(last)[0]
        b.branch(tail)
        b.position_at_end(tail)
        tail_index = b.phi(I32, name="tail_index")
        value = b.phi(F64, name="tail_value")
        tail_index.add_incoming(last, entry)
        value.add_incoming(first, entry)
        b.cbranch(b.icmp_signed(">", tail_index, exact), tail_step, head)
        b.position_at_end(tail_step)
        lower = b.sub(tail_index, const(I32, 1))
        tail_index.add_incoming(lower, tail_step)
        value.add_incoming(b.fadd(b.fmul(value, rh), coefficient(lower)[0]), tail_step)
        b.branch(tail)
        b.position_at_end(head)
        b.branch(step)
        b.position_at_end(step)
        index = b.phi(I32, name="index")
        hi = b.phi(F64, name="hi")
        lo = b.phi(F64, name="lo")
        index.add_incoming(exact, head)
        hi.add_incoming(value, head)
        lo.add_incoming(ir.Constant(F64, 0.0), head)
        below = b.sub(index, const(I32, 1), name="below")
        product = self.dd(b, "mul", (hi, lo), (rh, rl))
        total = self.dd(b, "add", product, coefficient(below))
        index.add_incoming(below, b.block)
        hi.add_incoming(total[0], b.block)
        lo.add_incoming(total[1], b.block)
        b.cbranch(b.icmp_signed(">", below, const(I32, 0)), step, done)
        b.position_at_end(done)
        b.ret(b.insert_value(b.insert_value(ir.Constant(DD, None), total[0], 0), total[1], 1))
        self._helpers["poly"] = f
        return f

    def poly(
        self, b: ir.IRBuilder, name: str, count: int, r: tuple[ir.Value, ir.Value]
    ) -> tuple[ir.Value, ir.Value]:
        table = self._table(name, DD)
        arguments = [table, const(I32, count), const(I32, _EXACT_TERMS), *r]
        pair = b.call(self._polynomial, arguments)
        return b.extract_value(pair, 0), b.extract_value(pair, 1)

    # -- the power function ---------------------------------------------------------------

    @property
    def function(self) -> ir.Function:
        """pow(x, y) -> {result, status}: CPython's x ** y for floats (statuses above)."""
        if self._function is None:
            self._function = self._build()
        return self._function

    def _intrinsic(self, name: str) -> ir.Function:
        return intrinsic(self.module, f"llvm.{name}.f64", F64, [F64])

    def _build(self) -> ir.Function:
        f = internal_function(self.module, "molt.float.pow", RESULT, [F64, F64], ["x", "y"])
        f.attributes.add("noinline")
        x, y = f.args
        b = Builder(f.entry_basic_block)
        fabs, floor = self._intrinsic("fabs"), self._intrinsic("floor")
        zero, one = ir.Constant(F64, 0.0), ir.Constant(F64, 1.0)
        inf = ir.Constant(F64, math.inf)

        def done(value: ir.Value, status: int = POW_OK) -> None:
            result = b.insert_value(ir.Constant(RESULT, None), value, 0)
            b.ret(b.insert_value(result, const(I32, status), 1))

        when = b.if_then

        # the special cases, in the order of CPython's float_pow
        with when(b.fcmp_ordered("==", y, zero)):
            done(one)
        with when(b.fcmp_unordered("uno", x, x)):
            done(x)
        with when(b.fcmp_unordered("uno", y, y)):
            done(b.select(b.fcmp_ordered("==", x, one), one, y))
        abs_x, abs_y = b.call(fabs, [x], name="abs_x"), b.call(fabs, [y], name="abs_y")
        with when(b.fcmp_ordered("==", abs_y, inf)):
            with when(b.fcmp_ordered("==", abs_x, one)):
                done(one)
            grows = b.icmp_unsigned(
                "==", b.fcmp_ordered(">", y, zero), b.fcmp_ordered(">", abs_x, one)
            )
            done(b.select(grows, inf, zero))
        half = b.fmul(abs_y, ir.Constant(F64, 0.5))
        y_odd = b.and_(
            b.fcmp_ordered("==", b.call(floor, [abs_y]), abs_y),
            b.fcmp_ordered("!=", b.call(floor, [half]), half),
            name="y_odd",
        )
        y_positive = b.fcmp_ordered(">", y, zero)
        copysign = intrinsic(self.module, "llvm.copysign.f64", F64, [F64, F64])
        with when(b.fcmp_ordered("==", abs_x, inf)):
            done(
                b.select(
                    y_positive,
                    b.select(y_odd, x, abs_x),
                    b.select(y_odd, b.call(copysign, [zero, x]), zero),
                )
            )
        with when(b.fcmp_ordered("==", x, zero)):
            with when(b.not_(y_positive)):
                done(zero, POW_ZERO_NEGATIVE)
            done(b.select(y_odd, x, zero))
        negative = b.fcmp_ordered("<", x, zero, name="negative_base")
        with when(b.and_(negative, b.fcmp_ordered("!=", b.call(floor, [y]), y))):
            done(zero, POW_NEGATIVE_FRACTIONAL)
        negate = b.and_(negative, y_odd, name="negate")
        sign = b.select(negate, ir.Constant(F64, -1.0), one, name="sign")
        with when(b.fcmp_ordered("==", abs_x, one)):
            done(sign)
        # exact fast paths: one correctly rounded IEEE operation each
        result = b.alloca(F64, name="result")
        finish = f.append_basic_block("finish")
        general = f.append_basic_block("general")
        for exponent in (1.0, 2.0, -1.0, 0.5):
            with when(b.fcmp_ordered("==", y, ir.Constant(F64, exponent))):
                if exponent == 1.0:
                    value = abs_x
                elif exponent == 2.0:
                    value = b.fmul(abs_x, abs_x)
                elif exponent == -1.0:
                    value = b.fdiv(one, abs_x)
                else:
                    value = b.call(self._intrinsic("sqrt"), [abs_x])
                b.store(value, result)
                b.branch(finish)
        b.branch(general)
        b.position_at_end(general)
        # |y| >= 2**64: |y * log(x)| >= 2**11 (|log x| >= 2**-53 for x != 1)
        with when(b.fcmp_ordered(">=", abs_y, ir.Constant(F64, 2.0**64))):
            grows = b.icmp_unsigned("==", y_positive, b.fcmp_ordered(">", abs_x, one))
            b.store(b.select(grows, inf, zero), result)
            b.branch(finish)
        b.store(self._positive_pow(b, abs_x, y), result)
        b.branch(finish)
        b.position_at_end(finish)
        value = b.fmul(b.load(result), sign, name="power")
        with when(b.fcmp_ordered("==", b.call(fabs, [value]), inf)):
            done(zero, POW_OVERFLOW)
        done(value)
        return f

    def _positive_pow(self, b: ir.IRBuilder, x: ir.Value, y: ir.Value) -> ir.Value:
        """exp(y * log(x)) for a positive finite x != 1 and 0 < |y| < 2**64, correctly
        rounded but for cases within 2**-100 of a boundary (inf when it overflows)."""
        r = self._log(b, x)
        e = self.dd(b, "mul", r, (y, ir.Constant(F64, 0.0)))
        return self._exp(b, e)

    def _log(self, b: ir.IRBuilder, x: ir.Value) -> tuple[ir.Value, ir.Value]:
        tiny = b.fcmp_ordered("<", x, ir.Constant(F64, 2.0**-1022), name="subnormal")
        x = b.select(tiny, b.fmul(x, ir.Constant(F64, 2.0**52)), x)
        bits = b.bitcast(x, I64, name="bits")
        offset = b.sub(bits, const(I64, _OFFSET), name="offset")
        index = b.trunc(
            b.and_(b.lshr(offset, const(I64, 52 - _TABLE_BITS)), const(I64, _N - 1)), I32
        )
        k = b.sub(b.ashr(offset, const(I64, 52)), b.select(tiny, const(I64, 52), const(I64, 0)))
        z = b.bitcast(b.sub(bits, b.and_(offset, const(I64, -(1 << 52)))), F64, name="z")
        table = self._table("log", _LOG_ENTRY)
        entry = b.load(b.gep(table, [const(I32, 0), index], source_etype=table.value_type))
        inverse = b.extract_value(entry, 0, name="inverse")
        # r = z * inverse - 1, exactly: the product is within 2**-6 of 1
        p, e = self.two_prod(b, z, inverse)
        r = self.two_sum(b, b.fsub(p, ir.Constant(F64, 1.0)), e)
        series = self.dd(b, "mul", self.poly(b, "log_poly", _LOG_TERMS, r), r)
        scaled = self.dd(b, "mul", self._constant("ln2"), (b.sitofp(k, F64), ir.Constant(F64, 0.0)))
        table_log = (b.extract_value(entry, 1), b.extract_value(entry, 2))
        return self.dd(b, "add", self.dd(b, "add", scaled, table_log), series)

    def _exp(self, b: ir.IRBuilder, e: tuple[ir.Value, ir.Value]) -> ir.Value:
        f = b.function
        result = b.alloca(F64, name="exp")
        finish = f.append_basic_block("exp.finish")
        with b.if_then(b.fcmp_ordered(">", e[0], ir.Constant(F64, 710.0))):
            b.store(ir.Constant(F64, math.inf), result)
            b.branch(finish)
        with b.if_then(b.fcmp_ordered("<", e[0], ir.Constant(F64, -746.0))):
            b.store(ir.Constant(F64, 0.0), result)
            b.branch(finish)
        nearest = self._intrinsic("roundeven")
        scale = ir.Constant(F64, _N / math.log(2))
        n_float = b.call(nearest, [b.fmul(e[0], scale)], name="n")
        n = b.fptosi(n_float, I32)
        neg_n = (b.fneg(n_float), ir.Constant(F64, 0.0))
        s = self.dd(b, "add", e, self.dd(b, "mul", self._constant("ln2_n"), neg_n))
        series = self.poly(b, "exp_poly", _EXP_TERMS, s)
        table = self._table("exp", DD)
        index = b.and_(n, const(I32, _N - 1))
        entry = b.load(b.gep(table, [const(I32, 0), index], source_etype=table.value_type))
        hi, lo = self.dd(b, "mul", series, (b.extract_value(entry, 0), b.extract_value(entry, 1)))
        m = b.ashr(n, const(I32, _TABLE_BITS), name="m")
        normal = b.icmp_signed(">=", m, const(I32, -1021))
        with b.if_else(normal) as (then, otherwise):
            with then:
                # hi is hi + lo rounded once; scale in two steps (2**1024 is no double)
                first = b.select(b.icmp_signed(">", m, const(I32, 1000)), const(I32, 1000), m)
                value = b.fmul(
                    b.fmul(hi, _power_of_two(b, first)), _power_of_two(b, b.sub(m, first))
                )
                b.store(value, result)
            with otherwise:
                b.store(self._subnormal(b, hi, lo, m), result)
        b.branch(finish)
        b.position_at_end(finish)
        return b.load(result)

    def _subnormal(self, b: ir.IRBuilder, hi: ir.Value, lo: ir.Value, m: ir.Value) -> ir.Value:
        """(hi + lo) * 2**m rounded once to a multiple of 2**-1074 (m < -1021)."""
        factor = _power_of_two(b, b.add(m, const(I32, 1074)))
        vh, vl = b.fmul(hi, factor), b.fmul(lo, factor)  # exact: units of 2**-1074
        whole = b.call(self._intrinsic("roundeven"), [vh])
        fraction = b.fsub(vh, whole)  # exact, in [-0.5, 0.5]
        rest = b.fadd(fraction, vl)
        half = ir.Constant(F64, 0.5)
        upper_tie = b.fcmp_ordered("==", fraction, half)
        lower_tie = b.fcmp_ordered("==", fraction, b.fneg(half))
        tie = b.or_(upper_tie, lower_tie)
        zero = ir.Constant(F64, 0.0)
        up = b.or_(
            b.and_(upper_tie, b.fcmp_ordered(">", vl, zero)),
            b.and_(b.not_(tie), b.fcmp_ordered(">", rest, half)),
        )
        down = b.or_(
            b.and_(lower_tie, b.fcmp_ordered("<", vl, zero)),
            b.and_(b.not_(tie), b.fcmp_ordered("<", rest, b.fneg(half))),
        )
        units = b.fsub(b.fadd(whole, b.uitofp(up, F64)), b.uitofp(down, F64))
        return b.fmul(units, ir.Constant(F64, 5e-324))


def _power_of_two(b: ir.IRBuilder, exponent: ir.Value) -> ir.Value:
    """2**exponent as a double, for -1022 <= exponent <= 1023."""
    biased = b.zext(b.add(exponent, const(I32, 1023)), I64)
    return b.bitcast(b.shl(biased, const(I64, 52)), F64)
