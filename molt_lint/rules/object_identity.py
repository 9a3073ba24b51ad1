"""MOLT404 ObjectIdentity: `id()`, a memory address that differs on every run."""

from __future__ import annotations

from molt_lint._detector import Detector
from molt_lint._message import Message


class ObjectIdentity(Message):
    code = "MOLT404"
    message = "`id()` is a memory address: it differs between runs and Molt has no object identity"
    hint = "key objects by a value they carry (a name, a number, an index) instead of id()"


# MOLT-R-DETERMINISM, MOLT-R-NO-CPYTHON-EMULATION
DETECTOR = Detector(references={"builtins.id": ObjectIdentity})
