"""A host-only implementation: the reference host and no compiler.

It announces the host role alone (MOLT_ADAPTER_ROLES=host) and errors on
compile, so every compile-run case must get modules the reference compiler
built, and every compile-error case is skipped.
"""

import os
import sys

os.environ["MOLT_ADAPTER_ROLES"] = "host"

from molt.adapter import ReferenceAdapter, main


class HostOnlyAdapter(ReferenceAdapter):
    def hello(self, request):
        implementation = {"name": "host-only", "version": "0.1.0"}
        return {**super().hello(request), "implementation": implementation}

    def compile(self, request):
        return {"seq": request["seq"], "errored": True, "message": "no compiler role"}


sys.exit(main(HostOnlyAdapter()))
