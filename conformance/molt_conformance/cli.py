"""Entry point of `molt-conformance`.

The tool's checks land with their own issue; until then the command answers
`--version` and says plainly, with a coded error, that it has nothing to run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from molt_conformance import __version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="molt-conformance")
    parser.add_argument("--version", action="version", version=f"molt-conformance {__version__}")
    parser.parse_args(argv)
    print(
        f"MOLT-E-USAGE: molt-conformance {__version__} has no commands yet; it ships with a later "
        "release of molt-toolkit",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
