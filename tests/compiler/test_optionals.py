"""Optional values (T | None, Optional[T]): the same results as CPython, nil on the
wire, the anyOf schema, the host's wording for wire errors, and narrowing by
`is None` / `is not None` with the compile errors of using an un-narrowed value."""

from __future__ import annotations

import textwrap

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from molt.compiler import FrontendError, compile_source
from molt.errors import BoundaryError
from tests.compiler._values import check, hosted, raw
from tests.compiler.conftest import INT64_MAX, INT64_MIN, Program

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TYPE, UNSUPPORTED = "MOLT-E-TYPE", "MOLT-E-UNSUPPORTED"
SCHEMA, MALFORMED = "MOLT-E-SCHEMA-VIOLATION", "MOLT-E-MALFORMED-MESSAGE"

ints = st.integers(INT64_MIN, INT64_MAX)
small = st.integers(-1000, 1000)
points = st.fixed_dictionaries(
    {"x": st.floats(width=64), "y": st.floats(allow_nan=False, allow_infinity=False)}
)
entries = st.fixed_dictionaries(
    {"name_id": small, "score": st.none() | small, "at": st.none() | points}
)


@pytest.fixture(scope="module")
def optionals(molt_program) -> Program:
    return molt_program("optionals")


# -- differential -----------------------------------------------------------------------------


@SETTINGS
@given(xs=st.lists(ints, max_size=6), limit=ints, x=st.none() | ints, default=ints)
def test_optional_ints_match_cpython(optionals: Program, xs, limit, x, default) -> None:
    check(optionals, "first_big", xs=xs, limit=limit)
    check(optionals, "or_default", x=x, default=default)


@SETTINGS
@given(es=st.lists(entries, max_size=5), p=st.none() | points)
def test_optional_records_and_fields_match_cpython(optionals: Program, es, p) -> None:
    check(optionals, "best", entries=es)
    check(optionals, "norm", p=p)


@SETTINGS
@given(
    xs=st.lists(st.none() | st.booleans(), max_size=8),
    n=st.none() | st.integers(-3, 40),
    x=st.none() | st.floats(),
    k=small,
)
def test_optional_bools_loops_and_widening_match_cpython(optionals: Program, xs, n, x, k) -> None:
    check(optionals, "flags", xs=xs)
    check(optionals, "count_down", n=n)
    check(optionals, "widen", x=x, k=k)


# -- the wire ---------------------------------------------------------------------------------


def test_none_is_nil_and_a_value_is_itself_on_the_wire(optionals: Program) -> None:
    assert raw(optionals, "first_big", msgpack.packb({"xs": [1], "limit": 5})) == b"\xc0"
    assert raw(optionals, "first_big", msgpack.packb({"xs": [9], "limit": 5})) == b"\x09"
    answer = raw(optionals, "flags", msgpack.packb({"xs": [True, None]}))
    assert answer == b"\x92\xc2\xc0"


def test_every_prefix_of_a_valid_optional_message_is_a_coded_error(optionals: Program) -> None:
    args = {
        "entries": [
            {"name_id": 1, "score": None, "at": {"x": 1.0, "y": 2.0}},
            {"name_id": 2, "score": 300, "at": None},
        ]
    }
    message = msgpack.packb(args)
    assert isinstance(raw(optionals, "best", message), bytes)
    for end in range(len(message)):
        answer = raw(optionals, "best", message[:end])
        assert isinstance(answer, BoundaryError), (end, answer)
        assert answer.code in (SCHEMA, MALFORMED)


WIRE_CASES = [
    # (id, export, args, path)
    ("wrong scalar", "or_default", {"x": "a", "default": 1}, "$.x"),
    ("float for an int", "or_default", {"x": 1.5, "default": 1}, "$.x"),
    ("wrong record", "norm", {"p": [1]}, "$.p"),
    ("wrong field in the record", "norm", {"p": {"x": "a", "y": 1.0}}, "$.p.x"),
    (
        "missing optional field",
        "best",
        {"entries": [{"name_id": 1, "at": None}]},
        "$.entries[0].score",
    ),
    ("wrong list item", "flags", {"xs": [True, 3]}, "$.xs[1]"),
]


@pytest.mark.parametrize(
    ("export", "args", "path"), [c[1:] for c in WIRE_CASES], ids=[c[0] for c in WIRE_CASES]
)
def test_optional_decoding_errors_match_the_host(
    optionals: Program, export: str, args: dict, path: str
) -> None:
    module = raw(optionals, export, msgpack.packb(args))
    with pytest.raises(BoundaryError) as caught:
        optionals.module.call(export, args)
    assert isinstance(module, BoundaryError)
    assert (module.code, module.path) == (SCHEMA, path)
    host = caught.value
    assert (module.code, module.message, module.path) == (host.code, host.message, host.path)
    wire = hosted(optionals, export, msgpack.packb(args))
    assert isinstance(wire, BoundaryError) and wire.message == module.message


