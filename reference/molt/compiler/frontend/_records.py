"""Record definitions (MOLT-L-STMT-RECORD): frozen dataclasses to `RecordType`s.

`RecordReader.declare(node)` checks a class's decorator and shape when the
module level is first walked, so every record name is known before any
annotation is read; `resolve(name)` reads the record's fields on first use
(records may refer to records defined later in the file) and reports a record
that contains itself (MOLT-L-REJECT-RECURSIVE-RECORD) once.
"""

from __future__ import annotations

import ast

from molt.compiler.frontend._annotations import AnnotationReader
from molt.compiler.frontend._report import Reporter
from molt.compiler.ir.types import MoltType, RecordType

__all__ = ["RecordReader", "is_dataclass_decorator"]


class RecordReader:
    """The records of one module, declared first and resolved on demand."""

    def __init__(self, report: Reporter, annotations: AnnotationReader) -> None:
        self.report = report
        self.annotations = annotations
        self.nodes: dict[str, ast.ClassDef] = {}
        self.types: dict[str, RecordType] = {}
        self.failed: set[str] = set()
        self._resolving: list[str] = []
        annotations.records = self

    def is_record(self, name: str) -> bool:
        return name in self.nodes

    def declare(self, node: ast.ClassDef, imported: set[str]) -> None:
        """Check the decorator and the class line; a valid record becomes a type name."""
        decorators = node.decorator_list
        if not any(is_dataclass_decorator(d) for d in decorators):
            self.report.reject(node, "MOLT-L-REJECT-CLASS")
            return
        ok = True
        for decorator in decorators:
            if not _is_frozen_dataclass(decorator):
                self.report.reject(
                    decorator,
                    "MOLT-L-REJECT-CLASS",
                    f"the decorator @{ast.unparse(decorator)} (a record is declared with "
                    "exactly @dataclass(frozen=True))",
                )
                ok = False
            elif "dataclass" not in imported:
                self.report.name_error(decorator, "dataclass")
                ok = False
        if len(decorators) > 1 and ok:
            self.report.reject(
                decorators[1], "MOLT-L-REJECT-CLASS", "a second decorator on a record"
            )
            ok = False
        for base in [*node.bases, *node.keywords]:
            self.report.reject(
                base, "MOLT-L-REJECT-CLASS", f"the base or class keyword {ast.unparse(base)}"
            )
            ok = False
        if ok:
            self.nodes[node.name] = node
        else:
            self.failed.add(node.name)

    def resolve(self, name: str) -> RecordType | None:
        """The type of record `name`, or None when its definition has a reported problem."""
        found = self.types.get(name)
        if found is not None or name in self.failed:
            return found
        node = self.nodes[name]
        if name in self._resolving:
            self.failed.add(name)
            self.report.reject(
                node,
                "MOLT-L-REJECT-RECURSIVE-RECORD",
                f"the record {name} contains itself through "
                + " -> ".join([*self._resolving[self._resolving.index(name) :], name]),
            )
            return None
        self._resolving.append(name)
        try:
            fields = self._fields(node)
        finally:
            self._resolving.pop()
        if fields is None or name in self.failed:
            self.failed.add(name)
            return None
        record = self.types[name] = RecordType(name, tuple(fields))
        return record

    def _fields(self, node: ast.ClassDef) -> list[tuple[str, MoltType]] | None:
        fields: list[tuple[str, MoltType]] = []
        ok = True
        for index, statement in enumerate(node.body):
            if index == 0 and _is_docstring(statement):
                continue
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.report.reject(statement, "MOLT-L-REJECT-RECORD-METHOD")
                ok = False
                continue
            if not isinstance(statement, ast.AnnAssign) or not isinstance(
                statement.target, ast.Name
            ):
                self.report.unsupported(
                    statement,
                    f"the statement {ast.unparse(statement).splitlines()[0]} in a record",
                    "give a record only annotated fields (NAME: TYPE) after its docstring",
                )
                ok = False
                continue
            if statement.value is not None:
                self.report.reject(statement.value, "MOLT-L-REJECT-RECORD-FIELD-DEFAULT")
                ok = False
            field = statement.target.id
            if any(field == known for known, _ in fields):
                self.report.type_error(
                    statement.target,
                    f"the record {node.name} declares the field '{field}' twice",
                    "give every field its own name",
                )
                ok = False
                continue
            kind = self.annotations.read(statement.annotation)
            if kind is None:
                ok = False
                continue
            fields.append((field, kind))
        if ok and not fields:
            self.report.unsupported(
                node,
                f"the record {node.name} without fields",
                "declare at least one annotated field (NAME: TYPE)",
            )
            ok = False
        return fields if ok else None


def is_dataclass_decorator(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    return isinstance(target, ast.Name) and target.id == "dataclass"


def _is_frozen_dataclass(node: ast.expr) -> bool:
    """Exactly @dataclass(frozen=True)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "dataclass"
        and not node.args
        and len(node.keywords) == 1
        and node.keywords[0].arg == "frozen"
        and isinstance(node.keywords[0].value, ast.Constant)
        and node.keywords[0].value.value is True
    )


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )
