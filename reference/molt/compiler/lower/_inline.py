"""Which functions the lowering asks LLVM to always inline.

LLVM's inliner weighs a function by its size, and every check of a Molt function
(overflow, index, division by zero) adds a cold call that records the error: a
two-line helper such as `1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)` looks too
big to inline into the loop that calls it, and the loop then pays a call per
iteration and reloads what the call might have changed. A small function that
has no loops and calls no function is cheap to copy into each caller, so it is
marked `alwaysinline`. (Only leaves: always inlining functions that call others
could copy a chain of them exponentially many times; LLVM decides those.)
"""

from __future__ import annotations

from molt.compiler.ir import nodes
from molt.compiler.ir.nodes import Call, Module, Stmt, walk_exprs, walk_stmts
from molt.compiler.ir.types import FLOAT

__all__ = [
    "INLINE_LIMIT",
    "always_inline",
    "loop_copies",
    "recursive_functions",
    "unrolled_recursion",
]

INLINE_LIMIT = 40
"""The most statements and expressions a function may have to be always inlined."""


def always_inline(module: Module) -> frozenset[str]:
    """The functions to mark `alwaysinline`: small leaves without loops."""
    calls = _calls(module)
    return frozenset(f.name for f in module.functions if _small(f) and not calls[f.name])


TWINS = 3
"""Twins of a small function that calls itself at most twice."""


def unrolled_recursion(module: Module) -> dict[str, int]:
    """Small loop-free functions that call themselves, and how many always-inlined
    twins unroll their recursion.

    LLVM does not inline a function into itself, so `fib(n - 1) + fib(n - 2)` pays a
    call (and, under fuel metering, a function-entry check) per level. The lowering
    gives each of these functions a chain of always-inlined twins with the same body:
    the function's self-calls go to the first twin, each twin's to the next, the
    last one's back to the function. Each real call then does several levels of the
    recursion, with the same checks in the same order, so results and errors are
    unchanged. `TWINS` twins (four levels) when the body calls itself at most twice
    (fib: 15 copies of the body in one function; fib(27) took 30% less time than
    with one twin), one twin when more often, so the copies stay few.
    """
    calls = _calls(module)
    found = {}
    for function in module.functions:
        if _small(function) and function.name in calls[function.name]:
            sites = sum(
                1
                for e in walk_exprs(function.body)
                if isinstance(e, Call) and e.function == function.name
            )
            found[function.name] = TWINS if sites <= 2 else 1
    return found


def loop_copies(body: tuple[Stmt, ...]) -> int:
    """How many copies of a loop's test and body one pass of the wasm loop runs.

    Two for a small innermost loop that carries a float: wasmtime checks fuel at
    every wasm loop head, and on x86-64 the out-of-gas call there clobbers every
    float register, so Cranelift keeps the loop's floats on the stack across it
    (mandelbrot's escape loop stored and reloaded six each iteration); with two
    copies per pass, half the iterations skip the check and the spills. One
    otherwise: integers stay in callee-saved registers, and a second copy of an
    indexing loop can hide from LLVM the induction that proves its checks away
    (sieve's inner loop used 70% more fuel); a loop with loops inside runs its
    inner loops' checks anyway. Small means at most INLINE_LIMIT statements and
    expressions, as for inlining.
    """
    carries_float = any(
        isinstance(s, nodes.Assign) and s.local.type == FLOAT for s in walk_stmts(body)
    )
    return 2 if carries_float and _small_body(body) else 1


def _small(function: nodes.Function) -> bool:
    return _small_body(function.body)


def _small_body(body: tuple[Stmt, ...]) -> bool:
    """At most INLINE_LIMIT statements and expressions, and no loop."""
    size = sum(1 for _ in walk_stmts(body)) + sum(1 for _ in walk_exprs(body))
    return size <= INLINE_LIMIT and not _loops(body)


def recursive_functions(module: Module) -> frozenset[str]:
    """The functions that can call themselves, directly or through others."""
    calls = _calls(module)
    return frozenset(f.name for f in module.functions if f.name in _reachable(f.name, calls))


def _calls(module: Module) -> dict[str, set[str]]:
    return {
        f.name: {e.function for e in walk_exprs(f.body) if isinstance(e, Call)}
        for f in module.functions
    }


def _loops(body: tuple[Stmt, ...]) -> bool:
    return any(
        isinstance(s, (nodes.While, nodes.ForRange, nodes.ForList))
        or any(_loops(nested) for nested in s.bodies)
        for s in body
    )


def _reachable(name: str, calls: dict[str, set[str]]) -> set[str]:
    """Every function a call of `name` can reach through further calls."""
    seen: set[str] = set()
    pending = list(calls.get(name, ()))
    while pending:
        callee = pending.pop()
        if callee not in seen:
            seen.add(callee)
            pending.extend(calls.get(callee, ()))
    return seen
