"""MOLT001 SuppressionWithoutReason: `# molt: allow[CODE]` with no reason after it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from molt_lint._detector import Detector
from molt_lint._message import Finding, Message

if TYPE_CHECKING:
    from molt_lint._suppress import Comment

CODE = "MOLT001"


class SuppressionWithoutReason(Message):
    code = CODE
    message = "`allow[{codes}]` gives no reason, so it silences nothing"
    hint = (
        "write why the rule does not apply here after the bracket, for example "
        "`# molt: allow[{codes}] test fixture, never shipped`, or fix the code instead"
    )


# MOLT-R-DOCUMENT-CONSTRAINTS
def detect(comment: Comment) -> Finding:
    """Called by the suppression pass for a comment whose reason is missing."""
    return Finding(SuppressionWithoutReason, {"codes": ", ".join(comment.codes)}, comment.span)


DETECTOR = Detector()
