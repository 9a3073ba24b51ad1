"""Records (frozen dataclasses): the same results as CPython, maps on the wire in
declaration order, strict decoding with the host's codes, messages and JSON paths,
and the compile errors of MOLT-L-STMT-RECORD and its rejected forms."""

from __future__ import annotations

import textwrap

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from molt.compiler import FrontendError, compile_source
from molt.errors import BoundaryError
from tests.compiler._values import check, hosted, raw
from tests.compiler.conftest import INT64_MAX, INT64_MIN, PROGRAMS, Program

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
UNSUPPORTED, TYPE, NAME = "MOLT-E-UNSUPPORTED", "MOLT-E-TYPE", "MOLT-E-NAME"
SCHEMA, MALFORMED = "MOLT-E-SCHEMA-VIOLATION", "MOLT-E-MALFORMED-MESSAGE"


@pytest.fixture(scope="module")
def records(molt_program) -> Program:
    return molt_program("records")


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
points = st.fixed_dictionaries({"x": finite, "y": finite})
segments = st.fixed_dictionaries({"start": points, "end": points})
tagged = st.fixed_dictionaries(
    {
        "id": st.integers(INT64_MIN, INT64_MAX),
        "ok": st.booleans(),
        "weights": st.lists(st.floats(), max_size=4),
        "points": st.lists(points, max_size=4),
    }
)


# -- differential -----------------------------------------------------------------------------


@SETTINGS
@given(x=st.floats(), y=st.floats(), s=segments)
def test_points_and_segments_match_cpython(records: Program, x, y, s) -> None:
    check(records, "make_point", x=x, y=y)
    check(records, "mid", s=s)
    check(records, "seg_length2", s=s)


@SETTINGS
@given(t=tagged, ts=st.lists(tagged, max_size=3), p=points)
def test_nested_records_and_lists_of_records_match_cpython(records: Program, t, ts, p) -> None:
    check(records, "flip", t=t)
    if total_overflows_on_the_way(ts):
        assert records.molt("total", ts=ts)[:2] == ("error", "MOLT-E-OVERFLOW")
    else:
        check(records, "total", ts=ts)
    check(records, "grow", t=t, p=p)


def total_overflows_on_the_way(ts: list[dict]) -> bool:
    """Whether a step of `total` leaves int64 (where CPython's final sum may not)."""
    n = 0
    for t in ts:
        product = t["id"] * len(t["points"])
        n += product
        if not (INT64_MIN <= product <= INT64_MAX and INT64_MIN <= n <= INT64_MAX):
            return True
    return False


@SETTINGS
@given(rows=st.lists(st.lists(points, max_size=3), max_size=3), n=st.integers(-5, 5))
def test_lists_of_lists_of_records_and_a_none_field(records: Program, rows, n) -> None:
    check(records, "grid", rows=rows)
    check(records, "unit", n=n)


@pytest.mark.parametrize(
    ("a", "b", "code"),
    [(0, 5, None), (5, 0, "MOLT-E-INDEX"), (1, 0, "MOLT-E-ZERO-DIVISION"), (-2, 3, None)],
)
def test_keyword_values_are_evaluated_in_source_order(
    records: Program, a: int, b: int, code: str | None
) -> None:
    check(records, "keyword_order", a=a, b=b)
    got = records.molt("keyword_order", a=a, b=b)
    assert (got[1] if isinstance(got, tuple) else None) == code


def test_field_arithmetic_overflow_is_the_overflow_error(records: Program) -> None:
    got = records.molt("checked_sum", p={"first": INT64_MAX, "second": 1})
    assert got[:2] == ("error", "MOLT-E-OVERFLOW")


# -- the wire ---------------------------------------------------------------------------------


def test_a_record_result_is_a_map_in_declaration_order(records: Program) -> None:
    message = msgpack.packb({"s": {"end": {"y": 4.0, "x": 2.0}, "start": {"y": 0, "x": 0.0}}})
    answer = raw(records, "mid", message)
    assert answer == msgpack.packb({"x": 1.0, "y": 2.0})
    answer = raw(records, "unit", msgpack.packb({"n": 3}))
    assert answer == b"\x83\xa6marker\xc0\xa1n\x06\xa4flag\xc2"


def test_every_prefix_of_a_valid_record_message_is_a_coded_error(records: Program) -> None:
    args = {
        "t": {"id": 2**40, "ok": True, "weights": [0.5], "points": [{"x": 1.0, "y": -2.0}]},
        "p": {"y": 3.0, "x": 4.0},
    }
    message = msgpack.packb(args)
    assert isinstance(raw(records, "grow", message), bytes)
    for end in range(len(message)):
        answer = raw(records, "grow", message[:end])
        assert isinstance(answer, BoundaryError), (end, answer)
        assert answer.code in (SCHEMA, MALFORMED)


