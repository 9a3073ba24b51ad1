"""A compiler-only implementation: the reference compiler and no host.

It answers hello with the compiler role alone and errors on load and call, so
every compile-run case must be paired with the reference host, and every host
case skipped.
"""

import sys

from molt.adapter import ReferenceAdapter, main


class CompilerOnlyAdapter(ReferenceAdapter):
    def hello(self, request):
        implementation = {"name": "compiler-only", "version": "0.1.0"}
        return {**super().hello(request), "implementation": implementation, "roles": ["compiler"]}

    def load(self, request):
        return {"seq": request["seq"], "errored": True, "message": "no host role"}

    def call(self, request):
        return {"seq": request["seq"], "errored": True, "message": "no host role"}


sys.exit(main(CompilerOnlyAdapter()))
