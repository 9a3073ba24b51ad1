"""Lengths kept in registers (`stable_length_lists`): which variables qualify, and
the results and errors of programs where a stale length would go wrong, against
CPython through the real host."""

from __future__ import annotations

import pytest

from molt.compiler import check_source
from molt.compiler.ir import stable_length_lists
from tests.compiler.conftest import PROGRAMS, Program

INDEX_FIX = "check the index against len() before using it"


@pytest.fixture(scope="module")
def lengths(molt_program) -> Program:
    return molt_program("lengths")


def stable_names() -> dict[str, set[str]]:
    source = (PROGRAMS / "lengths.py").read_text(encoding="utf-8")
    module = check_source(source, filename="lengths.py", module_name="lengths")
    stable = stable_length_lists(module)
    names = {}
    for function in module.functions:
        by_slot = {local.slot: local.name for local in (*function.params, *function.locals)}
        names[function.name] = {by_slot[slot] for slot in stable[function.name]}
    return names


def test_which_list_variables_keep_their_length() -> None:
    names = stable_names()
    # nothing in total() or first_of() changes a length: every list variable qualifies
    assert names["total"] == {"xs"}
    assert names["first_of"] == {"rows"}
    # grow() appends: a parameter could be any caller's list
    assert names["grow"] == set()
    # literal_reads() calls only total(): all of its lists keep their length
    assert names["literal_reads"] == {"xs", "ys"}
    # appending functions: only new lists that never escape
    assert names["alias_then_append"] == set()  # ys = xs shares it
    assert names["appended_by_callee"] == set()  # passed to grow()
    # rows only lends its items (first_of changes no length); row and other are those
    # items, not new lists, and they grow
    assert names["row_grows_through_grid"] == {"rows"}
    assert names["escaped_into_a_list"] == {"grid"}  # xs escapes into grid; grid keeps 2
    assert "xs" in names["rebound_in_a_loop"] and "out" not in names["rebound_in_a_loop"]
    assert "xs" not in names["extended_in_place"]
    assert names["iterated_while_appending"] == set()
    assert names["stable_loop"] == {"xs"}
    # passing a list on is safe only to a function that changes no length and lets
    # that argument escape nowhere: identity() returns it, store_into() stores it
    assert names["identity"] == {"xs"} and names["store_into"] == {"grid", "xs"}
    assert names["alias_through_a_call"] == set()
    assert names["alias_through_a_store"] == {"grid"}
    assert names["measured_then_grown"] == {"xs"}


@pytest.mark.parametrize(
    ("export", "args"),
    [
        ("literal_reads", {"i": 0}),
        ("literal_reads", {"i": 2}),
        ("literal_reads", {"i": -3}),
        ("alias_then_append", {"n": 0}),
        ("alias_then_append", {"n": 3}),
        ("appended_by_callee", {"n": 0}),
        ("appended_by_callee", {"n": 4}),
        ("row_grows_through_grid", {"extra": 8}),
        ("escaped_into_a_list", {"n": 2}),
        ("rebound_in_a_loop", {"n": 0}),
        ("rebound_in_a_loop", {"n": 5}),
        ("extended_in_place", {"n": 0}),
        ("extended_in_place", {"n": 3}),
        ("iterated_while_appending", {"n": 3}),
        ("stable_loop", {"n": 4, "k": 4}),
        ("stable_loop", {"n": 4, "k": 0}),
        ("alias_through_a_call", {"n": 2}),
        ("alias_through_a_store", {"n": 3}),
        ("measured_then_grown", {"n": 5}),
    ],
)
def test_results_match_cpython(lengths: Program, export: str, args: dict) -> None:
    assert lengths.molt(export, **args) == lengths.cpython(export, **args)


@pytest.mark.parametrize(
    ("export", "args", "index", "length", "where"),
    [
        ("literal_reads", {"i": 3}, 3, 3, "28:12"),
        ("literal_reads", {"i": -4}, -4, 3, "28:12"),
        ("stable_loop", {"n": 4, "k": 5}, 4, 4, "100:14"),
        ("stable_loop", {"n": 0, "k": 1}, 0, 0, "100:14"),
    ],
)
def test_reading_past_a_kept_length_is_still_an_index_error(
    lengths: Program, export: str, args: dict, index: int, length: int, where: str
) -> None:
    message = (
        f"list index {index} out of range for length {length} at lengths.py:{where}; {INDEX_FIX}"
    )
    assert lengths.molt(export, **args) == ("error", "MOLT-E-INDEX", message)
