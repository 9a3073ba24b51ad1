"""The front end's error collector: every problem of a run, each with file:line:col.

The checker never formats an error text: it names a spec item (a `rejected`
entry of spec/language.yaml, whose code, construct and `instead` come from the
spec) or a registry code with the template's fields, and `Reporter` builds the
`CompileError`. Columns are 1-based and counted in code points, although the
`ast` module reports UTF-8 byte offsets.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from molt.compiler.diagnostics import Location, compile_error
from molt.compiler.ir.nodes import SourceLoc
from molt.errors import CompileError
from molt.spec import load_spec

__all__ = ["Reporter"]

_NEWLINE = re.compile(r"\r\n|\r|\n")


class Reporter:
    """Collects the problems of one source file."""

    def __init__(self, filename: str, source: str) -> None:
        self.filename = filename
        self.lines = [line.encode("utf-8") for line in _NEWLINE.split(source)]
        self.errors: list[CompileError] = []

    # -- locations ----------------------------------------------------------------

    def loc(self, node: ast.AST) -> SourceLoc:
        """The 1-based line and code-point column where `node` starts."""
        line = getattr(node, "lineno", 1)
        offset = getattr(node, "col_offset", 0)
        return SourceLoc(line, self.column(line, offset))

    def column(self, line: int, byte_offset: int) -> int:
        if 1 <= line <= len(self.lines):
            prefix = self.lines[line - 1][:byte_offset]
            return len(prefix.decode("utf-8", errors="replace")) + 1
        return byte_offset + 1

    def location(self, node: ast.AST | SourceLoc) -> Location:
        where = node if isinstance(node, SourceLoc) else self.loc(node)
        return Location(self.filename, where.line, where.column)

    # -- reporting ----------------------------------------------------------------

    def add(self, code: str, node: ast.AST | SourceLoc, **fields: Any) -> None:
        self.errors.append(compile_error(code, self.location(node), **fields))

    def reject(self, node: ast.AST, item_id: str, detail: str | None = None) -> None:
        """Report the spec's `rejected` entry `item_id` (its code, construct and instead)."""
        found = load_spec().lookup(item_id)
        assert found is not None, item_id
        item = found[1]
        code = item["code"]
        instead = " ".join(str(item["instead"]).split())
        if code == "MOLT-E-UNSUPPORTED":
            self.add(code, node, construct=detail or item["construct"], instead=instead)
        elif code == "MOLT-E-TYPE":
            self.add(code, node, detail=detail or item["construct"], instead=instead)
        else:
            raise AssertionError(f"{item_id} has code {code}; report it with its own method")

    def unsupported(self, node: ast.AST, construct: str, instead: str) -> None:
        self.add("MOLT-E-UNSUPPORTED", node, construct=construct, instead=instead)

    def type_error(self, node: ast.AST | SourceLoc, detail: str, instead: str) -> None:
        self.add("MOLT-E-TYPE", node, detail=detail, instead=instead)

    def name_error(self, node: ast.AST, name: str) -> None:
        self.add("MOLT-E-NAME", node, name=name)

    def import_error(self, node: ast.AST, name: str) -> None:
        self.add("MOLT-E-IMPORT-NOT-ALLOWED", node, name=name)

    def export_error(self, node: ast.AST, export: str, detail: str) -> None:
        self.add("MOLT-E-EXPORT-SIGNATURE", node, export=export, detail=detail)

    def syntax_error(self, line: int, column: int, detail: str) -> None:
        self.add("MOLT-E-SYNTAX", SourceLoc(line, column), detail=detail)

    def sorted_errors(self) -> list[CompileError]:
        """The problems in source order (stable for problems at the same place)."""

        def key(error: CompileError) -> tuple[int, int]:
            location = error.location  # type: ignore[attr-defined]
            return (location.line, location.column)

        return sorted(self.errors, key=key)
