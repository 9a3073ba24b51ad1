"""MOLT305 UnverifiedModuleLoad: a WebAssembly module compiled without Molt's verifying loader."""

from __future__ import annotations

import ast

from molt_lint._checker import Checker
from molt_lint._detector import Detector
from molt_lint._message import Message


class UnverifiedModuleLoad(Message):
    code = "MOLT305"
    message = "`{name}` compiles WebAssembly without checking its hash, signature or ABI"
    hint = (
        "load modules through molt.runtime: Host(trusted_keys=[...]).load('molt-lock.json', "
        "name), or host.load_bytes(data, sha256=..., signature=...) for bytes you hold"
    )


_UNCHECKED = (
    "wasmtime.Module.from_file",
    "wasmtime.Module.deserialize",
    "wasmtime.Module.deserialize_file",
    "wasmtime.loader",
)


# MOLT-R-SIGNED-ARTIFACTS, MOLT-R-EXPLICIT-UNITS, MOLT-R-NO-IMPLICIT-LOADING
def detect_constructor(checker: Checker, call: ast.Call) -> None:
    checker.report(UnverifiedModuleLoad, call.func, name="wasmtime.Module")


DETECTOR = Detector(
    references={name: UnverifiedModuleLoad for name in _UNCHECKED},
    calls={"wasmtime.Module": detect_constructor},
)
