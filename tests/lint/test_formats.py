"""Each output format, checked on real output of the command line."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from jsonschema import Draft202012Validator

from molt.spec import load_spec
from tests.lint.harness import run_cli

SOURCE = """\
import js
import gc


def f() -> None:
    try:
        pass
    except:
        raise
"""
BROKEN = "def broken(:\n    pass\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.molt-lint]\n", encoding="utf-8")
    src = tmp_path / "src"
    src.mkdir()
    (src / "app.py").write_text(SOURCE, encoding="utf-8")
    (src / "broken.py").write_text(BROKEN, encoding="utf-8")
    (src / "allowed.py").write_text(
        "import random  # molt: allow[MOLT401] seeded test data\n"
        "import secrets  # molt: allow[MOLT401]\n",
        encoding="utf-8",
    )
    return tmp_path


def lint(project: Path, monkeypatch, capsys, *args: str):
    return run_cli(["src", "--no-cache", *args], project, monkeypatch, capsys)


def test_json_report_validates_against_the_lint_report_schema(project, monkeypatch, capsys):
    run = lint(project, monkeypatch, capsys, "--output-format", "json")
    spec = load_spec()
    validator = Draft202012Validator(
        spec.schema("schemas/lint-report.json"), registry=spec.registry
    )
    errors = [error.message for error in validator.iter_errors(run.json)]
    assert errors == []
    assert run.status == 1


def test_json_report_carries_every_field_an_agent_needs(project, monkeypatch, capsys):
    report = lint(project, monkeypatch, capsys, "--output-format", "json").json
    assert report["summary"] == {
        "files": 3,
        "diagnostics": 5,
        "suppressed": 1,
        "errors": 1,
        "by_code": {"MOLT001": 1, "MOLT101": 1, "MOLT401": 1, "MOLT501": 1, "MOLT603": 1},
    }
    bare = next(d for d in report["diagnostics"] if d["code"] == "MOLT501")
    assert bare == {
        "code": "MOLT501",
        "message": "bare `except:` catches everything, including Molt's coded errors and Ctrl-C",
        "path": "src/app.py",
        "line": 8,
        "column": 5,
        "end_line": 8,
        "end_column": 11,
        "severity": "error",
        "rules": ["MOLT-R-CLEAR-ERRORS", "MOLT-R-FAIL-FAST"],
        "fix": {
            "hint": bare["fix"]["hint"],
            "replacement": {
                "start": {"line": 8, "column": 5},
                "end": {"line": 8, "column": 11},
                "content": "except BaseException",
            },
            "applicability": "safe",
        },
        "url": "https://molt.dev/lint/MOLT501/",
    }
    assert report["errors"] == [
        {
            "code": "MOLT-E-LINT-PARSE",
            "path": "src/broken.py",
            "message": "src/broken.py:1:12: cannot parse: invalid syntax; fix the syntax at "
            "this location, then run molt-lint again",
            "line": 1,
            "column": 12,
        }
    ]
    assert report["suppressions"] == [
        {"code": "MOLT401", "path": "src/allowed.py", "line": 1,
         "reason": "seeded test data", "accepted": True},
        {"code": "MOLT401", "path": "src/allowed.py", "line": 2, "reason": None,
         "accepted": False, "why_rejected": "no reason given after the closing bracket"},
    ]  # fmt: skip


def test_diagnostics_are_sorted_by_path_line_column_code(project, monkeypatch, capsys):
    diagnostics = lint(project, monkeypatch, capsys, "--output-format", "json").json["diagnostics"]
    keys = [(d["path"], d["line"], d["column"], d["code"]) for d in diagnostics]
    assert keys == sorted(keys)


def test_text_output_lists_diagnostics_hints_errors_and_a_summary(project, monkeypatch, capsys):
    out = lint(project, monkeypatch, capsys).out.splitlines()
    assert out[:3] == [
        "src/allowed.py:2:8: MOLT401 `secrets` produces different values on every run",
        "  help: take the randomness as input: a seed parameter for a deterministic generator, "
        "or the random values themselves, chosen once by the caller",
        "src/allowed.py:2:17: MOLT001 `allow[MOLT401]` gives no reason, so it silences nothing",
    ]
    assert (
        "src/app.py:1:8: MOLT101 `js` reaches JavaScript objects through Pyodide's object bridge"
        in out
    )
    assert out[-1] == (
        "Found 5 diagnostics (4 errors, 1 warning) in 2 of 3 files; "
        "1 suppressed by # molt: allow comments; 1 could not be checked."
    )
    assert any(
        line.startswith("MOLT-E-LINT-PARSE: src/broken.py:1:12: cannot parse") for line in out
    )


def test_github_format_prints_one_workflow_command_per_finding(project, monkeypatch, capsys):
    out = lint(project, monkeypatch, capsys, "--output-format", "github").out.splitlines()
    assert out[3] == (
        "::warning title=molt-lint (MOLT603),file=src/app.py,line=2,col=8,endLine=2,endColumn=10"
        "::MOLT603 `gc` depends on CPython's garbage collector%0Ahelp: track the objects you "
        "need explicitly (a list or dict you own); do not rely on collection timing or referrers"
    )
    assert out[-1].startswith(
        "::error title=molt-lint (MOLT-E-LINT-PARSE),file=src/broken.py,line=1,col=12::"
    )
    assert len(out) == 6


def test_junit_output_is_xml_with_one_failure_per_diagnostic(project, monkeypatch, capsys):
    out = lint(project, monkeypatch, capsys, "--output-format", "junit").out
    root = ElementTree.fromstring(out)
    assert (root.tag, root.get("failures"), root.get("errors")) == ("testsuites", "5", "1")
    suites = {suite.get("name"): suite for suite in root}
    assert sorted(suites) == ["src/allowed.py", "src/app.py", "src/broken.py"]
    cases = [case.get("name") for case in suites["src/app.py"]]
    assert cases == ["molt-lint.MOLT101", "molt-lint.MOLT603", "molt-lint.MOLT501"]
    assert suites["src/broken.py"][0][0].tag == "error"


def test_junit_output_for_a_clean_run_has_one_passing_case(tmp_path, monkeypatch, capsys):
    (tmp_path / "ok.py").write_text("x = 1\n", encoding="utf-8")
    run = run_cli(
        ["ok.py", "--no-cache", "--output-format", "junit"], tmp_path, monkeypatch, capsys
    )
    root = ElementTree.fromstring(run.out)
    assert (root.get("failures"), [case.get("name") for case in root.iter("testcase")]) == (
        "0",
        ["molt-lint"],
    )


def _sarif(project: Path, monkeypatch, capsys) -> dict:
    (project / ".git").mkdir(exist_ok=True)
    return json.loads(lint(project / "src", monkeypatch, capsys, "--output-format", "sarif").out)


def test_sarif_has_the_rule_metadata_github_code_scanning_uses(project, monkeypatch, capsys):
    (project / "src" / "src").mkdir()
    (project / "src" / "src" / "app.py").write_text(SOURCE, encoding="utf-8")
    sarif = _sarif(project, monkeypatch, capsys)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted(
        entry["code"] for entry in load_spec().lint_codes
    )
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert 0 < len(rule["fullDescription"]["text"]) < 1024
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["helpUri"] == f"https://molt.dev/lint/{rule['id']}/"
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_results_use_repository_relative_uris_and_fingerprints(project, monkeypatch, capsys):
    (project / "src" / "src").mkdir()
    (project / "src" / "src" / "app.py").write_text(SOURCE, encoding="utf-8")
    (project / "src" / "src" / "broken.py").write_text(BROKEN, encoding="utf-8")
    run = _sarif(project, monkeypatch, capsys)["runs"][0]
    result = next(r for r in run["results"] if r["ruleId"] == "MOLT101")
    rules = run["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "MOLT101"
    assert result["level"] == "error"
    assert result["message"]["text"].startswith("`js` reaches JavaScript objects")
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "src/src/app.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1, "startColumn": 8, "endLine": 1, "endColumn": 10},
    }
    assert set(result["partialFingerprints"]) == {"moltLintContextHash/v1"}
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [note["descriptor"]["id"] for note in notes] == ["MOLT-E-LINT-PARSE"]


def _fingerprints(tmp_path: Path, source: str, monkeypatch, capsys) -> list[str]:
    (tmp_path / "m.py").write_text(source, encoding="utf-8")
    out = run_cli(["m.py", "--no-cache", "--output-format", "sarif"], tmp_path, monkeypatch, capsys)
    return [
        r["partialFingerprints"]["moltLintContextHash/v1"]
        for r in json.loads(out.out)["runs"][0]["results"]
    ]


def test_sarif_fingerprints_survive_moved_lines_and_tell_repeats_apart(
    tmp_path, monkeypatch, capsys
):
    before = _fingerprints(tmp_path, "x = id(1)\nx = id(1)\n", monkeypatch, capsys)
    after = _fingerprints(tmp_path, "\n\n# moved\nx = id(1)\nx = id(1)\n", monkeypatch, capsys)
    assert before == after
    assert len(set(before)) == 2


def test_statistics_count_diagnostics_per_code(project, monkeypatch, capsys):
    out = lint(project, monkeypatch, capsys, "--statistics").out.splitlines()
    assert out[:5] == [
        "1  MOLT001  error    SuppressionWithoutReason",
        "1  MOLT101  error    JsInterop",
        "1  MOLT401  error    Randomness",
        "1  MOLT501  error    BareExcept",
        "1  MOLT603  warning  GcIntrospection",
    ]
    stats = lint(project, monkeypatch, capsys, "--statistics", "--output-format", "json").json
    assert stats[0] == {
        "code": "MOLT001",
        "name": "SuppressionWithoutReason",
        "severity": "error",
        "count": 1,
    }


def test_report_as_text_is_the_default_output_for_embedding() -> None:
    from molt_lint import check

    lines = check("import js\n", "app.py").as_text().splitlines()
    assert (
        lines[0]
        == "app.py:1:8: MOLT101 `js` reaches JavaScript objects through Pyodide's object bridge"
    )
    assert lines[1].startswith("  help: move this code to the JavaScript host")
    assert lines[-1] == "Found 1 diagnostic (1 error) in 1 of 1 file."
