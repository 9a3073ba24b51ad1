"""The reference implementation's conformance adapter: `python -m molt.adapter`.

molt-conformance starts this module as a subprocess and speaks the adapter
protocol (spec/schemas/adapter/) with it: one JSON request per line on stdin,
one JSON response per line on stdout. It drives `molt.runtime` exactly as an
application would, and never sees what a case expects.

- hello: the implementation (molt-reference), its roles and feature tags. The
  host role is always there; the compiler role only when `molt.compiler`
  provides `compile_source` (found with importlib, never assumed).
- load: the bytes are written to a private folder under the file name the entry
  gives, next to a one-entry lockfile, and loaded with `Host.load` under the given trusted keys
  and limits, so every check runs as for a real lockfile (MOLT-E-LOCK-INVALID,
  size, hash, signature, ABI, imports, interface).
- call: the host's side of the boundary, in the ABI's order: the message is
  decoded strictly (MOLT-E-MALFORMED-MESSAGE) and checked against the export's
  input schema (MOLT-E-SCHEMA-VIOLATION) before any module code runs; then
  `Module.call_message` crosses once and returns the result bytes exactly as the
  module wrote them, which are checked against the output schema
  (MOLT-E-RESULT-INVALID). A per-call fuel budget loads the module again under
  that budget (the compiled code is cached).
- compile: `molt.compiler.compile_source`, when the compiler role is announced.

Stray prints go to stderr: stdout carries protocol lines only. An unexpected
exception becomes an `errored` response with its traceback, never a dead pipe.
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
import json
import os
import re
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from molt import __version__, signing
from molt.errors import MoltError
from molt.spec import load_spec

__all__ = ["PROTOCOL_VERSION", "ReferenceAdapter", "main", "serve"]

PROTOCOL_VERSION = 1
FEATURES = ("deadline", "fuel-wasmtime")
IMPLEMENTATION = {
    "name": "molt-reference",
    "version": __version__,
    "language": "python",
    "homepage": "https://molt.dev/",
}
_LOCATION = re.compile(r":(\d+):(\d+):")
_WASM_PATH = re.compile(
    load_spec().schema("schemas/lockfile.json")["$defs"]["wasm_path"]["pattern"]
)
"""A relative path a lockfile entry may name (the lockfile schema's pattern)."""


@dataclass
class _Loaded:
    """A module loaded under a handle, and how to load it again with other fuel."""

    lock_path: Path
    name: str
    version: str
    keys: list[Any]
    limits: Mapping[str, int]
    modules: dict[int | None, Any] = field(default_factory=dict)
    schemas: dict[str, Any] = field(default_factory=dict)
    """The compiled input and output validators of each export."""


class ReferenceAdapter:
    """One handler per command; each takes the request and returns the response."""

    def __init__(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="molt-adapter-"))
        self._loaded: dict[str, _Loaded] = {}
        self._compile_source = _find_compiler()

    # -- hello and bye ------------------------------------------------------------------

    def hello(self, request: Mapping[str, Any]) -> dict[str, Any]:
        roles = ["host"] if self._compile_source is None else ["compiler", "host"]
        return {
            "protocol_version": PROTOCOL_VERSION,
            "implementation": dict(IMPLEMENTATION),
            "spec_version": load_spec().version,
            "roles": roles,
            "features": list(FEATURES),
        }

    def bye(self, request: Mapping[str, Any]) -> dict[str, Any]:
        self.close()
        return {"ok": True}

    def close(self) -> None:
        self._loaded.clear()
        shutil.rmtree(self._folder, ignore_errors=True)

    # -- load ---------------------------------------------------------------------------

    def load(self, request: Mapping[str, Any]) -> dict[str, Any]:
        seq, handle = request["seq"], request["handle"]
        self._loaded.pop(handle, None)
        data = base64.b64decode(request["artifact_base64"])
        entry = dict(request["lock_entry"])
        folder = self._folder / handle
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        # The bytes go where the entry says, when that is a path a lockfile may name;
        # any other `file` (a URL, an absolute path, '..') is left for the lockfile
        # check to refuse (MOLT-E-LOCK-INVALID), and nothing is written for it.
        file = entry.get("file")
        if isinstance(file, str) and _WASM_PATH.fullmatch(file):
            (folder / file).parent.mkdir(parents=True, exist_ok=True)
            (folder / file).write_bytes(data)
        lock_path = folder / "molt-lock.json"
        document = {
            "lock_version": 1,
            "generated_by": f"molt.adapter {__version__}",
            "artifacts": [entry],
        }
        lock_path.write_text(json.dumps(document), encoding="utf-8")
        keys = [signing.load_public_key(base64.b64decode(key)) for key in request["trusted_keys"]]
        loaded = _Loaded(
            lock_path=lock_path,
            name=str(entry.get("name", "")),
            version=str(entry.get("version", "")),
            keys=keys,
            limits=dict(request.get("limits", {})),
        )
        try:
            module = loaded.modules[None] = self.open_module(loaded, None)
        except MoltError as error:
            return _failure(seq, error, {"load"})
        from molt.runtime._schema import ExportSchemas

        loaded.schemas = ExportSchemas.from_interface(module.interface)
        self._loaded[handle] = loaded
        return {"seq": seq, "ok": True}

    def open_module(self, loaded: _Loaded, fuel: int | None) -> Any:
        """Load the handle's lockfile entry under its limits (and `fuel`, if given)."""
        from molt.runtime import DEFAULT_FUEL, DEFAULT_MEMORY_LIMIT, Host

        limits = loaded.limits
        deadline = limits.get("deadline_ms")
        host = Host(
            trusted_keys=loaded.keys,
            fuel=fuel or limits.get("fuel", DEFAULT_FUEL),
            memory_limit=limits.get("memory_bytes", DEFAULT_MEMORY_LIMIT),
            deadline=deadline / 1000 if deadline is not None else None,
        )
        return host.load(loaded.lock_path, loaded.name, loaded.version)

    # -- call -----------------------------------------------------------------------------

    def call(self, request: Mapping[str, Any]) -> dict[str, Any]:
        seq = request["seq"]
        loaded = self._loaded.get(request["handle"])
        if loaded is None:
            return _errored(seq, f"no module is loaded under the handle {request['handle']!r}")
        fuel = request.get("limits", {}).get("fuel")
        module = loaded.modules.get(fuel)
        if module is None:
            module = loaded.modules[fuel] = self.open_module(loaded, fuel)
        fn = request["fn"]
        message = base64.b64decode(request["message_base64"])
        module.last_fuel_used = None
        try:
            result = self.call_module(module, loaded.schemas, fn, message)
        except MoltError as error:
            response = _failure(seq, error, {"boundary", "runtime"})
        else:
            response = {"seq": seq, "ok": True, "result_base64": _b64(result)}
        if module.last_fuel_used is not None and "errored" not in response:
            response["fuel_used"] = module.last_fuel_used
        return response

    def call_module(
        self, module: Any, schemas: Mapping[str, Any], fn: str, message: bytes
    ) -> bytes:
        """The host's side of one call: decode, check the input, cross, check the result."""
        from molt.runtime import _codec

        if fn not in schemas:
            return module.call_message(fn, message)  # MOLT-E-UNKNOWN-EXPORT
        value = self.decode_input(message, fn)
        schemas[fn].input.validate(value, export=fn)
        result = module.call_message(fn, self.encode_input(message, value), check=False)
        schemas[fn].output.validate_result(_codec.decode_result(result, export=fn), export=fn)
        return result

    def decode_input(self, message: bytes, fn: str) -> Any:
        """Strict MessagePack, or MOLT-E-MALFORMED-MESSAGE (a mutant overrides this)."""
        from molt.runtime import _codec

        return _codec.decode(message, export=fn)

    def encode_input(self, message: bytes, value: Any) -> bytes:
        """The bytes the module receives: the caller's message, unchanged."""
        return message

    # -- compile --------------------------------------------------------------------------

    def compile(self, request: Mapping[str, Any]) -> dict[str, Any]:
        seq = request["seq"]
        if self._compile_source is None:
            return _errored(seq, "this adapter has no compiler role (molt.compiler is missing)")
        module = request["module"]
        try:
            wasm = self._compile_source(
                request["source"],
                filename=request["source_name"],
                module_name=module["name"],
                module_version=module["version"],
                opt_level=request.get("opt_level", 2),
            )
        except MoltError as error:
            return _failure(seq, error, {"compile"})
        return {"seq": seq, "ok": True, "wasm_base64": _b64(bytes(wasm))}


