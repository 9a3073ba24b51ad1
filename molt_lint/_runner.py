"""Lint many files: cache look-ups in this process, misses in parallel when there are many.

Small runs stay in-process (starting workers costs more than it saves). A run
with many uncached files uses a process pool, one worker per core; each
worker reads, hashes, lints and caches its files and returns the records.
Results come back in any order and are put back in path order, so output is
deterministic whatever the scheduling.
"""

from __future__ import annotations

import gc  # molt: allow[MOLT603] no collections while linting: AST nodes form no cycles
import hashlib
import multiprocessing
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from molt_lint._cache import Cache
from molt_lint._engine import UNREADABLE, Engine, FileRecord, Settings, _error_record

PARALLEL_MIN_FILES = 8
PARALLEL_MIN_BYTES = 512 * 1024


class WorkerCrash(RuntimeError):
    """A rule failed on a file: a bug in molt-lint, reported with the file and traceback."""

    def __init__(self, path: str, details: str) -> None:
        super().__init__(path, details)
        self.path = path
        self.details = details


@dataclass(frozen=True)
class Target:
    """One file to lint: how the report names it, and where it is."""

    display: str
    path: str


def jobs() -> int:
    """Worker processes to use: MOLT_LINT_JOBS, or one per available core."""
    configured = os.environ.get("MOLT_LINT_JOBS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def lint_targets(
    targets: list[Target],
    settings: Settings,
    cache: Cache | None,
    meanwhile: Callable[[], object] | None = None,
) -> list[FileRecord]:
    """One record per target, in the targets' order.

    `meanwhile` runs while worker processes lint (or before linting in-process):
    the caller loads the spec's catalogue there instead of before the run.
    """
    records: list[FileRecord | None] = [None] * len(targets)
    misses: list[tuple[int, bytes]] = []
    miss_bytes = 0
    for index, target in enumerate(targets):
        try:
            with open(target.path, "rb") as stream:
                data = stream.read()
        except OSError as exc:
            records[index] = _error_record(UNREADABLE, None, None, exc.strerror or str(exc))
            continue
        record = cache.get(hashlib.sha256(data).hexdigest()) if cache else None
        if record is None:
            misses.append((index, data))
            miss_bytes += len(data)
        else:
            records[index] = record
    workers = jobs()
    if workers > 1 and len(misses) >= PARALLEL_MIN_FILES and miss_bytes >= PARALLEL_MIN_BYTES:
        order = sorted(misses, key=lambda miss: -len(miss[1]))
        paths = [(index, targets[index].path) for index, _ in order]
        del misses, order
        for index, record in _parallel(paths, settings, cache, workers, meanwhile):
            records[index] = record
    else:
        if meanwhile is not None:
            meanwhile()
        engine = Engine(settings)
        enabled = gc.isenabled()  # molt: allow[MOLT603] see the import
        gc.disable()  # molt: allow[MOLT603] see the import
        try:
            for index, data in misses:
                records[index] = _lint_one(engine, data, cache, targets[index].display)
        finally:
            if enabled:
                gc.enable()  # molt: allow[MOLT603] see the import
    return records  # type: ignore[return-value]


def _lint_one(engine: Engine, data: bytes, cache: Cache | None, display: str) -> FileRecord:
    try:
        record = engine.lint(data)
    except Exception:
        raise WorkerCrash(display, traceback.format_exc()) from None
    if cache is not None:
        cache.put(hashlib.sha256(data).hexdigest(), record)
    return record


# -- worker processes ------------------------------------------------------------

_worker: tuple[Engine, Cache | None] | None = None


def _start_worker(settings: Settings, cache_root: str | None, context: str | None) -> None:
    global _worker
    gc.disable()  # molt: allow[MOLT603] see the import
    cache = Cache(Path(cache_root), context) if cache_root and context else None
    _worker = (Engine(settings), cache)


def _work(job: tuple[int, str]) -> tuple[int, FileRecord | None, str | None]:
    index, path = job
    assert _worker is not None
    engine, cache = _worker
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as exc:
        return index, _error_record(UNREADABLE, None, None, exc.strerror or str(exc)), None
    try:
        return index, _lint_one(engine, data, cache, path), None
    except WorkerCrash as crash:
        return index, None, crash.details


def _parallel(
    paths: list[tuple[int, str]],
    settings: Settings,
    cache: Cache | None,
    workers: int,
    meanwhile: Callable[[], object] | None,
) -> list[tuple[int, FileRecord]]:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    cache_args = (str(cache.root), cache.folder.name) if cache and cache.enabled else (None, None)
    # Forked workers then share the parent's objects without touching their pages.
    gc.freeze()  # molt: allow[MOLT603] see the import
    results = []
    by_index = dict(paths)
    with context.Pool(workers, _start_worker, (settings, *cache_args)) as pool:
        results_iterator = pool.imap_unordered(_work, paths, chunksize=2)
        if meanwhile is not None:
            meanwhile()
        for index, record, crash in results_iterator:
            if crash is not None:
                raise WorkerCrash(by_index[index], crash)
            results.append((index, record))
    gc.unfreeze()  # molt: allow[MOLT603] see the import
    return results  # type: ignore[return-value]
