"""Molt's typed IR: types, nodes, the verifier and whole-module analyses.

The front end (`molt.compiler.frontend`) produces it, `verify` checks it, and
lowering (`molt.compiler.lower`) turns it into LLVM IR.
"""

from __future__ import annotations

from molt.compiler.ir.analysis import fallible_functions, stable_length_lists
from molt.compiler.ir.check import verify
from molt.compiler.ir.nodes import Function, Local, Module, SourceLoc
from molt.compiler.ir.types import (
    BOOL,
    FLOAT,
    INT,
    NONE,
    DictType,
    ListType,
    MoltType,
    RecordType,
    ScalarType,
)

__all__ = [
    "BOOL",
    "FLOAT",
    "INT",
    "NONE",
    "STR",
    "DictType",
    "Function",
    "ListType",
    "Local",
    "Module",
    "MoltType",
    "OptionalType",
    "RecordType",
    "ScalarType",
    "SourceLoc",
    "fallible_functions",
    "stable_length_lists",
    "verify",
]
