"""A compiler-only implementation is paired with the reference host, a host-only one
gets modules the reference compiler built; each paired result says so."""

from __future__ import annotations

import json
from pathlib import Path

from molt_conformance import Run, Suite, markdown_summary, read_report, report_json
from tests.conformance.conftest import PYTHON, mutant, run, statuses
from tests.conformance.test_mutants import OVERFLOW_CASES

REFERENCE_AS = {
    role: {"role": role, "name": "molt-reference", "version": "0.1.0"}
    for role in ("compiler", "host")
}


def _not_passed(result: Run) -> dict[str, str]:
    """The status of every selected case that did not pass."""
    return {
        r.id: r.status
        for r in result.results
        if r.status != "PASS" and r.skip_reason != "not selected by --filter"
    }


def _compile_run(suite: Suite, *prefixes: str) -> set[str]:
    return {
        case.id
        for case in suite.cases
        if case.kind == "compile-run" and case.id.startswith(prefixes)
    }


def test_compiler_only_implementation_runs_compile_cases_with_the_reference_host(
    suite: Suite,
) -> None:
    filters = ["MC-ARITH", "MC-MODULE", "MC-REJECT-001", "MC-LOAD-001"]
    result = run(suite, mutant("compiler_only"), filters, jobs=2)
    assert result.implementation.roles == ("compiler",)
    assert _not_passed(result) == {"MC-LOAD-001": "SKIP"}
    skipped = next(r for r in result.results if r.id == "MC-LOAD-001")
    assert skipped.skip_reason == "needs the role host, which compiler-only does not declare"
    paired = {r.id: r.paired_with for r in result.results if r.paired_with is not None}
    assert paired == dict.fromkeys(
        _compile_run(suite, "MC-ARITH", "MC-MODULE"), REFERENCE_AS["host"]
    )
    document = report_json(result)
    first = next(r for r in document["results"] if r["id"] == "MC-ARITH-001")
    assert first["paired_with"] == REFERENCE_AS["host"]


def test_host_only_implementation_runs_modules_the_reference_compiler_built(
    suite: Suite,
) -> None:
    filters = ["MC-ARITH", "MC-MODULE", "MC-REJECT-001", "MC-LOAD-001"]
    result = run(suite, mutant("host_only"), filters, jobs=2)
    assert result.implementation.roles == ("host",)
    assert _not_passed(result) == {"MC-REJECT-001": "SKIP"}
    paired = {r.id: r.paired_with for r in result.results if r.paired_with is not None}
    assert paired == dict.fromkeys(
        _compile_run(suite, "MC-ARITH", "MC-MODULE"), REFERENCE_AS["compiler"]
    )


def test_compiler_only_implementation_that_wraps_on_overflow_is_caught(suite: Suite) -> None:
    filters = ["MC-ARITH", "MC-CONV", "MC-LIST", "MC-RECORD-003", "MC-FLOAT-006"]
    result = run(suite, mutant("compiler_only_wraps_on_overflow"), filters, jobs=2)
    assert statuses(result) == dict.fromkeys(OVERFLOW_CASES, "FAIL")
    failed = next(r for r in result.results if r.id == "MC-ARITH-006")
    assert failed.paired_with == REFERENCE_AS["host"]
    assert failed.message == "call 1 (add): returned a result; expected MOLT-E-OVERFLOW (runtime)"


def test_without_pairing_a_compiler_only_implementation_skips_compile_run_cases(
    suite: Suite,
) -> None:
    result = run(suite, mutant("compiler_only"), ["MC-ARITH-001"], reference_adapter=None)
    (skipped,) = [r for r in result.results if r.id == "MC-ARITH-001"]
    assert (skipped.status, skipped.skip_reason, skipped.paired_with) == (
        "SKIP",
        "needs the role host, which compiler-only does not declare",
        None,
    )


def test_a_reference_that_cannot_start_makes_the_paired_cases_errors(suite: Suite) -> None:
    broken = f"{PYTHON} -c pass"
    result = run(suite, mutant("compiler_only"), ["MC-ARITH-001"], reference_adapter=broken)
    (errored,) = [r for r in result.results if r.id == "MC-ARITH-001"]
    assert errored.status == "ERROR"
    assert errored.message.startswith(
        f"molt-conformance could not run the case: the reference adapter ({broken}) needed "
        "as the host did not start: MOLT-E-ADAPTER-PROTOCOL: "
    )


def test_summary_names_the_reference_and_the_role_it_played(suite: Suite, tmp_path: Path) -> None:
    result = run(suite, mutant("compiler_only"), ["MC-ARITH-001", "MC-ARITH-002"])
    document = report_json(result)
    path = tmp_path / "report.json"
    path.write_text(json.dumps(document))
    read = {r.id: r.paired_with for r in read_report(path).results}
    assert read["MC-ARITH-001"] == REFERENCE_AS["host"]
    assert read["MC-LOAD-001"] is None
    summary = markdown_summary(document, suite)
    assert (
        "- **Paired with:** molt-reference 0.1.0 as the host, in 2 compile-run cases\n" in summary
    )
