"""`# molt: allow[CODE] reason`: what it silences, what it does not, and the audit trail."""

from __future__ import annotations

from pathlib import Path

from tests.lint.harness import lint_text, pairs, run_cli


def test_suppression_with_a_reason_silences_its_code_on_its_line(tmp_path: Path) -> None:
    report = lint_text("import random  # molt: allow[MOLT401] seeded test data\n", tmp_path)
    assert (pairs(report), report.suppressed) == ([], 1)
    assert report.suppressions == [
        {"code": "MOLT401", "path": "example.py", "line": 1, "reason": "seeded test data",
         "accepted": True},
    ]  # fmt: skip


def test_suppression_without_a_reason_silences_nothing_and_is_reported(tmp_path: Path) -> None:
    report = lint_text("import random  # molt: allow[MOLT401]\n", tmp_path)
    assert pairs(report) == [("MOLT001", 1), ("MOLT401", 1)]
    assert report.suppressions[0]["accepted"] is False


def test_plain_noqa_does_not_silence_molt_lint(tmp_path: Path) -> None:
    report = lint_text("import random  # noqa\nimport gc  # noqa: MOLT603\n", tmp_path)
    assert pairs(report) == [("MOLT401", 1), ("MOLT603", 2)]
    assert report.suppressions == []


def test_suppression_applies_only_to_its_own_line(tmp_path: Path) -> None:
    source = "# molt: allow[MOLT401] the next line is fine\nimport random\n"
    assert pairs(lint_text(source, tmp_path)) == [("MOLT002", 1), ("MOLT401", 2)]


def test_one_comment_can_name_several_codes(tmp_path: Path) -> None:
    source = "import random, gc  # molt: allow[MOLT401, MOLT603] benchmark harness only\n"
    report = lint_text(source, tmp_path)
    assert (pairs(report), report.suppressed) == ([], 2)


def test_text_inside_a_string_is_not_a_suppression(tmp_path: Path) -> None:
    source = 'import random; note = "# molt: allow[MOLT401] not a comment"\n'
    assert pairs(lint_text(source, tmp_path)) == [("MOLT401", 1)]


def test_suppression_comments_cannot_silence_the_suppression_codes(tmp_path: Path) -> None:
    source = "import random  # molt: allow[MOLT401, MOLT001]\n"
    report = lint_text(source, tmp_path)
    assert pairs(report) == [("MOLT001", 1), ("MOLT401", 1)]


def test_unsuppressible_codes_from_the_configuration_stay_reported(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.molt-lint]\nunsuppressible = ["MOLT3"]\n', encoding="utf-8"
    )
    (tmp_path / "host.py").write_text(
        "import wasmtime\n"
        "m = wasmtime.Module(engine, data)  # molt: allow[MOLT305] we trust this file\n"
        "import random  # molt: allow[MOLT401] test data\n",
        encoding="utf-8",
    )
    run = run_cli(
        ["host.py", "--no-cache", "--output-format", "json"], tmp_path, monkeypatch, capsys
    )
    report = run.json
    assert [(d["code"], d["line"]) for d in report["diagnostics"]] == [("MOLT305", 2)]
    assert report["suppressions"] == [
        {"code": "MOLT305", "path": "host.py", "line": 2, "reason": "we trust this file",
         "accepted": False,
         "why_rejected":
             "MOLT305 is unsuppressible in this project ([tool.molt-lint] unsuppressible)"},
        {"code": "MOLT401", "path": "host.py", "line": 3, "reason": "test data", "accepted": True},
    ]  # fmt: skip
    assert run.status == 1
