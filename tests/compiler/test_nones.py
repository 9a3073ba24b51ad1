"""list[None] and dict[str, None] (MOLT-L-TYPE-LIST, MOLT-L-TYPE-DICT with T = None): the
same results as CPython, the same MOLT-E-INDEX / MOLT-E-KEY errors as other lists and
dicts, arrays of nil and maps of str -> nil on the wire (strict, with the host's codes,
messages and JSON paths), and their JSON Schema in the interface."""

from __future__ import annotations

from typing import Any

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from molt.compiler import FrontendError, compile_source
from molt.errors import BoundaryError
from tests.compiler._values import check, hosted, raw
from tests.compiler.conftest import Program

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SCHEMA, MALFORMED = "MOLT-E-SCHEMA-VIOLATION", "MOLT-E-MALFORMED-MESSAGE"
INDEX_FIX = "check the index against len() before using it"

nones = st.lists(st.none(), max_size=12)
keys = st.text(alphabet="abé\x00 ", max_size=4)
sets = st.dictionaries(keys, st.none(), max_size=12)  # 8 keys and more: the hashed index


@pytest.fixture(scope="module")
def program(molt_program) -> Program:
    return molt_program("nones")


def cpython_error(program: Program, export: str, **args: Any) -> tuple[str, str]:
    """CPython's error code for `export(**args)` (its messages have no location)."""
    got = program.cpython(export, **args)
    assert isinstance(got, tuple), got
    return got[:2]


# -- differential -----------------------------------------------------------------------------


@SETTINGS
@given(xs=nones, ys=nones, n=st.integers(-2, 5), i=st.integers(-14, 14))
def test_lists_of_none_match_cpython(program: Program, xs, ys, n, i) -> None:
    check(program, "echo", xs=xs)
    check(program, "literal", n=n)
    check(program, "copy", xs=xs)
    check(program, "grow", xs=xs, n=n)
    check(program, "has_none", xs=xs)
    check(program, "same", a=xs, b=ys)
    check(program, "same", a=xs, b=list(xs))
    check(program, "nested_same", a=[xs, ys], b=[list(xs), ys])
    check(program, "nested_same", a=[xs], b=[ys])
    check(program, "maybe", xs=xs)
    check(program, "maybe", xs=None)
    if -len(xs) <= i < len(xs):
        check(program, "at", xs=xs, i=i)
        check(program, "put", xs=xs, i=i)
    if xs:
        check(program, "shrink", xs=xs)


@SETTINGS
@given(
    xs=nones,
    start=st.integers(-14, 14),
    stop=st.integers(-14, 14),
    step=st.sampled_from([-3, -2, -1, 1, 2, 3]),
)
def test_slices_of_lists_of_none_match_cpython(program: Program, xs, start, stop, step) -> None:
    check(program, "cut", xs=xs, start=start, stop=stop, step=step)


@SETTINGS
@given(d=sets, e=sets, key=keys, words=st.lists(keys, max_size=20))
def test_dicts_of_none_match_cpython(program: Program, d, e, key, words) -> None:
    check(program, "echo_dict", d=d)
    check(program, "mark", d=d, key=key)
    check(program, "fetch", d=d, key=key)
    check(program, "get", d=d, key=key)
    check(program, "walk", d=d)
    check(program, "values_of", d=d)
    check(program, "rebuilt", d=d)
    check(program, "same_dicts", a=d, b=e)
    check(program, "same_dicts", a=d, b=dict(reversed(d.items())))
    check(program, "keys_to_set", words=words)
    check(program, "groups", g={k: [None] * len(k) for k in d})
    if key in d:
        check(program, "lookup", d=d, key=key)


@SETTINGS
@given(name=keys, marks=nones, seen=sets)
def test_records_with_none_containers_match_cpython(program: Program, name, marks, seen) -> None:
    check(program, "holes", h={"name": name, "marks": marks, "seen": seen})


def test_literals(program: Program) -> None:
    assert program.molt("literal", n=3) == [None] * 5
    assert program.molt("literal_dict") == {"a": None, "b": None}
    assert list(program.molt("keys_to_set", words=["b", "a", "b"])) == ["b", "a"]


# -- runtime errors: the same as for any list or dict ---------------------------------------


