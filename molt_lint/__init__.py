"""`molt-lint`: see the README. This package uses only `molt.spec` from the rest of Molt."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
