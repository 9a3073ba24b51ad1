"""MOLT203 NonSchemaExportType: an export type outside the ABI value table."""

from __future__ import annotations

import ast

from molt_lint._checker import Checker
from molt_lint._detector import Detector
from molt_lint._message import Message
from molt_lint.rules import _value_table


class NonSchemaExportType(Message):
    code = "MOLT203"
    message = "`{type}` in {where} is not in the ABI value table"
    hint = "use {instead}"


# MOLT-R-SCHEMA-BOUNDARY, MOLT-R-TYPED-SUBSET
def detect(checker: Checker, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    for problem in _value_table.problems(checker, function):
        if problem.kind == _value_table.OUTSIDE:
            checker.report(
                NonSchemaExportType,
                problem.node,
                type=problem.type,
                where=problem.where,
                instead=problem.detail,
            )


DETECTOR = Detector(export=detect)
