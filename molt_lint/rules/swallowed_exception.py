"""MOLT502 SwallowedException: `except Exception` whose body hides the error."""

from __future__ import annotations

import ast

from molt_lint._checker import Checker
from molt_lint._detector import Detector
from molt_lint._message import Message, Span


class SwallowedException(Message):
    code = "MOLT502"
    message = "`except {caught}` {outcome}, so the caller never sees the error"
    hint = (
        "catch the specific exceptions you expect, and re-raise with context "
        "(raise ValueError(...) from err) so the caller gets a coded error"
    )


_BROAD = frozenset({"builtins.Exception", "builtins.BaseException"})


def _is_placeholder(node: ast.AST | None) -> bool:
    if node is None:
        return True
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return not node.elts
    if isinstance(node, ast.Dict):
        return not node.keys
    return False


def _outcome(body: list[ast.stmt]) -> str | None:
    """What the handler does instead of failing, or None if it does something real."""
    outcome = "discards every error"
    for statement in body:
        if isinstance(statement, ast.Pass | ast.Continue | ast.Break):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # a docstring or ...
        if isinstance(statement, ast.Return) and _is_placeholder(statement.value):
            outcome = "replaces every error with a placeholder result"
        elif isinstance(statement, ast.Assign) and _is_placeholder(statement.value):
            outcome = "replaces every error with a placeholder value"
        else:
            return None
    return outcome


# MOLT-R-FAIL-FAST, MOLT-R-CLEAR-ERRORS
def detect(checker: Checker, handler: ast.ExceptHandler) -> None:
    if handler.type is None:
        return
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    broad = [t for t in types if checker.qualname(t) in _BROAD]
    if not broad:
        return
    outcome = _outcome(handler.body)
    if outcome is None:
        return
    start = checker.column(handler.lineno, handler.col_offset)
    end = checker.span(handler.type)
    span = Span(handler.lineno, start, end.end_line, end.end_column)
    caught = checker.segment(broad[0]) or "Exception"
    checker.report_span(SwallowedException, span, caught=caught, outcome=outcome)


DETECTOR = Detector(handler=detect)
