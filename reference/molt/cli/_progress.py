"""Visible loading progress: a rich bar on a terminal, plain lines otherwise.

Plain lines go to stderr, one per load phase, so stdout stays the result.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO


@contextmanager
def progress_reporter(
    label: str, *, quiet: bool = False, stream: TextIO | None = None
) -> Iterator[Callable[[Any], None]]:
    """A callback for `Host.load(on_progress=...)` that shows each phase."""
    stream = stream or sys.stderr
    if quiet:
        yield lambda event: None
        return
    if stream.isatty():
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            transient=True,
            console=None,
        ) as bar:
            task = bar.add_task(f"{label}: read", total=None)

            def on_progress(event: Any) -> None:
                bar.update(
                    task,
                    description=f"{event.name} {event.version}: {event.phase}",
                    completed=event.done,
                    total=event.total,
                )

            yield on_progress
        return

    seen: set[str] = set()

    def plain(event: Any) -> None:
        if event.phase not in seen and event.done == event.total:
            seen.add(event.phase)
            print(
                f"  load {event.name} {event.version}: {event.phase} ({event.total} bytes)",
                file=stream,
            )

    yield plain
