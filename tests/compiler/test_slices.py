"""Slicing (MOLT-L-EXPR-SLICE) against CPython: slice.indices() clamping, negative
steps, every omitted part, str by code points, shallow copies, and step 0."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.compiler._values import cpython as cpython_records
from tests.compiler._values import same_wire
from tests.compiler.conftest import INT64_MAX, INT64_MIN, Program, expected, same

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

bounds = st.one_of(
    st.integers(-12, 12), st.integers(INT64_MIN, INT64_MAX), st.sampled_from([INT64_MIN, INT64_MAX])
)
steps = st.one_of(st.integers(-4, 4), st.sampled_from([INT64_MIN, INT64_MAX, -INT64_MAX]))
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


@pytest.fixture(scope="module")
def slices(molt_program) -> Program:
    return molt_program("slices")


def check(program: Program, export: str, **args: object) -> None:
    want = expected(program.cpython(export, **args))
    got = program.molt(export, **args)
    assert same(got, want), f"{export}({args}): molt {got!r}, cpython {want!r}"


@SETTINGS
@given(xs=st.lists(st.integers(-5, 5), max_size=10), a=bounds, b=bounds, c=steps)
def test_list_slices_match_cpython(slices: Program, xs: list[int], a: int, b: int, c: int) -> None:
    check(slices, "list_slices", xs=xs, a=a, b=b, c=c)


@SETTINGS
@given(s=texts, a=bounds, b=bounds, c=steps)
def test_str_slices_count_code_points(slices: Program, s: str, a: int, b: int, c: int) -> None:
    check(slices, "str_slices", s=s, a=a, b=b, c=c)


@SETTINGS
@given(
    rows=st.lists(st.lists(texts, max_size=3), max_size=6),
    a=st.integers(-8, 8),
    c=st.integers(-3, 3),
)
def test_slices_of_nested_lists(slices: Program, rows: list[list[str]], a: int, c: int) -> None:
    check(slices, "nested", rows=rows, a=a, c=c)


@SETTINGS
@given(flags=st.lists(st.booleans(), max_size=9), c=st.integers(-3, 3))
def test_slices_of_bools(slices: Program, flags: list[bool], c: int) -> None:
    check(slices, "bools", flags=flags, c=c)


@pytest.mark.parametrize("a", [0, 1, 3, 5, -1])
def test_slices_of_floats(slices: Program, a: int) -> None:
    check(slices, "floats", xs=[0.5, -0.0, float("inf"), 2.25], a=a)


@pytest.mark.parametrize(("a", "b"), [(0, 2), (1, 10), (-2, -1), (3, 0)])
def test_slices_of_records(slices: Program, a: int, b: int) -> None:
    ps = [{"x": float(i), "y": -float(i)} for i in range(4)]
    assert same_wire(
        slices.molt("points", ps=ps, a=a, b=b), cpython_records(slices, "points", ps=ps, a=a, b=b)
    )


def test_a_list_slice_is_a_shallow_copy(slices: Program) -> None:
    rows = [[1], [2]]
    assert slices.molt("shallow", rows=rows) == slices.cpython("shallow", rows=rows)
    assert slices.molt("shallow", rows=rows) == [[1, 99], [2]]


@pytest.mark.parametrize("word", ["", "a", "abba", "abca", "été", "日本日", "a😀a", "😀a"])
def test_reversed_str(slices: Program, word: str) -> None:
    check(slices, "palindrome", word=word)


def test_zero_step_is_a_value_error_with_the_location(slices: Program) -> None:
    assert slices.molt("list_slices", xs=[1], a=0, b=1, c=0) == (
        "error",
        "MOLT-E-VALUE",
        "slice step cannot be zero at slices.py:16:13; pass a value the operation accepts, "
        "or check it before the operation",
    )
    assert slices.cpython("list_slices", xs=[1], a=0, b=1, c=0)[:2] == ("error", "MOLT-E-VALUE")
