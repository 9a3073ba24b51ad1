"""Shared helpers for the conformance runner tests: adapter commands and runs."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from molt_conformance import Run, RunOptions, Suite, load_suite, run_suite

PYTHON = shlex.quote(sys.executable)
REFERENCE = f"{PYTHON} -m molt.adapter"
MUTANTS = Path(__file__).resolve().parent / "mutants"


def mutant(name: str) -> str:
    """The command line of the mutant adapter `tests/conformance/mutants/<name>.py`."""
    return f"{PYTHON} {shlex.quote(str(MUTANTS / f'{name}.py'))}"


@pytest.fixture(scope="session")
def suite() -> Suite:
    return load_suite()


@pytest.fixture
def host_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reference adapters started by this test announce the host role only (no smoke compile)."""
    monkeypatch.setenv("MOLT_ADAPTER_ROLES", "host")


def run(suite: Suite, adapter: str, filters: Sequence[str] = (), **options: object) -> Run:
    return run_suite(suite, RunOptions(adapter=adapter, filters=tuple(filters), **options))


def statuses(result_run: Run, *, hide: Sequence[str] = ("PASS", "SKIP")) -> dict[str, str]:
    """Case ID -> status of every result whose status is not in `hide`."""
    return {r.id: r.status for r in result_run.results if r.status not in hide}
