"""Whole-module facts about the IR that lowering uses to emit less code."""

from __future__ import annotations

from molt.compiler.ir.nodes import Call, Module, Stmt, walk_exprs

__all__ = ["fallible_functions"]


def fallible_functions(module: Module) -> frozenset[str]:
    """The functions that can end a call with a runtime error.

    A function can fail when its body has a node that can fail by itself (checked
    arithmetic, indexing and item assignment, an allocation, raise, assert, a range()
    whose step is not a non-zero constant) or calls a function that can fail. The rest never report
    an error, so their callers need no check after the call.
    """
    calls: dict[str, set[str]] = {}
    failing: set[str] = set()
    for function in module.functions:
        callees: set[str] = set()
        direct = _statements_can_fail(function.body)
        for expr in walk_exprs(function.body):
            if isinstance(expr, Call):
                callees.add(expr.function)
            elif expr.can_fail:
                direct = True
        calls[function.name] = callees
        if direct:
            failing.add(function.name)
    changed = True
    while changed:
        changed = False
        for name, callees in calls.items():
            if name not in failing and callees & failing:
                failing.add(name)
                changed = True
    return frozenset(failing)


def _statements_can_fail(body: tuple[Stmt, ...]) -> bool:
    return any(
        statement.can_fail or any(_statements_can_fail(nested) for nested in statement.bodies)
        for statement in body
    )
