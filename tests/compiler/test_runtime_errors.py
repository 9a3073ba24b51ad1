"""Runtime errors: each failure is the spec's code with the registry message, naming
the source location; errors unwind through any number of calls to the export."""

from __future__ import annotations

import pytest

from tests.compiler.conftest import INT64_MAX, INT64_MIN, Program

OVERFLOW_FIX = "use smaller values or check the range before the operation"


@pytest.fixture(scope="module")
def errors(molt_program) -> Program:
    return molt_program("errors")


def error_of(program: Program, export: str, **args: object) -> tuple[str, str]:
    result = program.molt(export, **args)
    assert isinstance(result, tuple), f"{export}({args}) returned {result!r}"
    return result[1], result[2]


def test_overflow_message_names_the_operation_operands_and_place(errors: Program) -> None:
    assert error_of(errors, "add", a=INT64_MAX, b=1) == (
        "MOLT-E-OVERFLOW",
        f"integer overflow in '+' (9223372036854775807 + 1) at errors.py:11:12; {OVERFLOW_FIX}",
    )


@pytest.mark.parametrize(
    ("which", "x", "operation", "detail", "where"),
    [
        (0, -2, "-", "-2 - 9223372036854775807", "17:16"),
        (1, 2, "*", "2 * 9223372036854775807", "19:16"),
        (2, INT64_MIN, "-", "-(-9223372036854775808)", "21:16"),
        (3, INT64_MIN, "abs()", "abs(-9223372036854775808)", "23:16"),
        (4, 2, "**", "2 ** 64", "25:16"),
        (5, INT64_MIN, "//", "-9223372036854775808 // -1", "27:16"),
        (6, 1, "+", "1 + 9223372036854775807", "29:5"),
    ],
)
def test_every_int_overflow_path(
    errors: Program, which: int, x: int, operation: str, detail: str, where: str
) -> None:
    code, message = error_of(errors, "overflow", which=which, x=x)
    assert code == "MOLT-E-OVERFLOW"
    assert (
        message
        == f"integer overflow in '{operation}' ({detail}) at errors.py:{where}; {OVERFLOW_FIX}"
    )


@pytest.mark.parametrize(
    ("which", "x"), [(0, -1), (1, 1), (2, INT64_MAX), (3, INT64_MIN + 1), (4, -1), (5, 3), (6, 0)]
)
def test_the_same_operations_in_range_do_not_fail(errors: Program, which: int, x: int) -> None:
    assert errors.molt("overflow", which=which, x=x) == errors.cpython("overflow", which=which, x=x)


def test_powers_at_the_edge_of_int64(errors: Program) -> None:
    assert errors.molt("power", a=-2, b=63) == INT64_MIN
    assert errors.molt("power", a=2, b=62) == 2**62
    assert errors.molt("power", a=3, b=39) == 3**39
    assert errors.molt("power", a=-1, b=INT64_MAX) == -1
    assert errors.molt("power", a=0, b=0) == 1
    assert error_of(errors, "power", a=2, b=63)[0] == "MOLT-E-OVERFLOW"
    assert error_of(errors, "power", a=3, b=40)[0] == "MOLT-E-OVERFLOW"
    assert error_of(errors, "power", a=-2, b=64)[0] == "MOLT-E-OVERFLOW"


def test_negative_int_exponent_is_a_value_error(errors: Program) -> None:
    code, message = error_of(errors, "power", a=2, b=-1)
    assert code == "MOLT-E-VALUE"
    assert message.startswith("2 ** -1 has a negative exponent; int ** int needs an exponent >= 0")


def test_true_division_by_zero_uses_cpythons_words(errors: Program) -> None:
    assert error_of(errors, "divide", a=1.0, b=0) == (
        "MOLT-E-ZERO-DIVISION",
        "float division by zero at errors.py:35:12; check that the divisor is not zero "
        "before dividing",
    )


@pytest.mark.parametrize(("i", "length"), [(3, 3), (-4, 3), (0, 0), (INT64_MIN, 2)])
def test_index_out_of_range(errors: Program, i: int, length: int) -> None:
    code, message = error_of(errors, "index", xs=[1.0] * length, i=i)
    assert code == "MOLT-E-INDEX"
    assert message == (
        f"list index {i} out of range for length {length} at errors.py:40:13; "
        "check the index against len() before using it"
    )


def test_negative_index_counts_from_the_end(errors: Program) -> None:
    assert errors.molt("index", xs=[1.0, 2.0, 3.0], i=-1) == 4.0


def test_assert_without_message_shows_the_condition(errors: Program) -> None:
    assert error_of(errors, "check", n=0) == (
        "MOLT-E-ASSERTION",
        "assertion failed: n > 0 at errors.py:46:5; send an input that satisfies it, or "
        "correct the assert if the assumption is wrong",
    )
    message = error_of(errors, "check", n=100)[1]
    assert message.startswith("assertion failed: n must stay below 100 at errors.py:47:5;")


@pytest.mark.parametrize(
    ("which", "code", "detail"),
    [
        (0, "MOLT-E-VALUE", "bad value {which} 100% sure"),
        (1, "MOLT-E-RUNTIME-TYPE", "wrong kind"),
        (2, "MOLT-E-INDEX", "no such row"),
        (3, "MOLT-E-KEY", "no such key"),
        (4, "MOLT-E-ZERO-DIVISION", "nothing to share"),
    ],
)
def test_raise_reports_its_code_and_message(
    errors: Program, which: int, code: str, detail: str
) -> None:
    got_code, message = error_of(errors, "fail", which=which)
    assert got_code == code
    assert message.startswith(f"{detail} at errors.py:")


def test_range_step_zero_is_a_value_error(errors: Program) -> None:
    code, message = error_of(errors, "steps", step=0)
    assert (code, message.split(" at ")[0]) == ("MOLT-E-VALUE", "range() arg 3 must not be zero")
    assert errors.molt("steps", step=3) == 0 + 3 + 6 + 9
    assert errors.molt("steps", step=-1) == 0


def test_error_unwinds_through_recursive_calls(errors: Program) -> None:
    code, message = error_of(errors, "nested", n=50)
    assert code == "MOLT-E-ZERO-DIVISION"
    assert "at errors.py:79:16" in message


def test_range_near_int64_max_stops_without_wrapping(errors: Program) -> None:
    assert errors.molt("big_range", start=0) == 2
    assert errors.molt("big_range", start=INT64_MAX - 1) == 1


def test_module_serves_normal_calls_after_errors(errors: Program) -> None:
    for _ in range(3):
        assert error_of(errors, "add", a=INT64_MAX, b=1)[0] == "MOLT-E-OVERFLOW"
        assert errors.molt("add", a=2, b=3) == 5
