"""Run one case through an adapter session and judge the outcome, by kind.

The adapter never sees what a case expects: it gets the artifact, the lock
entry, the trusted keys, the limits and the messages, and answers with what its
implementation did. The comparison happens here:

- host-load: loaded vs `ok`, or the load error's phase and code;
- host-call: load, then each call; a result is compared as exact bytes
  (`msgpack_hex`) or decoded (`value`), an error by phase, code and (when the
  case gives one) path; a pinned `fuel_used` is compared when the adapter reports
  fuel; with `repeat`, every repetition must give the same bytes, errors and
  fuel as the first (MOLT-R-DETERMINISM);
- compile-error: the compile error's phase, code and line;
- compile-run: compile, check the module itself (no imports, the requested
  name and version, the case's `module` checks), sign it with the run's own key,
  load it and run each vector as for host-call. With a `Pairing`, the compiler
  and the host are different adapters (`_pairing`): the reference plays the
  role the implementation lacks, and its failures raise `ReferenceFailed`.

A mismatch raises `CaseFailed`, an adapter's `errored` response `CaseErrored`,
an adapter's `skipped` response `CaseSkipped`; adapter crashes and timeouts pass
through from the session.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from molt_conformance._pairing import Exchanger, Pairing, ReferenceFailed
from molt_conformance._protocol import Call, Compile, Load
from molt_conformance._signer import RunKey, signed_entry
from molt_conformance._suite import Case
from molt_conformance._wire import (
    decode_value,
    encode_args,
    imports,
    interface_section,
    raw_public_key,
    same_value,
)

__all__ = ["NOT_GIVEN", "CaseErrored", "CaseFailed", "CaseSkipped", "execute"]

NOT_GIVEN = object()
"""A CaseFailed without an expected or actual outcome to show."""


class CaseFailed(Exception):
    def __init__(self, message: str, expected: Any = NOT_GIVEN, actual: Any = NOT_GIVEN) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.actual = actual


class CaseErrored(Exception):
    def __init__(self, message: str, traceback: str | None) -> None:
        super().__init__(message)
        self.message = message
        self.traceback = traceback


class CaseSkipped(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Outcome:
    """What one call gave: result bytes or an error, and the fuel it reported."""

    result: bytes | None
    error: Mapping[str, Any] | None
    fuel_used: int | None

    def same_as(self, other: Outcome) -> bool:
        """The same bytes, or the same error phase, code and path, and the same fuel."""
        mine = _error_json(self.error) if self.error is not None else None
        theirs = _error_json(other.error) if other.error is not None else None
        return (self.result, mine, self.fuel_used) == (other.result, theirs, other.fuel_used)

    def to_json(self, with_fuel: bool = True) -> dict[str, Any]:
        out: dict[str, Any]
        if self.result is not None:
            out = {"msgpack_hex": self.result.hex()}
        else:
            assert self.error is not None
            out = {"error": _error_json(self.error)}
        if with_fuel and self.fuel_used is not None:
            out["fuel_used"] = self.fuel_used
        return out


def execute(
    session: Exchanger, case: Case, run_key: RunKey, pairing: Pairing | None = None
) -> None:
    """Run `case`; return normally when it passed. `pairing` applies to compile-run only."""
    kind = case.kind
    if kind == "host-load":
        _host_load(session, case)
    elif kind == "host-call":
        _host_call(session, case)
    elif kind == "compile-error":
        _compile_error(session, case)
    elif kind == "compile-run":
        _compile_run(pairing or Pairing(compiler=session, host=session), case, run_key)
    else:  # the schema admits no other kind
        raise ValueError(f"unknown case kind {kind!r}")


# -- host cases -------------------------------------------------------------------------


def _load(
    session: Exchanger,
    case: Case,
    artifact: bytes,
    entry: Mapping[str, Any],
    keys: Sequence[bytes],
) -> dict[str, Any]:
    request = Load(
        seq=session.next_seq(),
        handle=case.id,
        artifact=artifact,
        lock_entry=entry,
        trusted_keys=keys,
        limits=case.limits,
    )
    return _answer(session.exchange(request))


def _trusted_keys(case: Case) -> list[bytes]:
    keys = []
    for name in case.data["trusted_keys"]:
        try:
            keys.append(raw_public_key(case.read(name)))
        except ValueError as exc:
            raise ValueError(f"{case.id}: trusted key {name}: {exc}") from None
    return keys


def _host_load(session: Exchanger, case: Case) -> None:
    response = _load(
        session, case, case.read(case.data["artifact"]), case.lock_entry(), _trusted_keys(case)
    )
    expected = case.data["expect"]
    actual = {"ok": True} if response["ok"] else {"error": _error_json(response["error"])}
    if "ok" in expected:
        if not response["ok"]:
            raise CaseFailed(
                f"the artifact was refused with {_describe_error(response['error'])}",
                expected,
                actual,
            )
        return
    if response["ok"]:
        raise CaseFailed(
            f"the artifact loaded; expected {_describe_error(expected['error'])}", expected, actual
        )
    _check_error(expected["error"], response["error"], "loading", expected, actual)


def _host_call(session: Exchanger, case: Case) -> None:
    artifact = case.read(case.data["artifact"])
    response = _load(session, case, artifact, case.lock_entry(), _trusted_keys(case))
    if not response["ok"]:
        raise CaseFailed(
            f"the artifact was refused with {_describe_error(response['error'])}; "
            "it must load for its calls to run",
            {"ok": True},
            {"error": _error_json(response["error"])},
        )
    interface = interface_section(artifact) or {}
    calls = [(call, _message(call, "message_hex", interface)) for call in case.data["calls"]]
    _run_calls(session, case, calls, int(case.data.get("repeat", 1)))


def _message(call: Mapping[str, Any], raw_key: str, interface: Mapping[str, Any]) -> bytes:
    if raw_key in call:
        return bytes.fromhex(call[raw_key])
    schema = next(
        (e.get("input") for e in interface.get("exports", []) if e.get("name") == call["fn"]),
        None,
    )
    return encode_args(call["args"], schema)


def _run_calls(
    session: Exchanger,
    case: Case,
    calls: Sequence[tuple[Mapping[str, Any], bytes]],
    repeat: int,
) -> None:
    first: list[Outcome] = []
    for repetition in range(repeat):
        for index, (call, message) in enumerate(calls):
            where = f"call {index + 1} ({call['fn']})"
            if repeat > 1:
                where += f", repetition {repetition + 1} of {repeat}"
            request = Call(
                seq=session.next_seq(),
                handle=case.id,
                fn=call["fn"],
                message=message,
                fuel=call.get("fuel"),
            )
            response = _answer(session.exchange(request))
            outcome = Outcome(
                result=_result_bytes(response) if response["ok"] else None,
                error=None if response["ok"] else response["error"],
                fuel_used=response.get("fuel_used"),
            )
            _check_call(call, outcome, where, "fuel-wasmtime" in case.features)
            if repetition == 0:
                first.append(outcome)
            elif not outcome.same_as(first[index]):
                raise CaseFailed(
                    f"{where}: differs from the first repetition, so the call is not deterministic",
                    first[index].to_json(),
                    outcome.to_json(),
                )


def _result_bytes(response: Mapping[str, Any]) -> bytes:
    return base64.b64decode(response["result_base64"])


def _check_call(call: Mapping[str, Any], outcome: Outcome, where: str, exact_fuel: bool) -> None:
    expect = call["expect"]
    expected: dict[str, Any] = dict(expect)
    if "fuel_used" in call:
        expected["fuel_used"] = call["fuel_used"]
    actual = outcome.to_json()
    if "error" in expect:
        if outcome.error is None:
            raise CaseFailed(
                f"{where}: returned a result; expected {_describe_error(expect['error'])}",
                expected,
                actual,
            )
        _check_error(expect["error"], outcome.error, where, expected, actual)
    else:
        if outcome.result is None:
            assert outcome.error is not None
            raise CaseFailed(
                f"{where}: failed with {_describe_error(outcome.error)}; expected a result",
                expected,
                actual,
            )
        if "msgpack_hex" in expect and outcome.result.hex() != expect["msgpack_hex"]:
            raise CaseFailed(f"{where}: the result bytes differ", expected, actual)
        if "value" in expect:
            try:
                value = decode_value(outcome.result)
            except ValueError as exc:
                raise CaseFailed(f"{where}: the result is {exc}", expected, actual) from None
            if not same_value(expect["value"], value):
                raise CaseFailed(
                    f"{where}: the result differs", expected, {**actual, "value": value}
                )
    if "fuel_used" in call:
        if outcome.fuel_used is None:
            if exact_fuel:
                raise CaseFailed(
                    f"{where}: the adapter did not report fuel_used, which the feature "
                    "fuel-wasmtime requires",
                    expected,
                    actual,
                )
        elif outcome.fuel_used != call["fuel_used"]:
            raise CaseFailed(
                f"{where}: used {outcome.fuel_used} fuel, expected {call['fuel_used']}",
                expected,
                actual,
            )


# -- compiler cases -----------------------------------------------------------------------


def _module_identity(case: Case) -> tuple[str, str]:
    return case.id.lower(), "1.0.0"


def _compile(session: Exchanger, case: Case) -> dict[str, Any]:
    source_name = PurePosixPath(case.data["source"]).name
    name, version = _module_identity(case)
    request = Compile(
        seq=session.next_seq(),
        source_name=source_name,
        source=case.read(case.data["source"]).decode("utf-8"),
        module_name=name,
        module_version=version,
    )
    response = session.exchange(request)
    if "skipped" in response:
        reason = response["skipped"]
        if response.get("issue_url"):
            reason += f" ({response['issue_url']})"
        raise CaseSkipped(f"the adapter skipped the source: {reason}")
    return _answer(response)


def _compile_error(session: Exchanger, case: Case) -> None:
    expected = case.data["expect"]
    response = _compile(session, case)
    if response["ok"]:
        raise CaseFailed(
            f"the source compiled; expected {expected['code']} at line {expected['line']}",
            expected,
            {"ok": True},
        )
    error = response["error"]
    actual = {k: error[k] for k in ("phase", "code", "line") if k in error}
    if (error["phase"], error["code"]) != (expected["phase"], expected["code"]):
        raise CaseFailed(
            f"compiling failed with {error['code']}, expected {expected['code']}", expected, actual
        )
    if error.get("line") != expected["line"]:
        raise CaseFailed(
            f"{error['code']} points at line {error.get('line')}, expected line {expected['line']}",
            expected,
            actual,
        )


def _compile_run(pairing: Pairing, case: Case, run_key: RunKey) -> None:
    by_reference = pairing.reference_role == "compiler"
    wasm = _compiled_module(pairing.compiler, case, by_reference)
    try:
        interface = _check_module(pairing.compiler, case, wasm, by_reference)
    except CaseFailed as failed:
        if by_reference:
            raise ReferenceFailed(f"the reference compiler's module: {failed.message}") from None
        raise
    name, version = _module_identity(case)
    entry = signed_entry(run_key, wasm, interface, name, version)
    session = pairing.host
    loaded = _load(session, case, wasm, entry, [run_key.public])
    if not loaded["ok"]:
        raise CaseFailed(
            f"the compiled module was refused with {_describe_error(loaded['error'])}",
            {"ok": True},
            {"error": _error_json(loaded["error"])},
        )
    calls = [
        (vector, _message(vector, "args_msgpack_hex", interface)) for vector in case.data["vectors"]
    ]
    _run_calls(session, case, calls, 1)


def _compiled_module(session: Exchanger, case: Case, by_reference: bool = False) -> bytes:
    try:
        response = _compile(session, case)
    except CaseSkipped as skipped:
        if by_reference:
            raise ReferenceFailed(f"the reference compiler skipped the source: {skipped}") from None
        raise
    if not response["ok"] and by_reference:
        raise ReferenceFailed(
            f"the reference compiler did not compile the source: "
            f"{_describe_error(response['error'])}"
        )
    if not response["ok"]:
        raise CaseFailed(
            f"the source did not compile: {_describe_error(response['error'])}",
            {"ok": True},
            {"error": _error_json(response["error"])},
        )
    return base64.b64decode(response["wasm_base64"])


def _check_module(
    session: Exchanger, case: Case, wasm: bytes, by_reference: bool = False
) -> dict[str, Any]:
    """The compiled module's interface, after the checks every compile-run case makes
    (no imports, the requested name and version) and the case's own `module` checks."""
    interface = interface_section(wasm)
    if interface is None:
        raise CaseFailed("the compiled module has no readable molt.interface section")
    declared = imports(wasm)
    if declared:  # MOLT-R-NO-IMPORTS; None (unreadable) is left to the host's load
        raise CaseFailed(
            f"the compiled module declares {len(declared)} import"
            f"{'s' if len(declared) > 1 else ''} ({', '.join(declared[:5])}); "
            "a Molt module imports nothing",
            {"imports": []},
            {"imports": declared},
        )
    name, version = _module_identity(case)
    module = interface.get("module")
    identity = (
        {"name": module.get("name"), "version": module.get("version")}
        if isinstance(module, Mapping)
        else None
    )
    if identity != {"name": name, "version": version}:
        raise CaseFailed(
            f"the compiled module's interface names the module {identity}; the compile "
            f"request asked for {name} {version}",
            {"name": name, "version": version},
            identity,
        )
    checks = case.data.get("module", {})
    if "max_bytes" in checks and len(wasm) > checks["max_bytes"]:
        raise CaseFailed(
            f"the compiled module is {len(wasm)} bytes, more than the {checks['max_bytes']} "
            "this source allows: a module carries its compiled code and the minimal core, "
            "never an interpreter or a bundled runtime",
            {"max_bytes": checks["max_bytes"]},
            {"bytes": len(wasm)},
        )
    if "exports" in checks:
        listed = [
            export.get("name")
            for export in interface.get("exports", [])
            if isinstance(export, dict)
        ]
        if listed != checks["exports"]:
            raise CaseFailed(
                f"the compiled module's interface lists the exports {listed}; the source "
                f"declares {checks['exports']}",
                {"exports": checks["exports"]},
                {"exports": listed},
            )
    if checks.get("reproducible"):
        again = _compiled_module(session, case, by_reference)
        if again != wasm:
            raise CaseFailed(
                "compiling the same source twice gave different modules "
                f"({len(wasm)} and {len(again)} bytes, first difference at byte "
                f"{_first_difference(wasm, again)}); builds must be reproducible",
                {"sha256": hashlib.sha256(wasm).hexdigest()},
                {"sha256": hashlib.sha256(again).hexdigest()},
            )
    return interface


