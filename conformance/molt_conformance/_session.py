"""One conversation with an adapter: hello, requests with sequence numbers, restarts.

`AdapterSession.start()` runs the first exchange. The runner's protocol version
goes out in hello; the response's `protocol_version` is read before anything
else is validated, so a mismatch raises `ProtocolVersionMismatch` (MOLT-E-
PROTOCOL-VERSION) with what to upgrade, not a schema error. Any other fault of
the first exchange is `AdapterProtocolError` (MOLT-E-ADAPTER-PROTOCOL): the run
cannot start.

After that, `exchange(command)` validates the request, sends it, validates the
response against `<cmd>.json#/$defs/response` and checks that it echoes the
request's seq. A response that breaks the protocol, a dead process or a hang
raise `AdapterCrashed` / `AdapterTimeout`; the session forgets the process, and
the next exchange starts a new one (after a new hello) if the shared
`RestartBudget` allows, else it raises `BudgetExhausted`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from molt_conformance import __version__
from molt_conformance._errors import (
    AdapterCrashed,
    AdapterProtocolError,
    AdapterTimeout,
    ProtocolVersionMismatch,
)
from molt_conformance._protocol import PROTOCOL_VERSION, Bye, Command, Hello, Schemas
from molt_conformance._transport import SubprocessConnection

__all__ = ["AdapterSession", "BudgetExhausted", "Implementation", "RestartBudget"]


@dataclass(frozen=True)
class Implementation:
    """What the adapter said its implementation is, in the hello exchange."""

    name: str
    version: str
    spec_version: str
    roles: tuple[str, ...]
    features: tuple[str, ...]
    language: str | None = None
    homepage: str | None = None

    @classmethod
    def from_hello(cls, response: dict[str, Any]) -> Implementation:
        about = response["implementation"]
        return cls(
            name=about["name"],
            version=about["version"],
            spec_version=response["spec_version"],
            roles=tuple(response["roles"]),
            features=tuple(response["features"]),
            language=about.get("language"),
            homepage=about.get("homepage"),
        )

    def to_report(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "spec_version": self.spec_version,
            "roles": list(self.roles),
            "features": list(self.features),
        }


class BudgetExhausted(Exception):
    """The adapter crashed more often than the restart budget allows."""

    def __init__(self, budget: int) -> None:
        super().__init__(budget)
        self.budget = budget


class RestartBudget:
    """How many times adapters may be restarted in one run, shared by every job."""

    def __init__(self, restarts: int) -> None:
        self.limit = restarts
        self._used = 0
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self._used >= self.limit:
                return False
            self._used += 1
            return True

    @property
    def used(self) -> int:
        return self._used


Connect = Callable[[str], SubprocessConnection]


class AdapterSession:
    """A live adapter process and the requests made to it."""

    def __init__(
        self,
        command: str,
        *,
        spec_version: str,
        schemas: Schemas,
        timeout: float,
        budget: RestartBudget,
        connect: Connect = SubprocessConnection,
    ) -> None:
        self.command = command
        self.spec_version = spec_version
        self.schemas = schemas
        self.timeout = timeout
        self.budget = budget
        self._connect = connect
        self._connection: SubprocessConnection | None = None
        self._last: SubprocessConnection | None = None
        """The connection that died last, kept so its stderr can still be read."""
        self._seq = 0
        self.implementation: Implementation | None = None

    # -- starting -------------------------------------------------------------------

    def start(self) -> Implementation:
        """Start the adapter and run hello; raise the coded error if that fails."""
        connection = self._connect(self.command)
        hello = Hello(self.spec_version)
        try:
            response = connection.request(hello.to_json(), self.timeout)
        except (AdapterCrashed, AdapterTimeout) as exc:
            stderr = connection.stderr_since(0).strip().splitlines()
            tail = f"; its stderr ends with: {stderr[-1]}" if stderr else ""
            connection.kill()
            detail = exc.detail if isinstance(exc, AdapterCrashed) else str(exc)
            raise AdapterProtocolError(self.command, f"no hello response: {detail}{tail}") from None
        try:
            ProtocolVersionMismatch.check(self.command, response, PROTOCOL_VERSION, __version__)
        except ProtocolVersionMismatch:
            connection.kill()
            raise
        problem = self.schemas.response_problem(Hello, response)
        if problem is not None or "errored" in response:
            connection.kill()
            if isinstance(response, dict) and response.get("errored") is True:
                detail = f"the adapter failed to start: {response.get('message')}"
            else:
                detail = f"the hello response does not match the protocol: {problem}"
            raise AdapterProtocolError(self.command, detail)
        self._connection = connection
        self.implementation = Implementation.from_hello(response)
        return self.implementation

    def _ensure_started(self) -> SubprocessConnection:
        if self._connection is not None:
            return self._connection
        if not self.budget.take():
            raise BudgetExhausted(self.budget.limit)
        try:
            self.start()
        except (AdapterProtocolError, ProtocolVersionMismatch) as exc:
            raise AdapterCrashed(f"the restarted adapter did not start: {exc}") from None
        assert self._connection is not None
        return self._connection

    # -- requests -------------------------------------------------------------------

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def exchange(self, command: Command) -> dict[str, Any]:
        """Send one request and return its validated response."""
        message = command.to_json()
        problem = self.schemas.request_problem(command, message)
        if problem is not None:  # the suite or the runner is wrong, not the adapter
            raise ValueError(f"molt-conformance built an invalid {command.cmd} request: {problem}")
        connection = self._ensure_started()
        try:
            response = connection.request(message, self.timeout)
        except (AdapterCrashed, AdapterTimeout):
            self._forget()
            raise
        problem = self.schemas.response_problem(type(command), response)
        if problem is None and response.get("seq") != message.get("seq"):
            problem = f"has seq {response.get('seq')!r}, not {message.get('seq')}"
        if problem is not None:
            self._forget()
            raise AdapterCrashed(f"it broke the protocol: the {command.cmd} response {problem}")
        return response

    # -- stderr and stopping ----------------------------------------------------------

    def stderr_mark(self) -> int:
        return self._connection.stderr_mark() if self._connection is not None else 0

    def stderr_since(self, mark: int) -> str:
        """What the adapter (or the one that just died) wrote to stderr after `mark`."""
        target = self._connection or self._last
        return target.stderr_since(mark) if target is not None else ""

    def _forget(self) -> None:
        if self._connection is not None:
            self._connection.kill()
            self._last = self._connection
        self._connection = None

    def close(self) -> None:
        """Say bye and let the adapter exit; stop it if it does not."""
        connection = self._connection
        if connection is None:
            return
        with contextlib.suppress(AdapterCrashed, AdapterTimeout):
            connection.request(Bye().to_json(), min(self.timeout, 5.0))
        connection.close()
        self._connection = None
