"""MOLT002 UnusedSuppression: an allow comment that names no diagnostic on its line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from molt_lint._detector import Detector
from molt_lint._message import Finding, Message

if TYPE_CHECKING:
    from molt_lint._suppress import Comment

CODE = "MOLT002"


class UnusedSuppression(Message):
    code = CODE
    message = "`allow[{code}]` {problem}"
    hint = "remove {code} from the comment, or correct it to the code reported on this line"


# MOLT-R-DOCUMENT-CONSTRAINTS
def detect(comment: Comment, code: str, *, known: bool) -> Finding:
    """Called by the suppression pass for a code that is unknown or silenced nothing."""
    problem = (
        "silences nothing: no such diagnostic on this line"
        if known
        else "names something that is not a molt-lint code"
    )
    return Finding(UnusedSuppression, {"code": code, "problem": problem}, comment.span)


DETECTOR = Detector()
