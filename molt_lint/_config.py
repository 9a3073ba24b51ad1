"""`[tool.molt-lint]` in the nearest pyproject.toml.

The search starts in the working folder and goes up; the first
pyproject.toml with a `[tool.molt-lint]` table is the configuration and its
folder is the project root (where excludes are anchored and the cache lives).
Without one, the nearest pyproject.toml's folder, or else the working folder,
is the root. A pyproject.toml that is not valid TOML stops the run: molt-lint
cannot know whether it held settings.

Settings (all lists of strings): select, extend-select, ignore (codes or
prefixes), exclude (gitignore-style patterns relative to the project root),
unsuppressible (codes or prefixes no `# molt: allow` comment can silence).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

KEYS = ("select", "extend-select", "ignore", "exclude", "unsuppressible")
_TOML_LINE = re.compile(r"at line (\d+), column (\d+)")


class ConfigError(ValueError):
    """pyproject.toml is not valid TOML, or [tool.molt-lint] has a bad setting."""

    def __init__(self, file: Path, detail: str, line: int | None = None) -> None:
        super().__init__(file, detail, line)
        self.file = file
        self.detail = detail
        self.line = line


@dataclass(frozen=True)
class Config:
    root: Path
    """The project root: excludes are relative to it and the cache lives in it."""
    file: Path | None = None
    """The pyproject.toml the settings came from, if any."""
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    unsuppressible: tuple[str, ...] = field(default=())


def discover(start: Path, explicit: Path | None = None) -> Config:
    """The configuration for a run started in `start` (or from an explicit file)."""
    if explicit is not None:
        return _from_file(explicit.resolve(), require_table=False)
    nearest: Path | None = None
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if not candidate.is_file():
            continue
        nearest = nearest or folder
        config = _from_file(candidate, require_table=True)
        if config is not None:
            return config
    return Config(root=nearest or start)


def _from_file(path: Path, *, require_table: bool) -> Config | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read the file ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_LINE.search(str(exc))
        line = int(where[1]) if where else None
        if line is None and "end of document" in str(exc):
            line = max(len(text.splitlines()), 1)
        detail = str(exc).split(" (at ")[0]
        raise ConfigError(path, f"not valid TOML: {detail}", line) from None
    table = data.get("tool", {}).get("molt-lint")
    if table is None:
        return None if require_table else Config(root=path.parent, file=path)
    if not isinstance(table, dict):
        raise ConfigError(path, "[tool.molt-lint] must be a table", _line_of(text, "molt-lint"))
    values: dict[str, tuple[str, ...]] = {}
    for key, value in table.items():
        if key not in KEYS:
            allowed = ", ".join(KEYS)
            raise ConfigError(
                path,
                f"'{key}' is not a molt-lint setting (settings: {allowed})",
                _line_of(text, key),
            )
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(path, f"'{key}' must be a list of strings", _line_of(text, key))
        values[key.replace("-", "_")] = tuple(value)
    return Config(root=path.parent, file=path, **values)  # type: ignore[arg-type]


def _line_of(text: str, key: str) -> int | None:
    """The line of `key = ...` inside [tool.molt-lint], for the error message."""
    inside = False
    pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            if stripped.startswith("[tool.molt-lint]") and key == "molt-lint":
                return number
            inside = stripped.startswith("[tool.molt-lint]")
        elif inside and pattern.match(line):
            return number
    return None
