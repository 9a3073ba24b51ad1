"""MOLT501 BareExcept: `except:` without an exception type."""

from __future__ import annotations

import ast

from molt_lint._checker import Checker
from molt_lint._detector import Detector
from molt_lint._message import Edit, Message, Span


class BareExcept(Message):
    code = "MOLT501"
    message = "bare `except:` catches everything, including Molt's coded errors and Ctrl-C"
    hint = (
        "name the exceptions you expect (except ValueError:) and let the others propagate; "
        "a handler that only cleans up and re-raises can say except BaseException:"
    )


def _keyword_span(checker: Checker, handler: ast.ExceptHandler) -> Span:
    column = checker.column(handler.lineno, handler.col_offset)
    return Span(handler.lineno, column, handler.lineno, column + len("except"))


# MOLT-R-CLEAR-ERRORS, MOLT-R-FAIL-FAST
def detect(checker: Checker, handler: ast.ExceptHandler) -> None:
    if handler.type is not None:
        return
    span = _keyword_span(checker, handler)
    edit = None
    if handler.body and isinstance(handler.body[-1], ast.Raise):
        edit = Edit(span, "except BaseException", "safe")
    checker.report_span(BareExcept, span, edit)


DETECTOR = Detector(handler=detect)
