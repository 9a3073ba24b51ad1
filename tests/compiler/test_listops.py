"""List concatenation, += and *= in place, and min()/max() of a list or of str values,
against CPython through the real host."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.compiler.conftest import INT64_MAX, INT64_MIN, Program, expected, same

SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

ints = st.lists(st.integers(INT64_MIN, INT64_MAX), max_size=5)
words = st.text("abé😀", max_size=3)


@pytest.fixture(scope="module")
def listops(molt_program) -> Program:
    return molt_program("listops")


def check(program: Program, export: str, **args: object) -> None:
    want = expected(program.cpython(export, **args))
    got = program.molt(export, **args)
    assert same(got, want), f"{export}({args}): molt {got!r}, cpython {want!r}"


@SETTINGS
@given(a=ints, b=ints)
def test_concatenation_is_a_new_list(listops: Program, a: list[int], b: list[int]) -> None:
    check(listops, "concat", a=a, b=b)


@SETTINGS
@given(rows=st.lists(st.lists(words, max_size=2), max_size=3), extra=st.lists(st.lists(words)))
def test_concatenation_is_shallow(listops: Program, rows: list, extra: list) -> None:
    check(listops, "nested_concat", rows=rows, extra=extra)


@SETTINGS
@given(
    a=st.lists(st.floats(), max_size=4), b=st.lists(st.floats(), max_size=4), n=st.integers(-1, 3)
)
def test_augmented_assignment_changes_the_list_in_place(
    listops: Program, a: list[float], b: list[float], n: int
) -> None:
    check(listops, "extend_alias", a=a, b=b, n=n)


@SETTINGS
@given(rows=st.lists(st.lists(st.integers(-9, 9), max_size=3), max_size=3), i=st.integers(-4, 3))
def test_augmented_list_items_change_in_place(listops: Program, rows: list, i: int) -> None:
    check(listops, "extend_items", rows=rows, i=i, extra=[5])


@pytest.mark.parametrize(("key", "n"), [("a", 2), ("b", 0), ("missing", 1)])
def test_augmented_dict_values_change_in_place(listops: Program, key: str, n: int) -> None:
    check(listops, "extend_values", d={"a": [False], "b": []}, key=key, n=n)


@SETTINGS
@given(xs=ints)
def test_min_max_of_int_lists(listops: Program, xs: list[int]) -> None:
    check(listops, "ints", xs=xs)


@SETTINGS
@given(xs=st.lists(st.floats() | st.sampled_from([0.0, -0.0]), max_size=5))
def test_min_max_of_float_lists_keep_cpythons_order(listops: Program, xs: list[float]) -> None:
    check(listops, "floats", xs=xs)


@SETTINGS
@given(xs=st.lists(words, min_size=1, max_size=5))
def test_min_max_of_str(listops: Program, xs: list[str]) -> None:
    check(listops, "words", xs=xs)


def test_min_of_an_empty_list_is_a_value_error(listops: Program) -> None:
    assert listops.molt("ints", xs=[]) == (
        "error",
        "MOLT-E-VALUE",
        "min() arg is an empty sequence at listops.py:51:13; pass a value the operation "
        "accepts, or check it before the operation",
    )
