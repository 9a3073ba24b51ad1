"""JSON Schema checks of native Python values at the boundary.

`compile_validator(schema)` builds a `Validator` once per export and direction.
It applies JSON Schema draft 2020-12 (format checking off) to the plain
Python values a caller passes and a module returns, with Molt's native-value
rules (spec/abi.yaml `value_table`):

- types are exact: integer is `int` (never `bool`, never `1.0`), number is
  `int` or `float`, string is `str`, array is `list`, object is a `dict`
  whose keys are all `str`, null is `None`;
- `{"type": "string", "contentEncoding": "base64"}` is a `bytes` value
  (JSON views carry base64 text, native values carry bytes) and a `str`
  does not satisfy it.

A failure raises `BoundaryError` MOLT-E-SCHEMA-VIOLATION (or, through
`validate_result`, MOLT-E-RESULT-INVALID) with the JSON path of the first error
(`$.points[3].x`) and what was expected and found. "First" is deterministic:
the error with the shortest path, then the earliest in the value's own order,
descending into anyOf branches the way jsonschema's best_match does.

Speed: schemas built from the value table (type, properties, required,
additionalProperties, items, anyOf, minimum, maximum and annotations) are
also compiled into plain Python closures that answer valid / invalid in about
a microsecond for a small message, and check a list of scalars with C-speed
passes (`set(map(type, ...))`, `min`, `max`). jsonschema runs only to explain
a failure, or for schemas outside that subset.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, TypeChecker, ValidationError, validators
from jsonschema._utils import ensure_list

from molt.errors import BoundaryError, MoltError
from molt.spec import json_path

__all__ = ["ExportSchemas", "SchemaProblem", "Validator", "compile_validator"]

_NONE = type(None)

# -- native types for jsonschema ----------------------------------------------------------


def _is_object(_checker: Any, value: Any) -> bool:
    return type(value) is dict and all(type(key) is str for key in value)


_NATIVE_TYPES = TypeChecker(
    {
        "null": lambda _c, v: v is None,
        "boolean": lambda _c, v: type(v) is bool,
        "integer": lambda _c, v: type(v) is int,
        "number": lambda _c, v: type(v) is int or type(v) is float,
        "string": lambda _c, v: type(v) is str,
        "array": lambda _c, v: type(v) is list,
        "object": _is_object,
    }
)


def _native_type(validator: Any, types: Any, instance: Any, schema: Mapping[str, Any]) -> Any:
    """The `type` keyword with the bytes rule: base64 strings are `bytes` values."""
    names = ensure_list(types)
    binary = schema.get("contentEncoding") == "base64"
    for name in names:
        if name == "string" and binary:
            if type(instance) is bytes:
                return
        elif validator.is_type(instance, name):
            return
    yield ValidationError(f"{instance!r} is not of type {', '.join(map(repr, names))}")


_NativeValidator = validators.extend(
    Draft202012Validator, validators={"type": _native_type}, type_checker=_NATIVE_TYPES
)

# -- the public API --------------------------------------------------------------------


@dataclass(frozen=True)
class SchemaProblem:
    """The first error of a value against a schema."""

    parts: tuple[object, ...]
    """The path from the validated value: keys and indices."""
    expected: str
    actual: str

    def path(self, prefix: str = "$") -> str:
        return json_path(self.parts, prefix)

    @property
    def detail(self) -> str:
        return f"expected {self.expected}, got {self.actual}"


class Validator:
    """A JSON Schema compiled once, for native Python values."""

    __slots__ = ("_fast", "_jsonschema", "schema")

    def __init__(self, schema: Mapping[str, Any] | bool) -> None:
        self.schema = schema
        self._jsonschema = _NativeValidator(schema, format_checker=None)
        self._fast = _compile(schema)

    def is_valid(self, value: Any) -> bool:
        if self._fast is not None and self._fast(value):
            return True
        return self.first_problem(value) is None

    def first_problem(self, value: Any) -> SchemaProblem | None:
        """The first error (deterministic choice), or None when `value` is valid."""
        if self._fast is not None and self._fast(value):
            return None
        try:
            errors = list(self._jsonschema.iter_errors(value))
        except RecursionError:
            return SchemaProblem((), "a value nested less deeply", "a deeper value")
        if not errors:
            return None
        return _problem(_pick(errors, value), value)

    def validate(self, value: Any, path_prefix: str = "$", *, export: str = "message") -> None:
        """Raise `BoundaryError` MOLT-E-SCHEMA-VIOLATION unless `value` is valid."""
        if self._fast is not None and self._fast(value):
            return
        problem = self.first_problem(value)
        if problem is None:
            return
        error = MoltError.from_code(
            "MOLT-E-SCHEMA-VIOLATION",
            path=problem.path(path_prefix),
            export=export,
            expected=problem.expected,
            actual=problem.actual,
        )
        assert isinstance(error, BoundaryError)
        raise error

    def validate_result(self, value: Any, *, export: str = "message") -> None:
        """Raise `BoundaryError` MOLT-E-RESULT-INVALID unless the result `value` is valid."""
        if self._fast is not None and self._fast(value):
            return
        problem = self.first_problem(value)
        if problem is None:
            return
        error = MoltError.from_code(
            "MOLT-E-RESULT-INVALID", path=problem.path(), export=export, detail=problem.detail
        )
        assert isinstance(error, BoundaryError)
        raise error

    @property
    def compiled(self) -> bool:
        """Whether the fast path covers this schema (else jsonschema checks every value)."""
        return self._fast is not None


def compile_validator(schema: Mapping[str, Any] | bool) -> Validator:
    """A `Validator` for `schema`; build it once and keep it."""
    return Validator(schema)


@dataclass(frozen=True)
class ExportSchemas:
    """The compiled input and output validators of one export."""

    name: str
    params: tuple[str, ...]
    input: Validator
    output: Validator

    @classmethod
    def from_export(cls, export: Mapping[str, Any]) -> ExportSchemas:
        return cls(
            name=export["name"],
            params=tuple(param["name"] for param in export["params"]),
            input=compile_validator(export["input"]),
            output=compile_validator(export["output"]),
        )

    @classmethod
    def from_interface(cls, interface: Mapping[str, Any]) -> dict[str, ExportSchemas]:
        """One entry per export of a (checked) molt.interface, by export name."""
        return {export["name"]: cls.from_export(export) for export in interface["exports"]}


# -- choosing and describing the first error ---------------------------------------------

_WEAK = frozenset({"anyOf", "oneOf"})


def _order(value: Any, parts: Iterable[object]) -> tuple[int, ...]:
    """Where a path lies in the value's own order: indices, and key positions in dicts."""
    out = []
    node = value
    for part in parts:
        if type(node) is dict:
            keys = list(node)
            out.append(keys.index(part) if part in node else len(keys))
            node = node.get(part)
        elif type(node) is list and isinstance(part, int):
            out.append(part)
            node = node[part] if 0 <= part < len(node) else None
        else:
            out.append(0)
            node = None
    return tuple(out)


