"""`molt run`: load a module through a lockfile and call one export.

The result prints as JSON on stdout; a failure prints `CODE: message` on
stderr and exits 1 (`--json` prints the error object on stdout instead, for
agents). Loading shows a progress bar on a terminal and plain lines otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from molt.cli._exit import ExitCode
from molt.cli._progress import progress_reporter
from molt.errors import MoltError


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser(
        "run",
        help="load a module through a lockfile and call one export",
        description="Load NAME through the lockfile (hash, signature, ABI and interface "
        "checks), call FUNCTION with --args and print the result as JSON.",
    )
    run.add_argument(
        "--lock",
        type=Path,
        help="the lockfile (molt-lock.json); without it, NAME is a Molt source file",
    )
    run.add_argument(
        "name",
        metavar="NAME|SOURCE.py",
        help="module name in the lockfile, or a .py source to compile and run",
    )
    run.add_argument("function", metavar="FUNCTION", help="exported function to call")
    run.add_argument(
        "--args",
        default="{}",
        metavar="JSON",
        help="arguments as a JSON object keyed by parameter name, e.g. '{\"n\": 10}'",
    )
    run.add_argument("--version", dest="module_version", help="module version (default: highest)")
    run.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        metavar="PUBKEY",
        help="a trusted Ed25519 public key file (repeatable)",
    )
    run.add_argument("--fuel", type=int, help="fuel per call (default: the host's)")
    run.add_argument("--no-fuel", action="store_true", help="turn fuel metering off")
    run.add_argument("--memory-limit", type=int, metavar="BYTES", help="linear memory cap")
    run.add_argument("--deadline", type=float, metavar="SECONDS", help="wall-clock limit per call")
    run.add_argument(
        "--no-validate",
        action="store_true",
        help="skip the host's JSON Schema checks (the module still checks its input)",
    )
    run.add_argument("--no-cache", action="store_true", help="do not use the compiled-code cache")
    run.add_argument("-q", "--quiet", action="store_true", help="do not show loading progress")
    run.add_argument(
        "--json",
        action="store_true",
        help="print errors as a JSON object on stdout instead of stderr text",
    )
    run.set_defaults(handler=cmd_run)


def cmd_run(args: argparse.Namespace) -> ExitCode:
    try:
        result = _run(args)
    except MoltError as error:
        if not args.json:
            raise
        json.dump({"error": error.as_dict()}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return ExitCode.USAGE if error.phase == "tool" else ExitCode.FAILURE
    json.dump(result, sys.stdout, ensure_ascii=False, sort_keys=False)
    sys.stdout.write("\n")
    return ExitCode.OK


def _run(args: argparse.Namespace) -> Any:
    from molt.runtime import DEFAULT_FUEL, DEFAULT_MEMORY_LIMIT, Host
    from molt.runtime._json_view import from_json_view, to_json_view

    try:
        arguments = json.loads(args.args)
    except json.JSONDecodeError as exc:
        raise MoltError.from_code(
            "MOLT-E-USAGE",
            name="molt run",
            detail=f"--args is not valid JSON ({exc.msg} at character {exc.pos})",
        ) from None
    if not isinstance(arguments, dict):
        raise MoltError.from_code(
            "MOLT-E-USAGE",
            name="molt run",
            detail="--args must be a JSON object keyed by parameter name",
        )
    options = {
        "fuel": None if args.no_fuel else (args.fuel or DEFAULT_FUEL),
        "memory_limit": args.memory_limit or DEFAULT_MEMORY_LIMIT,
        "deadline": args.deadline,
        "cache_dir": not args.no_cache,
    }
    if args.lock is None:
        if not args.name.endswith(".py"):
            raise MoltError.from_code(
                "MOLT-E-USAGE",
                name="molt run",
                detail=f"{args.name!r} is not a .py source; give --lock LOCK to run a module by "
                "name from a lockfile",
            )
        from molt.cli._compile_commands import load_source_module

        module = load_source_module(Path(args.name), options)
    else:
        host = Host(trusted_keys=args.trust, **options)
        with progress_reporter(f"{args.name}", quiet=args.quiet) as on_progress:
            module = host.load(args.lock, args.name, args.module_version, on_progress=on_progress)
    with module:
        export = next((e for e in module.interface["exports"] if e["name"] == args.function), None)
        schema = export["input"] if export else None
        native = from_json_view(arguments, schema, export=args.function)
        return to_json_view(module.call(args.function, native, validate=not args.no_validate))
