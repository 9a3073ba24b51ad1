"""MOLT604 TraceHook: installing a tracing or profiling hook on the interpreter."""

from __future__ import annotations

from molt_lint._detector import Detector
from molt_lint._message import Message


class TraceHook(Message):
    code = "MOLT604"
    message = "`{name}` hooks CPython's bytecode events, which compiled code does not emit"
    hint = (
        "put the logic in the code itself, or profile from the command line "
        "(python -m cProfile) instead of installing a hook"
    )


_HOOKS = ("sys.settrace", "sys.setprofile", "threading.settrace", "threading.setprofile")

# MOLT-R-NO-CPYTHON-EMULATION
DETECTOR = Detector(references={name: TraceHook for name in _HOOKS})
