"""Load the spec's documents and schemas into one read-only `Spec` object.

Loading only parses; `molt.spec.validate` checks. Parsing failures (a missing
file, broken YAML, a duplicate key) still raise `SpecError` with the file named,
because nothing downstream can work without the data.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from molt.spec._files import manifest_path, spec_root
from molt.spec._problems import Problem, SpecError
from molt.spec._yaml import read_yaml

SpecItem = dict[str, Any]
"""A rule, error code or language item as it appears in the YAML."""


def _read(root: Path, relative: str) -> Any:
    path = root / relative
    try:
        if path.suffix == ".json":
            return json.loads(path.read_text(encoding="utf-8"))
        return read_yaml(path)
    except FileNotFoundError:
        raise SpecError([Problem(relative, "$", f"file not found under {root}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([Problem(relative, "$", f"cannot read the file: {exc}")]) from None
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        message = " ".join(str(exc).split())
        raise SpecError([Problem(relative, "$", f"not valid YAML/JSON: {message}")]) from None


@dataclass(frozen=True)
class Spec:
    """The whole spec: the manifest, every document and every schema."""

    root: Path
    manifest: Mapping[str, Any]
    documents: Mapping[str, Any]
    schemas: Mapping[str, Any] = field(repr=False)
    """Every JSON Schema under spec/schemas, keyed by path relative to spec/."""

    @property
    def version(self) -> str:
        return str(self.manifest["spec_version"])

    @property
    def rules(self) -> list[SpecItem]:
        return list(self.documents["rules"].get("rules", []))

    @property
    def errors(self) -> list[SpecItem]:
        return list(self.documents["errors"].get("errors", []))

    @property
    def abi(self) -> Mapping[str, Any]:
        return self.documents["abi"]

    @property
    def language(self) -> Mapping[str, Any]:
        return self.documents["language"]

    @property
    def lint_codes(self) -> list[SpecItem]:
        """The molt-lint catalogue, empty until the lint document exists."""
        lint = self.documents.get("lint") or {}
        return list(lint.get("codes", []))

    @property
    def features(self) -> list[SpecItem]:
        """The conformance feature tags, empty until the features document exists."""
        features = self.documents.get("features") or {}
        return list(features.get("features", []))

    def docs_url(self, identifier: str) -> str:
        """The documentation page of a rule, error code or lint code."""
        base = str(self.manifest.get("docs_url", "https://molt.dev/"))
        found = self.lookup(identifier)
        section = {"rule": "rules", "error": "errors", "lint": "lint"}.get(
            found[0] if found else ""
        )
        if section is None:
            return f"{base}language/#{identifier.strip().upper()}" if found else base
        return f"{base}{section}/{identifier.strip().upper()}/"

    @property
    def formats(self) -> list[SpecItem]:
        return list(self.manifest.get("formats", []))

    @cached_property
    def _index(self) -> dict[str, tuple[str, SpecItem]]:
        index: dict[str, tuple[str, SpecItem]] = {}
        for rule in self.rules:
            index.setdefault(str(rule.get("id")), ("rule", rule))
        for error in self.errors:
            index.setdefault(str(error.get("code")), ("error", error))
        for code in self.lint_codes:
            index.setdefault(str(code.get("code")), ("lint", code))
        for item in iter_language_items(self.language):
            index.setdefault(str(item.get("id")), ("language", item))
        return index

    def lookup(self, identifier: str) -> tuple[str, SpecItem] | None:
        """Find any ID (rule, error code, lint code, language item): (kind, item)."""
        return self._index.get(identifier.strip().upper())

    def rule(self, rule_id: str) -> SpecItem | None:
        found = self.lookup(rule_id)
        return found[1] if found and found[0] == "rule" else None

    def error(self, code: str) -> SpecItem | None:
        found = self.lookup(code)
        return found[1] if found and found[0] == "error" else None

    def all_ids(self) -> list[str]:
        """Every ID the spec defines, sorted."""
        return sorted(self._index)

    @cached_property
    def registry(self) -> Registry:
        """A `referencing` registry of every schema, by `$id` and by file path."""
        return _registry(self.schemas)

    def schema(self, relative: str) -> Any:
        """A schema by its path relative to spec/, e.g. `schemas/lockfile.json`."""
        return self.schemas[relative]

    def export(self) -> dict[str, Any]:
        """The whole spec as one JSON-ready document, for agents."""
        return {
            "spec_version": self.version,
            "title": self.manifest.get("title"),
            "rules": self.rules,
            "retired_rules": list(self.documents["rules"].get("retired", [])),
            "errors": self.errors,
            "retired_errors": list(self.documents["errors"].get("retired", [])),
            "lint": dict(self.documents.get("lint") or {}),
            "abi": dict(self.abi),
            "language": dict(self.language),
            "formats": self.formats,
            "schemas": {name: self.schemas[name] for name in sorted(self.schemas)},
        }


@dataclass(frozen=True)
class SchemaSet:
    """The spec's JSON Schemas alone, for code that validates documents on a hot path.

    Reading them parses JSON only, none of the YAML documents: a host checks a
    lockfile and an interface on every load, and a fresh process should not pay
    for parsing the rules, errors and language to do it.
    """

    schemas: Mapping[str, Any] = field(repr=False)

    @cached_property
    def registry(self) -> Registry:
        """A `referencing` registry of every schema, by `$id` and by file path."""
        return _registry(self.schemas)

    def schema(self, relative: str) -> Any:
        """A schema by its path relative to spec/, e.g. `schemas/lockfile.json`."""
        return self.schemas[relative]


def _registry(schemas: Mapping[str, Any]) -> Registry:
    resources = []
    for relative, schema in schemas.items():
        resource = Resource.from_contents(schema, default_specification=DRAFT202012)
        resources.append((relative, resource))
        if isinstance(schema, dict) and isinstance(schema.get("$id"), str):
            resources.append((schema["$id"], resource))
    return Registry().with_resources(resources)


def iter_language_items(language: Mapping[str, Any]) -> Iterator[SpecItem]:
    """Every language item that carries an ID, in document order."""
    for section in ("types", "statements", "expressions", "builtins", "rejected"):
        for item in language.get(section) or []:
            if isinstance(item, dict):
                yield item


_CACHE: dict[Path, Spec] = {}
_DEFAULT: dict[str | None, Spec] = {}
"""The default spec, by the MOLT_SPEC_DIR override in force when it was read."""


def load_spec(root: Path | None = None, *, cached: bool = True) -> Spec:
    """Parse the spec under `root` (default: the installed or checked-out spec).

    The spec is read once per folder and process: error reporting looks up
    templates often, and the files do not change under a running tool.
    """
    if root is None and cached:
        # Fast path for the default spec: error reporting calls this per error.
        override = os.environ.get("MOLT_SPEC_DIR")
        default = _DEFAULT.get(override)
        if default is not None:
            return default
    resolved = (Path(root) if root is not None else spec_root()).resolve()
    if cached and resolved in _CACHE:
        spec = _CACHE[resolved]
    else:
        spec = _parse(resolved)
        if cached:
            _CACHE[resolved] = spec
    if root is None and cached:
        _DEFAULT[os.environ.get("MOLT_SPEC_DIR")] = spec
    return spec


_SCHEMA_SETS: dict[str | None, SchemaSet] = {}


def load_schemas() -> SchemaSet:
    """The default spec's JSON Schemas, read once per process (see `SchemaSet`)."""
    override = os.environ.get("MOLT_SPEC_DIR")
    cached = _SCHEMA_SETS.get(override)
    if cached is None:
        loaded = _DEFAULT.get(override)
        if loaded is not None:
            cached = SchemaSet(loaded.schemas)
        else:
            root = spec_root().resolve()
            _require_manifest(root)
            cached = SchemaSet(_read_schemas(root))
        _SCHEMA_SETS[override] = cached
    return cached


def _require_manifest(root: Path) -> None:
    if not manifest_path(root).is_file():
        raise SpecError(
            [Problem("molt-spec.yaml", "$", f"no spec manifest in {root}; reinstall molt-toolkit")]
        )


def _read_schemas(root: Path) -> dict[str, Any]:
    return {
        path.relative_to(root).as_posix(): _read(root, path.relative_to(root).as_posix())
        for path in sorted((root / "schemas").rglob("*.json"))
    }


def _parse(root: Path) -> Spec:
    _require_manifest(root)
    manifest = _read(root, manifest_path(root).name)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("documents"), dict):
        raise SpecError(
            [Problem("molt-spec.yaml", "$.documents", "the manifest has no documents table")]
        )
    documents: dict[str, Any] = {}
    for kind, entry in sorted(manifest["documents"].items()):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise SpecError([Problem("molt-spec.yaml", f"$.documents.{kind}", "needs a 'file'")])
        data = _read(root, entry["file"])
        documents[kind] = data if data is not None else {}
    return Spec(root=root, manifest=manifest, documents=documents, schemas=_read_schemas(root))
