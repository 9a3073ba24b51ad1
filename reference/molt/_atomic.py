"""Atomic file writes: a crash leaves the old file or the new one, never half of one.

One helper for every tool that writes an output (spec exports, built modules,
artifacts): a uniquely named temporary file in the same folder, flushed and
fsynced, then renamed over the target. A failure removes the temporary file and
is reported as MOLT-E-IO naming the path.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from molt.errors import MoltError


def write_atomically(path: Path, data: bytes | str, *, make_parents: bool = False) -> None:
    """Write `data` (text is UTF-8 encoded) to `path` atomically.

    `make_parents` creates missing folders first; without it a missing folder is
    an error, so a mistyped output path is reported instead of created.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise MoltError.from_code(
            "MOLT-E-IO", operation="write", file=str(path), detail=exc.strerror or str(exc)
        ) from None
