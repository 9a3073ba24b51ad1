"""float ** (MOLT-L-EXPR-POW) against CPython.

The special cases (zero, infinite and NaN operands, negative bases, the base 1,
the exponents 1, 2, -1 and 0.5, overflow and underflow) must equal CPython's
results and errors bit for bit. Other results come from the core's own pow, which
the spec promises to be correctly rounded except within 2**-100 of a rounding
boundary; CPython calls the platform's libm, which is not always correctly rounded
(glibc's pow is within 0.52 ulp). So a general result must equal CPython's, or,
where CPython's is not the correctly rounded value, equal the correctly rounded
value computed here with 60-digit decimals.
"""

from __future__ import annotations

import math
import random
import struct
from decimal import Decimal, localcontext
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.compiler.conftest import Program, expected, same

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

any_floats = st.floats(allow_nan=True, allow_infinity=True)
positive = st.floats(min_value=5e-324, max_value=1.7976931348623157e308)


@pytest.fixture(scope="module")
def powers(molt_program) -> Program:
    return molt_program("powers")


def correctly_rounded(x: float, y: float) -> float:
    """|x| ** y rounded once to a double (60 significant digits before rounding)."""
    with localcontext() as context:
        context.prec = 60
        context.Emax, context.Emin = 10**6, -(10**6)
        return float((Decimal(abs(x)).ln() * Decimal(y)).exp())


def agrees(molt: Any, cpython: Any, x: float, y: float) -> bool:
    """Molt's x ** y is CPython's, or the correctly rounded value where CPython's is not."""
    if same(molt, cpython):
        return True
    if not (isinstance(molt, float) and isinstance(cpython, float)) or x == 0 or y == 0:
        return False
    exact = correctly_rounded(x, y)
    exact = -exact if x < 0 and math.copysign(1.0, cpython) < 0 else exact
    return same(molt, exact) and not same(cpython, exact)


def cpython(program: Program, export: str, a: Any, b: Any) -> Any:
    """CPython's result; where CPython computes a complex power (a negative finite base
    to a non-integer power) Molt's result is the spec's deliberate MOLT-E-VALUE."""
    x, y = float(a), float(b)
    if math.isfinite(x) and x < 0 and math.isfinite(y) and y != math.floor(y):
        return ("error", "MOLT-E-VALUE", "")  # complex, or CPython's complex overflow
    return expected(program.cpython(export, a=a, b=b))


def check(program: Program, export: str, a: Any, b: Any) -> None:
    want = cpython(program, export, a, b)
    got = program.molt(export, a=a, b=b)
    assert agrees(got, want, float(a), float(b)), f"{a!r} ** {b!r}: molt {got!r}, cpython {want!r}"


@SETTINGS
@given(a=any_floats, b=any_floats)
def test_float_power_matches_cpython(powers: Program, a: float, b: float) -> None:
    check(powers, "float_pow", a, b)


@SETTINGS
@given(a=positive, b=st.floats(-40.0, 40.0))
def test_power_of_positive_bases_matches_cpython(powers: Program, a: float, b: float) -> None:
    check(powers, "float_pow", a, b)


@SETTINGS
@given(a=st.integers(-(1 << 62), 1 << 62), b=any_floats)
def test_int_base_matches_cpython(powers: Program, a: int, b: float) -> None:
    check(powers, "int_base", a, b)


@SETTINGS
@given(a=any_floats, b=st.integers(-2000, 2000))
def test_int_exponent_matches_cpython(powers: Program, a: float, b: int) -> None:
    check(powers, "int_exponent", a, b)


