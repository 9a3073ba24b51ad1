"""Problems found in a spec: one record per finding, never a formatted string.

Every problem names the file, the JSON path inside it and, where one applies,
the ID of the rule or code it concerns, so a reader can go straight to it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One finding of spec validation."""

    file: str
    path: str
    message: str
    id: str | None = None
    field: str | None = None

    def sort_key(self) -> tuple[object, ...]:
        """File, then path in document order ($.rules[2] before $.rules[10]), then text."""
        parts = tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", self.path))
        return (self.file, parts, self.message)

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}"
        if self.id:
            where += f" ({self.id})"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        """JSON form, for `--format json` outputs."""
        out = {"file": self.file, "path": self.path, "message": self.message}
        if self.id:
            out["id"] = self.id
        if self.field:
            out["field"] = self.field
        return out


def json_path(parts: Iterable[object], prefix: str = "$") -> str:
    """A JSON path from `prefix`: `$.points[3].x`, or `$["not an identifier"]`.

    The one renderer of locations inside documents and messages, shared by the
    spec validator, the lockfile and recipe readers, the codec and the wasm reader.
    """
    text = prefix
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif isinstance(part, str) and part.isascii() and part.isidentifier():
            text += f".{part}"
        else:
            text += f"[{json.dumps(str(part), ensure_ascii=False)}]"
    return text


class SpecError(Exception):
    """The spec could not be loaded or is invalid; `.problems` lists why."""

    code = "MOLT-E-SPEC-INVALID"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = sorted(problems, key=Problem.sort_key)

    def __str__(self) -> str:
        count = len(self.problems)
        lines = [f"the Molt spec is invalid ({count} problem{'s' if count != 1 else ''}):"]
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)
