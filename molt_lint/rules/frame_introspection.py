"""MOLT602 FrameIntrospection: reading CPython stack frames."""

from __future__ import annotations

from molt_lint._detector import Detector
from molt_lint._message import Message


class FrameIntrospection(Message):
    code = "MOLT602"
    message = "`{name}` inspects CPython stack frames, which compiled code does not have"
    hint = "pass what the function needs to know (a name, a source) as an argument"


_FRAME_READERS = (
    "sys._getframe",
    "sys._current_frames",
    "inspect.currentframe",
    "inspect.stack",
    "inspect.trace",
    "inspect.getouterframes",
    "inspect.getinnerframes",
)

# MOLT-R-NO-CPYTHON-EMULATION
DETECTOR = Detector(references={name: FrameIntrospection for name in _FRAME_READERS})
