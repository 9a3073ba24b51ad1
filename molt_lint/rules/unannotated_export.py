"""MOLT201 UnannotatedExport: an `@export` parameter or return without a type annotation."""

from __future__ import annotations

import ast

from molt_lint._checker import Checker
from molt_lint._detector import Detector
from molt_lint._message import Message
from molt_lint.rules._value_table import parameters


class UnannotatedExport(Message):
    code = "MOLT201"
    message = "{what} of export `{export}` has no type annotation, so it has no schema"
    hint = (
        "annotate {what} with a value-table type: int, float, bool, str, bytes, None, "
        "list[T], dict[str, T], T | None or a frozen dataclass (use -> None for no result)"
    )


# MOLT-R-SCHEMA-BOUNDARY, MOLT-R-TYPED-SUBSET
def detect(checker: Checker, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    for arg in parameters(function):
        if arg.annotation is None:
            checker.report(
                UnannotatedExport, arg, what=f"parameter `{arg.arg}`", export=function.name
            )
    if function.returns is None:
        checker.report_span(
            UnannotatedExport,
            checker.name_span(function),
            what="the return value",
            export=function.name,
        )


DETECTOR = Detector(export=detect)
