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
        # MC-CALL-029 too: this host re-encodes every message it passes on, so the
        # module echoes the host's canonical bytes instead of the caller's.
        dict.fromkeys(
            ["MC-CALL-029", "MC-WIRE-007", "MC-WIRE-014", "MC-WIRE-015", "MC-WIRE-016"], "FAIL"
        ),
    ),
    ("reencodes_results", ["host-call"], {"MC-CALL-029": "FAIL"}),
    ("ignores_entry_file", ["MC-LOAD"], dict.fromkeys(["MC-LOAD-019", "MC-LOAD-020"], "FAIL")),
    # Compilers whose modules run correctly but are not what a Molt module must be:
    # only the checks of the compiled module itself (the module area) catch them.
    ("bundles_interpreter", ["module"], {"MC-MODULE-001": "FAIL"}),
    ("stamps_build_time", ["module"], {"MC-MODULE-002": "FAIL"}),
    # Records leave the module as arrays of field values: every case whose result
    # is a record (alone or inside an optional) catches it.
    (
        "encodes_records_as_arrays",
        ["module", "record", "opt", "str", "dict"],
        dict.fromkeys(["MC-MODULE-001", "MC-OPT-001", "MC-RECORD-001", "MC-RECORD-003"], "FAIL"),
    ),
    # strs ordered by UTF-16 code units: only an order between a character above
    # U+FFFF and one in U+E000..U+FFFF differs (MC-STR-002's 😀 and U+FFFF, MC-STR-008's
    # min and max).
    (
        "compares_utf16_code_units",
        ["str", "list", "dict"],
        dict.fromkeys(["MC-STR-002", "MC-STR-008"], "FAIL"),
    ),
]


OVERFLOW_CASES = [f"MC-ARITH-{n:03d}" for n in range(6, 13)] + [
    *("MC-CONV-002", "MC-LIST-005", "MC-RECORD-003"),
    "MC-FLOAT-006",  # float ** past the largest double
]
FLOOR_CASES = ["MC-ARITH-001", "MC-ARITH-002", "MC-ARITH-003", "MC-CTRL-006", "MC-FLOAT-003"]

COMPILER_ROWS = [
    # (mutant, the compile-run cases that must fail); every other compile-run case passes
    ("wraps_on_overflow", dict.fromkeys(OVERFLOW_CASES, "FAIL")),
    ("truncates_floor_division", dict.fromkeys(FLOOR_CASES, "FAIL")),
    # every list length kept in a register, aliases or not: the cases whose lists
    # grow after a loop or a helper saw them, or through another reference
    (
        "trusts_stale_lengths",
        dict.fromkeys(["MC-CTRL-005", "MC-LIST-001", "MC-LIST-006", "MC-LIST-010"], "FAIL"),
    ),
]

ACCEPTING_ROWS = [
    # (compiler accepting what the spec rejects, the compile-error cases that must
    # fail); every other compile-error case passes
    (
        "accepts_eval",
        dict.fromkeys([f"MC-REJECT-{n:03d}" for n in (23, 40, 41, 42)], "FAIL"),
    ),
    (
        "accepts_stdlib_imports",
        dict.fromkeys([f"MC-REJECT-{n:03d}" for n in (8, 9, 37, 38, 39)], "FAIL"),
    ),
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


@pytest.mark.parametrize(
    ("name", "failing"), ACCEPTING_ROWS, ids=[row[0] for row in ACCEPTING_ROWS]
)
def test_accepting_compiler_fails_exactly_the_rejections_aimed_at_it(
    suite: Suite, name: str, failing: dict[str, str]
) -> None:
    result = run(suite, mutant(name), ["compile-error"], jobs=2)
    assert statuses(result) == failing
    assert {r.id for r in result.results if r.status == "PASS"} == {
        case.id for case in suite.cases if case.kind == "compile-error" and case.id not in failing
    }


def test_accepted_eval_is_shown_compiling(suite: Suite) -> None:
    result = run(suite, mutant("accepts_eval"), ["MC-REJECT-023"])
    (failed,) = [r for r in result.results if r.status == "FAIL"]
    assert failed.message == "the source compiled; expected MOLT-E-UNSUPPORTED at line 6"
    assert failed.expected == {"phase": "compile", "code": "MOLT-E-UNSUPPORTED", "line": 6}
    assert failed.actual == {"ok": True}


def test_accepted_json_import_is_shown_compiling(suite: Suite) -> None:
    result = run(suite, mutant("accepts_stdlib_imports"), ["MC-REJECT-037"])
    (failed,) = [r for r in result.results if r.status == "FAIL"]
    assert failed.message == "the source compiled; expected MOLT-E-IMPORT-NOT-ALLOWED at line 3"


def test_utf16_order_is_shown_sorting_the_emoji_first(suite: Suite) -> None:
    result = run(suite, mutant("compares_utf16_code_units"), ["MC-STR-002"])
    (failed,) = [r for r in result.results if r.status == "FAIL"]
    assert failed.message == "call 5 (compare): the result bytes differ"
    # [a == b, a != b, a < b, a <= b, a > b, a >= b] for a = 😀 (U+1F600), b = U+FFFF
    assert failed.expected == {"msgpack_hex": "96c2c3c2c2c3c3"}
    assert _without_fuel(failed.actual) == {"msgpack_hex": "96c2c3c3c3c2c2"}  # 😀 < U+FFFF


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


def test_bundled_interpreter_is_shown_with_the_module_size(suite: Suite) -> None:
    result = run(suite, mutant("bundles_interpreter"), ["MC-MODULE-001"])
    (failed,) = [r for r in result.results if r.status == "FAIL"]
    size = failed.actual["bytes"]
    assert size > 256 * 1024
    assert failed.message == (
        f"the compiled module is {size} bytes, more than the 65536 this source allows: a "
        "module carries its compiled code and the minimal core, never an interpreter or a "
        "bundled runtime"
    )
    assert failed.expected == {"max_bytes": 65536}


def test_stamped_build_is_shown_as_two_different_modules(suite: Suite) -> None:
    result = run(suite, mutant("stamps_build_time"), ["MC-MODULE-002"])
    (failed,) = [r for r in result.results if r.status == "FAIL"]
    assert failed.message.startswith("compiling the same source twice gave different modules (")
    assert failed.message.endswith("); builds must be reproducible")
    assert failed.expected["sha256"] != failed.actual["sha256"]


def test_reencoded_result_is_shown_with_the_canonical_bytes(suite: Suite) -> None:
    result = run(suite, mutant("reencodes_results"), ["MC-CALL-029"])
    (failed,) = [r for r in result.results if r.status == "FAIL"]
    assert failed.message == "call 1 (echo): the result bytes differ"
    assert failed.expected == {"msgpack_hex": "dc0003d30000000000000001cc02ca3fc00000"}
    assert _without_fuel(failed.actual) == {"msgpack_hex": "930102cb3ff8000000000000"}
