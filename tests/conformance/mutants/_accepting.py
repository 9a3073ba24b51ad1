"""How the accepting compiler mutants compile a source the reference compiler rejects.

A compiler that accepts a construct the spec rejects (eval, a standard-library
import) produces a module for the source where the reference compiler reports
a coded error. These mutants model it without teaching the reference compiler
the construct: they compile a neutralised copy of the source instead, where
each function that uses the accepted construct returns a constant of its
declared type and the accepted imports are gone. The suite only sees that the
compile succeeded, which is what such a compiler would report; a source that
does not use the construct is compiled unchanged, so every other case behaves
exactly as with the reference compiler.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from molt.adapter import ReferenceAdapter

_CONSTANTS: dict[str, ast.expr] = {
    "int": ast.Constant(0),
    "float": ast.Constant(0.0),
    "bool": ast.Constant(False),
    "str": ast.Constant(""),
    "bytes": ast.Constant(b""),
}


class Accepting:
    """What one mutant accepts in one source: the imports it drops and the uses it hides.

    A fresh one reads each source, so what one source imported never leaks into
    the next compile of the same adapter process.
    """

    def drops(self, node: ast.stmt) -> bool:
        """Whether `node` is an import this compiler accepts (it is left out)."""
        return False

    def uses(self, node: ast.AST) -> bool:
        """Whether `node` uses what this compiler accepts (its function is neutralised)."""
        return False


def neutralise(source: str, accepting: Accepting) -> str:
    """`source` without what `accepting` accepts, or `source` itself if it has none of it.

    The imports go first, so that `accepting.uses` knows the names they bound.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source  # the reference compiler reports it as the spec says
    changed = _drop_imports(tree, accepting)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(
            accepting.uses(inner) for inner in ast.walk(node)
        ):
            node.body = [ast.Return(_constant_of(node.returns))]
            changed = True
    return ast.unparse(ast.fix_missing_locations(tree)) if changed else source


def _drop_imports(tree: ast.Module, accepting: Accepting) -> bool:
    """Leave out every import `accepting` drops, in the module and in function bodies."""
    changed = False
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            kept = [statement for statement in body if not accepting.drops(statement)]
            if len(kept) != len(body):
                node.body = kept or [ast.Pass()]
                changed = True
    return changed


def _constant_of(annotation: ast.expr | None) -> ast.expr:
    """A constant of the annotated return type: 0, 0.0, False, '', b'', [], {} or None."""
    if isinstance(annotation, ast.Name) and annotation.id in _CONSTANTS:
        return _CONSTANTS[annotation.id]
    if isinstance(annotation, ast.Subscript) and isinstance(annotation.value, ast.Name):
        if annotation.value.id == "list":
            return ast.List(elts=[], ctx=ast.Load())
        if annotation.value.id == "dict":
            return ast.Dict(keys=[], values=[])
    return ast.Constant(None)


def accepting_adapter(accepting: Callable[[], Accepting]) -> ReferenceAdapter:
    """The reference adapter whose compile first neutralises what `accepting()` accepts."""
    adapter = ReferenceAdapter()
    compile_source: Callable[..., bytes] = adapter._compile_source

    def compile_accepting(source: str, **options: object) -> bytes:
        return compile_source(neutralise(source, accepting()), **options)

    adapter._compile_source = compile_accepting
    return adapter