@pytest.mark.parametrize(
    ("export", "args", "message"),
    [
        ("at", {"xs": [None], "i": 1}, "list index 1 out of range for length 1 at nones.py:45:12"),
        ("at", {"xs": [], "i": -1}, "list index -1 out of range for length 0 at nones.py:45:12"),
        (
            "put",
            {"xs": [None, None], "i": -3},
            "list assignment index -3 out of range for length 2 at nones.py:50:5",
        ),
    ],
)
def test_an_index_outside_is_the_index_error(program: Program, export, args, message) -> None:
    got = program.molt(export, **args)
    assert got[:2] == cpython_error(program, export, **args)
    assert got == ("error", "MOLT-E-INDEX", f"{message}; {INDEX_FIX}")


def test_popping_an_empty_list_is_the_index_error(program: Program) -> None:
    got = program.molt("shrink", xs=[])
    assert got[:2] == cpython_error(program, "shrink", xs=[]) == ("error", "MOLT-E-INDEX")
    assert got[2].startswith("pop from empty list at nones.py:70:5; ")


def test_a_missing_key_is_the_key_error(program: Program) -> None:
    got = program.molt("lookup", d={"a": None}, key="b")
    assert got[:2] == cpython_error(program, "lookup", d={"a": None}, key="b")
    assert got == (
        "error",
        "MOLT-E-KEY",
        "key 'b' not in dict at nones.py:96:12; test the key with 'in' or read it with "
        "dict.get() first",
    )


# -- the wire ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 15, 16, 300, 70_000])
def test_results_are_canonical_arrays_of_nil(program: Program, count: int) -> None:
    message = msgpack.packb({"xs": [None] * count})
    assert raw(program, "echo", message) == msgpack.packb([None] * count)


@pytest.mark.parametrize("count", [0, 1, 15, 16, 300])
def test_results_are_canonical_maps_to_nil(program: Program, count: int) -> None:
    d = {f"k{i}": None for i in range(count)}
    assert raw(program, "echo_dict", msgpack.packb({"d": d})) == msgpack.packb(d)


WIRE_CASES = [
    # (id, export, message, code, path)
    ("an int item", "echo", {"xs": [None, None, 1]}, SCHEMA, "$.xs[2]"),
    ("a false item", "echo", {"xs": [False]}, SCHEMA, "$.xs[0]"),
    ("a list item", "echo", {"xs": [None, []]}, SCHEMA, "$.xs[1]"),
    ("nil for the list", "echo", {"xs": None}, SCHEMA, "$.xs"),
    ("a map for the list", "echo", {"xs": {}}, SCHEMA, "$.xs"),
    ("a str value", "echo_dict", {"d": {"a": None, "b": ""}}, SCHEMA, "$.d.b"),
    ("an odd key", "echo_dict", {"d": {"a b": 0}}, SCHEMA, '$.d["a b"]'),
    ("an int key", "echo_dict", {"d": {1: None}}, MALFORMED, "$.d"),
    ("in a record", "holes", {"h": {"name": "", "marks": [0], "seen": {}}}, SCHEMA, "$.h.marks[0]"),
    (
        "in a record's dict",
        "holes",
        {"h": {"name": "", "marks": [], "seen": {"k": 1.5}}},
        SCHEMA,
        "$.h.seen.k",
    ),
    ("nested", "groups", {"g": {"a": [None], "b": [None, "x"]}}, SCHEMA, "$.g.b[1]"),
    ("in an optional", "maybe", {"xs": [None, 2]}, SCHEMA, "$.xs[1]"),
]


@pytest.mark.parametrize(
    ("export", "args", "code", "path"),
    [c[1:] for c in WIRE_CASES],
    ids=[c[0] for c in WIRE_CASES],
)
def test_decoding_errors_match_the_host(program: Program, export, args, code, path) -> None:
    message = msgpack.packb(args)
    module, host = raw(program, export, message), hosted(program, export, message)
    assert isinstance(module, BoundaryError) and isinstance(host, BoundaryError)
    assert (module.code, module.path) == (code, path)
    assert (module.code, module.message, module.path) == (host.code, host.message, host.path)


