"""`molt demo`: the main job, end to end, growing with every capability.

Today it validates the spec and summarises its rules and error codes; later
steps (lint the examples, build, sign, lock, load, call) are added as the
linter, compiler and host land.
"""

from __future__ import annotations

import argparse
from collections import Counter

from molt.cli._exit import ExitCode
from molt.spec import load_spec, validate_spec


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser("demo", help="run the end-to-end demo and print each step")
    demo.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> ExitCode:
    spec = load_spec()
    print(f"[1/2] validate the spec ({spec.root})")
    report = validate_spec(spec)
    for problem in report.errors:
        print(f"  error: {problem}")
    print(
        f"  spec {spec.version}: {len(report.errors)} errors, {len(report.warnings)} warnings "
        f"({len(report.warnings)} rules not enforced yet)"
    )
    if not report.ok:
        print("  the spec is invalid; fix the errors above (molt spec validate)")
        return ExitCode.FAILURE

    print("[2/2] summarise rules and error codes")
    levels = Counter(rule["level"] for rule in spec.rules)
    level_text = ", ".join(f"{count} {level}" for level, count in sorted(levels.items()))
    print(f"  {len(spec.rules)} rules: {level_text}")
    for rule in spec.rules:
        print(f"    {rule['id']:<32} {rule['level']:<10} {rule['title']}")
    phases = Counter(error["phase"] for error in spec.errors)
    order = ["compile", "lint", "load", "boundary", "runtime", "tool"]
    phase_text = ", ".join(f"{phases[p]} {p}" for p in order if phases[p])
    print(f"  {len(spec.errors)} error codes: {phase_text}")
    print(
        "done: explore with `molt spec show MOLT-R-SCHEMA-BOUNDARY` or "
        "`molt spec export --format json`"
    )
    return ExitCode.OK
