"""MOLT202 ObjectTypedExport: `Any`, `object` or a callable in an export signature."""

from __future__ import annotations

import ast

from molt_lint._checker import Checker
from molt_lint._detector import Detector
from molt_lint._message import Message
from molt_lint.rules import _value_table


class ObjectTypedExport(Message):
    code = "MOLT202"
    message = "`{type}` in {where} stands for any object, which cannot cross the boundary"
    hint = (
        "replace `{type}` with the concrete value-table type the data has: int, float, bool, "
        "str, bytes, None, list[T], dict[str, T], T | None or a frozen dataclass"
    )


# MOLT-R-NO-OBJECT-PASSING, MOLT-R-SCHEMA-BOUNDARY
def detect(checker: Checker, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    for problem in _value_table.problems(checker, function):
        if problem.kind == _value_table.OBJECT:
            checker.report(ObjectTypedExport, problem.node, type=problem.type, where=problem.where)


DETECTOR = Detector(export=detect)
