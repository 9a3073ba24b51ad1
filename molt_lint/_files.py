"""Which files to lint: the paths given, with folders walked recursively.

Walking skips what ruff skips by default (version-control folders, virtual
environments, caches, build output, site-packages), the `exclude` patterns of
the configuration, and whatever `.gitignore` files in the walked folders (and
in their parents up to the project root) ignore. Patterns use gitignore
syntax: `*`, `?`, `[...]`, `**`, a leading `/` or an inner `/` to anchor, a
trailing `/` for folders only, and `!` to re-include. Files named on the
command line are always linted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_EXCLUDES = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints",
    ".mypy_cache", ".nox", ".pants.d", ".pyenv", ".pytest_cache", ".pytype", ".ruff_cache",
    ".svn", ".tox", ".venv", ".vscode", "__pypackages__", "__pycache__", "_build",
    "buck-out", "build", "dist", "node_modules", "site-packages", "venv", ".molt_lint_cache",
)  # fmt: skip
SUFFIXES = (".py", ".pyi")


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern[str]
    negated: bool
    directory_only: bool


@dataclass(frozen=True)
class PatternSet:
    """Patterns from one source, matched against paths relative to `base`."""

    base: str
    """Folder the patterns are relative to, as a '/'-separated path from the walk root ('' = it)."""
    patterns: tuple[Pattern, ...]


def compile_pattern(line: str) -> Pattern | None:
    """One gitignore line as a Pattern; None for blank lines and comments."""
    line = line.rstrip("\n")
    if not line.strip() or line.startswith("#"):
        return None
    if not line.endswith("\\ "):
        line = line.rstrip()
    negated = line.startswith("!")
    if negated or line.startswith("\\"):
        line = line[1:]
    directory_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    body = _translate(line)
    regex = f"^{body}$" if anchored else f"^(?:.*/)?{body}$"
    return Pattern(re.compile(regex), negated, directory_only)


def _translate(glob: str) -> str:
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if c == "*":
            if glob.startswith("**/", i):
                out.append("(?:.*/)?")
                i += 3
                continue
            if glob.startswith("**", i):
                out.append(".*")
                i += 2
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = glob.find("]", i + 2)
            if end < 0:
                out.append(re.escape(c))
            else:
                inner = glob[i + 1 : end]
                if inner.startswith("!"):
                    inner = "^" + inner[1:]
                out.append(f"[{inner.replace(chr(92), chr(92) * 2)}]")
                i = end
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(glob[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def pattern_set(base: str, lines: Iterable[str]) -> PatternSet | None:
    patterns = tuple(p for p in (compile_pattern(line) for line in lines) if p is not None)
    return PatternSet(base, patterns) if patterns else None


def ignored(path: str, is_dir: bool, sets: Iterable[PatternSet]) -> bool:
    """Whether a '/'-separated path (relative to the walk root) is ignored; last match wins."""
    result = False
    for patterns in sets:
        if patterns.base:
            if not path.startswith(patterns.base + "/"):
                continue
            relative = path[len(patterns.base) + 1 :]
        else:
            relative = path
        for pattern in patterns.patterns:
            if pattern.directory_only and not is_dir:
                continue
            if pattern.regex.match(relative):
                result = not pattern.negated
    return result


def _gitignore(folder: Path, base: str) -> PatternSet | None:
    try:
        text = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return pattern_set(base, text.splitlines())


def walk(folder: Path, root: Path, excludes: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(path relative to `folder`, full path) of the Python files under `folder`, sorted.

    Excluded and gitignored paths are skipped.

    Config excludes and parent .gitignore files apply when `folder` is inside
    the project `root`; paths are matched relative to `folder`'s position there.
    """
    sets: list[PatternSet] = []
    defaults = pattern_set("", DEFAULT_EXCLUDES)
    if defaults:
        sets.append(defaults)
    inside = folder.is_relative_to(root)
    prefix = folder.relative_to(root).as_posix() if inside else ""
    prefix = "" if prefix == "." else prefix
    if inside:
        configured = pattern_set("", excludes)
        if configured:
            sets.append(configured)
        parts = prefix.split("/") if prefix else []
        for depth in range(len(parts)):
            found = _gitignore(root.joinpath(*parts[:depth]), "/".join(parts[:depth]))
            if found:
                sets.append(found)
    cut = len(prefix) + 1 if prefix else 0
    for relative, full in _walk(str(folder), prefix, sets):
        yield relative[cut:], full


def _walk(folder: str, relative: str, sets: list[PatternSet]) -> Iterator[tuple[str, str]]:
    own = _gitignore(Path(folder), relative)
    if own is not None:
        sets = [*sets, own]
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        path = f"{relative}/{entry.name}" if relative else entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if ignored(path, is_dir, sets):
            continue
        if is_dir:
            yield from _walk(entry.path, path, sets)
        elif entry.name.endswith(SUFFIXES):
            yield path, entry.path


def excluded(path: Path, root: Path, excludes: Iterable[str]) -> bool:
    """Whether a file named explicitly falls under the default or configured excludes."""
    if not path.is_relative_to(root):
        return False
    relative = path.relative_to(root).as_posix()
    sets = [s for s in (pattern_set("", DEFAULT_EXCLUDES), pattern_set("", excludes)) if s]
    parts = relative.split("/")
    for depth in range(1, len(parts) + 1):
        if ignored("/".join(parts[:depth]), depth < len(parts), sets):
            return True
    return False
