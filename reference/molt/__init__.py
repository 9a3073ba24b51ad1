"""Molt: a typed subset of Python compiled to small, signed, schema-bounded WebAssembly.

This package stays light on purpose: `from molt import export` runs inside Molt
sources executed by CPython, and `import molt.spec` runs inside the linter, so
nothing here may import llvmlite, wasmtime or any other heavy dependency.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

__all__ = ["__version__", "export"]

__version__ = "0.1.0"

_F = TypeVar("_F", bound=Callable[..., object])


def export(function: _F) -> _F:
    """Mark a function as a module export (the schema boundary).

    Under CPython this is the identity, so Molt sources run unchanged as plain
    Python; the Molt compiler reads the decorator statically and generates the
    boundary codecs from the annotations.
    """
    return function
