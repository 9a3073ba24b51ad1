"""Annotations to Molt types (spec/language.yaml `types`).

`AnnotationReader.read(node)` returns the type an annotation names, or None
after reporting why it names none: MOLT-E-TYPE for an annotation outside the
type table (MOLT-L-REJECT-OTHER-ANNOTATION), MOLT-E-EXPORT-SIGNATURE instead
when the annotation belongs to an exported function. Every type of the table is
compiled, list[None] and dict[str, None] included. `dict[str, T]` names a dict;
any other key type is MOLT-E-TYPE. `T | None`, `None | T` and `Optional[T]` name T | None.
A record name (MOLT-L-TYPE-RECORD) is resolved through `records`, the
module's `RecordReader`, which reads the record's fields on first use
(records may be used before their definition).
"""

from __future__ import annotations

import ast
from typing import Protocol

from molt.compiler.frontend._report import Reporter
from molt.compiler.ir.types import (
    BOOL,
    BYTES,
    FLOAT,
    INT,
    NONE,
    STR,
    DictType,
    ListType,
    MoltType,
    RecordType,
    optional,
)

__all__ = ["AnnotationReader", "RecordResolver"]


class RecordResolver(Protocol):
    """The module's records: which names are records, and their types."""

    def is_record(self, name: str) -> bool: ...
    def resolve(self, name: str) -> RecordType | None: ...


_SCALARS: dict[str, MoltType] = {
    "int": INT,
    "float": FLOAT,
    "bool": BOOL,
    "None": NONE,
    "str": STR,
    "bytes": BYTES,
}


class AnnotationReader:
    """Reads annotations; `export` names the exported function they belong to, if any."""

    def __init__(self, report: Reporter) -> None:
        self.report = report
        self.records: RecordResolver | None = None

    def read(self, node: ast.expr, *, export: str | None = None, what: str = "") -> MoltType | None:
        if self._names_a_type(node):
            return self._type(node)  # None: a record whose problem is reported
        text = ast.unparse(node)
        if export is not None:
            self.report.export_error(
                node, export, f"annotates {what} with {text}, which is outside the value table"
            )
        else:
            self.report.reject(
                node, "MOLT-L-REJECT-OTHER-ANNOTATION", f"the annotation {text} names no Molt type"
            )
        return None

    def _names_a_type(self, node: ast.expr) -> bool:
        """Whether `node` names a type of the table (spec/language.yaml `types`)."""
        if isinstance(node, ast.Constant) and node.value is None:
            return True
        if isinstance(node, ast.Name):
            if node.id in _SCALARS:
                return True
            return self.records is not None and self.records.is_record(node.id)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            name = node.value.id
            if name == "list":
                return self._names_a_type(node.slice)
            if name == "Optional":
                item = node.slice
                none = isinstance(item, ast.Constant) and item.value is None
                return not none and self._names_a_type(item)
            if name == "dict":
                pair = node.slice
                return (
                    isinstance(pair, ast.Tuple)
                    and len(pair.elts) == 2
                    and isinstance(pair.elts[0], ast.Name)
                    and pair.elts[0].id == "str"
                    and self._names_a_type(pair.elts[1])
                )
            return False
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            member = _union_member(node)
            return member is not None and self._names_a_type(member)
        return False

    def _type(self, node: ast.expr) -> MoltType | None:
        if isinstance(node, ast.Constant):
            return NONE
        if isinstance(node, ast.Name):
            if node.id in _SCALARS:
                return _SCALARS[node.id]
            assert self.records is not None
            return self.records.resolve(node.id)
        if isinstance(node, ast.BinOp):
            member = _union_member(node)
            assert member is not None
            item = self._type(member)
            return None if item is None else optional(item)
        assert isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
        if node.value.id == "dict":
            assert isinstance(node.slice, ast.Tuple)
            value = self._type(node.slice.elts[1])
            return None if value is None else DictType(value)
        item = self._type(node.slice)
        if item is None:
            return None
        return optional(item) if node.value.id == "Optional" else ListType(item)


def _union_member(node: ast.BinOp) -> ast.expr | None:
    """The T of `T | None` (either order, None repeated); None for any other union."""
    members: list[ast.expr] = []
    stack: list[ast.expr] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.BinOp) and isinstance(item.op, ast.BitOr):
            stack.extend((item.right, item.left))
        else:
            members.append(item)
    others = [m for m in members if not (isinstance(m, ast.Constant) and m.value is None)]
    if len(others) != 1 or len(others) == len(members):
        return None
    return others[0]
