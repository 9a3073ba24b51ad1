"""MOLT101 JsInterop: browser objects reached through Pyodide's `js` and `pyodide_js` modules."""

from __future__ import annotations

from molt_lint._detector import Detector
from molt_lint._message import Message


class JsInterop(Message):
    code = "MOLT101"
    message = "`{name}` reaches JavaScript objects through Pyodide's object bridge"
    hint = (
        "move this code to the JavaScript host and exchange plain values with the module: "
        "an @export function takes and returns value-table types, the host calls it with "
        "module.call(name, {{...}})"
    )


# MOLT-R-NO-OBJECT-INTEROP-API, MOLT-R-NO-OBJECT-PROXIES, MOLT-R-SCHEMA-BOUNDARY
DETECTOR = Detector(references={"js": JsInterop, "pyodide_js": JsInterop})
