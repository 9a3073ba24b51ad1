"""What every compiler stage shares: source locations and the stage error base class.

Each stage has its own exception class, derived from `StageError`, which carries
the stage's name, the location of its (first) problem and, for the front end,
every problem of the run (`errors`). The messages come from the spec's error
registry through `MoltError.from_code`; nothing here writes an error text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, final

from molt.errors import CompileError, MoltError

__all__ = ["Location", "StageError", "compile_error"]


@final
@dataclass(frozen=True, slots=True)
class Location:
    """file:line:column, 1-based, the column counted in code points."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class StageError(MoltError):
    """A compiler stage failed; `stage` names it and `location` says where, when known."""

    stage: ClassVar[str] = "compiler"

    def __init__(
        self,
        code: str,
        message: str,
        path: str | None = None,
        *,
        location: Location | None = None,
        errors: tuple[MoltError, ...] = (),
    ) -> None:
        super().__init__(code, message, path)
        self.location = location
        self.errors: tuple[MoltError, ...] = errors or (MoltError(code, message, path),)
        """Every problem the stage found, in source order (the first is this error's)."""

    @classmethod
    def from_errors(cls, errors: list[MoltError] | tuple[MoltError, ...]) -> StageError:
        """The stage error for a non-empty list of problems, reporting the first."""
        first = errors[0]
        location = getattr(first, "location", None)
        return cls(first.code, first.message, first.path, location=location, errors=tuple(errors))

    @classmethod
    def from_code(cls, code: str, path: str | None = None, **fields: Any) -> StageError:
        """The registry's message for `code`, raised as this stage's error."""
        base = MoltError.from_code(code, path=path, **fields)
        return cls(base.code, base.message, base.path)

    def __str__(self) -> str:
        return "\n".join(MoltError.__str__(error) for error in self.errors)


def compile_error(code: str, location: Location, **fields: Any) -> CompileError:
    """A compile-phase error at `location`, its message from the registry template.

    The error's `path` is the location text (file:line:col), as the registry's
    `has_path` says for compile errors; `location` is kept as an attribute.
    """
    error = MoltError.from_code(
        code,
        path=str(location),
        file=location.file,
        line=location.line,
        column=location.column,
        **fields,
    )
    assert isinstance(error, CompileError), code
    error.location = location  # type: ignore[attr-defined]
    return error
