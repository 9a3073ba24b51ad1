"""A host that never compares ABI versions.

The reference adapter with both ABI checks (the interface's major against the
host's, and molt_abi_version() against the interface) replaced by no-ops. The
ABI version cases must catch it.
"""

import os
import sys

os.environ["MOLT_ADAPTER_ROLES"] = "host"

from molt.adapter import main
from molt.runtime import _checks

_checks.check_abi = lambda *args, **kwargs: None
_checks.check_reported_abi = lambda *args, **kwargs: None

sys.exit(main())
