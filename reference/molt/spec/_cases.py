"""Where the conformance cases live, and the spec links each one declares.

The suite is data under `conformance/cases/<area>/<ID>/case.toml`. An installed
wheel carries it as package data in `molt_conformance/cases`; a source checkout
(an editable install included) keeps it in the top-level `conformance/cases`.
Both are found without importing `molt_conformance`, so this module keeps
`molt.spec` the ground floor. `MOLT_CASES_DIR` overrides the search.

`discover_cases()` reads only what the spec's cross-checks need from each case
(its ID, rules and feature tags, plus the whole document for its schema check);
`molt_conformance` loads the cases fully for running them.
"""

from __future__ import annotations

import importlib.util
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from molt.spec._problems import Problem

__all__ = ["CASE_FILE", "CaseIndex", "CaseLink", "cases_root", "discover_cases"]

CASE_FILE = "case.toml"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class CaseLink:
    """One case as the spec sees it: which rules it checks and which tags it needs."""

    id: str
    file: str
    """The case file, relative to the cases folder (`load/MC-LOAD-001/case.toml`)."""
    rules: tuple[str, ...]
    features: tuple[str, ...]
    document: Mapping[str, Any] = field(repr=False, compare=False)


@dataclass(frozen=True)
class CaseIndex:
    """Every case found under `root`, and the files that could not be read."""

    root: Path
    cases: Mapping[str, CaseLink]
    problems: tuple[Problem, ...] = ()

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self.cases)


def cases_root() -> Path | None:
    """The folder holding the conformance cases, or None when none is installed."""
    override = os.environ.get("MOLT_CASES_DIR")
    if override:
        return Path(override)
    candidates: list[Path] = []
    spec = importlib.util.find_spec("molt_conformance")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            package = Path(location)
            candidates += [package / "cases", package.parent / "cases"]
    candidates.append(_PACKAGE_DIR.parent.parent / "conformance" / "cases")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return None


def discover_cases(root: Path | None = None) -> CaseIndex | None:
    """Read every `case.toml` under `root` (default: `cases_root()`); None if there is none."""
    folder = Path(root) if root is not None else cases_root()
    if folder is None or not folder.is_dir():
        return None
    cases: dict[str, CaseLink] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob(f"*/*/{CASE_FILE}")):
        relative = path.relative_to(folder).as_posix()
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            problems.append(Problem(relative, "$", f"cannot read the case: {exc}"))
            continue
        case_id = document.get("id")
        if not isinstance(case_id, str):
            problems.append(Problem(relative, "$", "the case has no string 'id'", field="id"))
            continue
        if case_id in cases:
            problems.append(
                Problem(
                    relative,
                    "$.id",
                    f"duplicate case ID {case_id} (first in {cases[case_id].file})",
                    id=case_id,
                    field="id",
                )
            )
            continue
        cases[case_id] = CaseLink(
            id=case_id,
            file=relative,
            rules=_strings(document.get("rules")),
            features=_strings(document.get("features")),
            document=document,
        )
    return CaseIndex(root=folder, cases=cases, problems=tuple(problems))


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))
