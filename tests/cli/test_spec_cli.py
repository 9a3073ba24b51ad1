"""`molt spec ...` output and exit codes, through the real entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from molt.cli import main
from molt.spec import load_spec

_SCRIPT = Path(sys.executable).with_name("molt")
MOLT = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "molt"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _unenforced() -> list[str]:
    return [r["id"] for r in load_spec().rules if not any(r["enforced_by"].values())]


def test_validate_real_spec_exits_0_and_reports_counts(capsys) -> None:
    spec = load_spec()
    code, out, err = run(capsys, "spec", "validate", "--format", "text")
    assert code == 0
    assert out == (
        f"spec {spec.version} is valid: {len(spec.rules)} rules, "
        f"{len(spec.errors)} error codes, {len(spec.schemas)} schemas; "
        f"0 errors, {len(_unenforced())} warnings\n"
    )
    warnings = [line for line in err.splitlines() if line.startswith("warning: rules.yaml: ")]
    assert len(warnings) == len(_unenforced())
    assert all(
        line.endswith(
            "nothing enforces this rule yet (no lint code, compiler check, "
            "runtime check or conformance case)"
        )
        for line in warnings
    )


def test_validate_strict_fails_on_unenforced_rules(capsys) -> None:
    assert _unenforced(), "every rule is enforced: turn this into a test that --strict passes"
    code, _, _ = run(capsys, "spec", "validate", "--strict", "--format", "text")
    assert code == 1


def test_validate_json_output_defaults_when_not_a_terminal(capsys) -> None:
    code, out, _ = run(capsys, "spec", "validate")
    document = json.loads(out)
    assert code == 0
    assert document["valid"] is True
    assert document["errors"] == []
    assert [w["id"] for w in document["warnings"]] == _unenforced()


def test_validate_corrupted_spec_lists_every_error_and_exits_1(
    capsys, monkeypatch, spec_copy
) -> None:
    def corrupt(data: dict) -> None:
        data["rules"][0]["level"] = "MAYBE"
        data["rules"][3]["related"] = ["MOLT-R-NOPE"]

    monkeypatch.setenv("MOLT_SPEC_DIR", str(spec_copy(rules=corrupt)))
    code, out, err = run(capsys, "spec", "validate", "--format", "text")
    rules = load_spec().rules  # the real spec: IDs are the same in the copy
    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: rules.yaml: $.rules[0].level ({rules[0]['id']}): 'MAYBE' is not one of "
        "['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'MAY']",
    ]
    assert "is invalid" in out


def test_show_rule_as_text(capsys) -> None:
    code, out, _ = run(capsys, "spec", "show", "MOLT-R-SCHEMA-BOUNDARY", "--format", "text")
    rule = load_spec().rule("MOLT-R-SCHEMA-BOUNDARY")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (f"MOLT-R-SCHEMA-BOUNDARY  [MUST]  boundary  (stable since {rule['since']})")
    assert lines[1] == rule["title"]
    assert "Statement:" in lines and "Do:" in lines and "Don't:" in lines
    assert "Docs: https://molt.dev/rules/MOLT-R-SCHEMA-BOUNDARY/" in lines


def test_show_is_case_insensitive_and_json_has_kind_url_item(capsys) -> None:
    code, out, _ = run(capsys, "spec", "show", "molt-e-overflow", "--format", "json")
    document = json.loads(out)
    assert code == 0
    assert document["kind"] == "error"
    assert document["url"] == "https://molt.dev/errors/MOLT-E-OVERFLOW/"
    assert document["item"] == load_spec().error("MOLT-E-OVERFLOW")


def test_show_error_as_text_names_phase_and_fix(capsys) -> None:
    code, out, _ = run(capsys, "spec", "show", "MOLT-E-HASH-MISMATCH", "--format", "text")
    assert code == 0
    assert out.startswith("MOLT-E-HASH-MISMATCH  [load]  (stable since 0.1.0)\n")
    assert "What to do:" in out


def test_show_unknown_id_exits_2_listing_closest_ids(capsys) -> None:
    code, out, err = run(capsys, "spec", "show", "MOLT-E-OVERFLOWW")
    assert code == 2
    assert out == ""
    assert err.startswith("MOLT-E-UNKNOWN-ID: ")
    assert "MOLT-E-OVERFLOW" in err
    assert "Traceback" not in err


def test_export_holds_every_rule_error_and_schema(capsys) -> None:
    spec = load_spec()
    code, out, _ = run(capsys, "spec", "export", "--format", "json")
    document = json.loads(out)
    assert code == 0
    assert document["spec_version"] == spec.version
    assert [r["id"] for r in document["rules"]] == [r["id"] for r in spec.rules]
    assert [e["code"] for e in document["errors"]] == [e["code"] for e in spec.errors]
    assert set(document["schemas"]) == set(spec.schemas)
    required = {
        "id",
        "level",
        "title",
        "area",
        "status",
        "since",
        "statement",
        "rationale",
        "guidance",
        "enforced_by",
    }
    assert all(required <= set(rule) for rule in document["rules"])
    assert document["abi"]["abi_version"] == {"major": 1, "minor": 0}


def test_export_to_file_writes_the_same_document(capsys, tmp_path: Path) -> None:
    target = tmp_path / "spec.json"
    code, out, _ = run(capsys, "spec", "export", "-o", str(target))
    assert (code, out) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(
        json.dumps(load_spec().export())
    )
    assert [p.name for p in tmp_path.iterdir()] == ["spec.json"]


def test_export_into_missing_folder_is_an_io_error_without_leftovers(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "spec", "export", "-o", str(tmp_path / "nope" / "spec.json"))
    assert code == 2
    assert err.startswith("MOLT-E-IO: ")
    assert not (tmp_path / "nope").exists()


def test_rules_filtered_by_level(capsys) -> None:
    code, out, _ = run(capsys, "spec", "rules", "--level", "MUST NOT", "--format", "json")
    expected = [r["id"] for r in load_spec().rules if r["level"] == "MUST NOT"]
    assert code == 0
    assert [r["id"] for r in json.loads(out)] == expected
    assert expected


def test_rules_as_text_table_ends_with_count(capsys) -> None:
    code, out, _ = run(capsys, "spec", "rules", "--level", "SHOULD", "--format", "text")
    expected = [r for r in load_spec().rules if r["level"] == "SHOULD"]
    lines = out.splitlines()
    assert code == 0
    assert lines[-1] == f"{len(expected)} rules"
    assert [line.split()[0] for line in lines[:-1]] == [r["id"] for r in expected]


def test_rules_with_unknown_area_is_a_usage_error(capsys) -> None:
    code, _, err = run(capsys, "spec", "rules", "--area", "nowhere")
    assert code == 2
    assert err.startswith("MOLT-E-USAGE: ")
    assert "boundary" in err


def test_errors_filtered_by_phase(capsys) -> None:
    code, out, _ = run(capsys, "spec", "errors", "--phase", "load", "--format", "json")
    codes = [e["code"] for e in json.loads(out)]
    assert code == 0
    assert codes == [e["code"] for e in load_spec().errors if e["phase"] == "load"]
    assert "MOLT-E-HASH-MISMATCH" in codes and "MOLT-E-OVERFLOW" not in codes


def test_unknown_subcommand_is_a_usage_error_exit_2(capsys) -> None:
    code, out, err = run(capsys, "spec", "frobnicate")
    assert code == 2
    assert out == ""
    assert "MOLT-E-USAGE: " in err


def test_missing_spec_is_reported_not_raised(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("MOLT_SPEC_DIR", str(tmp_path))
    code, _, err = run(capsys, "spec", "rules")
    assert code == 1
    assert err.startswith("MOLT-E-SPEC-INVALID: the Molt spec is invalid (1 problem):")
    assert "molt-spec.yaml: $: no spec manifest in" in err


def test_internal_error_says_so_and_exits_2(capsys, monkeypatch) -> None:
    import molt.cli._spec_commands as commands

    def explode(_spec):
        raise RuntimeError("boom")

    monkeypatch.setattr(commands, "validate_spec", explode)
    code, _, err = run(capsys, "spec", "validate")
    assert code == 2
    assert err.startswith("MOLT-E-INTERNAL: internal error in molt ")
    assert "RuntimeError: boom" in err and "Traceback" not in err


def test_demo_runs_every_step_and_shows_the_coded_errors(capsys) -> None:
    spec = load_spec()
    code, out, _ = run(capsys, "demo")
    lines = out.splitlines()
    assert code == 0
    assert [line[:5] for line in lines if line.startswith("[")] == [f"[{n}/7]" for n in range(1, 8)]
    assert f"  {len(spec.rules)} rules: " in out
    assert f"  {len(spec.errors)} error codes: " in out
    assert "  stats.py: 0 diagnostics" in lines
    assert "  host_app.py: 0 diagnostics" in lines
    assert "  agent_mistakes.py: 8 diagnostics" in lines
    assert (
        "    agent_mistakes.py:20:5: MOLT501 bare `except:` catches everything, including "
        "Molt's coded errors and Ctrl-C"
    ) in lines
    assert "  molt verify: 1/1 entries OK" in lines
    assert "  mean([1.5, 2.25, 4.0, 8.25]) = 4.0" in out
    assert "  total([1.5, 2.25, 4.0, 8.25]) = 16.0" in lines
    assert (
        "  a str where a float belongs: MOLT-E-SCHEMA-VIOLATION: mean: input at $.values[1] " in out
    )
    assert "(the module checks too): MOLT-E-SCHEMA-VIOLATION: " in out
    assert "  the module's own error: MOLT-E-VALUE: mean of an empty list" in out
    assert "  one flipped byte in dist/stats-1.0.0.wasm: MOLT-E-HASH-MISMATCH: " in out
    assert lines[-1].startswith("done: ")


def test_console_script_runs_as_a_process() -> None:
    result = subprocess.run(
        [*MOLT, "spec", "show", "NOPE-NOPE"],
        capture_output=True,
        text=True,
        env={**os.environ, "MOLT_DEBUG": ""},
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("MOLT-E-UNKNOWN-ID: ")
