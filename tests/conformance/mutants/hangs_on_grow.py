"""An adapter that stops answering in the middle of a run.

It behaves like the reference adapter until it is asked to call an export named
`grow`; then it sleeps for an hour. The runner must record TIMEOUT for that case,
stop the process, restart it and go on.
"""

import os
import sys
import time

os.environ["MOLT_ADAPTER_ROLES"] = "host"

from molt.adapter import ReferenceAdapter, main


class HangingAdapter(ReferenceAdapter):
    def call(self, request):
        if request["fn"] == "grow":
            time.sleep(3600)
        return super().call(request)


sys.exit(main(HangingAdapter()))
