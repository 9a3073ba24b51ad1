"""molt.runtime._schema: JSON Schema checks of native values, with exact paths."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from molt.errors import BoundaryError
from molt.runtime._schema import ExportSchemas, _NativeValidator, compile_validator
from tests.runtime.conftest import fixture_interface

INT = {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}
FLOAT = {"type": "number"}
STR = {"type": "string"}
BYTES = {"type": "string", "contentEncoding": "base64"}
BOOL = {"type": "boolean"}
NULL = {"type": "null"}


def record(title: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "title": title,
        "properties": fields,
        "required": list(fields),
        "additionalProperties": False,
    }


def array(items: Any) -> dict[str, Any]:
    return {"type": "array", "items": items}


def optional(schema: Any) -> dict[str, Any]:
    return {"anyOf": [schema, NULL]}


POINT = record("Point", x=FLOAT, y=FLOAT)
AREA_INPUT = record(
    "area",
    points=array(POINT),
    name=STR,
    blob=BYTES,
    n=INT,
    tags={"type": "object", "additionalProperties": INT},
    anchor=optional(POINT),
)


def good_area_input() -> dict[str, Any]:
    return {
        "points": [{"x": float(i), "y": i} for i in range(5)],
        "name": "triangle",
        "blob": b"\x00\x01",
        "n": 3,
        "tags": {"a": 1},
        "anchor": None,
    }


def violation(schema: Any, value: Any, prefix: str = "$") -> BoundaryError:
    with pytest.raises(BoundaryError) as caught:
        compile_validator(schema).validate(value, prefix, export="area")
    assert caught.value.code == "MOLT-E-SCHEMA-VIOLATION"
    return caught.value


def test_a_valid_value_passes_on_the_compiled_fast_path() -> None:
    validator = compile_validator(AREA_INPUT)
    assert validator.compiled
    validator.validate(good_area_input())
    assert validator.is_valid(good_area_input())


def _set(value: dict[str, Any], path: tuple[Any, ...], new: Any) -> dict[str, Any]:
    node: Any = value
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = new
    return value


@pytest.mark.parametrize(
    ("where", "new", "path", "expected", "actual"),
    [
        (("points", 3, "x"), "3", "$.points[3].x", "number", "string"),
        (("points", 3, "x"), True, "$.points[3].x", "number", "boolean"),
        (("points", 4), [1.0, 2.0], "$.points[4]", "object Point", "array"),
        (("points",), (1,), "$.points", "array", "a Python tuple"),
        (("blob",), "AAE=", "$.blob", "bytes", "string"),
        (("name",), b"triangle", "$.name", "string", "bytes"),
        (("n",), True, "$.n", "integer within signed 64-bit", "boolean"),
        (("n",), 3.0, "$.n", "integer within signed 64-bit", "number"),
        (("n",), 2**63, "$.n", "integer within signed 64-bit", "integer 9223372036854775808"),
        (("tags", "b"), "x", "$.tags.b", "integer within signed 64-bit", "string"),
        (("tags", "not id"), None, '$.tags["not id"]', "integer within signed 64-bit", "null"),
        (("tags",), {1: 1}, "$.tags", "object", "an object with the non-str key 1"),
        (("anchor",), "here", "$.anchor", "object Point or null", "string"),
        (("anchor",), {"x": 1.0, "y": "2"}, "$.anchor.y", "number", "string"),
        (
            ("extra",),
            1,
            "$.extra",
            "no key 'extra' here (allowed keys: anchor, blob, n, name, points, tags)",
            "integer",
        ),
    ],
)
def test_the_first_error_is_reported_with_its_exact_json_path(
    where: tuple[Any, ...], new: Any, path: str, expected: str, actual: str
) -> None:
    error = violation(AREA_INPUT, _set(good_area_input(), where, new))
    assert error.path == path
    assert error.message == (
        f"area: input at {path} does not match the schema: expected {expected}, got {actual}; "
        "send a value of the declared type"
    )


def test_a_missing_key_is_reported_at_its_own_path() -> None:
    value = good_area_input()
    del value["points"][2]["y"]
    error = violation(AREA_INPUT, value)
    assert error.path == "$.points[2].y"
    assert "expected number, got no value (the key is missing)" in error.message


def test_the_shortest_path_comes_first_then_the_values_own_order() -> None:
    value = good_area_input()
    value["points"][0]["x"] = "deep"
    value["n"] = "shallow"
    value["name"] = 5
    # $.n and $.name are equally shallow; name comes first in the dict, n second.
    value = {key: value[key] for key in ["points", "name", "n", "blob", "tags", "anchor"]}
    assert violation(AREA_INPUT, value).path == "$.name"
    value = {key: value[key] for key in ["points", "n", "name", "blob", "tags", "anchor"]}
    assert violation(AREA_INPUT, value).path == "$.n"


def test_the_path_prefix_is_prepended() -> None:
    assert violation(POINT, {"x": 1.0, "y": "2"}, "$.args").path == "$.args.y"


@pytest.mark.parametrize(
    ("schema", "value", "valid"),
    [
        (BYTES, b"", True),
        (BYTES, "", False),
        (BYTES, bytearray(b"x"), False),
        (STR, b"x", False),
        (INT, True, False),
        (INT, 1.0, False),
        (INT, 7, True),
        (FLOAT, 7, True),
        (FLOAT, False, False),
        (FLOAT, math.nan, True),
        (BOOL, 1, False),
        (BOOL, True, True),
        (NULL, None, True),
        (array(FLOAT), [1, 2.5], True),
        (array(FLOAT), [1, True], False),
        (array(INT), [1, 2**63], False),
        (array(INT), [-(2**63), 2**63 - 1], True),
        (array(BYTES), [b"a", "a"], False),
        ({"type": ["string", "null"], "contentEncoding": "base64"}, None, True),
        ({"type": ["string", "null"], "contentEncoding": "base64"}, b"x", True),
        ({"type": ["string", "null"], "contentEncoding": "base64"}, "x", False),
    ],
)
def test_native_types_are_exact(schema: Any, value: Any, valid: bool) -> None:
    assert compile_validator(schema).is_valid(value) is valid


def test_validate_result_raises_result_invalid_with_the_detail() -> None:
    with pytest.raises(BoundaryError) as caught:
        compile_validator(array(FLOAT)).validate_result([1.0, "x"], export="area")
    assert caught.value.code == "MOLT-E-RESULT-INVALID"
    assert caught.value.path == "$[1]"
    assert caught.value.message == (
        "area: the module returned an invalid result at $[1]: expected number, got string; this "
        "is a bug in the module or its compiler, not in the input: report it with the module, "
        "the input and this message"
    )


def test_schemas_outside_the_value_table_are_checked_by_jsonschema() -> None:
    validator = compile_validator({"type": "array", "minItems": 2, "items": STR})
    assert not validator.compiled
    assert validator.is_valid(["a", "b"])
    error = violation({"type": "array", "minItems": 2, "items": STR}, ["a"])
    assert error.path == "$"
    assert "expected a value that satisfies minItems: 2, got array" in error.message


def test_export_schemas_compile_every_export_of_an_interface() -> None:
    schemas = ExportSchemas.from_interface(fixture_interface("echo"))
    assert list(schemas) == ["bad_result", "echo", "fail", "grow", "recurse", "spin"]
    assert schemas["echo"].params == ("value",)
    assert schemas["echo"].input.compiled and schemas["echo"].output.compiled
    schemas["echo"].input.validate({"value": [1.0, 2]})
    with pytest.raises(BoundaryError):
        schemas["recurse"].input.validate({"n": True})


# -- the fast path agrees with jsonschema ------------------------------------------------------

leaf_schemas = st.sampled_from([INT, FLOAT, STR, BYTES, BOOL, NULL, {}])
names = st.sampled_from(["a", "b", "x", "not id"])


def _records(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.dictionaries(names, inner, max_size=3).map(lambda fields: record("R", **fields))


schemas = st.recursive(
    leaf_schemas,
    lambda inner: (
        inner.map(array)
        | inner.map(lambda s: {"type": "object", "additionalProperties": s})
        | inner.map(optional)
        | _records(inner)
    ),
    max_leaves=6,
)
native = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64)
    | st.floats()
    | st.text(max_size=3)
    | st.binary(max_size=3)
    | st.sampled_from([(1,), bytearray(b"x")]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(names, inner, max_size=3)
        | st.dictionaries(st.integers(0, 2), inner, min_size=1, max_size=2)
    ),
    max_leaves=10,
)


def _example(schema: Any) -> st.SearchStrategy[Any]:
    """Values that mostly fit `schema`, so that both verdicts get exercised."""
    if schema == {}:
        return native
    if "anyOf" in schema:
        return st.one_of([_example(branch) for branch in schema["anyOf"]])
    kind = schema["type"]
    if kind == "array":
        return st.lists(_example(schema["items"]) | native, max_size=70)
    if kind == "object" and "properties" in schema:
        fields = {name: _example(sub) for name, sub in schema["properties"].items()}
        return st.fixed_dictionaries(fields) | native
    if kind == "object":
        return st.dictionaries(names, _example(schema["additionalProperties"]), max_size=3)
    return native


@settings(max_examples=400)
@given(st.data())
def test_the_compiled_fast_path_agrees_with_jsonschema(data: st.DataObject) -> None:
    schema = data.draw(schemas)
    value = data.draw(_example(schema))
    validator = compile_validator(schema)
    assert validator.compiled
    reference = not any(_NativeValidator(schema).iter_errors(value))
    assert validator._fast is not None
    assert validator._fast(value) is reference
    assert (validator.first_problem(value) is None) is reference
