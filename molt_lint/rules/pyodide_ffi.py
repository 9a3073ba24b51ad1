"""MOLT102 PyodideFfi: object proxies and conversions from `pyodide.ffi`."""

from __future__ import annotations

from molt_lint._detector import Detector
from molt_lint._message import Message


class PyodideFfi(Message):
    code = "MOLT102"
    message = "`{name}` proxies or converts live objects across the Pyodide boundary"
    hint = (
        "pass copied values instead: declare the data as parameters and return types from "
        "the value table (int, float, bool, str, bytes, None, list[T], dict[str, T], frozen "
        "dataclasses) on an @export function, and drop the proxy"
    )


# MOLT-R-NO-OBJECT-PROXIES, MOLT-R-NO-OBJECT-PASSING, MOLT-R-NO-OBJECT-INTEROP-API
DETECTOR = Detector(references={"pyodide.ffi": PyodideFfi})
