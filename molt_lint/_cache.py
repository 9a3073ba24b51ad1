"""The per-file result cache: one small JSON file per (file content, settings).

Entries are keyed by the SHA-256 of the file's bytes inside a folder keyed by
everything else that changes a result: the linter version and the
modification stamps of its own modules (so an edited checkout never serves
stale results), the Python version (its parser), the selected codes and the
unsuppressible ones. Results with findings are cached too, so a warm run over
a tree with findings is as fast as one over a clean tree. Writes go through a
temporary file and a rename, so a crash or a parallel run never leaves half an
entry; an unreadable entry is a miss. A folder that cannot be written turns
the cache off for the run; linting never fails because of the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import sys
from pathlib import Path

from molt_lint import __version__
from molt_lint._engine import FileRecord, Settings

_PACKAGE = Path(__file__).resolve().parent
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# molt-lint cache; see https://bford.info/cachedir/\n"
_counter = itertools.count()


def default_folder(root: Path) -> Path:
    return Path(os.environ.get("MOLT_LINT_CACHE_DIR") or root / ".molt_lint_cache")


def context_key(settings: Settings) -> str:
    """Everything besides the file's bytes that a cached result depends on."""
    stamps = []
    for path in sorted([*_PACKAGE.glob("*.py"), *_PACKAGE.glob("rules/*.py")]):
        stat = path.stat()
        stamps.append([path.name, stat.st_size, stat.st_mtime_ns])
    material = json.dumps(
        [
            __version__,
            stamps,
            list(sys.version_info[:3]),
            sorted(settings.selected),
            sorted(settings.unsuppressible),
        ]
    )
    return hashlib.sha256(material.encode()).hexdigest()[:20]


class Cache:
    """Reads and writes results under `folder/<context key>/`."""

    def __init__(self, folder: Path, context: str) -> None:
        self.root = folder
        self.folder = folder / context
        self.enabled = True
        self._prepared = False

    def get(self, content_hash: str) -> FileRecord | None:
        if not self.enabled:
            return None
        try:
            with open(self._path(content_hash), encoding="utf-8") as stream:
                record = json.load(stream)
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) and "diagnostics" in record else None

    def put(self, content_hash: str, record: FileRecord) -> None:
        if not self.enabled:
            return
        path = self._path(content_hash)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{next(_counter)}.tmp")
        try:
            if not self._prepared:
                self._prepare()
            path.parent.mkdir(exist_ok=True)
            with open(temporary, "w", encoding="utf-8") as stream:
                json.dump(record, stream, separators=(",", ":"))
            os.replace(temporary, path)
        except OSError:
            self.enabled = False
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)

    def _prepare(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "*\n")):
            marker = self.root / name
            if not marker.exists():
                marker.write_text(text, encoding="utf-8")
        self._prepared = True

    def _path(self, content_hash: str) -> Path:
        return self.folder / content_hash[:2] / f"{content_hash}.json"
