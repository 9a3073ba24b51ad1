"""The front end: Molt source text to checked, typed IR.

`check_source(source, filename=..., module_name=...)` parses the source with
`ast`, checks it against spec/language.yaml and returns an `ir.Module`. It
reports every problem it finds in one run, not just the first: they are raised
together as one `FrontendError` whose `errors` list each `CompileError` (with
its code, file:line:col and message) in source order.

Passes: parse (MOLT-E-SYNTAX) -> module scope (imports, constants, signatures;
`_scope`) -> function bodies (`_statements`, `_expressions`) -> IR verifier.
"""

from __future__ import annotations

import ast
import warnings

from molt.compiler.diagnostics import StageError
from molt.compiler.frontend._report import Reporter
from molt.compiler.frontend._scope import read_module
from molt.compiler.frontend._statements import FunctionChecker
from molt.compiler.ir import Module, verify
from molt.errors import CompileError

__all__ = ["FrontendError", "check_source"]


class FrontendError(StageError, CompileError):
    """The source is not a valid Molt program; `errors` lists every problem."""

    stage = "frontend"


def check_source(source: str, *, filename: str, module_name: str) -> Module:
    """The checked IR of `source`; raises `FrontendError` with every problem found."""
    report = Reporter(filename, source)
    tree = _parse(source, filename, report)
    if tree is None:
        raise FrontendError.from_errors(report.sorted_errors())
    scope = read_module(tree, report)
    functions = []
    for signature in scope.functions.values():
        checker = FunctionChecker(scope, signature, report, source)
        function = checker.check()
        if function is not None:
            functions.append(function)
    if not report.errors and not any(f.export for f in functions):
        report.unsupported(
            tree,
            "a module without an @export function",
            "mark at least one module-level function with @export (from molt import "
            "export): its exports are the only way into a module",
        )
    if report.errors:
        raise FrontendError.from_errors(report.sorted_errors())
    module = Module(name=module_name, filename=filename, functions=tuple(functions))
    problems = verify(module)
    if problems:
        raise FrontendError.from_code(
            "MOLT-E-INTERNAL",
            name="the Molt compiler front end",
            detail="the typed IR fails verification: " + "; ".join(problems),
        )
    return module


def _parse(source: str, filename: str, report: Reporter) -> ast.Module | None:
    """The syntax tree, or None with the MOLT-E-SYNTAX problem reported."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            return ast.parse(source, filename=filename)
    except SyntaxError as exc:
        line = exc.lineno or 1
        column = exc.offset if exc.offset and exc.offset > 0 else 1
        report.syntax_error(line, column, exc.msg or "invalid syntax")
    except ValueError as exc:  # NUL bytes
        report.syntax_error(1, 1, str(exc))
    return None
