"""A compiler whose int arithmetic wraps around instead of failing on overflow.

The reference compiler with its overflow checks left out: the lowering's
`fail_if` emits nothing for MOLT-E-OVERFLOW, so +, -, * and unary minus keep
LLVM's two's-complement result (the checked intrinsics' value, `mul`, `sub`)
and the rest does whatever the wasm instruction does. Every other check stays.
It compiles at -O0: without the checks, LLVM's optimizer turns some loop sums
into a closed form with 128-bit multiplications whose helper (__multi3) the
minimal core does not provide (the real compiler's checked adds prevent it). The
overflow cases must catch it.
"""

import sys

from molt.adapter import ReferenceAdapter, main
from molt.compiler.lower._emitter import FunctionEmitter

_checked = FunctionEmitter.fail_if


def fail_if(self, condition, label, code, *rest, **options):
    if code == "MOLT-E-OVERFLOW":
        return None  # no branch to the error: the wrapped value flows on
    return _checked(self, condition, label, code, *rest, **options)


class WrappingCompilerAdapter(ReferenceAdapter):
    def compile(self, request):
        return super().compile({**request, "opt_level": 0})


FunctionEmitter.fail_if = fail_if

sys.exit(main(WrappingCompilerAdapter()))