def _pick(errors: Sequence[ValidationError], value: Any) -> ValidationError:
    """The error to report: shallowest first; inside anyOf, the deepest branch error.

    Among the top-level errors the one with the shortest path wins, then the one
    that comes first in the value, then a non-anyOf keyword. Inside an anyOf the
    branch that got furthest into the value explains the failure best (a record
    with one wrong field, rather than "not null"); when the branches tie, the
    anyOf itself is reported ("Point or null").
    """

    def key(error: ValidationError) -> tuple[Any, ...]:
        parts = list(error.absolute_path)
        return (len(parts), _order(value, parts), error.validator in _WEAK, _type_mismatch(error))

    def branch_key(error: ValidationError) -> tuple[Any, ...]:
        parts = list(error.absolute_path)
        return (-len(parts), _order(value, parts), error.validator in _WEAK)

    best = min(errors, key=key)
    while best.context:
        smallest = heapq.nsmallest(2, best.context, key=branch_key)
        if len(smallest) == 2 and branch_key(smallest[0]) == branch_key(smallest[1]):
            return best
        best = smallest[0]
    return best


def _type_mismatch(error: ValidationError) -> bool:
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if "type" not in schema:
        return False
    return not _type_matches(error.instance, schema)


def _type_matches(instance: Any, schema: Mapping[str, Any]) -> bool:
    binary = schema.get("contentEncoding") == "base64"
    for name in ensure_list(schema["type"]):
        if name == "string" and binary:
            if type(instance) is bytes:
                return True
        elif _NATIVE_TYPES.is_type(instance, name):
            return True
    return False


