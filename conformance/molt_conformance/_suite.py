"""The suite: every case under `conformance/cases`, checked, and its content hash.

A case is a folder `<area>/<ID>/` with `case.toml` and the files it names. Loading
checks each case before anything runs (MOLT-E-CASE-INVALID on the first problem):

- the TOML parses and matches spec/schemas/conformance-case.json;
- the ID equals the folder name and its area the parent folder (MC-LOAD-001 lives
  in load/MC-LOAD-001/);
- every rule exists in spec/rules.yaml and every feature tag in spec/features.yaml;
- every file the case names exists in its folder, and a lockfile holds exactly
  one entry under `artifacts`.

The suite hash is SHA-256 over every file under the cases folder, in order of
relative POSIX path, each contributing `path NUL size NUL bytes`; hidden files
and `__pycache__` are left out. Two copies of the suite with the same hash
hold the same bytes, so a report names exactly what ran.
"""

from __future__ import annotations

import difflib
import fnmatch
import hashlib
import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from molt.spec import Spec, cases_root, load_spec
from molt_conformance._errors import CaseInvalid, FileProblem, UnknownCase

__all__ = ["CASE_FILE", "Case", "Suite", "load_suite", "suite_sha256"]

CASE_FILE = "case.toml"
_CASE_SCHEMA = "schemas/conformance-case.json"


@dataclass(frozen=True)
class Case:
    """One checked case: its document and the folder its files live in."""

    id: str
    folder: Path = field(repr=False)
    data: Mapping[str, Any] = field(repr=False)

    @property
    def area(self) -> str:
        """The area of the ID, upper case: LOAD for MC-LOAD-001."""
        return self.id.split("-")[1]

    @property
    def kind(self) -> str:
        return str(self.data["kind"])

    @property
    def title(self) -> str:
        return str(self.data["title"])

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(self.data["rules"])

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(self.data["features"])

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(self.data["roles"])

    @property
    def limits(self) -> dict[str, int]:
        return dict(self.data.get("limits", {}))

    def read(self, name: str) -> bytes:
        """The bytes of a file of the case."""
        return (self.folder / name).read_bytes()

    def lock_entry(self) -> dict[str, Any]:
        """The single entry of the case's lockfile, passed to the host as is."""
        document = json.loads(self.read(str(self.data["lock"])))
        return dict(document["artifacts"][0])

    def files(self) -> list[str]:
        """Every file of the case, relative to its folder."""
        return sorted(
            path.relative_to(self.folder).as_posix()
            for path in self.folder.rglob("*")
            if path.is_file() and not _hidden(path.relative_to(self.folder).parts)
        )


@dataclass(frozen=True)
class Suite:
    """Every case, sorted by ID, with the suite's version and content hash."""

    root: Path
    version: str
    cases: tuple[Case, ...]
    sha256: str

    @cached_property
    def by_id(self) -> dict[str, Case]:
        return {case.id: case for case in self.cases}

    def case(self, case_id: str) -> Case:
        """The case with this ID, or MOLT-E-UNKNOWN-ID naming the closest ones."""
        wanted = case_id.strip().upper()
        if wanted in self.by_id:
            return self.by_id[wanted]
        closest = difflib.get_close_matches(wanted, list(self.by_id), n=5, cutoff=0.6)
        raise UnknownCase(case_id, closest)

    def select(self, filters: Sequence[str]) -> list[Case]:
        """The cases any filter matches (all of them without filters); see `matches`."""
        if not filters:
            return list(self.cases)
        return [case for case in self.cases if any(matches(case, f) for f in filters)]


def matches(case: Case, pattern: str) -> bool:
    """Whether a --filter value selects `case`.

    A filter is a case ID, an ID prefix or glob (MC-WIRE, MC-LOAD-00*), a feature
    tag, a rule ID, an area (wire) or a kind (host-call).
    """
    text = pattern.strip()
    upper = text.upper()
    if upper == case.id or fnmatch.fnmatchcase(case.id, upper):
        return True
    if upper.startswith("MC-") and case.id.startswith(upper.rstrip("-") + "-"):
        return True
    return text in case.features or upper in case.rules or upper == case.area or text == case.kind


