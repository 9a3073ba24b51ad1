"""Host code that follows the Molt rules: explicit, signed, bounded, coded errors.

Loads the stats module only through the lockfile, with the trusted key passed
in from configuration, and turns a coded error into an answer for its caller.
"""

from __future__ import annotations

from pathlib import Path

from molt.errors import MoltError
from molt.runtime import Host


def summarise(lockfile: Path, public_key: Path, values: list[float]) -> dict[str, object]:
    """Mean and total of `values`, or the registry code that explains why not."""
    host = Host(trusted_keys=[public_key], fuel=10_000_000, memory_limit=16 * 1024 * 1024)
    stats = host.load(lockfile, "stats")
    try:
        return {
            "mean": stats.call("mean", {"values": values}),
            "total": stats.call("total", {"values": values}),
        }
    except MoltError as error:
        return {"error": error.code, "message": error.message}
