"""Named exit codes shared by every Molt command-line tool."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a command's exit status means."""

    OK = 0
    """The command did what was asked and found nothing wrong."""
    FAILURE = 1
    """The command ran and found problems (an invalid spec, a failed call)."""
    USAGE = 2
    """The command was misused, or an internal error stopped it."""