SEGMENT = {"start": {"x": 0.0, "y": 1.0}, "end": {"x": 3.0, "y": 5.0}}

WIRE_CASES = [
    # (id, export, message, code, path)
    (
        "missing field",
        "mid",
        {"s": {"start": {"x": 0.0}, "end": SEGMENT["end"]}},
        SCHEMA,
        "$.s.start.y",
    ),
    (
        "extra field",
        "mid",
        {"s": {"start": {"x": 0.0, "y": 1.0, "z": 2}, "end": SEGMENT["end"]}},
        SCHEMA,
        "$.s.start.z",
    ),
    (
        "wrong field type",
        "mid",
        {"s": {**SEGMENT, "end": {"x": "a", "y": 1.0}}},
        SCHEMA,
        "$.s.end.x",
    ),
    ("not a map", "mid", {"s": [1, 2]}, SCHEMA, "$.s"),
    ("nil for a record", "mid", {"s": None}, SCHEMA, "$.s"),
    (
        "int key",
        "mid",
        {"s": {"start": {"x": 0.0, "y": 1.0, 3: 2}, "end": SEGMENT["end"]}},
        MALFORMED,
        "$.s.start",
    ),
    (
        "deep in a list",
        "total",
        {"ts": [{"id": 1, "ok": True, "weights": [], "points": [{"x": 1.0, "y": True}]}]},
        SCHEMA,
        "$.ts[0].points[0].y",
    ),
    ("missing none field", "checked_sum", {"p": {"first": 1}}, SCHEMA, "$.p.second"),
]


@pytest.mark.parametrize(
    ("export", "args", "code", "path"),
    [c[1:] for c in WIRE_CASES],
    ids=[c[0] for c in WIRE_CASES],
)
def test_record_decoding_errors_match_the_host(
    records: Program, export: str, args: dict, code: str, path: str
) -> None:
    message = msgpack.packb(args)
    module, host = raw(records, export, message), hosted(records, export, message)
    assert isinstance(module, BoundaryError) and isinstance(host, BoundaryError)
    assert (module.code, module.path) == (code, path)
    assert (module.code, module.message, module.path) == (host.code, host.message, host.path)


@pytest.mark.parametrize(
    "args",
    [
        {"s": [1, 2]},
        {"s": None},
        {"s": {"start": {"x": 0.0}, "end": SEGMENT["end"]}},
        {"s": {**SEGMENT, "end": {"x": "a", "y": 1.0}}},
    ],
)
def test_module_and_host_schema_check_word_record_errors_alike(records: Program, args) -> None:
    answer = raw(records, "mid", msgpack.packb(args))
    with pytest.raises(BoundaryError) as caught:
        records.module.call("mid", args)
    assert isinstance(answer, BoundaryError)
    host = caught.value
    assert (answer.code, answer.message, answer.path) == (host.code, host.message, host.path)


def test_a_duplicate_field_is_malformed_at_its_path(records: Program) -> None:
    message = msgpack.packb({"s": SEGMENT}).replace(b"\xa1y", b"\xa1x", 1)
    module, host = raw(records, "mid", message), hosted(records, "mid", message)
    assert isinstance(module, BoundaryError)
    assert (module.code, module.path) == (MALFORMED, "$.s.start.x")
    assert "duplicate map key 'x'" in module.message
    assert (module.code, module.message, module.path) == (host.code, host.message, host.path)  # type: ignore[union-attr]


def test_record_schema_in_the_interface(records: Program) -> None:
    export = next(e for e in records.compiled.interface["exports"] if e["name"] == "mid")
    number = {"type": "number"}
    point = {
        "type": "object",
        "title": "Point",
        "properties": {"x": number, "y": number},
        "required": ["x", "y"],
        "additionalProperties": False,
    }
    assert export["params"] == [{"name": "s", "type": "Segment"}]
    assert export["returns"] == "Point"
    assert export["output"] == point
    assert export["input"]["properties"]["s"] == {
        "type": "object",
        "title": "Segment",
        "properties": {"start": point, "end": point},
        "required": ["start", "end"],
        "additionalProperties": False,
    }


def test_records_build_byte_identical() -> None:
    source = (PROGRAMS / "records.py").read_text(encoding="utf-8")
    first = compile_source(source, filename="records.py", module_name="records")
    second = compile_source(source, filename="records.py", module_name="records")
    assert first.wasm == second.wasm


# -- compile errors ---------------------------------------------------------------------------

DC = "from dataclasses import dataclass\n\n\n@dataclass(frozen=True)\n"
"""Lines 1-4: a record declaration starts on line 5."""

