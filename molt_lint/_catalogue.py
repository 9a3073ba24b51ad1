"""The spec data molt-lint prints: lint code entries, their docs URLs, and error templates.

Everything comes from the spec through `molt.spec` (spec/lint.yaml for the
codes, spec/errors.yaml for the MOLT-E-LINT-* message templates). Parsing the
whole spec takes a third of a second, longer than a warm lint run of a large
tree, so the few fields the linter needs are kept as a snapshot in the cache
folder, valid while the spec files it came from are unchanged (same path, size
and modification time).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from molt_lint import __version__

ERROR_CODES = (
    "MOLT-E-LINT-PARSE",
    "MOLT-E-LINT-UNREADABLE",
    "MOLT-E-LINT-CONFIG",
    "MOLT-E-LINT-UNKNOWN-CODE",
    "MOLT-E-USAGE",
    "MOLT-E-IO",
    "MOLT-E-INTERNAL",
)
_SNAPSHOT_FORMAT = 1


@dataclass(frozen=True)
class Catalogue:
    """The lint codes (spec entries plus `url`), the families and the error templates."""

    spec_version: str
    codes: dict[str, dict[str, Any]]
    families: list[dict[str, Any]]
    error_templates: dict[str, str]

    def entry(self, code: str) -> dict[str, Any]:
        return self.codes[code]

    def error_message(self, code: str, **fields: Any) -> str:
        """A registry error message, filled as `MoltError.from_code` fills it."""
        return self.error_templates[code].format(**fields)


def load(cache_dir: Path | None) -> Catalogue:
    """The catalogue, from the snapshot in `cache_dir` when it is still valid."""
    snapshot = cache_dir / f"catalogue-{__version__}.json" if cache_dir else None
    if snapshot is not None:
        cached = _read_snapshot(snapshot)
        if cached is not None:
            return cached
    catalogue, sources = _from_spec()
    if snapshot is not None:
        _write_snapshot(snapshot, catalogue, sources)
    return catalogue


def _from_spec() -> tuple[Catalogue, list[str]]:
    from molt.spec import load_spec

    spec = load_spec()
    codes = {}
    for entry in spec.lint_codes:
        code = str(entry["code"])
        codes[code] = {**entry, "url": spec.docs_url(code)}
    templates = {}
    for code in ERROR_CODES:
        error = spec.error(code)
        if error is not None:
            templates[code] = str(error["message"])
    lint = spec.documents.get("lint") or {}
    catalogue = Catalogue(spec.version, codes, list(lint.get("families", [])), templates)
    files = [spec.root / "molt-spec.yaml"]
    for kind in ("lint", "errors"):
        entry = spec.manifest["documents"].get(kind)
        if entry:
            files.append(spec.root / entry["file"])
    return catalogue, [str(path) for path in files]


def _fingerprint(sources: list[str]) -> list[Any] | None:
    """Where the spec was found and the size and mtime of its files; None if one is gone."""
    import molt

    stats = []
    for source in sources:
        try:
            stat = os.stat(source)
        except OSError:
            return None
        stats.append([source, stat.st_size, stat.st_mtime_ns])
    return [molt.__file__, os.environ.get("MOLT_SPEC_DIR"), stats]


def _read_snapshot(path: Path) -> Catalogue | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != _SNAPSHOT_FORMAT:
            return None
        if _fingerprint([stat[0] for stat in data["fingerprint"][2]]) != data["fingerprint"]:
            return None
        return Catalogue(
            data["spec_version"], data["codes"], data["families"], data["error_templates"]
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _write_snapshot(path: Path, catalogue: Catalogue, sources: list[str]) -> None:
    fingerprint = _fingerprint(sources)
    if fingerprint is None:
        return
    data = {
        "format": _SNAPSHOT_FORMAT,
        "fingerprint": fingerprint,
        "spec_version": catalogue.spec_version,
        "codes": catalogue.codes,
        "families": catalogue.families,
        "error_templates": catalogue.error_templates,
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
