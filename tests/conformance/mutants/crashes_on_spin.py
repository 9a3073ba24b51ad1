"""An adapter that dies in the middle of a run.

It behaves like the reference adapter until it is asked to call an export named
`spin`; then it writes a last word to stderr and exits with status 3 without
answering. The runner must record CRASH for that case, restart it and go on.
"""

import os
import sys

os.environ["MOLT_ADAPTER_ROLES"] = "host"

from molt.adapter import ReferenceAdapter, main


class CrashingAdapter(ReferenceAdapter):
    def call(self, request):
        if request["fn"] == "spin":
            print("mutant: crashing on purpose", file=sys.stderr, flush=True)
            os._exit(3)
        return super().call(request)


sys.exit(main(CrashingAdapter()))
