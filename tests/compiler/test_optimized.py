"""What the optimizer is given to work with, pinned on the code it produces.

Checked code is fast when LLVM can prove checks redundant: a list made by
repetition keeps its known length (the item copies are tagged as touching list
items only), a checked addition keeps its no-overflow flag once its check is
gone (so a loop index stays provably non-negative), and an int converted to float
uses wasm's signed conversion, the one wasmtime compiles to one instruction.
Each test also checks the results against CPython, so a wrong proof would show.
"""

from __future__ import annotations

import re

import pytest

from molt.compiler import check_source, compile_source
from molt.compiler.link import target_machine
from molt.compiler.link._pipeline import optimize
from molt.compiler.lower import lower_module

SIEVE = '''
from molt import export


@export
def sieve(limit: int) -> int:
    """How many primes are below limit."""
    if limit < 2:
        return 0
    composite = [False] * limit
    count = 0
    for candidate in range(2, limit):
        if composite[candidate]:
            continue
        count += 1
        multiple = candidate * candidate
        while multiple < limit:
            composite[multiple] = True
            multiple += candidate
    return count
'''

HARMONIC = """
from molt import export

LABEL = "\\n  %a = uitofp nneg i64 %b to double"


@export
def harmonic(n: int) -> float:
    total = 0.0
    for i in range(n):
        total += 1.0 / float(i + 1)
    return total


@export
def label() -> str:
    return LABEL
"""


def optimized_assembly(source: str, name: str) -> str:
    """The wasm assembly LLVM emits for `source` after Molt's optimization pipeline."""
    import llvmlite.binding as llvm

    module = check_source(source, filename=f"{name}.py", module_name=name)
    lowered = lower_module(module, version="0.1.0")
    machine = target_machine(2)
    return machine.emit_assembly(optimize(llvm.parse_assembly(lowered.llvm_ir), machine, 2))


def function_body(assembly: str, name: str) -> str:
    return assembly.split(f"\n{name}:\n")[1].split("end_function")[0]


def test_a_sieve_over_a_repeated_list_keeps_no_index_check(load_wasm) -> None:
    compiled = compile_source(SIEVE, filename="sieve.py", module_name="sieve")
    # every index check was proven redundant, so the module cannot report one
    assert b"MOLT-E-INDEX" not in compiled.wasm
    body = function_body(optimized_assembly(SIEVE, "sieve"), "molt_call_sieve")
    # the innermost loop (the while loop): one store and one branch per multiple
    inner = body.split("\tloop")[-1].split("end_loop")[0]
    assert inner.count("br_if") == 1
    assert inner.count("i32.store8") == 1
    module = load_wasm(compiled)
    for limit, primes in [(0, 0), (2, 0), (3, 1), (100, 25), (10_000, 1229)]:
        assert module.call("sieve", {"limit": limit}) == primes


def test_list_items_are_one_memory_class_with_a_subclass_per_item_type() -> None:
    module = check_source(SIEVE, filename="sieve.py", module_name="sieve")
    llvm_ir = lower_module(module, version="0.1.0").llvm_ir
    root = re.search(r'(!\d+) = !{ !"molt" }', llvm_ir)
    assert root is not None
    items = re.search(rf'(!\d+) = !{{ !"list items", {root[1]}, i64 0 }}', llvm_ir)
    assert items is not None
    assert f'!{{ !"list items/i8", {items[1]}, i64 0 }}' in llvm_ir
    assert f'!{{ !"list header", {root[1]}, i64 0 }}' in llvm_ir


def test_a_non_negative_int_converts_to_float_with_the_signed_instruction(load_wasm) -> None:
    assembly = optimized_assembly(HARMONIC, "harmonic")
    assert "f64.convert_i64_u" not in assembly
    assert "f64.convert_i64_s" in function_body(assembly, "molt_call_harmonic")
    module = load_wasm(compile_source(HARMONIC, filename="harmonic.py", module_name="harmonic"))
    for n in (0, 1, 7, 1000):
        assert module.call("harmonic", {"n": n}) == sum(1.0 / float(i + 1) for i in range(n))


@pytest.mark.parametrize("opt_level", [0, 2])
def test_instruction_text_inside_a_string_constant_is_left_alone(load_wasm, opt_level) -> None:
    compiled = compile_source(
        HARMONIC, filename="harmonic.py", module_name="harmonic", opt_level=opt_level
    )
    module = load_wasm(compiled)
    assert module.call("label", {}) == "\n  %a = uitofp nneg i64 %b to double"


ROWS = """
from molt import export


def weight(i: int, j: int) -> float:
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


@export
def row_sums(u: list[float]) -> list[float]:
    out = [0.0] * len(u)
    for i in range(len(u)):
        total = 0.0
        for j in range(len(u)):
            total += weight(i, j) * u[j]
        out[i] = total
    return out


@export
def weight_of(i: int, j: int) -> float:
    return weight(i, j)


@export
def flags(n: int) -> int:
    seen = [False] * n
    return len(seen)
"""


def test_list_lengths_carry_the_range_memory_allows() -> None:
    module = check_source(ROWS, filename="rows.py", module_name="rows")
    llvm_ir = lower_module(module, version="0.1.0").llvm_ir
    # 8-byte items: fewer than 2**29 fit in wasm32's 4 GiB; 1-byte items: lengths < 2**31
    assert "!{ i32 0, i32 536870912 }" in llvm_ir
    assert "!{ i32 0, i32 -2147483648 }" in llvm_ir  # [0, 2**31), the upper bound wraps


def test_index_arithmetic_bounded_by_a_length_needs_no_multiply_check(load_wasm) -> None:
    body = function_body(optimized_assembly(ROWS, "rows"), "molt_call_row_sums")
    # (i + j) * (i + j + 1) with i, j < len(u) < 2**29 cannot overflow
    assert "molt.int.mul_overflows_exact" not in body
    module = load_wasm(compile_source(ROWS, filename="rows.py", module_name="rows"))
    u = [1.0, -2.5, 0.125]
    weight = [[1.0 / ((i + j) * (i + j + 1) // 2 + i + 1) for j in range(3)] for i in range(3)]
    want = [sum(weight[i][j] * u[j] for j in range(3)) for i in range(3)]
    assert module.call("row_sums", {"u": u}) == want
    # the same function called with large ints still checks
    with pytest.raises(Exception) as raised:
        module.call("weight_of", {"i": 2**32, "j": 0})
    assert getattr(raised.value, "code", None) == "MOLT-E-OVERFLOW"
