"""MOLT605 CodeObjectMutation: building or replacing CPython code objects."""

from __future__ import annotations

import ast

from molt_lint._checker import Checker
from molt_lint._detector import Detector
from molt_lint._message import Message


class CodeObjectMutation(Message):
    code = "MOLT605"
    message = "`{name}` rewrites CPython bytecode behind the source"
    hint = "write the behaviour you need as ordinary code and choose it with data"


def _is_code_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "__code__"


# MOLT-R-NO-CPYTHON-EMULATION, MOLT-R-NO-INTERPRETER
def detect_store(checker: Checker, target: ast.expr, statement: ast.stmt) -> None:
    if _is_code_attribute(target):
        checker.report(CodeObjectMutation, target, name=checker.segment(target) or "__code__")


def detect_replace(checker: Checker, call: ast.Call) -> None:
    if _is_code_attribute(call.func.value):  # type: ignore[attr-defined]
        checker.report(CodeObjectMutation, call, name="__code__.replace()")


def detect_setattr(checker: Checker, call: ast.Call) -> None:
    if len(call.args) >= 2:
        name = call.args[1]
        if isinstance(name, ast.Constant) and name.value == "__code__":
            checker.report(CodeObjectMutation, call, name='setattr(..., "__code__", ...)')


DETECTOR = Detector(
    references={"types.CodeType": CodeObjectMutation},
    calls={"builtins.setattr": detect_setattr},
    methods={"replace": detect_replace},
    store=detect_store,
)