def _problem(error: ValidationError, value: Any) -> SchemaProblem:
    parts = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    keyword = error.validator
    instance = error.instance
    if keyword == "required":
        missing = next((name for name in error.validator_value if name not in instance), "?")
        properties = schema.get("properties") or {}
        expected = _expect(properties.get(missing, True))
        return SchemaProblem((*parts, missing), expected, "no value (the key is missing)")
    closed = keyword in ("additionalProperties", "unevaluatedProperties")
    allowed = sorted(schema.get("properties") or {}) if closed else []
    extra = next((k for k in instance if k not in allowed), None) if closed else None
    if closed and schema.get(keyword) is False and extra is not None:
        allowed_text = ", ".join(allowed) if allowed else "none"
        return SchemaProblem(
            (*parts, extra),
            f"no key {extra!r} here (allowed keys: {allowed_text})",
            _actual(instance[extra]),
        )
    if keyword == "type":
        if type(instance) is dict and not _is_object(None, instance):
            bad = next(key for key in instance if type(key) is not str)
            return SchemaProblem(parts, _expect(schema), f"an object with the non-str key {bad!r}")
        return SchemaProblem(parts, _expect(schema), _actual(instance))
    if keyword in ("anyOf", "oneOf"):
        return SchemaProblem(parts, _expect(schema), _actual(instance))
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return SchemaProblem(parts, _expect(schema), f"{_actual(instance)} {instance!r}")
    return SchemaProblem(
        parts,
        f"a value that satisfies {keyword}: {error.validator_value!r}",
        _actual(instance),
    )


_INT64 = (-(1 << 63), (1 << 63) - 1)


def _expect(schema: Any) -> str:
    """A short description of what a value-table schema accepts."""
    if schema is True or schema == {}:
        return "any value"
    if schema is False or not isinstance(schema, Mapping):
        return "no value at all"
    if "anyOf" in schema or "oneOf" in schema:
        branches = schema.get("anyOf") or schema.get("oneOf") or []
        return " or ".join(_expect(branch) for branch in branches)
    if "const" in schema:
        return repr(schema["const"])
    if "enum" in schema:
        return "one of " + ", ".join(map(repr, schema["enum"]))
    names = [
        "bytes" if name == "string" and schema.get("contentEncoding") == "base64" else name
        for name in ensure_list(schema.get("type", []))
    ]
    text = " or ".join(names) if names else "a value"
    if "title" in schema and "object" in names:
        text = f"object {schema['title']}"
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low, high) == _INT64 and names == ["integer"]:
        text = "integer within signed 64-bit"
    elif low is not None and high is not None:
        text += f" in [{low}, {high}]"
    elif low is not None:
        text += f" >= {low}"
    elif high is not None:
        text += f" <= {high}"
    return text


def _actual(value: Any) -> str:
    kind = type(value)
    names = {
        _NONE: "null",
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        bytes: "bytes",
        list: "array",
        dict: "object",
    }
    if kind in names:
        return names[kind]
    return f"a Python {kind.__name__}"


# -- the fast path: value-table schemas as closures ---------------------------------------

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset({"title", "description", "$comment", "$schema", "$id", "examples"})
_KEYWORDS = _ANNOTATIONS | {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "anyOf",
    "minimum",
    "maximum",
    "contentEncoding",
}
_SCALAR_TYPES: dict[str, frozenset[type]] = {
    "null": frozenset({_NONE}),
    "boolean": frozenset({bool}),
    "integer": frozenset({int}),
    "number": frozenset({int, float}),
    "string": frozenset({str}),
}


