"""An adapter from the future: its hello answers with protocol version 2.

The runner must stop before any case with MOLT-E-PROTOCOL-VERSION, naming both
versions, instead of reporting a schema error.
"""

import os
import sys

os.environ["MOLT_ADAPTER_ROLES"] = "host"

from molt.adapter import ReferenceAdapter, main


class FutureAdapter(ReferenceAdapter):
    def hello(self, request):
        return {**super().hello(request), "protocol_version": 2}


sys.exit(main(FutureAdapter()))
