"""The core's `__multi3`: LLVM computes the closed form of a summing loop in 128-bit
integers and wasm32 calls `__multi3` for the multiply, which the module defines.

Checked arithmetic keeps that closed form out of Molt code as written, so the test
compiles with the overflow checks left out (as the wrapping conformance mutant
does): the loop becomes n * (n - 1) / 2 in 128 bits, whose low 64 bits depend on
the high half of the product.
"""

from __future__ import annotations

from typing import Any

import pytest

from molt.compiler import compile_source
from molt.compiler.lower._emitter import FunctionEmitter

SOURCE = """
from molt import export


@export
def count(n: int) -> int:
    c = 0
    for i in range(n):
        c += i
    return c
"""


def wrapped(value: int) -> int:
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >> 63 else value


def test_closed_form_sums_multiply_in_128_bits(
    monkeypatch: pytest.MonkeyPatch, load_wasm: Any
) -> None:
    checked = FunctionEmitter.fail_if

    def unchecked_overflow(
        self: FunctionEmitter, condition: Any, label: str, code: str, *rest: Any
    ) -> None:
        if code != "MOLT-E-OVERFLOW":
            checked(self, condition, label, code, *rest)

    monkeypatch.setattr(FunctionEmitter, "fail_if", unchecked_overflow)
    compiled = compile_source(SOURCE, filename="sums.py", module_name="sums", opt_level=1)
    module = load_wasm(compiled)
    for n in (0, 1, 100, 2**32 + 5, 2**33 + 1, 3 * 2**40 + 7, 2**62 + 3):
        assert module.call("count", {"n": n}) == wrapped(n * (n - 1) // 2), n
