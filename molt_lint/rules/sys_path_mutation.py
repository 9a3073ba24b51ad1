"""MOLT304 SysPathMutation: the import path changed while the program runs."""

from __future__ import annotations

import ast

from molt_lint._checker import Checker
from molt_lint._detector import Detector
from molt_lint._message import Message


class SysPathMutation(Message):
    code = "MOLT304"
    message = "`{name}` changes the import path at run time"
    hint = (
        "install the code as a package (a dependency in pyproject.toml) and import it "
        "normally; load Molt modules explicitly from the lockfile"
    )


_METHODS = ("append", "insert", "extend", "remove", "pop", "clear", "__setitem__", "__iadd__")


# MOLT-R-NO-IMPLICIT-LOADING, MOLT-R-NOTHING-PRELOADED
def detect_store(checker: Checker, target: ast.expr, statement: ast.stmt) -> None:
    container = target.value if isinstance(target, ast.Subscript) else target
    if checker.qualname(container) == "sys.path":
        checker.report(SysPathMutation, target, name=checker.segment(target) or "sys.path")


DETECTOR = Detector(
    references={
        "site.addsitedir": SysPathMutation,
        **{f"sys.path.{method}": SysPathMutation for method in _METHODS},
    },
    store=detect_store,
)
