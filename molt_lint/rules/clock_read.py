"""MOLT402 ClockRead: the current time read in code that must be deterministic."""

from __future__ import annotations

import ast

from molt_lint._checker import Checker
from molt_lint._detector import Detector
from molt_lint._message import Message


class ClockRead(Message):
    code = "MOLT402"
    message = "`{name}` reads the clock, so the result depends on when it runs"
    hint = "read the clock once at the edge of the program and pass the time in as a parameter"


_CLOCKS = (
    *(
        f"time.{name}{suffix}"
        for name in ("time", "perf_counter", "monotonic", "process_time", "thread_time",
                     "clock_gettime")
        for suffix in ("", "_ns")
    ),
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
)  # fmt: skip
_NOW_BY_DEFAULT = {
    "time.localtime": 0,
    "time.gmtime": 0,
    "time.ctime": 0,
    "time.asctime": 0,
    "time.strftime": 1,
}
"""Functions that read the clock when called with this many positional arguments."""


# MOLT-R-DETERMINISM
def detect_default_now(checker: Checker, call: ast.Call) -> None:
    name = checker.qualname(call.func) or ""
    if len(call.args) == _NOW_BY_DEFAULT[name] and not call.keywords:
        checker.report(ClockRead, call, name=f"{name}()")


DETECTOR = Detector(
    references={name: ClockRead for name in _CLOCKS},
    calls={name: detect_default_now for name in _NOW_BY_DEFAULT},
)
