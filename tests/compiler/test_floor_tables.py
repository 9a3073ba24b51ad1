"""Floor division and modulo tables: every sign combination, int and float, against
CPython bit for bit (MOLT-L-EXPR-FLOORDIV, MOLT-L-EXPR-MOD), and the exact fmod the
float forms rest on."""

from __future__ import annotations

import itertools
import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.compiler.conftest import INT64_MAX, INT64_MIN, Program, same

INTS = [INT64_MIN, INT64_MIN + 1, -(2**40) - 3, -7, -3, -2, -1, 0, 1, 2, 3, 7, 2**40 + 3, INT64_MAX]
DIVISORS = [d for d in INTS if d != 0]
FLOATS = [
    0.0, -0.0, 1.0, -1.0, 2.5, -2.5, 7.0, -7.0, 3.0, -3.0, 0.1, -0.1,
    5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, -1e-300,
    1.7976931348623157e308, -1.7976931348623157e308, 1e16 + 2, -(1e16 + 2),
    math.inf, -math.inf, math.nan,
]  # fmt: skip
FLOAT_DIVISORS = [d for d in FLOATS if d != 0.0]


@pytest.fixture(scope="module")
def floors(molt_program) -> Program:
    return molt_program("floors")


def pairs(left: list, right: list) -> tuple[list, list]:
    combos = list(itertools.product(left, right))
    return [a for a, _ in combos], [b for _, b in combos]


def test_int_floor_division_table(floors: Program) -> None:
    xs, ys = pairs(INTS, DIVISORS)
    keep = [
        i for i, (a, b) in enumerate(zip(xs, ys, strict=True)) if not (a == INT64_MIN and b == -1)
    ]
    xs, ys = [xs[i] for i in keep], [ys[i] for i in keep]
    assert floors.molt("int_floordiv", xs=xs, ys=ys) == floors.cpython("int_floordiv", xs=xs, ys=ys)


def test_int_modulo_table_including_min_by_minus_one(floors: Program) -> None:
    xs, ys = pairs(INTS, DIVISORS)
    result = floors.molt("int_mod", xs=xs, ys=ys)
    assert result == floors.cpython("int_mod", xs=xs, ys=ys)
    assert result[xs.index(INT64_MIN) + DIVISORS.index(-1)] == 0


def test_int_min_floor_divided_by_minus_one_overflows(floors: Program) -> None:
    code, message = floors.molt("int_floordiv", xs=[INT64_MIN], ys=[-1])[1:]
    assert code == "MOLT-E-OVERFLOW"
    assert message.startswith(
        "integer overflow in '//' (-9223372036854775808 // -1) at floors.py:10:20"
    )


@pytest.mark.parametrize("export", ["float_floordiv", "float_mod"])
def test_float_table_is_bit_exact(floors: Program, export: str) -> None:
    xs, ys = pairs(FLOATS, FLOAT_DIVISORS)
    got = floors.molt(export, xs=xs, ys=ys)
    want = floors.cpython(export, xs=xs, ys=ys)
    mismatches = [
        (x, y, g, w) for x, y, g, w in zip(xs, ys, got, want, strict=True) if not same(g, w)
    ]
    assert mismatches == []


@pytest.mark.parametrize(
    ("export", "words"),
    [
        ("int_floordiv", "integer division or modulo by zero"),
        ("int_mod", "integer modulo by zero"),
        ("float_floordiv", "float floor division by zero"),
        ("float_mod", "float modulo"),
    ],
)
@pytest.mark.parametrize("zero", [0, -0.0])
def test_zero_divisor_is_zero_division_with_cpythons_words(
    floors: Program, export: str, words: str, zero: float
) -> None:
    integers = export.startswith("int")
    xs, ys = ([5], [int(zero)]) if integers else ([5.0], [float(zero)])
    code, message = floors.molt(export, xs=xs, ys=ys)[1:]
    assert code == "MOLT-E-ZERO-DIVISION"
    assert message.startswith(f"{words} at floors.py:")
    assert floors.cpython(export, xs=xs, ys=ys)[2] == words


def test_mixed_int_and_float_operands(floors: Program) -> None:
    xs = [-7, 7, 3, -3, 0, 2**60]
    ys = [2.5, -2.5, 0.5, -0.25, 7.0, -3.0]
    assert same(floors.molt("mixed_mod", xs=xs, ys=ys), floors.cpython("mixed_mod", xs=xs, ys=ys))


def _bits_float(bits: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


any_double = st.integers(0, (1 << 64) - 1).map(_bits_float)


@settings(max_examples=300, deadline=None)
@given(
    xs=st.lists(any_double, min_size=1, max_size=20),
    ys=st.lists(any_double, min_size=20, max_size=20),
)
def test_float_mod_and_floordiv_of_arbitrary_bit_patterns(
    floors: Program, xs: list[float], ys: list[float]
) -> None:
    ys = [y if y != 0.0 else 1.0 for y in ys[: len(xs)]]
    for export in ("float_mod", "float_floordiv"):
        assert same(floors.molt(export, xs=xs, ys=ys), floors.cpython(export, xs=xs, ys=ys))
