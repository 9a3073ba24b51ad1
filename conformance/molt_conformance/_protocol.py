"""The adapter protocol's commands, one frozen class each, mirroring the schemas.

spec/schemas/adapter/v1.json declares the protocol and its version; each command
has its own file `commands/<cmd>.json` with the request at the root and the
response under `$defs/response`. A class here derives both URIs from its `cmd`,
so "the response to X" is found by that naming rule, with no lookup table.
`Schemas` validates every request before it is sent and every response after it
is read.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from jsonschema import Draft202012Validator

from molt.spec import Spec, load_spec

__all__ = [
    "PROTOCOL_VERSION",
    "SCHEMA_BASE",
    "Bye",
    "Call",
    "Command",
    "Compile",
    "Hello",
    "Load",
    "Schemas",
    "b64",
]

SCHEMA_BASE = "https://molt.dev/schemas/adapter/"
PROTOCOL_VERSION: int = int(
    load_spec().schema("schemas/adapter/v1.json")["$defs"]["protocol_version"]["const"]
)
"""The protocol version this runner speaks, read from the schema that declares it."""


def b64(data: bytes) -> str:
    """Standard padded base64, as the protocol carries bytes."""
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class Command:
    """A request to the adapter; `cmd` names its schema file."""

    cmd: ClassVar[str]

    @classmethod
    def request_uri(cls) -> str:
        return f"{SCHEMA_BASE}commands/{cls.cmd}.json"

    @classmethod
    def response_uri(cls) -> str:
        return f"{cls.request_uri()}#/$defs/response"

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass(frozen=True)
class Hello(Command):
    cmd: ClassVar[str] = "hello"
    suite_spec_version: str

    def to_json(self) -> dict[str, Any]:
        return {
            "cmd": self.cmd,
            "protocol_version": PROTOCOL_VERSION,
            "suite_spec_version": self.suite_spec_version,
        }


@dataclass(frozen=True)
class Compile(Command):
    cmd: ClassVar[str] = "compile"
    seq: int
    source_name: str
    source: str
    module_name: str
    module_version: str

    def to_json(self) -> dict[str, Any]:
        return {
            "cmd": self.cmd,
            "seq": self.seq,
            "source_name": self.source_name,
            "source": self.source,
            "module": {"name": self.module_name, "version": self.module_version},
        }


@dataclass(frozen=True)
class Load(Command):
    cmd: ClassVar[str] = "load"
    seq: int
    handle: str
    artifact: bytes = field(repr=False)
    lock_entry: Mapping[str, Any] = field(repr=False)
    trusted_keys: Sequence[bytes] = ()
    limits: Mapping[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "cmd": self.cmd,
            "seq": self.seq,
            "handle": self.handle,
            "artifact_base64": b64(self.artifact),
            "lock_entry": dict(self.lock_entry),
            "trusted_keys": [b64(key) for key in self.trusted_keys],
        }
        if self.limits:
            out["limits"] = dict(self.limits)
        return out


@dataclass(frozen=True)
class Call(Command):
    cmd: ClassVar[str] = "call"
    seq: int
    handle: str
    fn: str
    message: bytes
    fuel: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "cmd": self.cmd,
            "seq": self.seq,
            "handle": self.handle,
            "fn": self.fn,
            "message_base64": b64(self.message),
        }
        if self.fuel is not None:
            out["limits"] = {"fuel": self.fuel}
        return out


@dataclass(frozen=True)
class Bye(Command):
    cmd: ClassVar[str] = "bye"

    def to_json(self) -> dict[str, Any]:
        return {"cmd": self.cmd}


class Schemas:
    """Validators for every request and response, built once from the spec's registry."""

    def __init__(self, spec: Spec | None = None) -> None:
        self._spec = spec or load_spec()
        self._validators: dict[str, Draft202012Validator] = {}

    def request_problem(self, command: Command, message: Mapping[str, Any]) -> str | None:
        return _first_problem(self._validator(command.request_uri()), message)

    def response_problem(self, command: type[Command], message: Any) -> str | None:
        return _first_problem(self._validator(command.response_uri()), message)

    def _validator(self, uri: str) -> Draft202012Validator:
        validator = self._validators.get(uri)
        if validator is None:
            validator = Draft202012Validator({"$ref": uri}, registry=self._spec.registry)
            self._validators[uri] = validator
        return validator


def _first_problem(validator: Draft202012Validator, message: Any) -> str | None:
    from jsonschema.exceptions import relevance

    errors = list(validator.iter_errors(message))
    if not errors:
        return None
    error = max(errors, key=relevance)
    while error.validator in ("oneOf", "anyOf") and error.context:
        error = _nearest_form(error.context)
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return f"${where}: {error.message}"


_DISCRIMINATORS = ("'ok'", "'errored'", "'skipped'")


def _nearest_form(errors: Sequence[Any]) -> Any:
    """The first error of the response form the message meant to be.

    No form of a response matched. The forms differ by `ok` (true or false),
    `errored` or `skipped`; the form whose discriminator the message has right is
    the one it meant, and its first error is the one worth reporting.
    """
    branches: dict[Any, list[Any]] = {}
    for error in errors:
        branches.setdefault(error.relative_schema_path[0], []).append(error)

    def score(branch: list[Any]) -> tuple[int, int]:
        wrong = sum(
            (error.validator == "const" and len(error.path) == 1)
            or (error.validator == "required" and any(k in error.message for k in _DISCRIMINATORS))
            for error in branch
        )
        return wrong, len(branch)

    nearest = min(branches.values(), key=score)
    return min(nearest, key=lambda e: (e.validator == "unevaluatedProperties", len(e.path)))
