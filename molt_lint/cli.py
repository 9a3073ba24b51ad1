"""`molt-lint`: the command line, with ruff's conventions.

    molt-lint [PATH ...]             lint files and folders (default: .)
    molt-lint - --stdin-filename F   lint standard input as file F
    molt-lint --explain MOLT101      print a code's documentation
    molt-lint --list-rules           list every code

Exit status: 0 no failing diagnostics, 1 diagnostics with severity error (or
files that could not be checked), 2 usage, configuration or internal error.
Every error is one `CODE: message` line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import enum
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from molt_lint import __version__, _registry
from molt_lint._api import (
    Options,
    StartupError,
    catalogue_for,
    check,
    check_paths,
    display_path,
    load_config,
    settings_for,
    unknown_code,
)
from molt_lint._report import FORMATS, FileError, Report, Reporter, repository_root
from molt_lint._runner import WorkerCrash


class ExitCode(enum.IntEnum):
    OK = 0
    """No diagnostics with severity error, or --exit-zero."""
    FAILURE = 1
    """Diagnostics with severity error, or files that could not be checked."""
    ERROR = 2
    """Bad usage, bad configuration, or a bug in molt-lint."""


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are coded like every other molt-lint error."""

    def error(self, message: str) -> NoReturn:
        raise StartupError(_coded("MOLT-E-USAGE", detail=message, name="molt-lint"))


def _coded(code: str, **fields: str) -> Exception:
    from molt.errors import MoltError

    return MoltError.from_code(code, **fields)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="molt-lint",
        description=(
            "Check Molt sources and the host code around them against the Molt spec: "
            "object-level interop, export signatures, implicit loading, nondeterminism, "
            "swallowed errors and CPython emulation."
        ),
        epilog=(
            "Configuration: [tool.molt-lint] in the nearest pyproject.toml (select, "
            "extend-select, ignore, exclude, unsuppressible). Suppress one line with "
            "'# molt: allow[CODE] reason'. MOLT_LINT_JOBS sets the number of worker processes."
        ),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders; - for stdin")
    parser.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="codes or prefixes to check (comma-separated); replaces the configured ones",
    )
    parser.add_argument(
        "--extend-select",
        action="append",
        default=[],
        metavar="CODES",
        help="codes or prefixes to check in addition",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODES",
        help="codes or prefixes not to check",
    )
    parser.add_argument(
        "--output-format",
        choices=FORMATS,
        default=os.environ.get("MOLT_LINT_OUTPUT_FORMAT", "text"),
        help="how to print diagnostics (default: text)",
    )
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="print the number of diagnostics per code instead of each one",
    )
    parser.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are diagnostics"
    )
    parser.add_argument("--explain", metavar="CODE", help="print the documentation of a code")
    parser.add_argument("--list-rules", action="store_true", help="list every code")
    parser.add_argument(
        "--stdin-filename", metavar="PATH", help="the path to report for source read from stdin"
    )
    parser.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply excludes to files named on the command line too (pre-commit)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="read settings from this pyproject.toml instead of searching",
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="cache folder (default: .molt_lint_cache in the project root)",
    )
    parser.add_argument(
        "--schema", action="store_true", help="print the JSON Schema of the json output format"
    )
    parser.add_argument("--version", action="version", version=f"molt-lint {__version__}")
    return parser


def _split(values: Sequence[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    """Run molt-lint; returns the exit status (the console script exits with it)."""
    output_format = "text"
    try:
        args = _parser().parse_args(argv)
        output_format = args.output_format
        return int(_run(args))
    except StartupError as exc:
        print(str(exc.error), file=sys.stderr)
        if output_format == "json" and exc.code.startswith("MOLT-E-LINT-"):
            _print_startup_report(exc)
        return ExitCode.ERROR
    except KeyboardInterrupt:
        print("molt-lint: interrupted", file=sys.stderr)
        return ExitCode.ERROR
    except WorkerCrash as crash:
        return _internal(f"a rule failed on {crash.path}", crash.details)
    except Exception as exc:  # a bug: report it with its code, never a bare traceback
        return _internal(f"{type(exc).__name__}: {exc}", traceback.format_exc())


def _internal(detail: str, details: str) -> int:
    try:
        message = str(_coded("MOLT-E-INTERNAL", name="molt-lint", detail=detail))
    except Exception:
        message = f"MOLT-E-INTERNAL: internal error in molt-lint: {detail}"
    print(message, file=sys.stderr)
    if os.environ.get("MOLT_LINT_DEBUG"):
        print(details, file=sys.stderr)
    return ExitCode.ERROR


def _print_startup_report(exc: StartupError) -> None:
    """In json mode an agent reads stdout: give it a report carrying the error."""
    try:
        cwd = Path.cwd()
        options = Options(cache=False)
        catalogue = catalogue_for(load_config(cwd, options), options)
    except Exception:  # molt: allow[MOLT502] best effort: the error is already on stderr
        return
    report = Report(catalogue)
    report.add_error(FileError(exc.code, exc.message, exc.file, exc.line))
    Reporter(sys.stdout, "json").report(report)


def _run(args: argparse.Namespace) -> ExitCode:
    cwd = Path.cwd()
    reporter = Reporter(sys.stdout, args.output_format)
    if args.schema:
        from molt.spec import load_spec

        reporter.write(_json_text(load_spec().schema("schemas/lint-report.json")))
        return ExitCode.OK
    options = Options(
        select=_split(args.select),
        extend_select=_split(args.extend_select) or (),
        ignore=_split(args.ignore) or (),
        config=args.config,
        force_exclude=args.force_exclude,
        cache=not args.no_cache,
        cache_dir=args.cache_dir,
    )
    if args.explain or args.list_rules:
        config = load_config(cwd, options)
        catalogue = catalogue_for(config, options)
        if args.explain:
            code = args.explain.strip().upper()
            if code not in catalogue.codes:
                closest = _registry.closest_codes(code)
                raise StartupError(unknown_code(args.explain, "--explain", closest))
            reporter.explain(catalogue, code)
        else:
            selected = set(settings_for(config, options).selected)
            reporter.rules(catalogue, selected)
        return ExitCode.OK
    paths = args.paths or ["."]
    if "-" in paths:
        if len(paths) > 1:
            raise StartupError(
                _coded(
                    "MOLT-E-USAGE",
                    name="molt-lint",
                    detail="'-' (stdin) cannot be mixed with paths",
                )
            )
        name = args.stdin_filename or "-"
        if Path(name).is_absolute():
            name = display_path(Path(name), cwd)
        report = check(sys.stdin.buffer.read(), name, options, cwd)
    else:
        report = check_paths(paths, options, cwd)
    if args.statistics:
        reporter.statistics(report)
    else:
        reporter.report(report, sarif_root=repository_root(cwd))
    if args.exit_zero or not report.failed:
        return ExitCode.OK
    return ExitCode.FAILURE


def _json_text(data: object) -> str:
    import json

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.exit(main())
