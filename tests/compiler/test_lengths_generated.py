"""Generated programs that grow, shrink, alias and pass lists around, against CPython.

Lowering keeps a list's length beside its variable when nothing can change it
(`stable_length_lists`); a wrong answer there is silent (a stale length lets an
index through or refuses a good one), so besides the hand-written cases of
test_lengths.py, these programs mix appends, pops, aliases, in-place `+=`/`*=`,
helpers that return, store, grow or only measure their argument, and loops that
append while iterating, in random order from fixed seeds (the same programs every
run). Every export runs for several inputs and must give CPython's result or its
error code.
"""

from __future__ import annotations

import random
import sys
import types

import pytest

from tests.compiler.conftest import Program, compile_cached, same

HELPERS = """
from molt import export


def identity(xs: list[int]) -> list[int]:
    return xs


def store_into(grid: list[list[int]], xs: list[int]) -> None:
    grid[0] = xs


def grow(xs: list[int], value: int) -> None:
    xs.append(value)


def measure(xs: list[int]) -> int:
    total = len(xs)
    for x in xs:
        total += x
    return total


def first(grid: list[list[int]]) -> list[int]:
    return grid[0]
"""

LISTS = ("xs", "ys")


def statement(rng: random.Random, depth: int) -> list[str]:
    """One random statement (a few lines when it nests), indented by the caller."""
    a, b = rng.sample(LISTS, 2)
    k = rng.randint(0, 3)
    choices = [
        f"{a}.append({k})",
        f"grid[0].append({k})",
        f"grid.append({a})",
        f"if len({a}) > 0:\n    {a}.pop()",
        f"{a} = {b}",
        f"{a} = [{k}] * (n + {k})",
        f"{a} = {a} + {b}",
        f"{a} = {b}[1:]",
        f"{a} = identity({b})",
        f"store_into(grid, {a})",
        f"grow({a}, {k})",
        f"t += measure({a})",
        f"t += len({a})",
        f"{a} = first(grid)",
        f"t += {a}[{k}]",
        f"t += {a}[-1]",
        f"{a}[{k}] = t",
        f"{a} += {b}",
        f"{a} *= 2",
        f"for v in {a}:\n    t += v",
        f"for v in {a}:\n    if len({a}) < 8:\n        {a}.append(v)",
    ]
    if depth < 2:
        choices.append("for k in range(n):\n" + indent(statement(rng, depth + 1)))
        choices.append(
            f"if len({a}) > {k}:\n"
            + indent(statement(rng, depth + 1))
            + "\nelse:\n"
            + indent(statement(rng, depth + 1))
        )
    return [rng.choice(choices)]


def indent(lines: list[str]) -> str:
    return "\n".join("    " + line for text in lines for line in text.split("\n"))


def program(seed: int, count: int) -> str:
    rng = random.Random(seed)
    functions = [HELPERS]
    for number in range(count):
        body = [statement(rng, 0)[0] for _ in range(rng.randint(3, 8))]
        functions.append(
            f"\n\n@export\ndef g{number}(n: int) -> list[int]:\n"
            "    xs = [1] * n\n    ys = [2, 3]\n    grid = [[0]]\n    t = 0\n"
            + indent(body)
            + "\n    return [t, len(xs), len(ys), len(grid), len(grid[0])] + xs + ys + grid[0]\n"
        )
    return "".join(functions)


SEEDS = (1, 2, 3, 4, 5, 6)
FUNCTIONS = 16


@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed{seed}" for seed in SEEDS])
def generated(request: pytest.FixtureRequest, load_wasm) -> Program:
    source = program(request.param, FUNCTIONS)
    name = f"lengths-gen-{request.param}"
    compiled = compile_cached(source, name)
    module = types.ModuleType(f"molt_test_{name.replace('-', '_')}")
    sys.modules[module.__name__] = module
    exec(compile(source, f"{name}.py", "exec"), module.__dict__)
    return Program(compiled, load_wasm(compiled), module.__dict__)


@pytest.mark.parametrize("number", range(FUNCTIONS))
def test_generated_list_programs_match_cpython(generated: Program, number: int) -> None:
    for n in (0, 1, 3):
        want = generated.cpython(f"g{number}", n=n)
        got = generated.molt(f"g{number}", n=n)
        assert same(got, want), f"g{number}(n={n}): molt {got!r}, cpython {want!r}"
