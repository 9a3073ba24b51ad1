"""MOLT205 VariadicExport: `*args` or `**kwargs` on an export."""

from __future__ import annotations

import ast

from molt_lint._checker import Checker
from molt_lint._detector import Detector
from molt_lint._message import Message


class VariadicExport(Message):
    code = "MOLT205"
    message = "`{stars}{param}` of export `{export}` has no place in the input map"
    hint = "replace it with one named parameter of type {instead}"


# MOLT-R-SCHEMA-BOUNDARY
def detect(checker: Checker, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    for arg, stars, instead in (
        (function.args.vararg, "*", "list[T]"),
        (function.args.kwarg, "**", "dict[str, T] or a frozen dataclass"),
    ):
        if arg is not None:
            checker.report(
                VariadicExport,
                arg,
                stars=stars,
                param=arg.arg,
                export=function.name,
                instead=instead,
            )


DETECTOR = Detector(export=detect)
