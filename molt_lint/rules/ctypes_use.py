"""MOLT601 CtypesUse: `ctypes`, a door into native memory and the CPython C API."""

from __future__ import annotations

from molt_lint._detector import Detector
from molt_lint._message import Message


class CtypesUse(Message):
    code = "MOLT601"
    message = "`{name}` reaches native memory and the CPython C API"
    hint = (
        "keep native code outside Molt code and host logic that must port; pass its results "
        "in as values"
    )


# MOLT-R-NO-CPYTHON-EMULATION
DETECTOR = Detector(references={"ctypes": CtypesUse, "_ctypes": CtypesUse})
