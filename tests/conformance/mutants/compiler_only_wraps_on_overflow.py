"""A compiler-only implementation whose int arithmetic wraps on overflow.

The wraps_on_overflow compiler, announcing the compiler role alone: its modules
are loaded and called by the reference host, which runs exactly what the
compiler produced, so the overflow cases must still catch it.
"""

import sys

from molt.adapter import ReferenceAdapter, main
from molt.compiler.lower._emitter import FunctionEmitter

_checked = FunctionEmitter.fail_if


def fail_if(self, condition, label, code, *rest, **options):
    if code == "MOLT-E-OVERFLOW":
        return None
    return _checked(self, condition, label, code, *rest, **options)


class WrappingCompilerOnlyAdapter(ReferenceAdapter):
    def hello(self, request):
        return {**super().hello(request), "roles": ["compiler"]}

    def compile(self, request):
        return super().compile({**request, "opt_level": 0})

    def load(self, request):
        return {"seq": request["seq"], "errored": True, "message": "no host role"}


FunctionEmitter.fail_if = fail_if

sys.exit(main(WrappingCompilerOnlyAdapter()))
