"""Each deliberately broken host or compiler fails exactly the cases aimed at what it breaks."""

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


OVERFLOW_CASES = [f"MC-ARITH-{n:03d}" for n in range(6, 13)] + ["MC-CONV-002", "MC-LIST-005"]
OVERFLOW_CASES += ["MC-FLOAT-006"]  # float ** past the largest double
FLOOR_CASES = ["MC-ARITH-001", "MC-ARITH-002", "MC-ARITH-003", "MC-CTRL-006", "MC-FLOAT-003"]

COMPILER_ROWS = [
    # (mutant, the compile-run cases that must fail); every other compile-run case passes
    ("wraps_on_overflow", dict.fromkeys(OVERFLOW_CASES, "FAIL")),
    ("truncates_floor_division", dict.fromkeys(FLOOR_CASES, "FAIL")),
]


@pytest.mark.parametrize(("name", "filters", "failing"), ROWS, ids=[row[0] for row in ROWS])
def test_mutant_fails_exactly_the_cases_aimed_at_it(
    suite: Suite, name: str, filters: list[str], failing: dict[str, str]
) -> None:
    result = run(suite, mutant(name), filters)
    assert statuses(result) == failing


@pytest.mark.parametrize(("name", "failing"), COMPILER_ROWS, ids=[row[0] for row in COMPILER_ROWS])
def test_compiler_mutant_fails_exactly_the_compile_cases_aimed_at_it(
    suite: Suite, name: str, failing: dict[str, str]
) -> None:
    result = run(suite, mutant(name), ["compile-run"], jobs=2)
    assert statuses(result) == failing
    assert {r.id for r in result.results if r.status == "PASS"} == {
        case.id for case in suite.cases if case.kind == "compile-run" and case.id not in failing
    }


def test_wrapping_compiler_is_shown_returning_the_wrapped_sum(suite: Suite) -> None:
    result = run(suite, mutant("wraps_on_overflow"), ["MC-ARITH-006"])
    (failed,) = [r for r in result.results if r.status == "FAIL"]
    assert failed.message == "call 1 (add): returned a result; expected MOLT-E-OVERFLOW (runtime)"
    assert failed.expected == {"error": {"phase": "runtime", "code": "MOLT-E-OVERFLOW"}}
    assert _without_fuel(failed.actual) == {"msgpack_hex": "d38000000000000000"}  # MAX + 1 wrapped


def test_truncating_compiler_is_shown_rounding_toward_zero(suite: Suite) -> None:
    result = run(suite, mutant("truncates_floor_division"), ["MC-ARITH-001"])
    (failed,) = [r for r in result.results if r.status == "FAIL"]
    assert failed.message == "call 2 (divmod_int): the result differs"
    assert failed.expected == {"value": [-4, 1]}  # -7 // 2, -7 % 2
    assert _without_fuel(failed.actual) == {"msgpack_hex": "92fdff", "value": [-3, -1]}


def _without_fuel(actual: dict) -> dict:
    return {key: value for key, value in actual.items() if key != "fuel_used"}