def load_suite(root: Path | None = None, spec: Spec | None = None) -> Suite:
    """Read and check every case under `root` (default: the installed suite)."""
    spec = spec or load_spec()
    folder = Path(root) if root is not None else cases_root()
    if folder is None or not folder.is_dir():
        raise FileProblem(
            "read",
            str(folder or "conformance/cases"),
            "the conformance cases are not installed; reinstall molt-toolkit",
        )
    checker = _CaseChecker(spec)
    cases = [checker.check(path, folder) for path in sorted(folder.glob(f"*/*/{CASE_FILE}"))]
    cases.sort(key=lambda case: _id_order(case.id))
    return Suite(folder, spec.version, tuple(cases), suite_sha256(folder))


def suite_sha256(root: Path) -> str:
    """SHA-256 over `path NUL size NUL bytes` of every file, sorted by relative path."""
    digest = hashlib.sha256()
    files = [
        path
        for path in root.rglob("*")
        if path.is_file() and not _hidden(path.relative_to(root).parts)
    ]
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        data = path.read_bytes()
        relative = path.relative_to(root).as_posix()
        digest.update(f"{relative}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _hidden(parts: Iterable[str]) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in parts)


def _id_order(case_id: str) -> tuple[str, int]:
    _, area, number = case_id.split("-")
    return area, int(number)


class _CaseChecker:
    """Checks one case file against the schema and the rest of the spec."""

    def __init__(self, spec: Spec) -> None:
        self.validator = Draft202012Validator(spec.schema(_CASE_SCHEMA), registry=spec.registry)
        self.rules = {rule["id"] for rule in spec.rules}
        self.features = {feature["tag"] for feature in spec.features}
        self.seen: dict[str, str] = {}

    def check(self, path: Path, root: Path) -> Case:
        relative = path.relative_to(root).as_posix()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise CaseInvalid(relative, "$", f"cannot read the case: {exc}") from None
        errors = sorted(self.validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
        if errors:
            first = errors[0]
            raise CaseInvalid(relative, _json_path(first.absolute_path), first.message)
        case_id = data["id"]
        area, folder_name = path.parent.parent.name, path.parent.name
        if folder_name != case_id or area != case_id.split("-")[1].lower():
            raise CaseInvalid(
                relative,
                "$.id",
                f"case {case_id} must be in {case_id.split('-')[1].lower()}/{case_id}/",
            )
        if case_id in self.seen:
            raise CaseInvalid(relative, "$.id", f"duplicate ID (also {self.seen[case_id]})")
        self.seen[case_id] = relative
        for index, rule in enumerate(data["rules"]):
            if rule not in self.rules:
                raise CaseInvalid(relative, f"$.rules[{index}]", f"unknown rule {rule}")
        for index, tag in enumerate(data["features"]):
            if tag not in self.features:
                hint = [f for f in sorted(self.features) if f.startswith(tag)]
                hint += difflib.get_close_matches(tag, sorted(self.features), n=1)
                closest = f"; closest: {hint[0]}" if hint else ""
                raise CaseInvalid(
                    relative, f"$.features[{index}]", f"unknown feature tag {tag!r}{closest}"
                )
        case = Case(case_id, path.parent, data)
        self._check_files(case, relative)
        return case

    def _check_files(self, case: Case, relative: str) -> None:
        names: list[tuple[str, str]] = []
        for key in ("artifact", "lock", "source"):
            if key in case.data:
                names.append((f"$.{key}", str(case.data[key])))
        for index, key_file in enumerate(case.data.get("trusted_keys", [])):
            names.append((f"$.trusted_keys[{index}]", str(key_file)))
        for where, name in names:
            if not (case.folder / name).is_file():
                raise CaseInvalid(relative, where, f"the file {name} is not in the case's folder")
        if "lock" in case.data:
            try:
                document = json.loads(case.read(str(case.data["lock"])))
                artifacts = document["artifacts"]
                if not isinstance(artifacts, list) or len(artifacts) != 1:
                    raise ValueError
                if not isinstance(artifacts[0], dict):
                    raise ValueError
            except (ValueError, KeyError, TypeError):
                raise CaseInvalid(
                    relative, "$.lock", "the lockfile must be JSON with one entry under artifacts"
                ) from None


def _json_path(parts: Iterable[object]) -> str:
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text
