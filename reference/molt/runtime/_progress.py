"""Load progress events: what a host reports while it loads a module.

Loading is visible (MOLT-R-VISIBLE-PROGRESS): each step reports its phase name
and bytes done out of the total, so a CLI can draw a bar and a service can log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PHASES = ("read", "verify-hash", "verify-signature", "check-abi", "compile", "instantiate")
"""The load steps, in the order they run; a failure stops at its step."""


@dataclass(frozen=True)
class LoadProgress:
    """One progress event."""

    phase: str
    done: int
    total: int
    name: str
    version: str


ProgressCallback = Callable[[LoadProgress], None]
