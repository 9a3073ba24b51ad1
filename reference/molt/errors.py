"""Coded errors: the one exception base every Molt tool raises.

The wording of each error lives in the spec's registry (`spec/errors.yaml`):
code here names the code and fills the template's fields, it never writes the
message itself. `MoltError.from_code("MOLT-E-UNKNOWN-ID", ...)` is the way to
raise; `str(error)` is `CODE: message`, exactly what CLIs print on stderr.
"""

from __future__ import annotations

from typing import Any

from molt.spec import load_spec

__all__ = ["MoltError"]


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
        return cls(code, entry["message"].format(**fields), path)

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
        where = f" at {self.path}" if self.path else ""
        return f"{self.code}: {self.message}{where}"
