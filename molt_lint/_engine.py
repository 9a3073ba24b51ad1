"""Lint one file's bytes: decode, parse, check, apply suppression comments.

The result is a plain, JSON-ready record that does not depend on the file's
path, so the cache can key it by content. Nothing here raises for bad input:
undecodable bytes and syntax errors become the file's `error`.
"""

from __future__ import annotations

import ast
import hashlib
import io
import sys
import tokenize
from dataclasses import dataclass
from typing import Any

from molt_lint import _registry, _suppress
from molt_lint._checker import Checker
from molt_lint._message import Finding

UNREADABLE = "MOLT-E-LINT-UNREADABLE"
PARSE = "MOLT-E-LINT-PARSE"
_RECURSION_LIMIT = 20_000

FileRecord = dict[str, Any]
"""{"diagnostics": [[code, message, hint, line, col, end_line, end_col, edit|None, context]],
"suppressions": [[code, line, reason, accepted, why_rejected]], "suppressed": n,
"error": [code, line, column, detail] | None}; edit is [line, col, end_line,
end_col, content, applicability]; context hashes the code and the
flagged line's text (SARIF fingerprints)."""


@dataclass(frozen=True)
class Settings:
    """What changes the result for the same bytes: the selection and the unsuppressible codes."""

    selected: tuple[str, ...]
    unsuppressible: tuple[str, ...] = ()


class Engine:
    """Lints sources under fixed settings; one per process, reused for every file."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.checker = Checker(_registry.detectors(settings.selected))
        self._selected = frozenset(settings.selected)
        self._unsuppressible = frozenset(settings.unsuppressible)

    def lint(self, data: bytes) -> FileRecord:
        text, problem = decode(data)
        if text is None:
            return _error_record(UNREADABLE, None, None, problem)
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
        try:
            try:
                tree = ast.parse(text)
            except SyntaxError as exc:
                line = exc.lineno if exc.lineno and exc.lineno > 0 else 1
                column = exc.offset if exc.offset and exc.offset > 0 else 1
                return _error_record(PARSE, line, column, exc.msg or "invalid syntax")
            except (RecursionError, MemoryError):
                return _error_record(PARSE, 1, 1, "the file nests too deeply to parse")
            try:
                findings = self.checker.check(tree, text)
            except RecursionError:
                return _error_record(
                    PARSE, 1, 1, "the file nests expressions too deeply for molt-lint"
                )
        finally:
            sys.setrecursionlimit(limit)
        comments = _suppress.find_comments(text)
        findings, suppressions, silenced = _suppress.apply(
            findings,
            comments,
            known=_registry.REGISTRY,
            selected=self._selected,
            unsuppressible=self._unsuppressible,
        )
        lines = self.checker.lines if findings else []
        return {
            "diagnostics": sorted(
                (_finding_record(f, lines) for f in findings),
                key=lambda r: (r[3], r[4], r[0], r[1]),
            ),
            "suppressions": [
                [s.code, s.line, s.reason, s.accepted, s.why_rejected] for s in suppressions
            ],
            "suppressed": silenced,
            "error": None,
        }


def decode(data: bytes) -> tuple[str | None, str]:
    """The source text, or None and why it cannot be decoded."""
    if b"\x00" in data:
        return None, "the file contains NUL bytes"
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except SyntaxError as exc:
        # "invalid or missing encoding declaration": say which byte is wrong when we can.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as precise:
            return None, str(precise)
        return None, str(exc)
    except (LookupError, UnicodeDecodeError) as exc:
        return None, str(exc)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, ""


def _finding_record(finding: Finding, lines: list[str]) -> list[Any]:
    message, hint = finding.message.render(finding.args)
    span = finding.span
    text = lines[span.line - 1].strip() if span.line <= len(lines) else ""
    context = hashlib.sha256(f"{finding.code}\0{text}".encode()).hexdigest()[:16]
    edit = finding.edit
    edit_record = None
    if edit is not None:
        e = edit.span
        edit_record = [e.line, e.column, e.end_line, e.end_column, edit.content, edit.applicability]
    return [
        finding.code,
        message,
        hint,
        span.line,
        span.column,
        max(span.end_line, span.line),
        span.end_column if span.end_line > span.line else max(span.end_column, span.column),
        edit_record,
        context,
    ]


def _error_record(code: str, line: int | None, column: int | None, detail: str) -> FileRecord:
    return {
        "diagnostics": [],
        "suppressions": [],
        "suppressed": 0,
        "error": [code, line, column, detail],
    }
