"""`python -m molt_lint` runs the command line."""

import sys

from molt_lint.cli import main

sys.exit(main())
