"""Errors and results do not depend on how the compiler calls a function: inlined
into its caller, recursive, through a chain of calls, for every kind of return value
(the failure flag beside the value), for negative indexes in loops and list[bool],
and for range loops that step to the ends of signed 64-bit."""

from __future__ import annotations

import itertools

import pytest

from tests.compiler.conftest import INT64_MAX, INT64_MIN, Program

OVERFLOW_FIX = "use smaller values or check the range before the operation"
INDEX_FIX = "check the index against len() before using it"
DIVISOR_FIX = "check that the divisor is not zero before dividing"
BIG = INT64_MAX
G = 10**9


@pytest.fixture(scope="module")
def inlined(molt_program) -> Program:
    return molt_program("inlined")


def overflow(operation: str, operands: str, where: str) -> tuple[str, str, str]:
    message = (
        f"integer overflow in '{operation}' ({operands}) at inlined.py:{where}; {OVERFLOW_FIX}"
    )
    return ("error", "MOLT-E-OVERFLOW", message)


def index_error(what: str, index: int, length: int, where: str) -> tuple[str, str, str]:
    message = f"{what} {index} out of range for length {length} at inlined.py:{where}; {INDEX_FIX}"
    return ("error", "MOLT-E-INDEX", message)


ZERO_DIVISION = (
    "error",
    "MOLT-E-ZERO-DIVISION",
    f"float division by zero at inlined.py:9:12; {DIVISOR_FIX}",
)


@pytest.mark.parametrize(
    ("export", "args", "want"),
    [
        ("row_sum", {"i": INT64_MAX, "n": 2}, overflow("+", f"{INT64_MAX} + 1", "9:30")),
        ("row_sum", {"i": 2**32, "n": 2}, overflow("*", f"{2**32} * {2**32 + 1}", "9:19")),
        ("row_sum", {"i": -1, "n": 1}, ZERO_DIVISION),
        (
            "helper_at",
            {"i": INT64_MAX - 5, "j": 10},
            overflow("+", f"{INT64_MAX - 5} + 10", "9:20"),
        ),
        (
            "helper_at",
            {"i": 4 * 10**9, "j": 10**9},
            overflow("*", "5000000000 * 5000000001", "9:19"),
        ),
        ("helper_at", {"i": -1, "j": 0}, ZERO_DIVISION),
    ],
)
def test_errors_in_an_inlined_helper_keep_their_code_operands_and_place(
    inlined: Program, export: str, args: dict[str, int], want: tuple[str, str, str]
) -> None:
    assert inlined.molt(export, **args) == want


def test_an_inlined_helper_in_a_loop_computes_what_cpython_does(inlined: Program) -> None:
    for i in (0, 3, 1000):
        assert inlined.molt("row_sum", i=i, n=50) == inlined.cpython("row_sum", i=i, n=50)


def test_overflow_deep_in_recursion_reports_the_innermost_operands(inlined: Program) -> None:
    assert inlined.molt("climbed", n=1, step=2**62) == overflow("+", f"{2**62} + {2**62}", "28:12")
    # 2**55 * 256 leaves int64 at the 255th addition, 200 calls deep
    assert inlined.molt("climbed", n=300, step=2**55) == overflow(
        "+", f"{255 * 2**55} + {2**55}", "28:12"
    )
    assert inlined.molt("climbed", n=200, step=2**55) == 201 * 2**55


def test_recursion_without_errors_matches_cpython(inlined: Program) -> None:
    assert inlined.molt("fib", n=20) == 6765
    assert inlined.molt("climbed", n=3, step=5) == 20


def test_errors_three_calls_deep_stop_before_later_mutations(inlined: Program) -> None:
    assert inlined.molt("chain", xs=[1, 2, 3], i=0) == [7, 8, 3, 7, 8, 5]
    assert inlined.molt("chain", xs=[1], i=0) == [7, 8, 8, 3]
    assert inlined.molt("chain", xs=[1, 2, 3], i=-4) == index_error(
        "list assignment index", -4, 3, "48:5"
    )
    # the first relay appended 7: its item 1 exists, and the second store fails at 2
    assert inlined.molt("chain", xs=[1], i=1) == index_error("list assignment index", 1, 1, "48:5")
    assert inlined.molt("chain", xs=[], i=0) == index_error("list assignment index", 0, 0, "48:5")


def test_every_kind_of_return_value_carries_its_failure(inlined: Program) -> None:
    assert inlined.molt("returns", x=5, xs=[1, 2]) == [1.0, 7.5, 2.0]
    # a function that can fail may return None (a null pointer) without failing
    assert inlined.molt("returns", x=0, xs=[]) == [0.0, 0.0, -1.0]
    assert inlined.molt("returns", x=INT64_MAX, xs=[]) == overflow("+", f"{INT64_MAX} + 1", "70:12")
    assert inlined.molt("returns", x=2**62, xs=[]) == overflow("*", f"{2**62} * 3", "74:19")


