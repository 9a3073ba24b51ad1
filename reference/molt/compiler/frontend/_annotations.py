"""Annotations to Molt types (spec/language.yaml `types`).

`AnnotationReader.read(node)` returns the type an annotation names, or None
after reporting why it names none: MOLT-E-TYPE for an annotation outside the
type table (MOLT-L-REJECT-OTHER-ANNOTATION), MOLT-E-EXPORT-SIGNATURE instead
when the annotation belongs to an exported function, and MOLT-E-UNSUPPORTED
for the types of the language that this compiler version does not implement
yet (str, bytes, dict, optional values, records).
"""

from __future__ import annotations

import ast

from molt.compiler.frontend._report import Reporter
from molt.compiler.ir.types import BOOL, FLOAT, INT, NONE, ListType, MoltType

__all__ = ["AnnotationReader"]

_SCALARS: dict[str, MoltType] = {"int": INT, "float": FLOAT, "bool": BOOL, "None": NONE}
_LATER = {
    "str": "MOLT-L-TYPE-STR",
    "bytes": "MOLT-L-TYPE-BYTES",
    "dict": "MOLT-L-TYPE-DICT",
    "Optional": "MOLT-L-TYPE-OPTIONAL",
}


class AnnotationReader:
    """Reads annotations; `export` names the exported function they belong to, if any."""

    def __init__(self, report: Reporter) -> None:
        self.report = report

    def read(self, node: ast.expr, *, export: str | None = None, what: str = "") -> MoltType | None:
        problem = self._problem(node)
        if problem is None:
            return self._type(node)
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
            if name in ("dict", "Optional"):
                self.report.not_yet(node, f"the type {ast.unparse(node)}", _LATER[name])
                return "later"
            return "other"
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            sides = (node.left, node.right)
            if any(isinstance(s, ast.Constant) and s.value is None for s in sides):
                self.report.not_yet(node, f"the type {ast.unparse(node)}", "MOLT-L-TYPE-OPTIONAL")
                return "later"
            return "other"
        return "other"

    def _type(self, node: ast.expr) -> MoltType:
        if isinstance(node, ast.Constant):
            return NONE
        if isinstance(node, ast.Name):
            return _SCALARS[node.id]
        assert isinstance(node, ast.Subscript)
        return ListType(self._type(node.slice))
