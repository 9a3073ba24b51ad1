"""The Molt Python host: explicit, signed, deterministic loading and one-crossing calls.

    from molt.runtime import Host
    host = Host(trusted_keys=["keys/release.pub"])
    module = host.load("molt-lock.json", "geometry")
    module.call("area", {"w": 2.0, "h": 3.0})

This package never imports the compiler; it reads lockfiles through
`molt.lockfile` and verifies signatures through `molt.signing`. Names are
imported on first use, so `import molt.runtime._codec` (used by tools that
only encode messages) does not load wasmtime; the engine itself is created
on the first load, never at import.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "DEFAULT_FUEL",
    "DEFAULT_MEMORY_LIMIT",
    "HOST_ABI_MAJOR",
    "PHASES",
    "BoundaryError",
    "ExecutionError",
    "Host",
    "LoadError",
    "LoadProgress",
    "Module",
    "MoltError",
    "ProgressCallback",
]

_WHERE = {
    "DEFAULT_FUEL": "molt.runtime._host",
    "DEFAULT_MEMORY_LIMIT": "molt.runtime._host",
    "HOST_ABI_MAJOR": "molt.runtime._host",
    "Host": "molt.runtime._host",
    "Module": "molt.runtime._module",
    "PHASES": "molt.runtime._progress",
    "LoadProgress": "molt.runtime._progress",
    "ProgressCallback": "molt.runtime._progress",
    "BoundaryError": "molt.errors",
    "ExecutionError": "molt.errors",
    "LoadError": "molt.errors",
    "MoltError": "molt.errors",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'molt.runtime' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
