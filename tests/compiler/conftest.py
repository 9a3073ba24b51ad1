"""Fixtures for the compiler tests: compile a program once, load it through the real host.

`molt_program(name)` compiles tests/compiler/programs/<name>.py once per session and
returns a `Program`: the loaded module (signed and checked by the host like any
artifact) and the same source executed by CPython, so a test can call both and
compare.
"""

from __future__ import annotations

import copy
import hashlib
import math
import struct
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from molt import signing
from molt.compiler import CompiledModule, compile_source
from molt.lockfile import LockEntry
from molt.runtime import Host

PROGRAMS = Path(__file__).resolve().parent / "programs"

CPYTHON_CODES = {
    ZeroDivisionError: "MOLT-E-ZERO-DIVISION",
    IndexError: "MOLT-E-INDEX",
    ValueError: "MOLT-E-VALUE",
    AssertionError: "MOLT-E-ASSERTION",
    TypeError: "MOLT-E-RUNTIME-TYPE",
    KeyError: "MOLT-E-KEY",
    OverflowError: "MOLT-E-OVERFLOW",
}
"""The Molt code of each exception a CPython run of a test program can raise."""


@dataclass
class Program:
    """A compiled test program, loaded through the host, and its CPython namespace."""

    compiled: CompiledModule = field(repr=False)
    module: Any = field(repr=False)
    namespace: dict[str, Any] = field(repr=False)

    def __repr__(self) -> str:
        return f"<Program {self.compiled.interface['module']['name']}>"

    def molt(self, export: str, **args: Any) -> Any:
        """The compiled module's result, or ("error", code, message)."""
        try:
            return self.module.call(export, copy.deepcopy(args))
        except Exception as error:
            code = getattr(error, "code", None)
            if code is None:
                raise
            return ("error", code, error.message)  # type: ignore[attr-defined]

    def cpython(self, export: str, **args: Any) -> Any:
        """CPython's result, or ("error", code, message) for an exception it raised."""
        try:
            return self.namespace[export](**copy.deepcopy(args))
        except tuple(CPYTHON_CODES) as error:
            return ("error", CPYTHON_CODES[type(error)], str(error))


@pytest.fixture(scope="session")
def signer(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    folder = tmp_path_factory.mktemp("compiler-keys")
    private, public = signing.generate_keypair(folder, "compiler-tests")
    return signing.load_private_key(private), public


@pytest.fixture(scope="session")
def load_wasm(signer: tuple[Any, Path]) -> Callable[..., Any]:
    """Load compiled bytes through the host, with a signed lockfile entry."""
    key, public = signer

    def load(compiled: CompiledModule, **host_options: Any) -> Any:
        interface = compiled.interface
        name = interface["module"]["name"]
        version = interface["module"]["version"]
        data = compiled.wasm
        sha = hashlib.sha256(data).hexdigest()
        entry = LockEntry(
            name=name,
            version=version,
            file=f"{name}.wasm",
            size=len(data),
            sha256=sha,
            abi=(1, 0),
            exports=tuple(
                {"name": e["name"], "input": e["input"], "output": e["output"]}
                for e in interface["exports"]
            ),
            signature=signing.sign_artifact(key, name, version, sha),
        )
        options = {"cache_dir": False, **host_options}
        return Host(trusted_keys=[public], **options).load_bytes(data, entry)

    return load


_COMPILED: dict[tuple[str, str], CompiledModule] = {}


def compile_cached(source: str, name: str) -> CompiledModule:
    """Compile `source` once per session."""
    key = (source, name)
    if key not in _COMPILED:
        _COMPILED[key] = compile_source(source, filename=f"{name}.py", module_name=name)
    return _COMPILED[key]


@pytest.fixture(scope="session")
def molt_program(load_wasm: Callable[..., Any]) -> Callable[[str], Program]:
    programs: dict[str, Program] = {}

    def get(name: str) -> Program:
        if name not in programs:
            source = (PROGRAMS / f"{name}.py").read_text(encoding="utf-8")
            compiled = compile_cached(source, name.replace("_", "-"))
            # a real module, so that dataclasses can resolve the program's annotations
            module = types.ModuleType(f"molt_test_{name}")
            sys.modules[module.__name__] = module
            namespace: dict[str, Any] = module.__dict__
            exec(compile(source, f"{name}.py", "exec"), namespace)
            programs[name] = Program(compiled, load_wasm(compiled), namespace)
        return programs[name]

    return get


INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1


def outside_int64(value: Any) -> bool:
    """Whether a CPython result holds an int that Molt cannot (its overflow error)."""
    if type(value) is int:
        return not INT64_MIN <= value <= INT64_MAX
    if isinstance(value, list):
        return any(map(outside_int64, value))
    return False


def expected(cpython: Any) -> Any:
    """What Molt must return for CPython's result: the overflow error for a big int."""
    if outside_int64(cpython):
        return ("error", "MOLT-E-OVERFLOW", "")
    return cpython


def same(molt: Any, cpython: Any) -> bool:
    """Equal results: floats bit for bit (any NaN equals any NaN), containers item by item."""
    if isinstance(cpython, float) and isinstance(molt, float):
        if math.isnan(cpython):
            return math.isnan(molt)
        return struct.pack("<d", molt) == struct.pack("<d", cpython)
    if isinstance(cpython, list) and isinstance(molt, list):
        return len(molt) == len(cpython) and all(map(same, molt, cpython))
    if isinstance(cpython, tuple) and isinstance(molt, tuple):
        # an error: the same code (messages differ: Molt's name the source location)
        return molt[:2] == cpython[:2]
    return type(molt) is type(cpython) and molt == cpython
