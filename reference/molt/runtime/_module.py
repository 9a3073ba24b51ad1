"""A loaded, verified module and its one-crossing calls.

`Module.call` is the schema boundary: validate the arguments against the
export's input schema, encode strict MessagePack, cross once, decode, check
the result against the output schema. Any failure is a coded error; after a
trap the instance is discarded and the next call gets a fresh one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import wasmtime

from molt.errors import MoltError, error_class
from molt.runtime import _codec, _schema
from molt.runtime._instance import CallFailure, Instance, Limits
from molt.spec import load_spec

_MODULE_PHASES = frozenset({"boundary", "runtime"})


class Module:
    """A module the host verified and compiled; call its exports by name."""

    def __init__(
        self,
        *,
        name: str,
        version: str,
        sha256: str,
        interface: Mapping[str, Any],
        engine: wasmtime.Engine,
        compiled: wasmtime.Module,
        limits: Limits,
        high_water: int,
        first_instance: Instance,
    ) -> None:
        self.name = name
        self.version = version
        self.sha256 = sha256
        self.interface = interface
        self.exports: tuple[str, ...] = tuple(e["name"] for e in interface["exports"])
        self.last_fuel_used: int | None = None
        """Fuel the last call used (None when fuel is off): the same input uses the same."""
        self._engine = engine
        self._compiled = compiled
        self._limits = limits
        self._high_water = high_water
        self._instance: Instance | None = first_instance
        self._closed = False
        by_name = {e["name"]: e for e in interface["exports"]}
        self._inputs = {n: _schema.compile_validator(e["input"]) for n, e in by_name.items()}
        self._outputs = {n: _schema.compile_validator(e["output"]) for n, e in by_name.items()}

    # -- public API -----------------------------------------------------------

    def call(
        self, export: str, args: Mapping[str, Any] | None = None, *, validate: bool = True
    ) -> Any:
        """Call `export` with keyword arguments as a dict; return plain Python values.

        `validate=False` skips the JSON Schema checks on both sides for trusted
        hot paths; the module's own decoder still rejects ill-typed input.
        """
        self._check_open()
        self._check_export(export)
        args = {} if args is None else args
        if not isinstance(args, Mapping):
            raise TypeError(
                f"args must be a mapping of parameter names to values, not {type(args).__name__}"
            )
        if validate:
            self._inputs[export].validate(args, export=export)
        message = _codec.encode(args, export=export)
        result = self._decode_result(export, self._cross(export, message))
        if validate:
            self._outputs[export].validate_result(result, export=export)
        return result

    def call_message(self, export: str, message: bytes, *, check: bool = True) -> bytes:
        """Send raw MessagePack bytes and return the raw result bytes (status 0).

        For conformance and for hosts that already hold encoded messages. The
        host checks the bytes are strict MessagePack (`check=False` leaves that
        to the module's own decoder, as conformance cases for modules need);
        schemas are not applied. Errors still raise.
        """
        self._check_open()
        self._check_export(export)
        if not isinstance(message, (bytes, bytearray, memoryview)):
            raise TypeError(f"message must be bytes, not {type(message).__name__}")
        message = bytes(message)
        if check:
            _codec.decode(message, export=export)  # strict MessagePack, or MALFORMED-MESSAGE
        raw = self._cross(export, message)
        self._decode_result(export, raw)  # raises on status 1 or malformed bytes
        return raw.message

    def close(self) -> None:
        """Drop the instance and its memory; calling afterwards raises ValueError."""
        self._instance = None
        self._closed = True

    def __enter__(self) -> Module:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<molt Module {self.name} {self.version} exports={list(self.exports)}>"

    # -- the crossing -----------------------------------------------------------

    def _cross(self, export: str, message: bytes) -> Any:
        instance = self._instance
        try:
            if instance is None:
                instance = self._instance = Instance(
                    self._engine, self._compiled, list(self.exports), self._limits
                )
            raw = instance.call(export, message)
        except CallFailure as failure:
            self._instance = None  # never reuse an instance after a failed crossing
            raise self._error(
                failure.code, export, failure.detail, engine_trap_code=failure.engine_trap_code
            ) from None
        self.last_fuel_used = raw.fuel_used
        if instance.memory_size > self._high_water:
            self._instance = None  # memory never shrinks: recycle past the high-water mark
        return raw

    def _decode_result(self, export: str, raw: Any) -> Any:
        try:
            value = _codec.decode(raw.message)
        except MoltError as error:
            raise self._error(
                "MOLT-E-RESULT-INVALID", export, error.message, path=error.path or "$"
            ) from None
        if raw.status == 0:
            return value
        raise self._module_error(export, value)

    def _module_error(self, export: str, value: Any) -> MoltError:
        """Turn the module's error map into its coded exception, or RESULT-INVALID."""
        spec = load_spec()
        shape_ok = (
            isinstance(value, dict)
            and set(value) - {"path"} == {"code", "message"}
            and all(isinstance(v, str) for v in value.values())
        )
        entry = spec.error(value["code"]) if shape_ok else None
        if entry is None or entry["phase"] not in _MODULE_PHASES:
            return self._error(
                "MOLT-E-RESULT-INVALID",
                export,
                f"the error map {value!r} is not a boundary or runtime error of the registry",
                path="$",
            )
        return error_class(value["code"])(value["code"], value["message"], value.get("path"))

    # -- helpers -----------------------------------------------------------------

    def _error(
        self,
        code: str,
        export: str,
        detail: str,
        path: str | None = None,
        engine_trap_code: str | None = None,
    ) -> MoltError:
        limit = {
            "MOLT-E-OUT-OF-FUEL": self._limits.fuel,
            "MOLT-E-OUT-OF-MEMORY": self._limits.memory_limit,
            "MOLT-E-DEADLINE": f"{self._limits.deadline} s",
        }.get(code, "-")
        error = MoltError.from_code(
            code,
            path=path,
            export=export,
            name=self.name,
            version=self.version,
            detail=detail,
            limit=limit,
            available=", ".join(self.exports) or "none",
        )
        error.engine_trap_code = engine_trap_code  # type: ignore[attr-defined]
        return error

    def _check_export(self, export: str) -> None:
        if export not in self._inputs:
            raise self._error("MOLT-E-UNKNOWN-EXPORT", export, "no such export")

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"module {self.name} {self.version} is closed")
