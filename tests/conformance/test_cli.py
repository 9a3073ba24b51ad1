"""`molt-conformance` subcommands: output, files written and exit codes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from molt_conformance import Suite
from molt_conformance.cli import main
from tests.conformance.conftest import REFERENCE, mutant


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- run --------------------------------------------------------------------------------------


def test_run_writes_every_report_and_exits_0_when_nothing_is_unexpected(
    capsys, tmp_path: Path, host_only: None, suite: Suite
) -> None:
    out = {name: tmp_path / f"out.{name}" for name in ("json", "xml", "md", "html")}
    code, stdout, stderr = cli(
        capsys,
        "run",
        "--adapter",
        REFERENCE,
        "--filter",
        "MC-SIGN",
        "--format",
        "json",
        "--report",
        str(out["json"]),
        "--junit",
        str(out["xml"]),
        "--markdown",
        str(out["md"]),
        "--html",
        str(out["html"]),
    )
    assert code == 0
    report = json.loads(out["json"].read_text())
    assert report["summary"]["by_status"]["PASS"] == 12
    assert report["summary"]["by_status"]["SKIP"] == len(suite.cases) - 12
    assert json.loads(stdout)["summary"] == report["summary"]
    assert len(ElementTree.parse(out["xml"]).getroot().findall(".//testcase")) == len(suite.cases)
    assert out["md"].read_text().startswith("# Molt conformance report\n")
    assert out["html"].read_text().startswith("<!DOCTYPE html>")
    assert stderr.splitlines()[0].startswith("[ 1/12] MC-SIGN-001 PASS ")


def test_run_exits_1_and_lists_unexpected_results(capsys) -> None:
    code, stdout, _ = cli(
        capsys,
        "run",
        "--adapter",
        mutant("ignores_abi_version"),
        "--filter",
        "MC-ABI-00*",
        "--format",
        "text",
        "--quiet",
    )
    assert code == 1
    lines = stdout.splitlines()
    assert lines[:3] == [
        "MC-ABI-001 FAIL: the artifact loaded; expected MOLT-E-ABI-MISMATCH (load)",
        "MC-ABI-002 FAIL: the artifact loaded; expected MOLT-E-ABI-MISMATCH (load)",
        "MC-ABI-003 FAIL: the artifact loaded; expected MOLT-E-ABI-MISMATCH (load)",
    ]
    assert "; 3 unexpected; " in lines[3]


def test_known_failures_become_xfail_and_a_listed_pass_becomes_xpass(
    capsys, tmp_path: Path
) -> None:
    expectations = tmp_path / "known-failures.toml"
    expectations.write_text(
        '[known-failures]\n"MC-ABI-001" = "we do not check the major yet"\n'
        '"MC-ABI-002" = "idem"\n"MC-ABI-003" = "idem"\n'
    )
    code, _, _ = cli(
        capsys,
        "run",
        "--adapter",
        mutant("ignores_abi_version"),
        "--filter",
        "MC-ABI-00*",
        "--expectations",
        str(expectations),
        "--quiet",
        "--report",
        str(tmp_path / "r.json"),
    )
    statuses = {
        r["id"]: r["status"] for r in json.loads((tmp_path / "r.json").read_text())["results"]
    }
    assert code == 0
    assert [statuses[f"MC-ABI-00{n}"] for n in (1, 2, 3, 4)] == ["XFAIL", "XFAIL", "XFAIL", "PASS"]

    expectations.write_text('[known-failures]\n"MC-ABI-004" = "thought it failed"\n')
    code, stdout, _ = cli(
        capsys,
        "run",
        "--adapter",
        mutant("ignores_abi_version"),
        "--filter",
        "MC-ABI-004",
        "--expectations",
        str(expectations),
        "--quiet",
        "--format",
        "text",
    )
    assert code == 1
    assert stdout.splitlines()[0] == (
        "MC-ABI-004 XPASS: passed, but the expectations file lists it as a known failure "
        "(thought it failed); remove it from the file"
    )


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ('[known-failures]\n"MC-NOPE-001" = "x"\n', "MC-NOPE-001 is not a case of this suite"),
        ('[known-failure]\n"MC-ABI-001" = "x"\n', "unknown table or key 'known-failure'"),
        (
            '[known-failures]\n"MC-ABI-001" = ""\n',
            "MC-ABI-001: the reason must be a non-empty string",
        ),
        ("[known-failures\n", "not valid TOML: "),
    ],
)
def test_invalid_expectations_file_stops_the_run_with_its_code(
    capsys, tmp_path: Path, content: str, detail: str
) -> None:
    path = tmp_path / "known.toml"
    path.write_text(content)
    code, _, stderr = cli(capsys, "run", "--adapter", REFERENCE, "--expectations", str(path))
    assert code == 2
    assert stderr.startswith(f"MOLT-E-EXPECTATIONS-INVALID: {path}: {detail}")


@pytest.mark.parametrize(
    ("argv", "detail"),
    [
        (["run"], "the following arguments are required: --adapter"),
        (["run", "--adapter", "x", "--jobs", "0"], "argument --jobs: must be at least 1, not 0"),
        (
            ["run", "--adapter", "x", "--timeout", "-1"],
            "argument --timeout: must be more than 0 seconds, not -1",
        ),
        (["frobnicate"], "argument command: invalid choice: 'frobnicate'"),
    ],
)
def test_bad_usage_is_molt_e_usage_with_exit_2(capsys, argv: list[str], detail: str) -> None:
    code, _, stderr = cli(capsys, *argv)
    assert code == 2
    assert stderr.startswith(f"MOLT-E-USAGE: {detail}")
    assert stderr.rstrip().endswith("run 'molt-conformance --help' for usage")


# -- summary ------------------------------------------------------------------------------------

REPORT: dict[str, Any] = {
    "report_version": 1,
    "suite": {"version": "0.1.0", "sha256": "0" * 64, "cases": 2},
    "implementation": {
        "name": "impl",
        "version": "1",
        "spec_version": "0.1.0",
        "roles": ["host"],
        "features": [],
    },
    "started": "2025-01-31T12:00:00Z",
    "duration_s": 1.5,
    "results": [
        {"id": "MC-LOAD-001", "status": "PASS", "duration_ms": 3.0},
        {"id": "MC-LOAD-002", "status": "XFAIL", "duration_ms": 2.0, "message": "known"},
    ],
    "summary": {
        "total": 2,
        "by_status": {
            "PASS": 1,
            "FAIL": 0,
            "SKIP": 0,
            "XFAIL": 1,
            "XPASS": 0,
            "ERROR": 0,
            "CRASH": 0,
            "TIMEOUT": 0,
        },
        "unexpected": 0,
    },
}


def _write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document))
    return path


def test_summary_of_a_clean_report_exits_0(capsys, tmp_path: Path) -> None:
    code, stdout, _ = cli(
        capsys, "summary", str(_write(tmp_path / "r.json", REPORT)), "--format", "text"
    )
    assert code == 0
    assert stdout == (
        "impl 1: 2 cases (1 PASS, 1 XFAIL); 0 unexpected; suite 0.1.0 sha256 000000000000; 1.5 s\n"
    )


@pytest.mark.parametrize("status", ["FAIL", "XPASS", "ERROR", "CRASH", "TIMEOUT"])
def test_summary_of_a_report_with_an_unexpected_result_exits_1(
    capsys, tmp_path: Path, status: str
) -> None:
    document = copy.deepcopy(REPORT)
    document["results"][0] = {
        "id": "MC-LOAD-001",
        "status": status,
        "duration_ms": 1,
        "message": "it broke",
    }
    document["summary"]["by_status"].update({"PASS": 0, status: 1})
    document["summary"]["unexpected"] = 1
    code, stdout, _ = cli(
        capsys, "summary", str(_write(tmp_path / "r.json", document)), "--format", "json"
    )
    assert code == 1
    assert json.loads(stdout)["unexpected"] == [
        {"id": "MC-LOAD-001", "status": status, "message": "it broke"}
    ]


@pytest.mark.parametrize(
    ("document", "detail"),
    [
        (
            {**REPORT, "report_version": 2},
            "$.report_version: report_version 2 is not 1, the version this molt-conformance reads",
        ),
        (
            {k: v for k, v in REPORT.items() if k != "summary"},
            "$: 'summary' is a required property",
        ),
        ("not a report", "$: 'not a report' is not of type 'object'"),
    ],
)
def test_summary_of_an_invalid_report_exits_2(
    capsys, tmp_path: Path, document: Any, detail: str
) -> None:
    path = _write(tmp_path / "r.json", document)
    code, _, stderr = cli(capsys, "summary", str(path))
    assert code == 2
    assert stderr == (
        f"MOLT-E-REPORT-INVALID: {path}: {detail}; pass a report written by "
        "molt-conformance run --report\n"
    )


# -- list and show ------------------------------------------------------------------------------


def test_list_prints_one_line_per_selected_case(capsys, suite: Suite) -> None:
    code, stdout, stderr = cli(capsys, "list", "--filter", "fuel-wasmtime", "--format", "text")
    assert code == 0
    ids = [line.split()[0] for line in stdout.splitlines()]
    assert ids == [c.id for c in suite.cases if "fuel-wasmtime" in c.features]
    assert stderr == f"{len(ids)} of {len(suite.cases)} cases; suite sha256 {suite.sha256}\n"


def test_list_json_names_rules_features_and_roles(capsys, suite: Suite) -> None:
    code, stdout, _ = cli(capsys, "list", "--format", "json")
    document = json.loads(stdout)
    assert code == 0
    assert document["suite"]["sha256"] == suite.sha256
    assert document["cases"][0] == {
        "id": "MC-ABI-001",
        "kind": "host-load",
        "title": "a module built for ABI 2.0 is refused by an ABI 1 host",
        "rules": ["MOLT-R-VERSIONED-ABI"],
        "features": [],
        "roles": ["host"],
    }


def test_show_prints_the_case_and_its_files(capsys, suite: Suite) -> None:
    code, stdout, _ = cli(capsys, "show", "mc-load-001", "--format", "text")
    assert code == 0
    lines = stdout.splitlines()
    assert (
        lines[0]
        == "MC-LOAD-001: the stats example module loads when its signature is from a trusted key"
    )
    assert "  stats.wasm  6722 bytes  sha256 " in stdout
    assert stdout.endswith((suite.by_id["MC-LOAD-001"].folder / "case.toml").read_text())


def test_show_of_an_unknown_case_names_the_closest_ids(capsys) -> None:
    code, _, stderr = cli(capsys, "show", "MC-LOAD-0001")
    assert code == 2
    assert stderr.startswith(
        "MOLT-E-UNKNOWN-ID: no spec item has the ID 'MC-LOAD-0001'; closest IDs: MC-LOAD-001"
    )


@pytest.mark.parametrize(
    ("options", "status", "paired_with"),
    [
        ((), "PASS", {"role": "host", "name": "molt-reference", "version": "0.1.0"}),
        (("--no-pairing",), "SKIP", None),
    ],
)
def test_run_pairs_a_compiler_only_adapter_unless_told_not_to(
    capsys, tmp_path: Path, options: tuple[str, ...], status: str, paired_with: Any
) -> None:
    report = tmp_path / "report.json"
    argv = ["--filter", "MC-ARITH-001", "--report", str(report), "--quiet", *options]
    code, _, _ = cli(capsys, "run", "--adapter", mutant("compiler_only"), *argv)
    assert code == 0
    (result,) = [r for r in json.loads(report.read_text())["results"] if r["id"] == "MC-ARITH-001"]
    assert (result["status"], result.get("paired_with")) == (status, paired_with)