def _first_difference(a: bytes, b: bytes) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


# -- shared -------------------------------------------------------------------------------


def _answer(response: dict[str, Any]) -> dict[str, Any]:
    """The response, unless the adapter reported its own failure (ERROR)."""
    if response.get("errored") is True:
        raise CaseErrored(str(response.get("message")), response.get("traceback"))
    return response


def _error_json(error: Mapping[str, Any]) -> dict[str, Any]:
    out = {"phase": error.get("phase"), "code": error.get("code")}
    if error.get("path") is not None:
        out["path"] = error["path"]
    return out


def _describe_error(error: Mapping[str, Any]) -> str:
    text = f"{error.get('code')} ({error.get('phase')})"
    if error.get("path"):
        text += f" at {error['path']}"
    return text


def _check_error(
    expected: Mapping[str, Any],
    error: Mapping[str, Any],
    where: str,
    expected_json: Any,
    actual_json: Any,
) -> None:
    if (error.get("phase"), error.get("code")) != (expected["phase"], expected["code"]):
        raise CaseFailed(
            f"{where}: failed with {_describe_error(error)}, expected {_describe_error(expected)}",
            expected_json,
            actual_json,
        )
    if "path" in expected and error.get("path") != expected["path"]:
        raise CaseFailed(
            f"{where}: {error.get('code')} names the path {error.get('path')}, "
            f"expected {expected['path']}",
            expected_json,
            actual_json,
        )
