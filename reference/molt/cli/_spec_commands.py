"""`molt spec ...`: validate, show, export and list the machine-readable spec.

Each subcommand is a function that takes the parsed arguments and returns an
`ExitCode`; printing goes through `_output` so text and JSON stay in step.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from molt._atomic import write_atomically
from molt.cli._exit import ExitCode
from molt.cli._output import FORMATS, indent_block, print_json, resolve_format, wrap
from molt.errors import MoltError
from molt.spec import Spec, SpecItem, closest_ids, load_spec, validate_spec

_PHASES = ("compile", "lint", "load", "boundary", "runtime", "tool")
_LEVELS = ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `molt spec` and its subcommands to the top-level parser."""
    spec_parser = subparsers.add_parser(
        "spec",
        help="validate, show and export the Molt spec",
        description="The machine-readable Molt spec: rules, error codes, ABI, language.",
    )
    commands = spec_parser.add_subparsers(dest="spec_command", metavar="COMMAND", required=True)

    validate = commands.add_parser("validate", help="check every spec file and cross-reference")
    validate.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (rules nothing enforces yet) as failures",
    )
    _add_format(validate)
    validate.set_defaults(handler=cmd_validate)

    show = commands.add_parser("show", help="show one rule, error code, lint code or item")
    show.add_argument("id", metavar="ID", help="for example MOLT-R-SCHEMA-BOUNDARY")
    _add_format(show)
    show.set_defaults(handler=cmd_show)

    export = commands.add_parser("export", help="the whole spec as one JSON document")
    export.add_argument("--format", choices=("json",), default="json", help="output format (json)")
    export.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    export.set_defaults(handler=cmd_export)

    rules = commands.add_parser("rules", help="list the design rules")
    rules.add_argument("--level", choices=_LEVELS, help="only rules of this level")
    rules.add_argument("--area", help="only rules of this area")
    _add_format(rules)
    rules.set_defaults(handler=cmd_rules)

    errors = commands.add_parser("errors", help="list the error codes")
    errors.add_argument("--phase", choices=_PHASES, help="only codes of this phase")
    _add_format(errors)
    errors.set_defaults(handler=cmd_errors)


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="text or json (default: text on a terminal, json otherwise)",
    )


# -- validate -----------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> ExitCode:
    spec = load_spec()
    report = validate_spec(spec)
    failed = not report.ok or (args.strict and bool(report.warnings))
    if resolve_format(args.format) == "json":
        print_json({**report.as_dict(), "spec_version": spec.version, "root": str(spec.root)})
    else:
        for problem in report.errors:
            print(f"error: {problem}", file=sys.stderr)
        for problem in report.warnings:
            print(f"warning: {problem}", file=sys.stderr)
        verdict = "invalid" if not report.ok else "valid"
        print(
            f"spec {spec.version} is {verdict}: {len(spec.rules)} rules, "
            f"{len(spec.errors)} error codes, {len(spec.schemas)} schemas; "
            f"{len(report.errors)} errors, {len(report.warnings)} warnings"
        )
    return ExitCode.FAILURE if failed else ExitCode.OK


# -- show ---------------------------------------------------------------------


def cmd_show(args: argparse.Namespace) -> ExitCode:
    spec = load_spec()
    found = spec.lookup(args.id)
    if found is None:
        closest = closest_ids(spec, args.id)
        raise MoltError.from_code(
            "MOLT-E-UNKNOWN-ID",
            name=args.id,
            closest=", ".join(closest) if closest else "none close; run `molt spec rules`",
        )
    kind, item = found
    if resolve_format(args.format) == "json":
        print_json({"kind": kind, "url": spec.docs_url(args.id), "item": item})
    else:
        print(_render(spec, kind, item))
    return ExitCode.OK


def _render(spec: Spec, kind: str, item: SpecItem) -> str:
    if kind == "rule":
        return _render_rule(spec, item)
    if kind == "error":
        return _render_error(spec, item)
    return _render_generic(item)


def _render_rule(spec: Spec, rule: SpecItem) -> str:
    lines = [
        f"{rule['id']}  [{rule['level']}]  {rule['area']}  "
        f"({rule['status']} since {rule['since']})",
        rule["title"],
        "",
    ]
    lines += ["Statement:", wrap(rule["statement"]), "", "Rationale:", wrap(rule["rationale"])]
    for heading, key in (("Do", "do"), ("Don't", "dont")):
        lines += ["", f"{heading}:"]
        for entry in rule["guidance"][key]:
            lines += [
                wrap(entry["text"], indent="  - ").replace("\n  - ", "\n    "),
                indent_block(entry["example"]),
            ]
    enforced = [f"{kind}: {', '.join(ids)}" for kind, ids in rule["enforced_by"].items() if ids]
    lines += ["", "Enforced by: " + ("; ".join(enforced) if enforced else "nothing yet")]
    if rule.get("related"):
        lines.append("Related: " + ", ".join(rule["related"]))
    lines.append("Docs: " + spec.docs_url(rule["id"]))
    return "\n".join(lines)


def _render_error(spec: Spec, error: SpecItem) -> str:
    lines = [
        f"{error['code']}  [{error['phase']}]  ({error['status']} since {error['since']})",
        error["title"],
        "",
        "When:",
        wrap(error["when"]),
        "",
        "What to do:",
        wrap(error["fix"]),
        "",
        "Message:",
        "  " + error["message"],
    ]
    if error.get("example"):
        lines += ["", "Example:", indent_block(error["example"], "  ")]
    lines += ["", "Upholds: " + ", ".join(error["rules"]), "Docs: " + spec.docs_url(error["code"])]
    return "\n".join(lines)


def _render_generic(item: SpecItem) -> str:
    lines = []
    for key, value in item.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        verbatim = key in ("example", "syntax")
        lines.append(f"{key}:\n{indent_block(text, '  ') if verbatim else wrap(text)}")
    return "\n".join(lines)


# -- export, rules, errors ------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> ExitCode:
    document = load_spec().export()
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return ExitCode.OK
    write_atomically(args.output, text)
    return ExitCode.OK


def cmd_rules(args: argparse.Namespace) -> ExitCode:
    spec = load_spec()
    rules = [
        rule
        for rule in spec.rules
        if (args.level is None or rule["level"] == args.level)
        and (args.area is None or rule["area"] == args.area)
    ]
    if args.area is not None and not rules and args.area not in {r["area"] for r in spec.rules}:
        areas = ", ".join(sorted({r["area"] for r in spec.rules}))
        raise MoltError.from_code(
            "MOLT-E-USAGE",
            name="molt spec rules",
            detail=f"unknown area {args.area!r}; choose one of: {areas}",
        )
    if resolve_format(args.format) == "json":
        print_json(rules)
    else:
        _print_table([(r["id"], r["level"], r["area"], r["title"]) for r in rules])
        print(f"{len(rules)} rules")
    return ExitCode.OK


def cmd_errors(args: argparse.Namespace) -> ExitCode:
    spec = load_spec()
    errors = [error for error in spec.errors if args.phase is None or error["phase"] == args.phase]
    if resolve_format(args.format) == "json":
        print_json(errors)
    else:
        _print_table([(e["code"], e["phase"], e["title"]) for e in errors])
        print(f"{len(errors)} error codes")
    return ExitCode.OK


def _print_table(rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, str(row[-1])]))