SPECIAL = [
    # CPython's float_pow rules, each with a value that takes that branch
    (math.nan, 0.0),
    (math.inf, -0.0),
    (1.0, math.nan),
    (math.nan, 1.0),
    (2.0, math.nan),
    (-1.0, math.inf),
    (0.5, math.inf),
    (0.5, -math.inf),
    (2.0, math.inf),
    (-2.0, -math.inf),
    (math.inf, 3.0),
    (-math.inf, 3.0),
    (-math.inf, 2.0),
    (-math.inf, -3.0),
    (-math.inf, -2.0),
    (-math.inf, 0.5),
    (0.0, 3.0),
    (-0.0, 3.0),
    (-0.0, 2.0),
    (-0.0, 0.5),
    (0.0, -1.0),
    (-0.0, -3.0),
    (-0.0, -math.inf),
    (-8.0, 1.0 / 3.0),
    (-8.0, 3.0),
    (-8.0, -2.0),
    (-1.0, 1e300),
    (-1.0, 3.0),
    (1.0, -1e300),
    # the exact fast paths
    (1e200, 2.0),
    (1e-200, 2.0),
    (5e-324, -1.0),
    (3.0, -1.0),
    (1.7976931348623157e308, 0.5),
    (-0.0, 1.0),
    # overflow, underflow, subnormal results, huge exponents
    (10.0, 308.0),
    (10.0, 309.0),
    (2.0, 1023.0),
    (2.0, 1024.0),
    (2.0, -1022.0),
    (2.0, -1074.0),
    (2.0, -1074.5),
    (2.0, -1075.0),
    (1.5, -1800.0),
    (1.0000001, 1e20),
    (0.9999999, 1e20),
    (1.0000001, -1e20),
    (1.0 + 2.0**-52, 2.0**62),
    (-1.5, 2.0**70),
    (5e-324, 0.5),
    (3.0, 3.0),
    (10.0, 22.0),
    (10.0, -5.0),
    (2.0, 0.5),
]


@pytest.mark.parametrize(("a", "b"), SPECIAL)
def test_special_cases_are_cpythons_bit_for_bit(powers: Program, a: float, b: float) -> None:
    want = cpython(powers, "float_pow", a, b)
    assert same(powers.molt("float_pow", a=a, b=b), want)


def test_errors_carry_the_codes_and_the_location(powers: Program) -> None:
    assert powers.molt("float_pow", a=0.0, b=-2.5) == (
        "error",
        "MOLT-E-ZERO-DIVISION",
        "0.0 cannot be raised to a negative power at powers.py:8:12; check that the "
        "divisor is not zero before dividing",
    )
    assert powers.molt("float_pow", a=-2.0, b=0.5) == (
        "error",
        "MOLT-E-VALUE",
        "a negative number cannot be raised to a non-integer power (the result is complex) "
        "at powers.py:8:12; pass a value the operation accepts, or check it before the "
        "operation",
    )
    assert powers.molt("int_exponent", a=1e300, b=2) == (
        "error",
        "MOLT-E-OVERFLOW",
        "float overflow in '**' (the result is too large for a float) at powers.py:18:12; "
        "use smaller values or check the range before the operation",
    )


def _bits(value: float) -> int:
    return struct.unpack("<q", struct.pack("<d", value))[0]


def test_general_results_are_correctly_rounded(powers: Program) -> None:
    # 3000 drawn pairs in one call: bases over the whole positive range, exponents
    # that keep the result finite, near 1 with large exponents, and integers
    draw = random.Random(20261126)
    xs: list[float] = []
    ys: list[float] = []
    while len(xs) < 3000:
        kind = len(xs) % 4
        if kind == 0:
            x, y = draw.uniform(0.0, 10.0), draw.uniform(-30.0, 30.0)
        elif kind == 1:
            x, y = math.exp(draw.uniform(-700.0, 700.0)), draw.uniform(-1.0, 1.0)
        elif kind == 2:
            x, y = 1.0 + draw.uniform(-1e-3, 1e-3), draw.uniform(-1e5, 1e5)
        else:
            x, y = draw.uniform(0.0, 3.0), float(draw.randint(-60, 60))
        if x > 0.0 and y != 0.0 and abs(y * math.log(x)) < 700.0:
            xs.append(x)
            ys.append(y)
    got = powers.molt("powers", xs=xs, ys=ys)
    wrong = [
        (x, y)
        for x, y, z in zip(xs, ys, got, strict=True)
        if _bits(z) != _bits(correctly_rounded(x, y))
    ]
    assert wrong == []


def test_square_root_of_a_mean(powers: Program) -> None:
    xs = [3.0, 4.0, 12.0]
    assert same(powers.molt("root_mean_square", xs=xs), powers.cpython("root_mean_square", xs=xs))
