"""MOLT403 StringHash: `hash()` of str or bytes, which CPython salts per process."""

from __future__ import annotations

import ast

from molt_lint._checker import BYTES, STR, Checker
from molt_lint._detector import Detector
from molt_lint._message import Message


class StringHash(Message):
    code = "MOLT403"
    message = "hash() of a {kind} changes with every process (PYTHONHASHSEED)"
    hint = (
        "use a stable hash of the bytes instead, for example zlib.crc32(text.encode()) or "
        "hashlib.sha256(data).digest()"
    )


# MOLT-R-DETERMINISM
def detect(checker: Checker, call: ast.Call) -> None:
    if len(call.args) == 1:
        kind = checker.kind_of(call.args[0])
        if kind in (STR, BYTES):
            checker.report(StringHash, call, kind=kind)


DETECTOR = Detector(calls={"builtins.hash": detect})
