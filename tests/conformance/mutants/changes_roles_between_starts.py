"""An adapter whose hello depends on luck: each process flips a coin file.

The first process to start announces the host role only, every later one the
compiler role too (a compiler that only sometimes loads). With two jobs the
runner must refuse the run rather than let a case's verdict depend on which
job it landed on.
"""

import os
import sys
from pathlib import Path

marker = Path(os.environ["MOLT_TEST_MARKER"])
first = not marker.exists()
marker.touch()
os.environ["MOLT_ADAPTER_ROLES"] = "host" if first else "compiler,host"

from molt.adapter import main  # noqa: E402

sys.exit(main())
