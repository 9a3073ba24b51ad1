"""The per-file cache: identical output when warm, no stale results, never a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from molt_lint import _engine
from tests.lint.harness import run_cli

SOURCE = (
    "import js\n"
    "import random  # molt: allow[MOLT401] test data\n"
    "try:\n    pass\nexcept:\n    raise\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "clean.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "broken.py").write_text("def f(:\n", encoding="utf-8")
    return tmp_path


def _lint(project: Path, monkeypatch, capsys, *args: str):
    return run_cli([".", "--output-format", "json", *args], project, monkeypatch, capsys)


def _refuse_to_lint(self, data):  # a warm run must not lint anything again
    raise AssertionError("the file was linted again instead of read from the cache")


def test_warm_run_reads_every_file_from_the_cache_with_identical_output(
    project, monkeypatch, capsys
):
    cold = _lint(project, monkeypatch, capsys)
    monkeypatch.setattr(_engine.Engine, "lint", _refuse_to_lint)
    warm = _lint(project, monkeypatch, capsys)
    assert (warm.status, warm.out) == (cold.status, cold.out)
    assert cold.json["summary"]["diagnostics"] == 2


def test_cache_lives_in_the_project_root_and_is_marked(project, monkeypatch, capsys):
    _lint(project, monkeypatch, capsys)
    folder = project / ".molt_lint_cache"
    assert (
        (folder / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert (folder / ".gitignore").read_text() == "*\n"
    assert len(list(folder.glob("*/*/*.json"))) == 3


def test_changed_file_is_linted_again(project, monkeypatch, capsys):
    _lint(project, monkeypatch, capsys)
    (project / "clean.py").write_text("import gc\n", encoding="utf-8")
    warm = _lint(project, monkeypatch, capsys)
    assert warm.json["summary"]["by_code"] == {"MOLT101": 1, "MOLT501": 1, "MOLT603": 1}


def test_another_selection_does_not_reuse_results(project, monkeypatch, capsys):
    _lint(project, monkeypatch, capsys)
    narrowed = _lint(project, monkeypatch, capsys, "--select", "MOLT5")
    assert narrowed.json["summary"]["by_code"] == {"MOLT501": 1}


def test_no_cache_writes_nothing(project, monkeypatch, capsys):
    _lint(project, monkeypatch, capsys, "--no-cache")
    assert not (project / ".molt_lint_cache").exists()


def test_cache_dir_option_moves_the_cache(project, tmp_path_factory, monkeypatch, capsys):
    elsewhere = tmp_path_factory.mktemp("cache")
    _lint(project, monkeypatch, capsys, "--cache-dir", str(elsewhere))
    assert not (project / ".molt_lint_cache").exists()
    assert list(elsewhere.glob("*/*/*.json"))


def test_corrupt_entries_are_misses(project, monkeypatch, capsys):
    cold = _lint(project, monkeypatch, capsys)
    for entry in (project / ".molt_lint_cache").glob("*/*/*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert _lint(project, monkeypatch, capsys).out == cold.out


def test_unwritable_cache_folder_does_not_stop_the_run(project, monkeypatch, capsys):
    blocker = project / "blocked"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    run = _lint(project, monkeypatch, capsys, "--cache-dir", str(blocker / "cache"))
    assert run.json["summary"]["diagnostics"] == 2
    assert run.json["summary"]["files"] == 3
