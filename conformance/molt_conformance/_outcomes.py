"""Statuses and results: what one case came to, and how known failures change it.

PASS: as expected. FAIL: a different outcome. SKIP: not run (a role or feature
is missing, --filter left it out, or the adapter skipped it). XFAIL: failed and
listed as a known failure. XPASS: passed although listed as one. ERROR: the
adapter reported an internal error. CRASH: the adapter died or broke the
protocol. TIMEOUT: the adapter did not answer in time. FAIL, XPASS, ERROR,
CRASH and TIMEOUT are unexpected: they fail a CI job.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

__all__ = ["STATUSES", "UNEXPECTED", "Result", "apply_known_failure"]

STATUSES = ("PASS", "FAIL", "SKIP", "XFAIL", "XPASS", "ERROR", "CRASH", "TIMEOUT")
UNEXPECTED = frozenset({"FAIL", "XPASS", "ERROR", "CRASH", "TIMEOUT"})
_FAILED = frozenset({"FAIL", "ERROR", "CRASH", "TIMEOUT"})
_NOTHING = object()


@dataclass(frozen=True)
class Result:
    """The outcome of one case, as the report's `results` items carry it."""

    id: str
    status: str
    duration_ms: float = 0.0
    message: str | None = None
    expected: Any = _NOTHING
    actual: Any = _NOTHING
    stderr: str | None = None
    skip_reason: str | None = None
    paired_with: dict[str, str] | None = None
    """For a compile-run case run with the reference in the role the implementation
    lacks: that role and the reference's name and version."""

    @property
    def unexpected(self) -> bool:
        return self.status in UNEXPECTED

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "duration_ms": round(self.duration_ms, 3),
        }
        if self.message is not None:
            out["message"] = self.message
        if self.expected is not _NOTHING:
            out["expected"] = self.expected
        if self.actual is not _NOTHING:
            out["actual"] = self.actual
        if self.stderr:
            out["stderr"] = self.stderr
        if self.status == "SKIP":
            out["skip_reason"] = self.skip_reason or "skipped"
        if self.paired_with is not None:
            out["paired_with"] = dict(self.paired_with)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        return cls(
            id=data["id"],
            status=data["status"],
            duration_ms=float(data["duration_ms"]),
            message=data.get("message"),
            expected=data.get("expected", _NOTHING),
            actual=data.get("actual", _NOTHING),
            stderr=data.get("stderr"),
            skip_reason=data.get("skip_reason"),
            paired_with=data.get("paired_with"),
        )


def apply_known_failure(result: Result, reason: str | None) -> Result:
    """XFAIL for a listed case that did not pass, XPASS for one that did."""
    if reason is None or result.status == "SKIP":
        return result
    if result.status == "PASS":
        return replace(
            result,
            status="XPASS",
            message=f"passed, but the expectations file lists it as a known failure ({reason}); "
            "remove it from the file",
        )
    if result.status in _FAILED:
        detail = f": {result.message}" if result.message else ""
        return replace(
            result,
            status="XFAIL",
            message=f"known failure ({reason}); the case ended {result.status}{detail}",
        )
    return result
