"""MOLT204 NonFrozenRecord: an export uses a class that is not a frozen dataclass."""

from __future__ import annotations

import ast

from molt_lint._checker import Checker
from molt_lint._detector import Detector
from molt_lint._message import Message
from molt_lint.rules import _value_table


class NonFrozenRecord(Message):
    code = "MOLT204"
    message = "class `{type}` in {where} {shape}, so it is an object, not a record"
    hint = (
        "declare `{type}` with @dataclass(frozen=True) (from dataclasses) and give every "
        "field a value-table type"
    )


# MOLT-R-SCHEMA-BOUNDARY, MOLT-R-NO-OBJECT-PASSING
def detect(checker: Checker, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    for problem in _value_table.problems(checker, function):
        if problem.kind == _value_table.RECORD:
            checker.report(
                NonFrozenRecord,
                problem.node,
                type=problem.type,
                where=problem.where,
                shape=problem.detail,
            )


DETECTOR = Detector(export=detect)