_SMOKE_SOURCE = "from molt import export\n\n\n@export\ndef identity(x: int) -> int:\n    return x\n"


def _find_compiler() -> Callable[..., bytes] | None:
    """A compile function, if `molt.compiler` exists and compiles a one-line module.

    `MOLT_ADAPTER_ROLES=host` turns the compiler role off (to pair the host with
    another compiler, or to skip the smoke compile).
    """
    roles = os.environ.get("MOLT_ADAPTER_ROLES", "compiler,host").split(",")
    if "compiler" not in roles:
        return None
    try:
        if importlib.util.find_spec("molt.compiler") is None:
            return None
        compiler = importlib.import_module("molt.compiler")
        compile_source = compiler.compile_source

        def compile_module(
            source: str, *, filename: str, module_name: str, module_version: str, opt_level: int
        ) -> bytes:
            compiled = compile_source(
                source,
                filename=filename,
                module_name=module_name,
                version=module_version,
                opt_level=opt_level,
            )
            return bytes(getattr(compiled, "wasm", compiled))

        smoke = compile_module(
            _SMOKE_SOURCE,
            filename="smoke.py",
            module_name="smoke",
            module_version="1.0.0",
            opt_level=2,
        )
    except Exception:  # a half-built compiler must not take the host role down with it
        return None
    return compile_module if smoke[:4] == b"\0asm" else None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _errored(seq: Any, message: str, detail: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"errored": True, "message": message}
    if isinstance(seq, int) and seq >= 0:
        out["seq"] = seq
    if detail:
        out["traceback"] = detail
    return out


