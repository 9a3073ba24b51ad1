"""The runner's own failures, each with its code from spec/errors.yaml.

Which step fails with which exception:

- reading a case (`load_suite`)            -> `CaseInvalid`            MOLT-E-CASE-INVALID
- starting the adapter, or its hello       -> `AdapterProtocolError`   MOLT-E-ADAPTER-PROTOCOL
- the hello's protocol_version             -> `ProtocolVersionMismatch` MOLT-E-PROTOCOL-VERSION
- reading --expectations FILE              -> `ExpectationsInvalid`    MOLT-E-EXPECTATIONS-INVALID
- reading a report for `summary`           -> `ReportInvalid`          MOLT-E-REPORT-INVALID
- `show` of an ID the suite lacks          -> `UnknownCase`            MOLT-E-UNKNOWN-ID
- a file the command needs                 -> `FileProblem`            MOLT-E-IO
- a bad command line                       -> `UsageError`             MOLT-E-USAGE

Faults of an adapter in the middle of a run are not exceptions of the run: the
transport raises `AdapterCrashed` or `AdapterTimeout` (uncoded, internal), and
the runner records them as the case's CRASH or TIMEOUT and carries on.

The wording lives in the registry: an exception holds the template's fields
and renders the message in `__str__` as `CODE: message`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from molt.spec import load_spec

__all__ = [
    "AdapterCrashed",
    "AdapterProtocolError",
    "AdapterTimeout",
    "CaseInvalid",
    "ConformanceError",
    "ExpectationsInvalid",
    "FileProblem",
    "InternalError",
    "ProtocolVersionMismatch",
    "ReportInvalid",
    "UnknownCase",
    "UsageError",
]


class ConformanceError(Exception):
    """A coded failure of molt-conformance itself; `str()` is `CODE: message`."""

    code: ClassVar[str] = "MOLT-E-INTERNAL"

    def __init__(self, **fields: Any) -> None:
        super().__init__(fields)
        self.fields = fields

    @property
    def message(self) -> str:
        entry = load_spec().error(self.code)
        if entry is None:  # the registry lost a code: say so rather than hide the error
            return f"{self.fields}"
        return str(entry["message"]).format(**self.fields)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class CaseInvalid(ConformanceError):
    """A case file is unreadable or invalid; `file` is relative to the cases folder."""

    code = "MOLT-E-CASE-INVALID"

    def __init__(self, file: str, path: str, detail: str) -> None:
        super().__init__(file=file, path=path, detail=detail)


class AdapterProtocolError(ConformanceError):
    """The adapter could not be started or broke the protocol in its first exchange."""

    code = "MOLT-E-ADAPTER-PROTOCOL"

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(name=name, detail=detail)


class ProtocolVersionMismatch(ConformanceError):
    """The adapter speaks another version of the adapter protocol."""

    code = "MOLT-E-PROTOCOL-VERSION"

    def __init__(self, name: str, actual: object, expected: int, version: str) -> None:
        super().__init__(name=name, actual=actual, expected=expected, version=version)

    @classmethod
    def check(cls, name: str, response: Any, expected: int, version: str) -> None:
        """Raise unless a hello response that carries a version carries `expected`."""
        if isinstance(response, dict) and "protocol_version" in response:
            actual = response["protocol_version"]
            if actual != expected or type(actual) is not int:
                raise cls(name=name, actual=actual, expected=expected, version=version)


class ExpectationsInvalid(ConformanceError):
    code = "MOLT-E-EXPECTATIONS-INVALID"

    def __init__(self, file: str, detail: str) -> None:
        super().__init__(file=file, detail=detail)


class ReportInvalid(ConformanceError):
    code = "MOLT-E-REPORT-INVALID"

    def __init__(self, file: str, path: str, detail: str) -> None:
        super().__init__(file=file, path=path, detail=detail)


class UnknownCase(ConformanceError):
    code = "MOLT-E-UNKNOWN-ID"

    def __init__(self, name: str, closest: list[str]) -> None:
        super().__init__(name=name, closest=", ".join(closest) or "none")


class FileProblem(ConformanceError):
    code = "MOLT-E-IO"

    def __init__(self, operation: str, file: str, detail: str) -> None:
        super().__init__(operation=operation, file=file, detail=detail)


class InternalError(ConformanceError):
    """A bug in molt-conformance itself."""

    code = "MOLT-E-INTERNAL"

    def __init__(self, detail: str, name: str = "molt-conformance") -> None:
        super().__init__(detail=detail, name=name)


class UsageError(ConformanceError):
    code = "MOLT-E-USAGE"

    def __init__(self, detail: str, name: str = "molt-conformance") -> None:
        super().__init__(detail=detail, name=name)


# -- adapter faults during a run: data for the runner, not errors of the run ---------


class AdapterCrashed(Exception):
    """The adapter exited, closed its pipes or broke the protocol mid-run (status CRASH)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class AdapterTimeout(Exception):
    """The adapter did not answer within the timeout; it has been stopped (status TIMEOUT)."""

    def __init__(self, seconds: float, command: str) -> None:
        super().__init__(seconds, command)
        self.seconds = seconds
        self.command = command

    def __str__(self) -> str:
        return f"the adapter did not answer the {self.command} request within {self.seconds:g} s"
