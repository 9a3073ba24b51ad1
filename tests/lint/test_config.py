"""Selection and configuration: ruff's conventions, and coded errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint.harness import run_cli

SOURCE = "import random\nimport gc\nimport time\nx = time.time()\nexec('1')\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def codes(project: Path, monkeypatch, capsys, *args: str) -> list[str]:
    run = run_cli(
        ["app.py", "--no-cache", "--output-format", "json", *args], project, monkeypatch, capsys
    )
    return sorted({d["code"] for d in run.json["diagnostics"]})


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ["MOLT303", "MOLT401", "MOLT402", "MOLT603"]),
        (("--select", "MOLT4"), ["MOLT401", "MOLT402"]),
        (("--select", "molt401,MOLT303"), ["MOLT303", "MOLT401"]),
        (("--ignore", "MOLT6"), ["MOLT303", "MOLT401", "MOLT402"]),
        (("--select", "MOLT401", "--ignore", "MOLT4"), ["MOLT401"]),
        (("--select", "MOLT4", "--ignore", "MOLT401"), ["MOLT402"]),
        (("--select", "MOLT6", "--extend-select", "MOLT303"), ["MOLT303", "MOLT603"]),
        (("--select", "ALL", "--ignore", "MOLT3,MOLT4"), ["MOLT603"]),
    ],
)
def test_selection_by_code_or_prefix_where_the_more_specific_wins(
    project, monkeypatch, capsys, args, expected
) -> None:
    assert codes(project, monkeypatch, capsys, *args) == expected


def test_configuration_selects_and_the_command_line_overrides_it(project, monkeypatch, capsys):
    (project / "pyproject.toml").write_text(
        '[tool.molt-lint]\nselect = ["MOLT4"]\nignore = ["MOLT402"]\nextend-select = ["MOLT6"]\n',
        encoding="utf-8",
    )
    assert codes(project, monkeypatch, capsys) == ["MOLT401", "MOLT603"]
    assert codes(project, monkeypatch, capsys, "--select", "MOLT3") == ["MOLT303", "MOLT603"]


def test_nearest_pyproject_with_a_molt_lint_table_is_used(project, monkeypatch, capsys):
    (project / "pyproject.toml").write_text(
        '[tool.molt-lint]\nselect = ["MOLT6"]\n', encoding="utf-8"
    )
    sub = project / "pkg"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "pkg"\n', encoding="utf-8")
    (sub / "app.py").write_text(SOURCE, encoding="utf-8")
    assert codes(sub, monkeypatch, capsys) == ["MOLT603"]


def test_unknown_code_on_the_command_line_exits_2_with_the_closest_codes(
    project, monkeypatch, capsys
):
    run = run_cli(["app.py", "--select", "MOLT01"], project, monkeypatch, capsys)
    assert run.status == 2
    assert run.err == (
        "MOLT-E-LINT-UNKNOWN-CODE: unknown lint code 'MOLT01' in --select; use a code from the "
        "molt-lint catalogue (closest: MOLT001, MOLT101, MOLT201)\n"
    )
    assert run.out == ""


def test_unknown_code_in_json_mode_also_prints_a_report_with_the_error(
    project, monkeypatch, capsys
):
    run = run_cli(
        ["app.py", "--ignore", "E501", "--output-format", "json"], project, monkeypatch, capsys
    )
    assert run.status == 2
    assert run.json["errors"][0]["code"] == "MOLT-E-LINT-UNKNOWN-CODE"
    assert run.json["summary"]["errors"] == 1


def test_unknown_code_in_the_configuration_names_where_it_is(project, monkeypatch, capsys):
    (project / "pyproject.toml").write_text(
        '[tool.molt-lint]\nignore = ["MOLT9"]\n', encoding="utf-8"
    )
    run = run_cli(["app.py"], project, monkeypatch, capsys)
    assert run.status == 2
    assert "unknown lint code 'MOLT9' in ignore in [tool.molt-lint] of pyproject.toml" in run.err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[tool.molt-lint]\nselect = ["MOLT4"\n',
         "pyproject.toml:2: invalid [tool.molt-lint] configuration: not valid TOML: "
         "Unclosed array"),
        ("[project]\nname = 'x'\n[tool.molt-lint]\nline-length = 88\n",
         "pyproject.toml:4: invalid [tool.molt-lint] configuration: 'line-length' is not a "
         "molt-lint setting"),
        ('[tool.molt-lint]\nselect = "MOLT4"\n',
         "pyproject.toml:2: invalid [tool.molt-lint] configuration: 'select' must be a list of "
         "strings"),
    ],
)  # fmt: skip
def test_broken_pyproject_exits_2_naming_file_and_line(
    project, monkeypatch, capsys, text, expected
):
    (project / "pyproject.toml").write_text(text, encoding="utf-8")
    run = run_cli(["app.py"], project, monkeypatch, capsys)
    assert run.status == 2
    assert run.err.startswith(f"MOLT-E-LINT-CONFIG: {expected}")
    assert "Traceback" not in run.err


def test_missing_path_exits_2(project, monkeypatch, capsys):
    run = run_cli(["app.py", "nowhere.py"], project, monkeypatch, capsys)
    assert (run.status, run.err.split(":")[0]) == (2, "MOLT-E-IO")
    assert "nowhere.py" in run.err


def test_bad_option_is_a_coded_usage_error(project, monkeypatch, capsys):
    run = run_cli(["--output-format", "xml"], project, monkeypatch, capsys)
    assert run.status == 2
    assert run.err.startswith("MOLT-E-USAGE: argument --output-format: invalid choice: 'xml'")


def test_folders_are_walked_honouring_excludes_and_gitignore(tmp_path, monkeypatch, capsys):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.molt-lint]\nexclude = ["generated/"]\n', encoding="utf-8"
    )
    (tmp_path / ".gitignore").write_text("scratch_*.py\n", encoding="utf-8")
    for name in (
        "src/a.py",
        "src/scratch_b.py",
        "generated/c.py",
        ".venv/d.py",
        "src/deep/e.pyi",
        "src/notes.txt",
        "src/deep/.gitignore",
    ):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = id(1)\n" if name.endswith((".py", ".pyi")) else "", encoding="utf-8")
    (tmp_path / "src/deep/.gitignore").write_text("*.pyi\n!keep.pyi\n", encoding="utf-8")
    (tmp_path / "src/deep/keep.pyi").write_text("x = id(1)\n", encoding="utf-8")
    run = run_cli([".", "--no-cache", "--output-format", "json"], tmp_path, monkeypatch, capsys)
    assert [d["path"] for d in run.json["diagnostics"]] == ["src/a.py", "src/deep/keep.pyi"]
    explicit = run_cli(
        ["generated/c.py", "--no-cache", "--output-format", "json"], tmp_path, monkeypatch, capsys
    )
    assert explicit.json["summary"]["files"] == 1
    forced = run_cli(["generated/c.py", "--no-cache", "--force-exclude", "--output-format", "json"],
                     tmp_path, monkeypatch, capsys)  # fmt: skip
    assert forced.json["summary"]["files"] == 0