def _failure(seq: int, error: MoltError, phases: set[str]) -> dict[str, Any]:
    """A coded error of an allowed phase as the response's error, anything else as errored."""
    phase = error.phase
    if phase not in phases:
        return _errored(seq, str(error))
    body: dict[str, Any] = {"phase": phase, "code": error.code, "message": error.message}
    if phase == "compile":
        found = _LOCATION.search(f":{error.path}:") or _LOCATION.search(error.message)
        if found:
            body["line"], body["column"] = int(found.group(1)), int(found.group(2))
    elif error.path is not None:
        body["path"] = error.path
    return {"seq": seq, "ok": False, "error": body}


# -- the loop ---------------------------------------------------------------------------


def serve(adapter: ReferenceAdapter, stdin: IO[str], stdout: IO[str]) -> int:
    """Answer requests until bye or end of input; returns the exit status."""
    handlers: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
        "hello": adapter.hello,
        "load": adapter.load,
        "call": adapter.call,
        "compile": adapter.compile,
        "bye": adapter.bye,
    }
    try:
        for line in stdin:
            if not line.strip():
                continue
            seq = request = None
            try:
                request = json.loads(line)
                seq = request.get("seq") if isinstance(request, dict) else None
                handler = handlers.get(request.get("cmd")) if isinstance(request, dict) else None
                if handler is None:
                    response = _errored(seq, f"unknown request: {line.strip()[:120]}")
                else:
                    response = handler(request)
            except Exception as exc:
                response = _errored(seq, f"{type(exc).__name__}: {exc}", traceback.format_exc())
            stdout.write(json.dumps(response, separators=(",", ":")) + "\n")
            stdout.flush()
            if isinstance(request, dict) and request.get("cmd") == "bye":
                return 0
    finally:
        adapter.close()
    return 0


def main(adapter: ReferenceAdapter | None = None) -> int:
    protocol = sys.stdout
    sys.stdout = sys.stderr  # anything printed by accident goes to stderr
    return serve(adapter or ReferenceAdapter(), sys.stdin, protocol)


if __name__ == "__main__":
    sys.exit(main())
