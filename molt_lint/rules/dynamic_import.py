"""MOLT302 DynamicImport: a module imported by a name computed at run time, or from a path."""

from __future__ import annotations

import ast

from molt_lint._checker import Checker
from molt_lint._detector import Detector
from molt_lint._message import Message


class DynamicImport(Message):
    code = "MOLT302"
    message = "`{name}` loads code chosen at run time"
    hint = (
        "import the modules you need by name at the top of the file (a dict can map "
        "run-time keys to them), and load Molt modules by name from the lockfile"
    )


_PATH_LOADERS = (
    "importlib.util.spec_from_file_location",
    "importlib.machinery.SourceFileLoader",
    "runpy.run_path",
    "runpy.run_module",
    "imp.load_source",
)


# MOLT-R-NO-IMPLICIT-LOADING, MOLT-R-EXPLICIT-UNITS
def detect(checker: Checker, call: ast.Call) -> None:
    name = call.args[0] if call.args else None
    if name is None:
        for keyword in call.keywords:
            if keyword.arg == "name":
                name = keyword.value
    if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
        checker.report(DynamicImport, call, name=checker.qualname(call.func) or "import")


DETECTOR = Detector(
    references={name: DynamicImport for name in _PATH_LOADERS},
    calls={"importlib.import_module": detect, "builtins.__import__": detect},
)
