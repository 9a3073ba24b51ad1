"""Pairing: the reference implementation plays the role an implementation lacks.

A compile-run case needs a compiler and a host. An implementation that declares
only one of the roles still runs those cases: a compiler-only implementation
compiles, and the reference host loads and calls what it built; a host-only
implementation loads and calls modules the reference compiler built. Each result
records the pairing (`paired_with`), so a report never passes off the
reference's half as the implementation's.

The reference is reached like any implementation, through the adapter protocol:
`python -m molt.adapter` (or `--reference-adapter`) started as a subprocess, one
per job and only when a case needs it, so this package still imports nothing of
the reference implementation. It is started with MOLT_ADAPTER_ROLES unset, so it
offers both of its roles whatever the environment says about the adapter under
test. Its faults are the runner's, not the implementation's: a crash, a hang, an
`errored` answer or a source the reference compiler rejects raise
`ReferenceFailed`, and the case becomes ERROR with that message.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from typing import Any, Protocol

from molt_conformance._errors import (
    AdapterCrashed,
    AdapterProtocolError,
    AdapterTimeout,
    ProtocolVersionMismatch,
)
from molt_conformance._protocol import Command, Schemas
from molt_conformance._session import (
    AdapterSession,
    BudgetExhausted,
    Implementation,
    RestartBudget,
)
from molt_conformance._transport import SubprocessConnection

__all__ = [
    "REFERENCE_ADAPTER",
    "Exchanger",
    "Pairing",
    "ReferenceFailed",
    "ReferenceSession",
]

REFERENCE_ADAPTER = f"{shlex.quote(sys.executable)} -m molt.adapter"
"""The reference implementation's adapter, run with the runner's own Python."""

_RESTARTS = 3
"""How often one job's reference adapter may be restarted before its cases are ERROR."""


class ReferenceFailed(Exception):
    """The reference half of a pair failed; the case cannot judge the implementation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Exchanger(Protocol):
    """What a case needs of one side of a pair: sequence numbers and exchanges."""

    def next_seq(self) -> int: ...

    def exchange(self, command: Command) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Pairing:
    """Who compiles and who hosts one compile-run case, and which role the reference plays."""

    compiler: Exchanger
    host: Exchanger
    reference_role: str | None = None
    reference: Implementation | None = None

    def to_report(self) -> dict[str, str] | None:
        """The result's `paired_with`: the role the reference played, and its name and version."""
        if self.reference_role is None or self.reference is None:
            return None
        return {
            "role": self.reference_role,
            "name": self.reference.name,
            "version": self.reference.version,
        }


class ReferenceSession:
    """The reference adapter playing one role for one job, started on first use."""

    def __init__(
        self,
        command: str,
        role: str,
        *,
        spec_version: str,
        schemas: Schemas,
        timeout: float,
    ) -> None:
        self.command = command
        self.role = role
        env = {key: value for key, value in os.environ.items() if key != "MOLT_ADAPTER_ROLES"}
        self._session = AdapterSession(
            command,
            spec_version=spec_version,
            schemas=schemas,
            timeout=timeout,
            budget=RestartBudget(_RESTARTS),
            connect=lambda line: SubprocessConnection(line, env=env),
        )
        self.implementation: Implementation | None = None

    def start(self) -> Implementation:
        """The reference's hello, once; ReferenceFailed if it cannot play the role."""
        if self.implementation is not None:
            return self.implementation
        try:
            announced = self._session.start()
        except (AdapterProtocolError, ProtocolVersionMismatch) as exc:
            raise ReferenceFailed(
                f"the reference adapter ({self.command}) needed as the {self.role} did not "
                f"start: {exc}"
            ) from None
        if self.role not in announced.roles:
            raise ReferenceFailed(
                f"the reference adapter ({self.command}) does not declare the role {self.role}, "
                "which this implementation lacks"
            )
        self.implementation = announced
        return announced

    def next_seq(self) -> int:
        return self._session.next_seq()

    def exchange(self, command: Command) -> dict[str, Any]:
        self.start()
        try:
            response = self._session.exchange(command)
        except (AdapterCrashed, AdapterTimeout, BudgetExhausted) as exc:
            if isinstance(exc, AdapterCrashed):
                detail = exc.detail
            elif isinstance(exc, BudgetExhausted):
                detail = f"it crashed or hung after {exc.budget} restarts"
            else:
                detail = str(exc)
            raise ReferenceFailed(
                f"the reference {self.role} failed on the {command.cmd} request: {detail}"
            ) from None
        if response.get("errored") is True:
            raise ReferenceFailed(
                f"the reference {self.role} failed on the {command.cmd} request: "
                f"{response.get('message')}"
            )
        return response

    def close(self) -> None:
        self._session.close()