def test_a_duplicate_key_is_malformed_at_its_path(program: Program) -> None:
    message = b"\x81\xa1d\x82\xa1a\xc0\xa1a\xc0"
    module, host = raw(program, "echo_dict", message), hosted(program, "echo_dict", message)
    assert isinstance(module, BoundaryError)
    assert (module.code, module.path) == (MALFORMED, "$.d.a")
    assert (module.code, module.message, module.path) == (host.code, host.message, host.path)  # type: ignore[union-attr]


def test_every_prefix_of_a_valid_message_is_a_coded_error(program: Program) -> None:
    message = msgpack.packb({"h": {"name": "n", "marks": [None, None], "seen": {"a": None}}})
    assert raw(program, "holes", message) == msgpack.packb(
        {"name": "n", "marks": [None, None], "seen": {"a": None}}
    )
    for end in range(len(message)):
        answer = raw(program, "holes", message[:end])
        assert isinstance(answer, BoundaryError), (end, answer)
        assert answer.code in (SCHEMA, MALFORMED)


def test_schemas_in_the_interface(program: Program) -> None:
    exports = {e["name"]: e for e in program.compiled.interface["exports"]}
    null = {"type": "null"}
    assert exports["echo"]["input"]["properties"]["xs"] == {"type": "array", "items": null}
    assert exports["echo"]["output"] == {"type": "array", "items": null}
    assert exports["echo_dict"]["output"] == {"type": "object", "additionalProperties": null}
    assert exports["maybe"]["input"]["properties"]["xs"] == {
        "anyOf": [{"type": "array", "items": null}, null]
    }
    assert [p["type"] for p in exports["groups"]["params"]] == ["dict[str, list[None]]"]
    assert exports["get"]["output"] == null


# -- compiling --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "def f(xs: list[None]) -> int:\n    return len(xs)\n",
        "def f(d: dict[str, None]) -> int:\n    return len(d)\n",
        "def f(xs: list[None] | None) -> int:\n    return 0\n",
        "def f(d: dict[str, list[None]]) -> int:\n    return len(d)\n",
        "def f() -> int:\n    d = {'a': None}\n    return len(d)\n",
        "def f() -> int:\n    xs = [None, None]\n    return len(xs)\n",
    ],
)
def test_sources_with_none_containers_compile(source: str) -> None:
    compiled = compile_source(
        "from molt import export\n\n\n@export\n" + source, filename="m.py", module_name="m"
    )
    assert [e["name"] for e in compiled.interface["exports"]] == ["f"]


def test_builds_are_reproducible() -> None:
    from tests.compiler.conftest import PROGRAMS

    source = (PROGRAMS / "nones.py").read_text(encoding="utf-8")
    first = compile_source(source, filename="nones.py", module_name="nones").wasm
    assert compile_source(source, filename="nones.py", module_name="nones").wasm == first


def _first_error(source: str) -> tuple[str, str]:
    with pytest.raises(FrontendError) as caught:
        compile_source(source, filename="m.py", module_name="m")
    return (caught.value.code, caught.value.message)


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (
            "xs: list[None] = [None]\n    return xs[0] is None",
            "MOLT-E-TYPE",
            "m.py:3:12: type error: 'xs[0]' has type None, so it is always None; remove the "
            "test, or give the value an optional type (T | None)",
        ),
        (
            "xs: list[None] = [None]\n    return xs[0] == xs[-1]",
            "MOLT-E-TYPE",
            "m.py:3:12: type error: '==' of two values of type None, which are always equal; "
            "remove the comparison: a value of type None is always None",
        ),
        (
            "xs = [None]\n    xs.append(1)\n    return True",
            "MOLT-E-TYPE",
            "m.py:3:15: type error: list.append expects None, got int; convert explicitly with "
            "int() or float(), or change the annotation so that the types agree",
        ),
        (
            "d = {'a': None}\n    return 1 in d",
            "MOLT-E-TYPE",
            "m.py:3:12: type error: 'in dict[str, None]' tests a str key, not a int; test a "
            "str key",
        ),
        (
            "xs: list[None] = []\n    return min(xs) is None",
            "MOLT-E-TYPE",
            "m.py:3:12: type error: min() of one list[None]; pass a list[int], list[float] or "
            "list[str], or two or more values to min()",
        ),
    ],
)
def test_misuses_of_none_items_are_type_errors(body: str, code: str, message: str) -> None:
    source = f"def f() -> bool:\n    {body}\n"
    assert _first_error(source) == (code, message)
