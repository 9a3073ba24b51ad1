"""`molt-conformance`: run the suite against an adapter, and read its reports.

    molt-conformance run --adapter 'COMMAND' [--filter X]... [--jobs N]
                         [--expectations FILE] [--report FILE] [--junit FILE]
                         [--markdown FILE] [--html FILE] [--timeout S] [--restarts N]
                         [--reference-adapter COMMAND | --no-pairing]
    molt-conformance summary REPORT
    molt-conformance list [--filter X]...
    molt-conformance show ID

Each subcommand is a function that returns an `ExitCode`: 0 when everything
expected happened, 1 when a run or report has unexpected results (FAIL, XPASS,
ERROR, CRASH, TIMEOUT), 2 when the command could not do its work (bad usage, an
invalid case, an adapter that cannot start). Errors go to stderr as
`CODE: message`; progress goes to stderr; stdout carries the result, as text on
a terminal and JSON otherwise (`--format` chooses).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import traceback
from collections.abc import Callable, Sequence
from enum import IntEnum
from pathlib import Path
from typing import Any

from molt_conformance import __version__
from molt_conformance._errors import ConformanceError, FileProblem, InternalError, UsageError
from molt_conformance._expectations import read_expectations
from molt_conformance._outcomes import UNEXPECTED
from molt_conformance._pairing import REFERENCE_ADAPTER
from molt_conformance._progress import RunProgress
from molt_conformance._report import (
    html_summary,
    junit_xml,
    markdown_summary,
    read_report,
    report_json,
)
from molt_conformance._runner import RunOptions, run_suite
from molt_conformance._suite import Suite, load_suite

__all__ = ["ExitCode", "main"]

PROG = "molt-conformance"


class ExitCode(IntEnum):
    OK = 0
    """Everything the command checked was as expected."""
    UNEXPECTED = 1
    """The run or report has unexpected results."""
    USAGE = 2
    """The command could not do its work: bad usage or a coded error."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage as MOLT-E-USAGE instead of its own text."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        raise UsageError(message, self.prog.split()[0])


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Run the Molt conformance suite against an adapter.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--cases", type=Path, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="run the suite against an implementation's adapter")
    run.add_argument(
        "--adapter",
        required=True,
        metavar="COMMAND",
        help="the adapter command line, e.g. 'python -m molt.adapter'",
    )
    run.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="X",
        help="run only cases matching a case ID, ID prefix or glob, feature tag, "
        "rule ID, area or kind (repeatable)",
    )
    run.add_argument(
        "--jobs",
        type=_positive,
        default=1,
        metavar="N",
        help="adapter processes running cases in parallel (default 1)",
    )
    run.add_argument(
        "--expectations",
        type=Path,
        metavar="FILE",
        help="TOML file with a [known-failures] table of case IDs to reasons",
    )
    run.add_argument("--report", type=Path, metavar="FILE", help="write the JSON report")
    run.add_argument("--junit", type=Path, metavar="FILE", help="write JUnit XML")
    run.add_argument("--markdown", type=Path, metavar="FILE", help="write a Markdown summary")
    run.add_argument("--html", type=Path, metavar="FILE", help="write an HTML summary")
    run.add_argument(
        "--timeout",
        type=_seconds,
        default=30.0,
        metavar="S",
        help="seconds to wait for each adapter response (default 30)",
    )
    run.add_argument(
        "--restarts",
        type=_count,
        default=10,
        metavar="N",
        help="adapter restarts allowed after crashes and hangs (default 10)",
    )
    pairing = run.add_mutually_exclusive_group()
    pairing.add_argument(
        "--reference-adapter",
        default=REFERENCE_ADAPTER,
        metavar="COMMAND",
        help="the adapter that plays the role a compiler-only or host-only implementation "
        "lacks in compile-run cases (default: python -m molt.adapter)",
    )
    pairing.add_argument(
        "--no-pairing",
        action="store_true",
        help="skip compile-run cases an implementation cannot run alone",
    )
    run.add_argument("--quiet", action="store_true", help="no progress on stderr")
    _format(run)
    run.set_defaults(handler=cmd_run)

    summary = sub.add_parser(
        "summary", help="summarise a JSON report; exit 1 on unexpected results"
    )
    summary.add_argument("report", type=Path, metavar="REPORT")
    _format(summary)
    summary.set_defaults(handler=cmd_summary)

    listing = sub.add_parser("list", help="list the cases")
    listing.add_argument("--filter", action="append", default=[], metavar="X")
    _format(listing)
    listing.set_defaults(handler=cmd_list)

    show = sub.add_parser("show", help="show one case: its file and what it checks")
    show.add_argument("id", metavar="ID")
    _format(show)
    show.set_defaults(handler=cmd_show)
    return parser


def _format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default=None,
        help="text or json (default: text on a terminal, json otherwise)",
    )


