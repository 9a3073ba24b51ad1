"""Each deliberately broken host fails exactly the cases aimed at what it breaks."""

from __future__ import annotations

import pytest

from molt_conformance import Suite
from tests.conformance.conftest import mutant, run, statuses

SIGNATURE_CASES = [f"MC-SIGN-{n:03d}" for n in (1, 2, 3, 4, 6, 7, 8, 9, 10, 11)]

ROWS = [
    # (mutant, cases run, the cases that must fail)
    ("skips_signature_check", ["MC-SIGN", "MC-LOAD"], dict.fromkeys(SIGNATURE_CASES, "FAIL")),
    (
        "ignores_abi_version",
        ["MC-ABI"],
        dict.fromkeys(["MC-ABI-001", "MC-ABI-002", "MC-ABI-003"], "FAIL"),
    ),
    (
        "accepts_invalid_utf8",
        ["MC-WIRE", "MC-CALL"],
        dict.fromkeys(["MC-WIRE-007", "MC-WIRE-014", "MC-WIRE-015", "MC-WIRE-016"], "FAIL"),
    ),
]


@pytest.mark.parametrize(("name", "filters", "failing"), ROWS, ids=[row[0] for row in ROWS])
def test_mutant_fails_exactly_the_cases_aimed_at_it(
    suite: Suite, name: str, filters: list[str], failing: dict[str, str]
) -> None:
    result = run(suite, mutant(name), filters)
    assert statuses(result) == failing


def test_signature_mutant_failure_names_the_expected_code(suite: Suite) -> None:
    result = run(suite, mutant("skips_signature_check"), ["MC-SIGN-001"])
    (failed,) = [r for r in result.results if r.status == "FAIL"]
    assert failed.message == "the artifact loaded; expected MOLT-E-SIGNATURE-MISSING (load)"
    assert failed.expected == {"error": {"phase": "load", "code": "MOLT-E-SIGNATURE-MISSING"}}
    assert failed.actual == {"ok": True}
