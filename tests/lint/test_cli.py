"""The command line: stdin, explain, list-rules, exit codes, and never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from molt_lint import _runner
from molt_lint.rules import js_interop
from tests.conftest import REPO_ROOT
from tests.lint.harness import run_cli


def test_stdin_is_linted_under_the_stdin_filename(tmp_path, monkeypatch, capsys):
    run = run_cli(["-", "--stdin-filename", "src/app.py"], tmp_path, monkeypatch, capsys,
                  stdin=b"import js\n")  # fmt: skip
    assert run.status == 1
    assert run.out.startswith("src/app.py:1:8: MOLT101 ")


def test_stdin_cannot_be_mixed_with_paths(tmp_path, monkeypatch, capsys):
    run = run_cli(["-", "app.py"], tmp_path, monkeypatch, capsys, stdin=b"")
    assert (run.status, run.err.split(":")[0]) == (2, "MOLT-E-USAGE")


@pytest.mark.parametrize(
    ("source", "args", "status"),
    [
        ("x = 1\n", (), 0),
        ("import js\n", (), 1),
        ("import js\n", ("--exit-zero",), 0),
        ("import gc\n", (), 0),  # warnings do not fail a run
        ("def f(:\n", (), 1),  # a file that cannot be checked does
    ],
)
def test_exit_status(tmp_path, monkeypatch, capsys, source, args, status):
    (tmp_path / "m.py").write_text(source, encoding="utf-8")
    assert run_cli(["m.py", "--no-cache", *args], tmp_path, monkeypatch, capsys).status == status


def test_syntax_error_is_reported_with_its_location_and_other_files_still_linted(
    tmp_path, monkeypatch, capsys
):
    (tmp_path / "a_broken.py").write_text("x = 1\nif x\n    pass\n", encoding="utf-8")
    (tmp_path / "b_ok.py").write_text("import js\n", encoding="utf-8")
    report = run_cli(
        [".", "--no-cache", "--output-format", "json"], tmp_path, monkeypatch, capsys
    ).json
    assert report["errors"] == [
        {"code": "MOLT-E-LINT-PARSE", "path": "a_broken.py",
         "message": "a_broken.py:2:5: cannot parse: expected ':'; fix the syntax at this "
                    "location, then run molt-lint again",
         "line": 2, "column": 5},
    ]  # fmt: skip
    assert [d["path"] for d in report["diagnostics"]] == ["b_ok.py"]


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "the file contains NUL bytes"),
        (b"x = '\xff'\n", "'utf-8' codec can't decode byte 0xff in position 5: invalid start byte"),
        (b"# -*- coding: uft-8 -*-\nx = 1\n", "unknown encoding: uft-8"),
    ],
)
def test_undecodable_files_are_reported_not_raised(tmp_path, monkeypatch, capsys, data, detail):
    (tmp_path / "bad.py").write_bytes(data)
    report = run_cli(
        ["bad.py", "--no-cache", "--output-format", "json"], tmp_path, monkeypatch, capsys
    ).json
    assert report["errors"] == [
        {"code": "MOLT-E-LINT-UNREADABLE", "path": "bad.py",
         "message": f"bad.py: cannot decode the file as Python source text ({detail}); save it "
                    "as UTF-8, or exclude it from the paths molt-lint checks"},
    ]  # fmt: skip


def test_columns_count_code_points_not_bytes(tmp_path, monkeypatch, capsys):
    (tmp_path / "u.py").write_text('s = "ünïcödé"; import js\n', encoding="utf-8")
    diagnostic = run_cli(["u.py", "--no-cache", "--output-format", "json"], tmp_path, monkeypatch,
                         capsys).json["diagnostics"][0]  # fmt: skip
    assert (diagnostic["column"], diagnostic["end_column"]) == (23, 25)


def test_parallel_and_in_process_runs_give_the_same_output(tmp_path, monkeypatch, capsys):
    for index in range(12):
        (tmp_path / f"m{index:02}.py").write_text(
            f"import js\nx = id({index})\n" * 3, encoding="utf-8"
        )
    serial = run_cli([".", "--no-cache", "--output-format", "json"], tmp_path, monkeypatch, capsys)
    monkeypatch.setattr(_runner, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setenv("MOLT_LINT_JOBS", "2")
    parallel = run_cli(
        [".", "--no-cache", "--output-format", "json"], tmp_path, monkeypatch, capsys
    )
    assert parallel.out == serial.out
    assert parallel.json["summary"]["diagnostics"] == 72


def test_a_rule_that_crashes_is_an_internal_error_without_traceback(tmp_path, monkeypatch, capsys):
    def explode(checker, call):
        raise RuntimeError("boom")

    monkeypatch.setitem(js_interop.DETECTOR.calls, "builtins.print", explode)  # type: ignore[index]
    (tmp_path / "m.py").write_text("print(1)\n", encoding="utf-8")
    run = run_cli(["m.py", "--no-cache", "--select", "MOLT101"], tmp_path, monkeypatch, capsys)
    assert run.status == 2
    assert run.err.startswith("MOLT-E-INTERNAL: internal error in molt-lint: a rule failed on m.py")
    assert "Traceback" not in run.err


def test_explain_prints_the_spec_sections(tmp_path, monkeypatch, capsys):
    run = run_cli(["--explain", "molt405"], tmp_path, monkeypatch, capsys)
    lines = run.out.splitlines()
    assert lines[:3] == [
        "MOLT405 SetIteration (error, stable since 0.1.0)",
        "Iteration over a set",
        "Enforces: MOLT-R-DETERMINISM",
    ]
    for heading in ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety",
                    "References"):  # fmt: skip
        assert heading in lines
    assert lines[-1] == "Docs: https://molt.dev/lint/MOLT405/"


def test_explain_json_is_the_spec_entry(tmp_path, monkeypatch, capsys):
    entry = run_cli(
        ["--explain", "MOLT101", "--output-format", "json"], tmp_path, monkeypatch, capsys
    ).json
    assert (entry["code"], entry["name"], entry["url"]) == (
        "MOLT101",
        "JsInterop",
        "https://molt.dev/lint/MOLT101/",
    )


def test_explain_unknown_code_exits_2(tmp_path, monkeypatch, capsys):
    run = run_cli(["--explain", "MOLT999"], tmp_path, monkeypatch, capsys)
    assert run.status == 2
    assert run.err.startswith("MOLT-E-LINT-UNKNOWN-CODE: unknown lint code 'MOLT999' in --explain")


def test_list_rules_marks_the_selected_codes(tmp_path, monkeypatch, capsys):
    rules = run_cli(["--list-rules", "--select", "MOLT1", "--output-format", "json"], tmp_path,
                    monkeypatch, capsys).json  # fmt: skip
    assert [r["code"] for r in rules if r["selected"]] == ["MOLT101", "MOLT102", "MOLT103"]
    text = run_cli(["--list-rules"], tmp_path, monkeypatch, capsys).out.splitlines()
    assert text[2] == (
        "  MOLT101  JsInterop                  error    "
        "Browser objects reached through Pyodide's js module"
    )


def test_schema_option_prints_the_report_schema(tmp_path, monkeypatch, capsys):
    schema = run_cli(["--schema"], tmp_path, monkeypatch, capsys).json
    assert schema["$id"] == "https://molt.dev/schemas/lint-report.json"


def test_pre_commit_hook_runs_molt_lint_on_python_files() -> None:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [(h["id"], h["entry"], h["language"], h["types_or"]) for h in hooks] == [
        ("molt-lint", "molt-lint --force-exclude", "python", ["python", "pyi"])
    ]


def test_console_script_is_declared() -> None:
    text = Path(REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'molt-lint = "molt_lint.cli:main"' in text
