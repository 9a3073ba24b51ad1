"""MOLT303 CodeFromText: `exec`, `eval` or `compile` builds code from text at run time."""

from __future__ import annotations

from molt_lint._detector import Detector
from molt_lint._message import Message


class CodeFromText(Message):
    code = "MOLT303"
    message = "`{name}` turns text into code at run time"
    hint = (
        "write the operations as functions and choose among them with data (a dict of "
        "functions, a match statement); parse data formats with a parser, never eval"
    )


# MOLT-R-NO-INTERPRETER, MOLT-R-NO-IMPLICIT-LOADING
DETECTOR = Detector(
    references={
        "builtins.exec": CodeFromText,
        "builtins.eval": CodeFromText,
        "builtins.compile": CodeFromText,
    }
)