@pytest.mark.parametrize(
    ("k", "want"),
    [
        (1, 12),
        (4, 7),
        (5, index_error("list index", -5, 4, "97:18")),
        (-1, index_error("list index", 4, 4, "97:18")),
    ],
)
def test_negative_indexes_in_a_loop(inlined: Program, k: int, want: object) -> None:
    assert inlined.molt("from_end", xs=[1, 2, 3, 4], k=k) == want


@pytest.mark.parametrize(
    ("flip", "want"),
    [
        (1, 5),
        (0, 3),
        (-10, 3),
        (10, index_error("list index", 10, 10, "107:22")),
        (-11, index_error("list index", -11, 10, "107:22")),
    ],
)
def test_list_of_bool_reads_and_writes(inlined: Program, flip: int, want: object) -> None:
    assert inlined.molt("flags", n=10, flip=flip) == want


@pytest.mark.parametrize(
    ("export", "start", "stop", "want"),
    [
        ("up_to", INT64_MAX - 3, INT64_MAX, 13),
        ("up_to", INT64_MAX - 1, INT64_MAX, 11),
        ("up_to", 0, 0, 0),
        ("down_to", INT64_MIN + 3, INT64_MIN, 13),
        ("down_to", INT64_MIN + 1, INT64_MIN, 11),
        ("down_to", INT64_MIN, INT64_MIN, 0),
    ],
)
def test_unit_step_ranges_reach_the_ends_of_int64_without_wrapping(
    inlined: Program, export: str, start: int, stop: int, want: int
) -> None:
    assert inlined.molt(export, start=start, stop=stop) == want
    assert inlined.cpython(export, start=start, stop=stop) == want


EDGES = [
    0, 1, -1, 2, -2, 3, -3, 7,
    2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**32 - 1, 2**32, -(2**32), 2**32 + 1,
    3037000499, 3037000500, -3037000499, -3037000500,
    2**62, -(2**62), 2**62 + 1, INT64_MAX // 3, INT64_MAX, INT64_MIN, INT64_MIN + 1,
]  # fmt: skip


def test_int_multiply_overflows_exactly_where_int64_ends(inlined: Program) -> None:
    for a in EDGES:
        for b in EDGES:
            product = a * b
            got = inlined.molt("products", a=[a], b=[b])
            if INT64_MIN <= product <= INT64_MAX:
                assert got == [product], (a, b)
            else:
                assert got == overflow("*", f"{a} * {b}", "140:20"), (a, b)


@pytest.mark.parametrize("n", [7, 8, 9, 10])
def test_recursion_unrolled_once_reports_the_same_error_at_every_depth(
    inlined: Program, n: int
) -> None:
    # climb's recursion is unrolled (a twin inlined at each self-call); the add that
    # overflows is n - 7 frames deep, in the function or in its inlined twin alike
    step = 2**60
    assert inlined.molt("climbed", n=n, step=step) == overflow("+", f"{7 * step} + {step}", "28:12")
    assert inlined.molt("climbed", n=6, step=step) == 7 * step


def test_small_self_recursive_functions_get_a_chain_of_inlined_twins(inlined: Program) -> None:
    llvm_ir = inlined.compiled.llvm_ir
    for name in ("climb", "fib_rec"):
        # the function calls the first twin, each twin the next, the last the function
        chain = [name, f"{name}.unrolled", f"{name}.unrolled2", f"{name}.unrolled3", name]
        for caller, callee in itertools.pairwise(chain):
            header = f"define internal i64 @molt.fn.{caller}("
            assert header in llvm_ir, caller
            body = llvm_ir.split(header)[1].split("\n}\n")[0]
            assert f"call i64 @molt.fn.{callee}(" in body, (caller, callee)
        for twin in chain[1:-1]:
            head = llvm_ir.split(f"define internal i64 @molt.fn.{twin}(")[1].split("{")[0]
            assert head.strip().startswith("i64 %")  # same signature
        assert f"@molt.fn.{name}.unrolled4(" not in llvm_ir


def test_a_function_calling_itself_three_times_gets_one_twin(inlined: Program) -> None:
    llvm_ir = inlined.compiled.llvm_ir
    assert "define internal i64 @molt.fn.trib.unrolled(" in llvm_ir
    assert "@molt.fn.trib.unrolled2(" not in llvm_ir
    for n in (0, 1, 2, 3, 4, 10, 20):
        assert inlined.molt("tribonacci", n=n) == inlined.cpython("tribonacci", n=n)
