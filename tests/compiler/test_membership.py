"""`in` for lists and list.pop: the same results as CPython, MOLT-E-INDEX for an empty
list or an index outside, and the type errors of membership tests."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from molt.compiler import FrontendError, compile_source
from tests.compiler._values import check
from tests.compiler.conftest import INT64_MAX, INT64_MIN, Program

SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ints = st.integers(-5, 5) | st.integers(INT64_MIN, INT64_MAX)


@pytest.fixture(scope="module")
def membership(molt_program) -> Program:
    return molt_program("membership")


@SETTINGS
@given(xs=st.lists(ints, max_size=6), x=ints, fs=st.lists(st.floats(), max_size=5))
def test_in_for_numbers_matches_cpython(membership: Program, xs, x, fs) -> None:
    check(membership, "has_int", xs=xs, x=x)
    check(membership, "has_float", xs=fs + [float(v) for v in xs], x=x)


@SETTINGS
@given(
    ws=st.lists(st.text(alphabet="abé", max_size=3), max_size=5),
    w=st.text(alphabet="abé", max_size=3),
)
def test_in_for_str_and_bool_lists_matches_cpython(membership: Program, ws, w) -> None:
    check(membership, "has_word", words=ws, w=w)
    check(membership, "has_flag", flags=[len(x) > 1 for x in ws], f=len(w) > 1)


def test_a_nan_is_never_found(membership: Program) -> None:
    assert membership.molt("has_float", xs=[float("nan")], x=0) is False


@SETTINGS
@given(xs=st.lists(ints, max_size=6), fs=st.lists(st.floats(), max_size=5), i=st.integers(-7, 7))
def test_pop_matches_cpython(membership: Program, xs, fs, i) -> None:
    if xs and all(abs(v) < 2**59 for v in xs):
        check(membership, "pop_last", xs=xs)
    check(membership, "pop_at", xs=fs, i=i)
    check(membership, "drain", words=[str(v) for v in xs])
    check(membership, "stack", flags=[v > 0 for v in xs])


@pytest.mark.parametrize(
    ("export", "args", "detail"),
    [
        ("pop_last", {"xs": []}, "pop from empty list"),
        ("pop_at", {"xs": [1.0], "i": 1}, "pop index 1 out of range for length 1"),
        ("pop_at", {"xs": [], "i": -1}, "pop index -1 out of range for length 0"),
    ],
)
def test_pop_outside_is_the_index_error(membership: Program, export, args, detail) -> None:
    got = membership.molt(export, **args)
    assert got[:2] == ("error", "MOLT-E-INDEX")
    assert detail in got[2]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("return 1 if 's' in [n] else 0", [("MOLT-E-TYPE", 6, 17)]),
        ("return 1 if n in 3 else 0", [("MOLT-E-TYPE", 6, 17)]),
        ("return 1 if None in [n] else 0", [("MOLT-E-TYPE", 6, 17)]),
        ("return 1 if n in [None] else 0", [("MOLT-E-TYPE", 6, 17)]),
        ("return 1 if [n] in [['n']] else 0", [("MOLT-E-TYPE", 6, 17)]),
        ("return [n].pop('x')", [("MOLT-E-TYPE", 6, 20)]),
        ("return [n].pop(1, 2)", [("MOLT-E-TYPE", 6, 12)]),
    ],
)
def test_membership_and_pop_compile_errors(code: str, expected: list) -> None:
    source = "from molt import export\n\n\n@export\ndef f(n: int) -> int:\n    " + code + "\n"
    with pytest.raises(FrontendError) as caught:
        compile_source(source, filename="m.py", module_name="m")
    found = [(e.code, e.location.line, e.location.column) for e in caught.value.errors]  # type: ignore[attr-defined]
    assert found == expected
