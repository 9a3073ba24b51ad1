"""Run molt-lint the way the tests need it: on fixtures, on text, and through the CLI.

`assert_diagnostics` compares the whole list of (code, line) pairs, so a row
that expects nothing asserts that there are no diagnostics at all.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from molt_lint import Options, Report, check
from molt_lint.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def lint_text(source: str, tmp_path: Path, filename: str = "example.py", **options) -> Report:
    """Lint a source text with the default selection, outside any project configuration."""
    return check(source, filename, Options(cache=False, **options), cwd=tmp_path)


def lint_fixture(name: str, tmp_path: Path) -> Report:
    return check((FIXTURES / name).read_bytes(), name, Options(cache=False), cwd=tmp_path)


def pairs(report: Report) -> list[tuple[str, int]]:
    return sorted((d.code, d.line) for d in report.diagnostics)


def assert_diagnostics(report: Report, expected: Sequence[tuple[str, int]]) -> None:
    assert pairs(report) == sorted(expected)
    assert report.errors == []


@dataclass(frozen=True)
class Run:
    """The outcome of one CLI invocation."""

    status: int
    out: str
    err: str

    @property
    def json(self) -> dict:
        return json.loads(self.out)


def run_cli(
    args: Sequence[str],
    cwd: Path,
    monkeypatch,
    capsys,
    stdin: bytes | None = None,
) -> Run:
    """Run `molt-lint ARGS` in-process in `cwd`, capturing its output."""
    monkeypatch.chdir(cwd)
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    capsys.readouterr()
    status = main(list(args))
    captured = capsys.readouterr()
    return Run(status, captured.out, captured.err)