def _compile(schema: Any) -> Check | None:
    """A closure equivalent to the schema for native values, or None if out of reach."""
    if schema is True or schema == {}:
        return _always
    if not isinstance(schema, Mapping) or not set(schema) <= _KEYWORDS:
        return None
    if "anyOf" in schema:
        if set(schema) - _ANNOTATIONS != {"anyOf"} or not schema["anyOf"]:
            return None
        branches = [_compile(branch) for branch in schema["anyOf"]]
        if any(branch is None for branch in branches):
            return None
        checks = tuple(b for b in branches if b is not None)
        return lambda value: any(check(value) for check in checks)
    kinds = schema.get("type")
    if not isinstance(kinds, str):
        return None
    if kinds == "array":
        return _compile_array(schema)
    if kinds == "object":
        return _compile_object(schema)
    return _compile_scalar(schema)


def _always(_value: Any) -> bool:
    return True


def _scalar_types(schema: Mapping[str, Any]) -> frozenset[type] | None:
    """The exact Python types a scalar schema accepts, or None."""
    kind = schema.get("type")
    encoding = schema.get("contentEncoding")
    if encoding is not None:
        return frozenset({bytes}) if kind == "string" and encoding == "base64" else None
    return _SCALAR_TYPES.get(kind) if isinstance(kind, str) else None


def _compile_scalar(schema: Mapping[str, Any]) -> Check | None:
    if set(schema) - _ANNOTATIONS - {"type", "minimum", "maximum", "contentEncoding"}:
        return None
    types = _scalar_types(schema)
    if types is None:
        return None
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is None and high is None:
        return lambda value: type(value) in types
    if types.isdisjoint({int, float}) or not _numbers(low, high):
        return None
    # jsonschema fails a bound only when `value < low` / `value > high` (so NaN passes).
    lower = float("-inf") if low is None else low
    upper = float("inf") if high is None else high
    return lambda value: type(value) in types and not (value < lower or value > upper)


def _numbers(*bounds: Any) -> bool:
    return all(b is None or type(b) in (int, float) for b in bounds)


def _compile_array(schema: Mapping[str, Any]) -> Check | None:
    if set(schema) - _ANNOTATIONS - {"type", "items"}:
        return None
    items = schema.get("items", True)
    if items is True or items == {}:
        return lambda value: type(value) is list
    item_check = _compile(items)
    if item_check is None:
        return None
    types = _scalar_types(items) if isinstance(items, Mapping) else None
    if types is not None:
        low, high = items.get("minimum"), items.get("maximum")
        if (low is None and high is None) or types == {int}:
            return _bulk_scalars(types, low, high)
    return lambda value: type(value) is list and all(map(item_check, value))


def _bulk_scalars(types: frozenset[type], low: Any, high: Any) -> Check:
    """A list of scalars, checked with C-speed passes over the list."""

    def check(value: Any) -> bool:
        if type(value) is not list:
            return False
        if not value:
            return True
        if not set(map(type, value)) <= types:
            return False
        if low is not None and min(value) < low:
            return False
        return not (high is not None and max(value) > high)

    return check


def _compile_object(schema: Mapping[str, Any]) -> Check | None:
    if set(schema) - _ANNOTATIONS - {"type", "properties", "required", "additionalProperties"}:
        return None
    properties = schema.get("properties", {})
    required = schema.get("required", [])
    additional = schema.get("additionalProperties", True)
    if not isinstance(properties, Mapping) or not isinstance(required, list):
        return None
    if not all(isinstance(name, str) for name in required):
        return None
    compiled: dict[str, Check] = {}
    for name, sub in properties.items():
        check = _compile(sub)
        if check is None:
            return None
        compiled[name] = check
    if additional is False:
        extra: Check | None = None
        closed = True
    else:
        extra = _compile(additional)
        if extra is None:
            return None
        closed = False
    needed = tuple(required)

    def check(value: Any) -> bool:
        if type(value) is not dict:
            return False
        for name in needed:
            if name not in value:
                return False
        for key, item in value.items():
            if type(key) is not str:
                return False
            sub = compiled.get(key)
            if sub is None:
                if closed:
                    return False
                if extra is not _always and not extra(item):  # type: ignore[misc]
                    return False
            elif not sub(item):
                return False
        return True

    return check
