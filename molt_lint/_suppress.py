"""Suppression comments: `# molt: allow[CODE] reason` on the offending line.

A comment silences a code on its own line only when it gives a reason, names a
molt-lint code, and the code is not unsuppressible (MOLT001 and MOLT002 never
are; a project adds more in `[tool.molt-lint] unsuppressible`). Every comment
is returned for the JSON report, accepted or not, with why it was rejected.
`# noqa` means nothing to molt-lint.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Collection
from dataclasses import dataclass

from molt_lint._message import Finding, Span
from molt_lint.rules import suppression_without_reason, unused_suppression

_COMMENT = re.compile(r"#\s*molt:\s*allow\[(?P<codes>[^\]]*)\](?P<reason>.*)$")
_CODE = re.compile(r"^MOLT[0-9]{3}$")
_REASON_LEAD = " \t:-\u2013\u2014"
ALWAYS_UNSUPPRESSIBLE = frozenset({"MOLT001", "MOLT002"})


@dataclass(frozen=True)
class Comment:
    """One `# molt: allow[...]` comment."""

    span: Span
    codes: tuple[str, ...]
    reason: str | None


@dataclass(frozen=True)
class Suppression:
    """One code named by one comment, as the JSON report lists it."""

    code: str
    line: int
    reason: str | None
    accepted: bool
    why_rejected: str | None


def find_comments(text: str) -> list[Comment]:
    """Every suppression comment in a source that parses."""
    if "molt:" not in text:
        return []
    comments = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        match = _COMMENT.search(token.string)
        if match is None:
            continue
        (line, column), (end_line, end_column) = token.start, token.end
        codes = tuple(code.strip().upper() for code in match["codes"].split(",") if code.strip())
        reason = match["reason"].strip().lstrip(_REASON_LEAD).strip() or None
        start = column + match.start()
        comments.append(Comment(Span(line, start + 1, end_line, end_column + 1), codes, reason))
    return comments


def apply(
    findings: list[Finding],
    comments: list[Comment],
    *,
    known: Collection[str],
    selected: Collection[str],
    unsuppressible: Collection[str],
) -> tuple[list[Finding], list[Suppression], int]:
    """Silence findings; returns (findings left, suppressions, number silenced)."""
    if not comments:
        return findings, [], 0
    suppressions: list[Suppression] = []
    extra: list[Finding] = []
    allowed: dict[tuple[int, str], Comment] = {}
    for comment in comments:
        line = comment.span.line
        if comment.reason is None and suppression_without_reason.CODE in selected:
            extra.append(suppression_without_reason.detect(comment))
        for code in comment.codes:
            if not _CODE.match(code) or code not in known:
                if unused_suppression.CODE in selected:
                    extra.append(unused_suppression.detect(comment, code, known=False))
                if _CODE.match(code):
                    suppressions.append(
                        Suppression(
                            code, line, comment.reason, False, f"{code} is not a molt-lint code"
                        )
                    )
                continue
            why = _why_rejected(code, comment.reason, unsuppressible)
            suppressions.append(Suppression(code, line, comment.reason, why is None, why))
            if why is None:
                allowed[(line, code)] = comment
    kept: list[Finding] = []
    used: set[tuple[int, str]] = set()
    for finding in findings:
        key = (finding.span.line, finding.code)
        if key in allowed:
            used.add(key)
        else:
            kept.append(finding)
    if unused_suppression.CODE in selected:
        for key, comment in allowed.items():
            if key not in used and key[1] in selected:
                extra.append(unused_suppression.detect(comment, key[1], known=True))
    return kept + extra, suppressions, len(findings) - len(kept)


def _why_rejected(code: str, reason: str | None, unsuppressible: Collection[str]) -> str | None:
    if reason is None:
        return "no reason given after the closing bracket"
    if code in ALWAYS_UNSUPPRESSIBLE:
        return f"{code} reports on suppression comments and cannot be suppressed"
    if code in unsuppressible:
        return f"{code} is unsuppressible in this project ([tool.molt-lint] unsuppressible)"
    return None
