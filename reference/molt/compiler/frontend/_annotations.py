"""Annotations to Molt types (spec/language.yaml `types`).

`AnnotationReader.read(node)` returns the type an annotation names, or None
after reporting why it names none: MOLT-E-TYPE for an annotation outside the
type table (MOLT-L-REJECT-OTHER-ANNOTATION), MOLT-E-EXPORT-SIGNATURE instead
when the annotation belongs to an exported function, and MOLT-E-UNSUPPORTED
for the types of the language that this compiler version does not implement
yet (list[None], dict[str, None]). `dict[str, T]` names a dict; any other key type is
MOLT-E-TYPE. `T | None`, `None | T` and `Optional[T]` name T | None.
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
_LATER: dict[str, str] = {}
"""Type names of the language that this compiler does not implement yet (none now)."""


class AnnotationReader:
    """Reads annotations; `export` names the exported function they belong to, if any."""

    def __init__(self, report: Reporter) -> None:
        self.report = report
        self.records: RecordResolver | None = None

    def read(self, node: ast.expr, *, export: str | None = None, what: str = "") -> MoltType | None:
        problem = self._problem(node)
        if problem is None:
            return self._type(node)  # None: a record whose problem is reported
        if problem == "later":
            return None  # already reported as not supported yet
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

    def _problem(self, node: ast.expr) -> str | None:
        """None when `node` names a type of this compiler; "later" or "other" otherwise."""
        if isinstance(node, ast.Constant) and node.value is None:
            return None
        if isinstance(node, ast.Name):
            if node.id in _SCALARS:
                return None
            if self.records is not None and self.records.is_record(node.id):
                return None
            if node.id in _LATER:
                self.report.not_yet(node, f"the type {node.id}", _LATER[node.id])
                return "later"
            return "other"
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            name = node.value.id
            if name == "list":
                item = node.slice
                if isinstance(item, ast.Constant) and item.value is None:
                    self.report.not_yet(node, "list[None]", "MOLT-L-TYPE-LIST")
                    return "later"
                return self._problem(item)
            if name == "Optional":
                item = node.slice
                none = isinstance(item, ast.Constant) and item.value is None
                return "other" if none else self._problem(item)
            if name == "dict":
                pair = node.slice
                if not (
                    isinstance(pair, ast.Tuple)
                    and len(pair.elts) == 2
                    and isinstance(pair.elts[0], ast.Name)
                    and pair.elts[0].id == "str"
                ):
                    return "other"
                value = pair.elts[1]
                if isinstance(value, ast.Constant) and value.value is None:
                    self.report.not_yet(node, "dict[str, None]", "MOLT-L-TYPE-DICT")
                    return "later"
                return self._problem(value)
            return "other"
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            member = _union_member(node)
            return "other" if member is None else self._problem(member)
        return "other"

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
