"""The types of Molt values as the compiler sees them (spec/language.yaml `types`).

A type is a small immutable value: `ScalarType` for int, float, bool and None,
`ListType` for list[T], `DictType` for dict[str, T], `RecordType` for a frozen dataclass record,
`OptionalType` for T | None. Types
compare by value, so `ListType(INT) == ListType(INT)`.
`json_schema` maps a type to its JSON Schema through the ABI's value table
(spec/abi.yaml `value_table`); `str(t)` is its Molt spelling, as the
molt.interface section writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, final

__all__ = [
    "BOOL",
    "BYTES",
    "FLOAT",
    "INT",
    "INT64_MAX",
    "INT64_MIN",
    "NONE",
    "STR",
    "DictType",
    "ListType",
    "MoltType",
    "OptionalType",
    "RecordType",
    "ScalarType",
    "is_numeric",
    "json_schema",
    "optional",
]

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1

ScalarName = Literal["int", "float", "bool", "None", "str", "bytes"]


@final
@dataclass(frozen=True, slots=True)
class ScalarType:
    """int (MOLT-L-TYPE-INT), float, bool, None, str (MOLT-L-TYPE-STR) or bytes
    (MOLT-L-TYPE-BYTES)."""

    name: ScalarName

    def __str__(self) -> str:
        return self.name


@final
@dataclass(frozen=True, slots=True)
class ListType:
    """list[T] (MOLT-L-TYPE-LIST): a mutable sequence of one item type."""

    item: MoltType

    def __str__(self) -> str:
        return f"list[{self.item}]"


@final
@dataclass(frozen=True, slots=True)
class DictType:
    """dict[str, T] (MOLT-L-TYPE-DICT): an insertion-ordered map from str to T."""

    value: MoltType

    def __str__(self) -> str:
        return f"dict[str, {self.value}]"


@final
@dataclass(frozen=True, slots=True)
class RecordType:
    """A frozen @dataclass record (MOLT-L-TYPE-RECORD): named, typed fields in
    declaration order (the order of positional construction and of the wire)."""

    name: str
    fields: tuple[tuple[str, MoltType], ...]

    def __str__(self) -> str:
        return self.name

    def field_index(self, name: str) -> int | None:
        for index, (field_name, _) in enumerate(self.fields):
            if field_name == name:
                return index
        return None


@final
@dataclass(frozen=True, slots=True)
class OptionalType:
    """T | None (MOLT-L-TYPE-OPTIONAL); `item` is never None or itself optional."""

    item: MoltType

    def __str__(self) -> str:
        return f"{self.item} | None"


MoltType = ScalarType | ListType | DictType | RecordType | OptionalType


def optional(kind: MoltType) -> MoltType:
    """`kind | None`, collapsed: (T | None) | None is T | None, and None | None is None
    (so d.get(k) of a dict[str, None] is None, found or not)."""
    if isinstance(kind, OptionalType) or kind == NONE:
        return kind
    return OptionalType(kind)


INT = ScalarType("int")
FLOAT = ScalarType("float")
BOOL = ScalarType("bool")
NONE = ScalarType("None")
STR = ScalarType("str")
BYTES = ScalarType("bytes")


def is_numeric(kind: MoltType) -> bool:
    """int or float (bool is not a number in Molt: MOLT-L-TYPE-BOOL)."""
    return kind in (INT, FLOAT)


def json_schema(kind: MoltType) -> dict[str, Any]:
    """The JSON Schema of `kind` from the ABI's value table."""
    if isinstance(kind, ListType):
        return {"type": "array", "items": json_schema(kind.item)}
    if isinstance(kind, DictType):
        return {"type": "object", "additionalProperties": json_schema(kind.value)}
    if isinstance(kind, OptionalType):
        return {"anyOf": [json_schema(kind.item), {"type": "null"}]}
    if isinstance(kind, RecordType):
        return {
            "type": "object",
            "title": kind.name,
            "properties": {name: json_schema(field) for name, field in kind.fields},
            "required": [name for name, _ in kind.fields],
            "additionalProperties": False,
        }
    if kind == INT:
        return {"type": "integer", "minimum": INT64_MIN, "maximum": INT64_MAX}
    if kind == FLOAT:
        return {"type": "number"}
    if kind == BOOL:
        return {"type": "boolean"}
    if kind == STR:
        return {"type": "string"}
    if kind == BYTES:
        return {"type": "string", "contentEncoding": "base64"}
    return {"type": "null"}
