"""MOLT603 GcIntrospection: controlling or inspecting CPython's garbage collector."""

from __future__ import annotations

from molt_lint._detector import Detector
from molt_lint._message import Message


class GcIntrospection(Message):
    code = "MOLT603"
    message = "`{name}` depends on CPython's garbage collector"
    hint = (
        "track the objects you need explicitly (a list or dict you own); do not rely on "
        "collection timing or referrers"
    )


# MOLT-R-NO-CPYTHON-EMULATION
DETECTOR = Detector(references={"gc": GcIntrospection})
