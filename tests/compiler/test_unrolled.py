"""Loops emitted with two copies of their body (small innermost loops carrying a
float) compute what CPython does, whichever copy a break, continue, error or the
loop's end falls on."""

from __future__ import annotations

import pytest

from tests.compiler.conftest import Program, same


@pytest.fixture(scope="module")
def unrolled(molt_program) -> Program:
    return molt_program("unrolled")


def check(program: Program, export: str, **args: object) -> None:
    want = program.cpython(export, **args)
    got = program.molt(export, **args)
    assert same(got, want), f"{export}({args}): molt {got!r}, cpython {want!r}"


def test_each_float_loop_is_emitted_twice(unrolled: Program) -> None:
    llvm_ir = unrolled.compiled.llvm_ir
    body = llvm_ir.split("@molt.fn.halvings(")[1].split("\n}\n")[0]
    assert body.count("\nwhile.cond") == 2
    for name, label in (("weighted", "range.cond"), ("down", "range.cond")):
        body = llvm_ir.split(f"@molt.fn.{name}(")[1].split("\n}\n")[0]
        assert body.count(f"\n{label}") == 2, name
    body = llvm_ir.split("@molt.fn.reciprocal_sum(")[1].split("\n}\n")[0]
    assert body.count("\nlist.cond") == 2


@pytest.mark.parametrize("x", [0.5, 1.0, 2.0, 3.0, 64.0, 1000.0, 1e300])
@pytest.mark.parametrize("limit", [0, 1, 2, 3, 4, 100])
def test_while_exits_on_either_copy(unrolled: Program, x: float, limit: int) -> None:
    check(unrolled, "halvings", x=x, limit=limit)


@pytest.mark.parametrize("n", range(6))
@pytest.mark.parametrize(("skip", "stop"), [(-1, -1), (0, -1), (1, 4), (2, 3), (3, 2)])
def test_range_break_and_continue_on_either_copy(
    unrolled: Program, n: int, skip: int, stop: int
) -> None:
    check(unrolled, "weighted", n=n, skip=skip, stop=stop)


@pytest.mark.parametrize("n", [-1, 0, 1, 2, 3, 7])
def test_range_stepping_down(unrolled: Program, n: int) -> None:
    check(unrolled, "down", n=n)


@pytest.mark.parametrize(
    ("values", "stop"),
    [([], 0.0), ([1.0], 9.0), ([1.0, 2.0], 9.0), ([1.0, 2.0, 3.0], 3.0), ([5.0], 5.0)],
)
def test_list_loop_break_and_errors(unrolled: Program, values: list[float], stop: float) -> None:
    check(unrolled, "mean_until", values=values, stop=stop)


@pytest.mark.parametrize("values", [[], [2.0], [0.0], [1.0, 0.0], [1.0, 2.0, 0.0], [4.0, 8.0]])
def test_division_by_zero_from_either_copy(unrolled: Program, values: list[float]) -> None:
    check(unrolled, "reciprocal_sum", values=values)
    if 0.0 in values:
        got = unrolled.molt("reciprocal_sum", values=values)
        assert got[:2] == ("error", "MOLT-E-ZERO-DIVISION")
        assert got[2].startswith("float division by zero at unrolled.py:64:18;")
