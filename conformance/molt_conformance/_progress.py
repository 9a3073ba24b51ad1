"""Visible progress of a run, on stderr: a rich bar on a terminal, plain lines otherwise.

On a terminal the bar shows cases done out of the total and the elapsed time,
and every result other than PASS is printed above it as it happens. Elsewhere
(CI logs) each case gets one line: `[ 12/137] MC-LOAD-001 PASS 3 ms`, plus the
message of anything that did not pass. stdout stays free for the summary.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, TextIO

from molt_conformance._outcomes import Result

__all__ = ["RunProgress"]


class RunProgress:
    """A context manager whose `update(result, done, total)` the runner calls per case."""

    def __init__(self, total: int, *, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> RunProgress:
        if self.quiet or not _isatty(self.stream):
            return self
        try:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )
        except ImportError:  # rich is optional for this package: fall back to plain lines
            return self
        self._bar = Progress(
            TextColumn("conformance"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=Console(file=self.stream),
            transient=True,
        )
        self._bar.__enter__()
        self._task = self._bar.add_task("", total=self.total)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, error, trace)
            self._bar = None

    def update(self, result: Result, done: int, total: int) -> None:
        if self.quiet:
            return
        line = f"{result.id} {result.status} {result.duration_ms:.0f} ms"
        note = result.message or result.skip_reason
        if self._bar is not None:
            self._bar.update(self._task, completed=done, description=result.id)
            if result.status != "PASS":
                self._bar.console.print(f"{line}: {note}" if note else line, markup=False)
            return
        text = f"[{done:>{len(str(total))}}/{total}] {line}"
        if note and result.status != "PASS":
            text += f": {note}"
        print(text, file=self.stream, flush=True)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
