"""Whole-module facts about the IR that lowering uses to emit less code."""

from __future__ import annotations

from molt.compiler.ir.nodes import (
    Assign,
    Call,
    Compare,
    CompareChain,
    DictSet,
    Expr,
    ForList,
    Function,
    ListAppend,
    ListConcat,
    ListContains,
    ListGet,
    ListLen,
    ListNew,
    ListPop,
    ListRepeat,
    ListReplace,
    ListSet,
    LoadLocal,
    MinMaxList,
    Module,
    Slice,
    Stmt,
    StrOp,
    StrOpKind,
    walk_exprs,
    walk_stmts,
)
from molt.compiler.ir.types import ListType

__all__ = ["fallible_functions", "stable_length_lists"]


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
    return _with_callers(calls, failing)


def _with_callers(calls: dict[str, set[str]], marked: set[str]) -> frozenset[str]:
    """The `marked` functions and every function that calls one, directly or not
    (`calls` maps each function to the functions it calls)."""
    found = set(marked)
    changed = True
    while changed:
        changed = False
        for name, callees in calls.items():
            if name not in found and callees & found:
                found.add(name)
                changed = True
    return frozenset(found)


def _statements_can_fail(body: tuple[Stmt, ...]) -> bool:
    return any(
        statement.can_fail or any(_statements_can_fail(nested) for nested in statement.bodies)
        for statement in body
    )


def stable_length_lists(module: Module) -> dict[str, frozenset[int]]:
    """For each function, the slots of its list variables whose length cannot change
    while the variable holds the list: lowering keeps that length in a register from
    the assignment (or, for a parameter, from the call) on, instead of reading the
    list's header at each `len()`, index check and loop test, so LLVM sees the
    bounds it checks against (a literal's length is a constant) and drops the
    checks it can prove.

    Only these operations change a list's length: append, pop, in-place `+=`/`*=`
    (ListReplace) and a dict store (a dict keeps its keys and values in lists). So:

    - in a function that does none of them, and calls only functions that do none,
      no list changes length during its run: every list variable is stable;
    - otherwise a variable is stable when every value it is given is a new list
      (a literal, `[x] * n`, `+`, a slice, `split`), it is never a loop variable, and
      it is used only where the list cannot escape or change: indexed, measured,
      searched, iterated, copied, compared, joined, or passed to a function that
      changes no list length and lets that argument escape nowhere. A list that
      escapes (assigned to another variable, stored in a container or record,
      returned, appended, handed to a function that returns or stores it) could be
      changed through the other reference, so it is not stable.
    """
    unchanging = _functions_changing_no_length(module)
    escaping_uses = _escaping_uses_by_function(module, unchanging)
    stable = {}
    for function in module.functions:
        lists = {
            local.slot
            for local in (*function.params, *function.locals)
            if isinstance(local.type, ListType)
        }
        if function.name not in unchanging:
            lists -= {param.slot for param in function.params}
            lists -= _not_new_lists(function)
            lists -= escaping_uses[function.name]
        stable[function.name] = frozenset(lists)
    return stable


_CHANGES_LENGTH = (ListAppend, ListPop, ListReplace)
_NEW_LIST = (ListNew, ListRepeat, ListConcat, Slice)


def _functions_changing_no_length(module: Module) -> frozenset[str]:
    """The functions during whose run no list changes length."""
    calls: dict[str, set[str]] = {}
    changing: set[str] = set()
    for function in module.functions:
        callees: set[str] = set()
        for expr in walk_exprs(function.body):
            if isinstance(expr, Call):
                callees.add(expr.function)
            elif isinstance(expr, _CHANGES_LENGTH):
                changing.add(function.name)
        if any(isinstance(s, DictSet) for s in walk_stmts(function.body)):
            changing.add(function.name)
        calls[function.name] = callees
    return frozenset(calls) - _with_callers(calls, changing)


def _escaping_uses_by_function(module: Module, unchanging: frozenset[str]) -> dict[str, set[int]]:
    """For each function, the slots it reads where a list may escape (see
    `_escaping_uses`), given which parameters of which functions let their
    argument escape: return, store, alias, or pass on to a parameter that escapes
    (or to a function that changes lengths). Grown from none until nothing changes."""
    escaping: set[tuple[str, int]] = set()
    while True:
        uses = {f.name: _escaping_uses(f, unchanging, escaping) for f in module.functions}
        found = {
            (function.name, position)
            for function in module.functions
            for position, param in enumerate(function.params)
            if param.slot in uses[function.name]
        }
        if found <= escaping:
            return uses
        escaping |= found


def _not_new_lists(function: Function) -> set[int]:
    """The slots given a value that is not a new list, or set by a `for` loop."""
    found = set()
    for statement in walk_stmts(function.body):
        if isinstance(statement, ForList):
            found.add(statement.var.slot)
        if isinstance(statement, Assign) and not _is_new_list(statement.value):
            found.add(statement.local.slot)
    return found


def _escaping_uses(
    function: Function, unchanging: frozenset[str], escaping: set[tuple[str, int]]
) -> set[int]:
    """The slots of the variables `function` reads somewhere other than where the
    list stays put (see `_kept_operands`)."""
    found = set()
    for statement in walk_stmts(function.body):
        # every use of a variable, judged by what uses it (one node may be the operand
        # of two: `xs += ys` reads xs in the concatenation and replaces it in place)
        read = statement.list if isinstance(statement, (ListSet, ForList)) else None
        pending = [(expr, expr is read) for expr in statement.exprs]
        while pending:
            expr, kept = pending.pop()
            if isinstance(expr, LoadLocal):
                if not kept:
                    found.add(expr.local.slot)
                continue
            keeps = {id(operand) for operand in _kept_operands(expr, unchanging, escaping)}
            pending.extend((operand, id(operand) in keeps) for operand in expr.operands)
    return found


def _is_new_list(value: Expr) -> bool:
    if isinstance(value, StrOp):
        return value.kind is StrOpKind.SPLIT
    return isinstance(value, _NEW_LIST)


def _kept_operands(
    expr: Expr, unchanging: frozenset[str], escaping: set[tuple[str, int]]
) -> tuple[Expr, ...]:
    """The operands of `expr` whose list it only reads or copies, and lets escape
    nowhere."""
    if isinstance(expr, (ListLen, ListGet, ListContains, MinMaxList, ListRepeat)):
        return (expr.list,)
    if isinstance(expr, Slice):
        return (expr.value,)
    if isinstance(expr, ListConcat):
        return (expr.left, expr.right)
    if isinstance(expr, (Compare, CompareChain, StrOp)):
        return expr.operands
    if isinstance(expr, Call) and expr.function in unchanging:
        return tuple(
            arg
            for position, arg in enumerate(expr.args)
            if (expr.function, position) not in escaping
        )
    return ()
