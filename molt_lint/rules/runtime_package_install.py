"""MOLT301 RuntimePackageInstall: packages installed or fetched while the program runs."""

from __future__ import annotations

import ast

from molt_lint._checker import Checker
from molt_lint._detector import Detector
from molt_lint._message import Message


class RuntimePackageInstall(Message):
    code = "MOLT301"
    message = "`{name}` installs or fetches packages at run time"
    hint = (
        "declare Python dependencies in pyproject.toml, and load Molt modules explicitly "
        "from the lockfile: Host(trusted_keys=[...]).load('molt-lock.json', name)"
    )


_INSTALLERS = (
    "micropip.install",
    "pyodide_js.loadPackage",
    "pyodide_js.loadPackagesFromImports",
    "pyodide.loadPackage",
    "pyodide.loadPackagesFromImports",
    "pyodide.code.find_imports",
    "pip.main",
    "pip._internal.main",
)
_RUNNERS = (
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
    "os.system",
    "os.popen",
    "asyncio.create_subprocess_exec",
    "asyncio.create_subprocess_shell",
)


def _words(call: ast.Call) -> list[str]:
    """The literal words of a command: list elements or a shell string, split on spaces."""
    words: list[str] = []
    for arg in call.args:
        items = arg.elts if isinstance(arg, ast.List | ast.Tuple) else [arg]
        for item in items:
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                words += item.value.split()
    return words


def _runs_pip_install(words: list[str]) -> bool:
    for index, word in enumerate(words):
        program = word.rsplit("/", 1)[-1]
        if (program == "pip" or program.startswith("pip3")) and "install" in words[index + 1 :]:
            return True
    return False


# MOLT-R-NO-IMPLICIT-LOADING, MOLT-R-EXPLICIT-UNITS, MOLT-R-SIGNED-ARTIFACTS
def detect_pip(checker: Checker, call: ast.Call) -> None:
    if _runs_pip_install(_words(call)):
        checker.report(RuntimePackageInstall, call, name="pip install")


DETECTOR = Detector(
    references={name: RuntimePackageInstall for name in _INSTALLERS},
    calls={name: detect_pip for name in _RUNNERS},
)
