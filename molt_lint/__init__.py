"""`molt-lint`: checks Molt sources and host code against the Molt spec.

The library API, usable without the command line:

    >>> from molt_lint import check
    >>> report = check("import js\n", "app.py")
    >>> [(d.code, d.line) for d in report.diagnostics]
    [('MOLT101', 1)]

`check(source, filename)` lints one text, `check_paths(paths)` lints files and
folders (with the cache and parallel workers), `main(argv)` is the command.
This package uses only `molt.spec` and `molt.errors` from the rest of Molt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Options", "Report", "__version__", "check", "check_paths", "main"]

__version__ = "0.1.0"

if TYPE_CHECKING:
    from molt_lint._api import Options, check, check_paths
    from molt_lint._report import Report
    from molt_lint.cli import main


def __getattr__(name: str) -> Any:
    # Imported on first use, so `import molt_lint` (for __version__) stays cheap.
    if name in ("Options", "check", "check_paths"):
        from molt_lint import _api

        return getattr(_api, name)
    if name == "Report":
        from molt_lint._report import Report

        return Report
    if name == "main":
        from molt_lint.cli import main

        return main
    raise AttributeError(f"module 'molt_lint' has no attribute {name!r}")
