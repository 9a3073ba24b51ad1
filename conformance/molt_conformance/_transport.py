"""How the runner reaches an adapter: a one-method `Connection` protocol.

The session talks to any object with `request(message, timeout) -> response`,
so a subprocess, a container or an in-process adapter can stand in for one
another. `SubprocessConnection` is the one the CLI uses: it starts the adapter
command, writes one JSON object per line to its stdin and reads one per line
from its stdout; whatever the adapter writes to stderr is kept (the last
megabyte) so a crashed or failing case can show it.

A connection never raises for the adapter's own faults with a coded error: it
raises `AdapterCrashed` (the process exited, closed a pipe, or wrote a line that
is not one JSON object) or `AdapterTimeout` (no answer in time; the process is
stopped), and the runner records the case as CRASH or TIMEOUT.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shlex
import signal
import subprocess
import threading
import time
from collections.abc import Mapping
from typing import Any, Protocol

from molt_conformance._errors import AdapterCrashed, AdapterProtocolError, AdapterTimeout

__all__ = ["Connection", "SubprocessConnection"]

_STDERR_KEEP = 1 << 20
_SHOW = 200


class Connection(Protocol):
    """Anything that answers one protocol request with one response."""

    def request(self, message: Mapping[str, Any], timeout: float) -> Any:
        """Send `message`, return the parsed response; raise AdapterCrashed or AdapterTimeout."""
        ...


class SubprocessConnection:
    """An adapter command run as a child process speaking JSON lines."""

    def __init__(
        self, command: str, *, cwd: str | None = None, env: Mapping[str, str] | None = None
    ) -> None:
        self.command = command
        try:
            argv = shlex.split(command)
        except ValueError as exc:
            raise AdapterProtocolError(command, f"the command cannot be parsed: {exc}") from None
        if not argv:
            raise AdapterProtocolError(command, "the adapter command is empty")
        try:
            self._process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=cwd,
                env=dict(env) if env is not None else None,
                start_new_session=os.name == "posix",
            )
        except OSError as exc:
            raise AdapterProtocolError(
                command, f"cannot start the adapter: {exc.strerror or exc}"
            ) from None
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._stderr = bytearray()
        self._stderr_dropped = 0
        self._stderr_lock = threading.Lock()
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    # -- the protocol ---------------------------------------------------------------

    def request(self, message: Mapping[str, Any], timeout: float) -> Any:
        line = json.dumps(message, separators=(",", ":"), ensure_ascii=False) + "\n"
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(line.encode("utf-8"))
            stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            raise AdapterCrashed(self._exit_detail("closed its stdin")) from None
        while True:
            try:
                raw = self._lines.get(timeout=timeout)
            except queue.Empty:
                self.kill()
                raise AdapterTimeout(timeout, str(message.get("cmd"))) from None
            if raw is None:
                raise AdapterCrashed(self._exit_detail("closed its stdout"))
            if raw.strip():
                break
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            text = raw.decode("utf-8", errors="replace").strip()
            shown = text if len(text) <= _SHOW else text[:_SHOW] + "..."
            raise AdapterCrashed(f"it wrote a line that is not JSON: {shown!r}") from None

    # -- stderr ---------------------------------------------------------------------

    def stderr_mark(self) -> int:
        """A position in the stderr stream; `stderr_since(mark)` returns what came after."""
        with self._stderr_lock:
            return self._stderr_dropped + len(self._stderr)

    def stderr_since(self, mark: int) -> str:
        """Only failing cases read stderr, so first let the reader thread catch up:
        the adapter writes stderr before its response, but the two pipes are read
        by different threads. Wait until it has been quiet for a moment (at most
        a quarter of a second)."""
        self._settle_stderr()
        with self._stderr_lock:
            start = max(0, mark - self._stderr_dropped)
            return bytes(self._stderr[start:]).decode("utf-8", errors="replace")

    def _settle_stderr(self, quiet: float = 0.02, limit: float = 0.25) -> None:
        deadline = time.monotonic() + limit
        seen = self.stderr_mark()
        while time.monotonic() < deadline:
            time.sleep(quiet)
            now = self.stderr_mark()
            if now == seen:
                return
            seen = now

    # -- life cycle -----------------------------------------------------------------

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def close(self, timeout: float = 2.0) -> None:
        """Close stdin and wait for the adapter to exit; stop it if it does not."""
        try:
            if self._process.stdin is not None:
                self._process.stdin.close()
        except OSError:
            pass
        try:
            self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """Stop the adapter and anything it started, and reap it."""
        if self._process.poll() is None:
            try:
                if os.name == "posix":
                    os.killpg(self._process.pid, signal.SIGKILL)
                else:
                    self._process.kill()
            except (ProcessLookupError, PermissionError):
                pass
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=5)

    def _exit_detail(self, what: str) -> str:
        try:
            code = self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
            return f"the adapter {what} and did not exit; it was stopped"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"the adapter {what} and was killed by {name}"
        return f"the adapter {what} and exited with status {code}"

    # -- reader threads ---------------------------------------------------------------

    def _read_stdout(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        for raw in iter(stream.readline, b""):
            self._lines.put(raw)
        self._lines.put(None)

    def _read_stderr(self) -> None:
        stream = self._process.stderr
        assert stream is not None
        while chunk := stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536):
            with self._stderr_lock:
                self._stderr += chunk
                excess = len(self._stderr) - _STDERR_KEEP
                if excess > 0:
                    del self._stderr[:excess]
                    self._stderr_dropped += excess
