"""== and != of lists, dicts, records and optional values (MOLT-L-EXPR-COMPARE-EQ) and in
of lists of any item type (MOLT-L-EXPR-IN), against CPython.

The one deliberate difference (the spec's): no identity shortcut, so a NaN is unequal to
itself at any depth. The Hypothesis inputs hold NaN only in fresh objects (CPython decodes
each NaN of the message into its own float object), where CPython also says unequal; the
shared-object case is pinned separately.
"""

from __future__ import annotations

import math
from typing import Any

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.compiler import _values
from tests.compiler.conftest import Program, expected, same

SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

small = st.integers(-3, 3)
ints = st.lists(small, max_size=4)
floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 1.0])
words = st.text("ab", max_size=2)
points = st.fixed_dictionaries({"x": st.sampled_from([0.0, -0.0, 1.5, math.nan]), "y": floats})


@pytest.fixture(scope="module")
def equality(molt_program) -> Program:
    return molt_program("equality")


def fresh(args: dict[str, Any]) -> dict[str, Any]:
    """The arguments as CPython decodes them from a message: every float a new object
    (Hypothesis may hand the same NaN object to both operands)."""
    return msgpack.unpackb(msgpack.packb(args, use_bin_type=True))


def check_records(program: Program, export: str, **args: Any) -> None:
    _values.check(program, export, **fresh(args))


def check(program: Program, export: str, **args: Any) -> None:
    args = fresh(args)
    want = expected(program.cpython(export, **args))
    got = program.molt(export, **args)
    assert same(got, want), f"{export}({args}): molt {got!r}, cpython {want!r}"


def pairs(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """Two values that are often equal: equal values are what the shortcuts get wrong."""
    return st.one_of(
        st.tuples(strategy, strategy),
        strategy.map(lambda v: (v, v)),
    )


@SETTINGS
@given(ab=pairs(ints))
def test_int_lists(equality: Program, ab: tuple[list[int], list[int]]) -> None:
    check(equality, "int_lists", a=ab[0], b=list(ab[1]))


@SETTINGS
@given(ab=pairs(st.lists(floats, max_size=3)))
def test_float_lists_compare_by_ieee(equality: Program, ab: tuple) -> None:
    check(equality, "float_lists", a=list(ab[0]), b=list(ab[1]))


@SETTINGS
@given(ab=pairs(st.lists(st.lists(words, max_size=2), max_size=3)))
def test_nested_lists(equality: Program, ab: tuple) -> None:
    check(equality, "nested", a=ab[0], b=ab[1])


@SETTINGS
@given(ab=pairs(st.dictionaries(words, floats, max_size=3)))
def test_dicts_ignore_order(equality: Program, ab: tuple) -> None:
    a, b = ab
    check(equality, "dicts", a=a, b=dict(reversed(list(b.items()))))


@SETTINGS
@given(ab=pairs(st.dictionaries(words, ints, max_size=3)))
def test_dicts_of_lists(equality: Program, ab: tuple) -> None:
    check(equality, "dicts_of_lists", a=ab[0], b=ab[1])


@SETTINGS
@given(pq=pairs(points))
def test_records_field_by_field(equality: Program, pq: tuple) -> None:
    check_records(equality, "points", p=pq[0], q=dict(pq[1]))


shape = st.fixed_dictionaries(
    {
        "name": words,
        "corners": st.lists(points, max_size=2),
        "tags": st.dictionaries(words, small, max_size=2),
        "parent": st.none() | points,
        "data": st.binary(max_size=2),
        "hidden": st.booleans(),
    }
)


@SETTINGS
@given(st_=pairs(shape))
def test_records_of_every_kind_of_field(equality: Program, st_: tuple) -> None:
    check_records(equality, "shapes", s=st_[0], t=st_[1])


@SETTINGS
@given(a=st.none() | small, b=st.none() | small, c=small)
def test_optionals_with_values_and_none(
    equality: Program, a: int | None, b: int | None, c: int
) -> None:
    check(equality, "optionals", a=a, b=b, c=c)


@SETTINGS
@given(a=st.none() | floats, b=floats)
def test_optional_floats(equality: Program, a: float | None, b: float) -> None:
    check(equality, "optional_floats", a=a, b=b)


@SETTINGS
@given(a=st.none() | st.lists(words, max_size=2), b=st.lists(words, max_size=2))
def test_optional_lists(equality: Program, a: list[str] | None, b: list[str]) -> None:
    check(equality, "optional_lists", a=a, b=b)


@SETTINGS
@given(ab=pairs(st.lists(st.none() | small, max_size=3)))
def test_lists_of_optionals(equality: Program, ab: tuple) -> None:
    check(equality, "optional_items", a=ab[0], b=ab[1])


@SETTINGS
@given(
    rows=st.lists(ints, max_size=3),
    row=ints,
    ps=st.lists(points, max_size=3),
    p=points,
)
def test_in_of_lists_of_lists_and_records(
    equality: Program, rows: list, row: list, ps: list, p: dict
) -> None:
    check_records(equality, "list_in", rows=rows, row=row, ps=ps, p=p)
    check_records(equality, "list_in", rows=[*rows, row], row=row, ps=[*ps, p], p=dict(p))


@SETTINGS
@given(xs=st.lists(st.none() | small, max_size=4), x=small)
def test_in_of_a_list_of_optionals(equality: Program, xs: list, x: int) -> None:
    check(equality, "optional_in", xs=xs, x=x)


def test_nan_is_unequal_to_itself_even_in_the_same_list(equality: Program) -> None:
    # the spec's difference: CPython's identity shortcut says True, True here
    assert equality.cpython("same_nan", x=math.nan) == [True, True]
    assert equality.molt("same_nan", x=math.nan) == [False, False]
    assert equality.molt("same_nan", x=1.0) == [True, True]
