"""`python -m molt` runs the `molt` command."""

import sys

from molt.cli import main

sys.exit(main())
