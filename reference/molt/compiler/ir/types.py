"""The types of Molt values as the compiler sees them (spec/language.yaml `types`).

A type is a small immutable value: `ScalarType` for int, float, bool and None,
`ListType` for list[T]. Types compare by value, so `ListType(INT) == ListType(INT)`.
`json_schema` maps a type to its JSON Schema through the ABI's value table
(spec/abi.yaml `value_table`); `str(t)` is its Molt spelling, as the
molt.interface section writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, final

__all__ = [
    "BOOL",
    "FLOAT",
    "INT",
    "INT64_MAX",
    "INT64_MIN",
    "NONE",
    "ListType",
    "MoltType",
    "ScalarType",
    "is_numeric",
    "json_schema",
]

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1

ScalarName = Literal["int", "float", "bool", "None"]


@final
@dataclass(frozen=True, slots=True)
class ScalarType:
    """int (MOLT-L-TYPE-INT), float, bool or None."""

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


MoltType = ScalarType | ListType

INT = ScalarType("int")
FLOAT = ScalarType("float")
BOOL = ScalarType("bool")
NONE = ScalarType("None")


def is_numeric(kind: MoltType) -> bool:
    """int or float (bool is not a number in Molt: MOLT-L-TYPE-BOOL)."""
    return kind in (INT, FLOAT)


def json_schema(kind: MoltType) -> dict[str, Any]:
    """The JSON Schema of `kind` from the ABI's value table."""
    if isinstance(kind, ListType):
        return {"type": "array", "items": json_schema(kind.item)}
    if kind == INT:
        return {"type": "integer", "minimum": INT64_MIN, "maximum": INT64_MAX}
    if kind == FLOAT:
        return {"type": "number"}
    if kind == BOOL:
        return {"type": "boolean"}
    return {"type": "null"}