def _positive(text: str) -> int:
    value = _count(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {text}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {text}")
    return value


def _json_output(args: argparse.Namespace) -> bool:
    if args.format is not None:
        return bool(args.format == "json")
    return not sys.stdout.isatty()


def _print_json(document: Any) -> None:
    print(json.dumps(document, indent=2, ensure_ascii=False))


def _suite(args: argparse.Namespace) -> Suite:
    return load_suite(args.cases)


# -- run ----------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> ExitCode:
    suite = _suite(args)
    known = read_expectations(args.expectations, suite) if args.expectations else {}
    options = RunOptions(
        adapter=args.adapter,
        filters=tuple(args.filter),
        jobs=args.jobs,
        timeout=args.timeout,
        restarts=args.restarts,
        known_failures=known,
        reference_adapter=None if args.no_pairing else args.reference_adapter,
    )
    selected = len(suite.select(options.filters))
    with RunProgress(selected, quiet=args.quiet) as progress:
        run = run_suite(suite, options, on_result=progress.update)
    document = report_json(run)
    outputs: list[tuple[Path | None, Callable[[], bytes]]] = [
        (args.report, lambda: (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()),
        (args.junit, lambda: junit_xml(document, suite)),
        (args.markdown, lambda: markdown_summary(document, suite).encode()),
        (args.html, lambda: html_summary(document, suite).encode()),
    ]
    for path, render in outputs:
        if path is not None:
            _write(path, render())
    _print_summary(document, args)
    return ExitCode.UNEXPECTED if document["summary"]["unexpected"] else ExitCode.OK


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise FileProblem("write", str(path), exc.strerror or str(exc)) from None


def _print_summary(document: dict[str, Any], args: argparse.Namespace) -> None:
    summary = document["summary"]
    unexpected = [r for r in document["results"] if r["status"] in UNEXPECTED]
    if _json_output(args):
        _print_json(
            {
                "implementation": document["implementation"],
                "suite": document["suite"],
                "duration_s": document["duration_s"],
                "summary": summary,
                "unexpected": [
                    {k: r[k] for k in ("id", "status", "message") if k in r} for r in unexpected
                ],
            }
        )
        return
    implementation = document["implementation"]
    counts = ", ".join(f"{n} {s}" for s, n in summary["by_status"].items() if n)
    for result in unexpected:
        print(f"{result['id']} {result['status']}: {result.get('message', '')}")
    print(
        f"{implementation['name']} {implementation['version']}: {summary['total']} cases "
        f"({counts}); {summary['unexpected']} unexpected; suite {document['suite']['version']} "
        f"sha256 {document['suite']['sha256'][:12]}; {document['duration_s']:.1f} s"
    )


# -- summary --------------------------------------------------------------------------------


def cmd_summary(args: argparse.Namespace) -> ExitCode:
    report = read_report(args.report)
    document = dict(report.document)
    _print_summary(document, args)
    return ExitCode.UNEXPECTED if report.unexpected else ExitCode.OK


# -- list and show ----------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> ExitCode:
    suite = _suite(args)
    cases = suite.select(args.filter)
    if _json_output(args):
        _print_json(
            {
                "suite": {
                    "version": suite.version,
                    "sha256": suite.sha256,
                    "cases": len(suite.cases),
                },
                "cases": [
                    {
                        "id": c.id,
                        "kind": c.kind,
                        "title": c.title,
                        "rules": list(c.rules),
                        "features": list(c.features),
                        "roles": list(c.roles),
                    }
                    for c in cases
                ],
            }
        )
        return ExitCode.OK
    width = max((len(case.id) for case in cases), default=0)
    for case in cases:
        tags = f"  [{', '.join(case.features)}]" if case.features else ""
        print(f"{case.id:<{width}}  {case.kind:<13}  {case.title}{tags}")
    print(f"{len(cases)} of {len(suite.cases)} cases; suite sha256 {suite.sha256}", file=sys.stderr)
    return ExitCode.OK


def cmd_show(args: argparse.Namespace) -> ExitCode:
    suite = _suite(args)
    case = suite.case(args.id)
    files = [
        {
            "name": name,
            "size": len(data := case.read(name)),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        for name in case.files()
    ]
    if _json_output(args):
        _print_json(
            {"id": case.id, "folder": str(case.folder), "case": dict(case.data), "files": files}
        )
        return ExitCode.OK
    print(f"{case.id}: {case.title}")
    print(f"folder: {case.folder}")
    print(
        f"kind: {case.kind}; roles: {', '.join(case.roles)}; "
        f"features: {', '.join(case.features) or 'none'}"
    )
    print(f"rules: {', '.join(case.rules)}")
    print("files:")
    for item in files:
        print(f"  {item['name']}  {item['size']} bytes  sha256 {item['sha256']}")
    print()
    print(case.read("case.toml").decode("utf-8"), end="")
    return ExitCode.OK


# -- entry point --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return int(args.handler(args))
    except ConformanceError as error:
        print(error, file=sys.stderr)
        return int(ExitCode.USAGE)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return int(ExitCode.USAGE)
    except Exception as exc:  # a bug: show the traceback, then the coded line
        traceback.print_exc()
        print(InternalError(f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return int(ExitCode.USAGE)


if __name__ == "__main__":
    sys.exit(main())