PRELUDE = (
    "from dataclasses import dataclass\n"
    "from molt import export\n\n\n"
    "@dataclass(frozen=True)\n"
    "class P:\n"
    "    x: int\n"
    "    y: float\n\n\n"
)
"""Lines 1-8; a source built on it continues on line 11."""


def function(code: str) -> str:
    return (
        PRELUDE
        + "@export\ndef f(n: int) -> int:\n"
        + textwrap.indent(textwrap.dedent(code), "    ")
    )


def problems(source: str) -> list[tuple[str, int, int]]:
    with pytest.raises(FrontendError) as caught:
        compile_source(source, filename="bad.py", module_name="bad")
    return [(e.code, e.location.line, e.location.column) for e in caught.value.errors]  # type: ignore[attr-defined]


def messages(source: str) -> str:
    with pytest.raises(FrontendError) as caught:
        compile_source(source, filename="bad.py", module_name="bad")
    return str(caught.value)


ERROR_CASES = [
    # (id, source, [(code, line, column)], a piece of the message)
    ("unknown field", function("p = P(1, 2.0)\nreturn p.z"), [(TYPE, 14, 12)], "has no field 'z'"),
    ("missing field", function("p = P(1)\nreturn n"), [(TYPE, 13, 9)], "no value for 'y'"),
    ("field twice", function("p = P(1, x=2)\nreturn n"), [(TYPE, 13, 14)], "given twice"),
    (
        "no such field",
        function("p = P(x=1, y=2.0, z=3)\nreturn n"),
        [(TYPE, 13, 23)],
        "no field 'z'",
    ),
    ("too many", function("p = P(1, 2.0, 3)\nreturn n"), [(TYPE, 13, 19)], "takes 2 arguments"),
    ("wrong type", function("p = P(1.5, 2.0)\nreturn n"), [(TYPE, 13, 11)], "field 'x' of 'P'"),
    ("field assignment", function("p = P(1, 2.0)\np.x = 3\nreturn n"), [(TYPE, 14, 5)], "p.x"),
    (
        "ordering",
        function("return 1 if P(1, 2.0) < P(1, 2.0) else 0"),
        [(TYPE, 13, 17)],
        "cannot order P values",
    ),
    ("not a record", function("return n.x"), [(TYPE, 13, 12)], "no attribute 'x'"),
    (
        "method",
        DC + "class Q:\n    x: int\n    def g(self) -> int:\n        return 1\n",
        [(UNSUPPORTED, 7, 5)],
        "module-level function",
    ),
    (
        "default",
        DC + "class Q:\n    x: int = 1\n",
        [(UNSUPPORTED, 6, 14)],
        "default value",
    ),
    (
        "recursive",
        DC + "class A:\n    b: list[B]\n\n\n@dataclass(frozen=True)\nclass B:\n    a: A\n",
        [(TYPE, 5, 1)],
        "A -> B -> A",
    ),
    (
        "base class",
        DC + "class Q(int):\n    x: int\n",
        [(UNSUPPORTED, 5, 9)],
        "base or class keyword int",
    ),
    (
        "other options",
        "from dataclasses import dataclass\n\n\n"
        "@dataclass(frozen=True, order=True)\nclass Q:\n    x: int\n",
        [(UNSUPPORTED, 4, 2)],
        "exactly @dataclass(frozen=True)",
    ),
    (
        "not imported",
        "@dataclass(frozen=True)\nclass Q:\n    x: int\n",
        [(NAME, 1, 2)],
        "dataclass",
    ),
    (
        "no fields",
        "from dataclasses import dataclass\n\n\n"
        '@dataclass(frozen=True)\nclass Q:\n    """Doc."""\n',
        [(UNSUPPORTED, 5, 1)],
        "without fields",
    ),
    (
        "other field type",
        DC + "class Q:\n    x: object\n",
        [(TYPE, 6, 8)],
        "object",
    ),
]


@pytest.mark.parametrize(
    ("source", "expected", "text"),
    [c[1:] for c in ERROR_CASES],
    ids=[c[0] for c in ERROR_CASES],
)
def test_record_compile_errors(source: str, expected: list, text: str) -> None:
    assert problems(source)[: len(expected)] == expected
    assert text in messages(source)


def test_records_may_be_used_before_their_definition() -> None:
    source = (
        "from dataclasses import dataclass\nfrom molt import export\n\n\n"
        "@export\ndef f(b: B) -> int:\n    return b.a.n\n\n\n"
        "@dataclass(frozen=True)\nclass B:\n    a: A\n\n\n"
        "@dataclass(frozen=True)\nclass A:\n    n: int\n"
    )
    compiled = compile_source(source, filename="fwd.py", module_name="fwd")
    assert compiled.interface["exports"][0]["params"] == [{"name": "b", "type": "B"}]
