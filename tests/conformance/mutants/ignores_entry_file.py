"""A host that loads the bytes it is given whatever file the lock entry names.

The reference adapter writes the artifact where the entry's `file` says and lets
the lockfile check refuse a URL or an absolute path. This one always writes the
bytes to `module.wasm` and points the entry there, as a host that resolves an
artifact from wherever it can find one would: the lockfile no longer pins where
the module comes from (MOLT-R-NO-IMPLICIT-LOADING, MC-LOAD-019 and MC-LOAD-020).
"""

import os
import sys

os.environ["MOLT_ADAPTER_ROLES"] = "host"

from molt.adapter import ReferenceAdapter, main


class FileIgnoringAdapter(ReferenceAdapter):
    def load(self, request):
        entry = {**request["lock_entry"], "file": "module.wasm"}
        return super().load({**request, "lock_entry": entry})


sys.exit(main(FileIgnoringAdapter()))
