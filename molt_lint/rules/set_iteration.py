"""MOLT405 SetIteration: iterating over a set, whose order changes between processes."""

from __future__ import annotations

import ast

from molt_lint._checker import SET, Checker
from molt_lint._detector import Detector
from molt_lint._message import Edit, Message


class SetIteration(Message):
    code = "MOLT405"
    message = "{what} iterates over a set, whose order differs between runs"
    hint = "iterate over sorted(...) of the set instead"


_ORDER_INSENSITIVE = (
    "sorted", "min", "max", "sum", "any", "all", "len", "set", "frozenset",
)  # fmt: skip
_ORDERING = ("list", "tuple", "enumerate", "iter")


def _sorted_edit(checker: Checker, node: ast.expr) -> Edit | None:
    if isinstance(node, ast.Name):
        return None
    text = checker.segment(node)
    return Edit(checker.span(node), f"sorted({text})", "unsafe") if text else None


# MOLT-R-DETERMINISM
def detect_iteration(checker: Checker, iterated: ast.expr, owner: ast.AST) -> None:
    if isinstance(owner, ast.SetComp) or owner in checker.order_insensitive:
        return
    if checker.kind_of(iterated) == SET:
        what = (
            "this for-loop" if isinstance(owner, ast.For | ast.AsyncFor) else "this comprehension"
        )
        checker.report(SetIteration, iterated, _sorted_edit(checker, iterated), what=what)


def detect_ordering_call(checker: Checker, call: ast.Call) -> None:
    if call.args and checker.kind_of(call.args[0]) == SET:
        name = checker.qualname(call.func) or "call"
        what = f"{name.removeprefix('builtins.')}()"
        checker.report(SetIteration, call.args[0], _sorted_edit(checker, call.args[0]), what=what)


def detect_join(checker: Checker, call: ast.Call) -> None:
    if len(call.args) == 1 and checker.kind_of(call.args[0]) == SET:
        checker.report(
            SetIteration, call.args[0], _sorted_edit(checker, call.args[0]), what="join()"
        )


def mark_order_insensitive(checker: Checker, call: ast.Call) -> None:
    for arg in call.args:
        if isinstance(arg, ast.ListComp | ast.GeneratorExp):
            checker.order_insensitive.add(arg)


DETECTOR = Detector(
    calls={
        **{f"builtins.{name}": mark_order_insensitive for name in _ORDER_INSENSITIVE},
        **{f"builtins.{name}": detect_ordering_call for name in _ORDERING},
    },
    methods={"join": detect_join},
    iteration=detect_iteration,
)
