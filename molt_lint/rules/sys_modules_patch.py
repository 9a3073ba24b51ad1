"""MOLT606 SysModulesPatch: editing `sys.modules`, CPython's table of imported modules."""

from __future__ import annotations

import ast

from molt_lint._checker import Checker
from molt_lint._detector import Detector
from molt_lint._message import Message


class SysModulesPatch(Message):
    code = "MOLT606"
    message = "`{name}` makes an import return something other than what it names"
    hint = (
        "pass the dependency in explicitly (a parameter or a constructor argument) instead "
        "of replacing modules behind the import system"
    )


_METHODS = ("update", "pop", "setdefault", "clear", "popitem", "__setitem__", "__delitem__")


def _is_sys_modules(checker: Checker, node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value == "sys.modules"
    return checker.qualname(node) == "sys.modules"


# MOLT-R-NO-CPYTHON-EMULATION, MOLT-R-NO-IMPLICIT-LOADING
def detect_store(checker: Checker, target: ast.expr, statement: ast.stmt) -> None:
    container = target.value if isinstance(target, ast.Subscript) else target
    if _is_sys_modules(checker, container):
        checker.report(SysModulesPatch, target, name=checker.segment(target) or "sys.modules")


def detect_patch(checker: Checker, call: ast.Call) -> None:
    """patch.dict(sys.modules, ...), monkeypatch.setitem(sys.modules, ...) and the like."""
    if call.args and _is_sys_modules(checker, call.args[0]):
        checker.report(SysModulesPatch, call, name=f"{call.func.attr}(sys.modules, ...)")  # type: ignore[attr-defined]


DETECTOR = Detector(
    references={f"sys.modules.{method}": SysModulesPatch for method in _METHODS},
    methods={"dict": detect_patch, "setitem": detect_patch, "delitem": detect_patch},
    store=detect_store,
)