def test_optional_schemas_in_the_interface(optionals: Program) -> None:
    exports = {e["name"]: e for e in optionals.compiled.interface["exports"]}
    integer = {"type": "integer", "minimum": INT64_MIN, "maximum": INT64_MAX}
    assert exports["first_big"]["returns"] == "int | None"
    assert exports["first_big"]["output"] == {"anyOf": [integer, {"type": "null"}]}
    assert exports["best"]["returns"] == "Entry | None"
    assert exports["flags"]["params"] == [{"name": "xs", "type": "list[bool | None]"}]
    entry = exports["best"]["output"]["anyOf"][0]
    assert entry["properties"]["score"] == {"anyOf": [integer, {"type": "null"}]}


# -- narrowing and compile errors -------------------------------------------------------------

HEADER = "from molt import export\n\n\n@export\ndef f(x: int | None, n: int) -> int:\n"
"""Bodies start on line 6, indented by 4 (column 5)."""


def body(code: str) -> str:
    return HEADER + textwrap.indent(textwrap.dedent(code), "    ")


def problems(source: str) -> list[tuple[str, int, int]]:
    try:
        compile_source(source, filename="opt.py", module_name="opt")
    except FrontendError as error:
        return [(e.code, e.location.line, e.location.column) for e in error.errors]  # type: ignore[attr-defined]
    return []


NARROWING = [
    # (id, body, [(code, line, column)]); [] means it compiles
    ("is not None narrows the body", "if x is not None:\n    return x\nreturn n", []),
    ("is None narrows else", "if x is None:\n    return n\nelse:\n    return x", []),
    ("is None with a return narrows the rest", "if x is None:\n    return n\nreturn x + n", []),
    ("and narrows its right side", "return 1 if x is not None and x > n else 0", []),
    ("or narrows its right side", "return 1 if x is None or x > n else 0", []),
    ("conditional expression", "return x if x is not None else n", []),
    ("not swaps", "if not x is None:\n    return x\nreturn n", []),
    ("while narrows its body", "while x is not None:\n    n += x\n    x = None\nreturn n", []),
    ("unnarrowed use", "return x + n", [(TYPE, 6, 12)]),
    ("unnarrowed return", "return x", [(TYPE, 6, 5)]),
    (
        "narrowing ends at an assignment",
        "if x is not None:\n    x = None\n    return x\nreturn n",
        [(TYPE, 8, 9)],
    ),
    (
        "a loop drops narrowing of names it assigns",
        "if x is not None:\n    while n > 0:\n        n -= x\n        x = None\nreturn n",
        [(TYPE, 8, 13)],
    ),
    ("is None of a non-optional", "if n is None:\n    return 0\nreturn n", [(TYPE, 6, 8)]),
    ("comparison with None", "if x == None:\n    return 0\nreturn n", [(TYPE, 6, 8)]),
    (
        "no narrowing after a branch that may be None",
        "if x is None:\n    n = 1\nreturn x",
        [(TYPE, 8, 5)],
    ),
]


@pytest.mark.parametrize(
    ("code", "expected"), [c[1:] for c in NARROWING], ids=[c[0] for c in NARROWING]
)
def test_narrowing(code: str, expected: list) -> None:
    assert problems(body(code))[: max(len(expected), 1)] == expected


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        ("int | None", []),
        ("None | int", []),
        ("Optional[int]", []),
        ("int | None | None", []),
        ("list[int | None] | None", []),
        ("int | float", [("MOLT-E-EXPORT-SIGNATURE", 7, 10)]),
        ("Optional[None]", [("MOLT-E-EXPORT-SIGNATURE", 7, 10)]),
    ],
)
def test_optional_spellings(annotation: str, expected: list) -> None:
    source = (
        "from typing import Optional\n\nfrom molt import export\n\n\n@export\n"
        f"def f(v: {annotation}) -> int:\n    return 0 if v is None else 1\n"
    )
    assert problems(source) == expected


def test_field_access_through_an_optional_needs_narrowing() -> None:
    source = (
        "from dataclasses import dataclass\n\nfrom molt import export\n\n\n"
        "@dataclass(frozen=True)\nclass P:\n    x: int\n\n\n"
        "@export\ndef f(p: P | None) -> int:\n    return p.x\n"
    )
    found = problems(source)
    assert found == [(TYPE, 13, 12)]
