"""Differential tests: every program gives the same results compiled by Molt (run
through the real host) as under CPython, for inputs Hypothesis draws.

Floats are compared bit for bit; an int result beyond signed 64-bit in CPython is
MOLT-E-OVERFLOW in Molt (the spec's one deliberate difference here); an exception
in CPython is the matching code in Molt.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.compiler.conftest import INT64_MAX, INT64_MIN, Program, expected, same

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

ints = st.integers(INT64_MIN, INT64_MAX)
small_ints = st.integers(-(1 << 20), 1 << 20)
any_floats = st.floats(allow_nan=True, allow_infinity=True)
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


def check(program: Program, export: str, **args: Any) -> None:
    want = expected(program.cpython(export, **args))
    got = program.molt(export, **args)
    assert same(got, want), f"{export}({args}): molt {got!r}, cpython {want!r}"


@pytest.fixture(scope="module")
def arith(molt_program) -> Program:
    return molt_program("arith")


@pytest.fixture(scope="module")
def kernels(molt_program) -> Program:
    return molt_program("kernels")


@pytest.fixture(scope="module")
def lists(molt_program) -> Program:
    return molt_program("lists")


# -- arithmetic ---------------------------------------------------------------------------


@SETTINGS
@given(a=ints, b=ints)
def test_int_operators_match_cpython_or_overflow(arith: Program, a: int, b: int) -> None:
    check(arith, "int_ops", a=a, b=b)
    check(arith, "int_div", a=a, b=b)


@SETTINGS
@given(a=small_ints, b=small_ints)
def test_small_int_operators_match_cpython(arith: Program, a: int, b: int) -> None:
    check(arith, "int_ops", a=a, b=b)
    check(arith, "int_div", a=a, b=b)


@SETTINGS
@given(a=st.integers(-(1 << 53), 1 << 53), b=st.integers(-(1 << 53), 1 << 53))
def test_int_true_division_matches_cpython_within_2_53(arith: Program, a: int, b: int) -> None:
    check(arith, "int_true_div", a=a, b=b)


@SETTINGS
@given(a=st.integers(-(1 << 40), 1 << 40), b=st.integers(0, 70))
def test_int_power_matches_cpython_or_overflows(arith: Program, a: int, b: int) -> None:
    check(arith, "int_pow", a=a, b=b)


@SETTINGS
@given(a=any_floats, b=any_floats)
def test_float_operators_are_bit_exact(arith: Program, a: float, b: float) -> None:
    check(arith, "float_ops", a=a, b=b)
    check(arith, "float_div", a=a, b=b)


@SETTINGS
@given(a=st.integers(INT64_MIN, INT64_MAX - 1), b=any_floats)
def test_mixed_arithmetic_and_exact_comparison(arith: Program, a: int, b: float) -> None:
    check(arith, "mixed", a=a, b=b)
    check(arith, "compare", a=a, b=b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (2**53 + 1, float(2**53)),  # int -> float rounding would call them equal
        (2**63 - 2, 9.223372036854775807e18),  # the float is 2**63, above every int64
        (-(2**63), -9.223372036854775808e18),  # exactly equal
        (0, -0.0),
        (5, float("nan")),
        (3, 3.5),
        (-3, -3.5),
    ],
)
def test_int_float_comparison_uses_exact_values(arith: Program, a: int, b: float) -> None:
    check(arith, "compare", a=a, b=b)


@SETTINGS
@given(x=any_floats)
def test_int_of_float_truncates_or_reports(arith: Program, x: float) -> None:
    check(arith, "to_int", x=x)


@pytest.mark.parametrize("p", [True, False])
@pytest.mark.parametrize("q", [True, False])
def test_bool_operators(arith: Program, p: bool, q: bool) -> None:
    check(arith, "bools", p=p, q=q)
    check(arith, "bool_int", p=p)


@pytest.mark.parametrize("n", [0, 3, -7])
def test_conditional_expression_of_int_and_float_is_float(arith: Program, n: int) -> None:
    # MOLT-L-EXPR-CONDITIONAL: the branches' common type is float (CPython keeps the int)
    assert same(arith.molt("choose", n=n), float(arith.cpython("choose", n=n)))


# -- kernels ------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 2, 10, 20, -1])
def test_fib_recursive(kernels: Program, n: int) -> None:
    check(kernels, "fib", n=n)


@SETTINGS
@given(limit=st.integers(-5, 2000))
def test_sieve(kernels: Program, limit: int) -> None:
    check(kernels, "sieve", limit=limit)


@pytest.mark.parametrize(("width", "height"), [(1, 1), (16, 8), (40, 25), (0, 3)])
def test_mandelbrot(kernels: Program, width: int, height: int) -> None:
    check(kernels, "mandelbrot", width=width, height=height)


@pytest.mark.parametrize("n", [1, 2, 10, 30])
def test_spectral_norm(kernels: Program, n: int) -> None:
    check(kernels, "spectral_norm", n=n)


@SETTINGS
@given(xs=st.lists(finite, max_size=40), ys=st.lists(finite, max_size=40))
def test_dot(kernels: Program, xs: list[float], ys: list[float]) -> None:
    check(kernels, "dot", xs=xs, ys=ys)
    check(kernels, "dot", xs=xs, ys=list(reversed(xs)))


# -- lists and control flow ------------------------------------------------------------------


@SETTINGS
@given(xs=st.lists(ints, max_size=30), i=st.integers(-40, 40))
def test_list_indexing_and_assignment(lists: Program, xs: list[int], i: int) -> None:
    check(lists, "get", xs=xs, i=i)
    check(lists, "set_item", xs=xs, i=i, value=7)
    check(lists, "bump", xs=xs, i=i)


@SETTINGS
@given(xs=st.lists(small_ints, max_size=30), n=st.integers(-3, 5))
def test_list_building(lists: Program, xs: list[int], n: int) -> None:
    check(lists, "repeat", xs=xs, n=n)
    check(lists, "evens_doubled", xs=xs)
    check(lists, "grow_while_iterating", xs=xs)


@SETTINGS
@given(rows=st.lists(st.lists(finite, max_size=5), max_size=5))
def test_nested_lists(lists: Program, rows: list[list[float]]) -> None:
    check(lists, "transpose_sum", rows=rows)
    check(lists, "flags", rows=rows)


@SETTINGS
@given(xs=st.lists(small_ints, max_size=30), low=small_ints, high=small_ints)
def test_control_flow(lists: Program, xs: list[int], low: int, high: int) -> None:
    check(lists, "first_between", xs=xs, low=low, high=high)
    check(lists, "count_loops", xs=xs)
    check(lists, "collatz", n=abs(low) % 1000 + 1)


def test_keyword_arguments_in_any_order(lists: Program) -> None:
    check(lists, "keywords", a=3, b=10)


def test_none_return_and_list_of_bools(lists: Program) -> None:
    check(lists, "nothing", flag=True)
    check(lists, "bits", n=10)


@pytest.mark.parametrize("flag", [True, False])
def test_none_typed_parameters_locals_and_calls(lists: Program, flag: bool) -> None:
    check(lists, "none_values", nothing_in=None, flag=flag)
