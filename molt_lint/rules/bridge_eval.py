"""MOLT103 BridgeEval: JavaScript or Python source text evaluated through Pyodide."""

from __future__ import annotations

from molt_lint._detector import Detector
from molt_lint._message import Message


class BridgeEval(Message):
    code = "MOLT103"
    message = "`{name}` evaluates source text on the other side of the Pyodide bridge"
    hint = (
        "compute the value where it lives and pass it in as an argument of an @export "
        "function; never send code as text"
    )


# MOLT-R-NO-OBJECT-INTEROP-API, MOLT-R-NO-INTERPRETER
DETECTOR = Detector(
    references={
        name: BridgeEval
        for name in (
            "js.eval",
            "pyodide.code.run_js",
            "pyodide.code.eval_code",
            "pyodide.code.eval_code_async",
            "pyodide_js.runPython",
            "pyodide_js.runPythonAsync",
        )
    }
)
