"""Coded errors: the one exception base every Molt tool raises.

The wording of each error lives in the spec's registry (`spec/errors.yaml`):
code here names the code and fills the template's fields, it never writes the
message itself. `MoltError.from_code("MOLT-E-UNKNOWN-ID", ...)` is the way to
raise; `str(error)` is `CODE: message`, exactly what CLIs print on stderr.

Each registry phase has its own subclass, so callers can catch narrowly:

- compile  -> `CompileError`   (the compiler rejects source)
- lint     -> `LintError`      (molt-lint cannot check a file)
- load     -> `LoadError`      (the host refuses an artifact before running it)
- boundary -> `BoundaryError`  (a message does not fit its schema or the wire format)
- runtime  -> `ExecutionError` (the module failed while running, or hit a limit)
- tool     -> `ToolError`      (a command-line tool was misused or failed)

`MoltError.from_code` returns the subclass that matches the code's phase.
"""

from __future__ import annotations

from typing import Any

from molt.spec import load_spec

__all__ = [
    "BoundaryError",
    "CompileError",
    "ExecutionError",
    "LintError",
    "LoadError",
    "MoltError",
    "ToolError",
    "error_class",
]


class MoltError(Exception):
    """A failure with a stable registry code, a one-line message and an optional path."""

    def __init__(self, code: str, message: str, path: str | None = None) -> None:
        super().__init__(code, message, path)
        self.code = code
        self.message = message
        self.path = path

    @classmethod
    def from_code(cls, code: str, path: str | None = None, **fields: Any) -> MoltError:
        """Build the error from the registry's message template for `code`."""
        entry = load_spec().error(code)
        if entry is None:
            raise LookupError(f"{code} is not in the error registry")
        subclass = _BY_PHASE.get(entry["phase"], cls)
        if not issubclass(subclass, cls):
            subclass = cls
        fields.setdefault("path", path if path is not None else "$")
        return subclass(code, entry["message"].format(**fields), path)

    @property
    def phase(self) -> str:
        """The registry phase of the code (compile, lint, load, boundary, runtime, tool)."""
        entry = load_spec().error(self.code)
        return entry["phase"] if entry else "tool"

    def as_dict(self) -> dict[str, str]:
        """The JSON error object every Molt JSON output uses."""
        out = {"code": self.code, "message": self.message}
        if self.path is not None:
            out["path"] = self.path
        return out

    def __str__(self) -> str:
        where = f" at {self.path}" if self.path and self.path not in self.message else ""
        return f"{self.code}: {self.message}{where}"


class CompileError(MoltError):
    """The compiler rejected the source (phase compile)."""


class LintError(MoltError):
    """molt-lint could not check a file (phase lint)."""


class LoadError(MoltError):
    """The host refused an artifact before running any of it (phase load)."""


class BoundaryError(MoltError):
    """A message did not fit its schema or the wire format (phase boundary)."""


class ExecutionError(MoltError):
    """The module failed while running, or hit a resource limit (phase runtime)."""


class ToolError(MoltError):
    """A command-line tool was misused or could not do its job (phase tool)."""


_BY_PHASE: dict[str, type[MoltError]] = {
    "compile": CompileError,
    "lint": LintError,
    "load": LoadError,
    "boundary": BoundaryError,
    "runtime": ExecutionError,
    "tool": ToolError,
}


def error_class(code: str) -> type[MoltError]:
    """The exception class for a registry code (MoltError for unknown codes)."""
    entry = load_spec().error(code)
    return _BY_PHASE.get(entry["phase"], MoltError) if entry else MoltError
