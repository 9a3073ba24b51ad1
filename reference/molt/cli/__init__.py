"""The `molt` command: one entry point, one module per group of subcommands.

`main` never lets a traceback reach the user: a `MoltError` prints as
`CODE: message` (exit 1, or 2 for usage and tool errors), a broken spec lists
its problems, and anything unexpected is reported as MOLT-E-INTERNAL (exit 2).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from molt import __version__
from molt.cli import _artifact_commands, _compile_commands, _demo, _run_command, _spec_commands
from molt.cli._exit import ExitCode
from molt.errors import MoltError
from molt.spec import SpecError

__all__ = ["ExitCode", "build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors reported as MOLT-E-USAGE, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        try:
            error = MoltError.from_code("MOLT-E-USAGE", detail=message, name=self.prog)
            text = str(error)
        except (SpecError, LookupError, KeyError):
            text = f"MOLT-E-USAGE: {message}"
        print(text, file=sys.stderr)
        raise SystemExit(ExitCode.USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="molt",
        description="Molt: typed Python compiled to small, signed, schema-bounded WebAssembly.",
    )
    parser.add_argument("--version", action="version", version=f"molt {__version__}")
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=_Parser
    )
    _spec_commands.register(subparsers)
    _demo.register(subparsers)
    _artifact_commands.register(subparsers)
    _run_command.register(subparsers)
    _compile_commands.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `molt` with `argv` (default: sys.argv[1:]) and return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return int(args.handler(args))
    except SystemExit as exit_:
        return int(exit_.code) if isinstance(exit_.code, int) else ExitCode.USAGE
    except MoltError as error:
        print(str(error), file=sys.stderr)
        return ExitCode.USAGE if error.phase == "tool" else ExitCode.FAILURE
    except SpecError as error:
        print(f"{error.code}: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    except BrokenPipeError:
        # The reader went away (`molt spec rules | head`): not an error of ours.
        _silence_stdout()
        return ExitCode.OK
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the last line of defence: never show a bare traceback
        return _internal_error(error)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _internal_error(error: BaseException) -> int:
    detail = f"{type(error).__name__}: {error}"
    try:
        print(
            MoltError.from_code("MOLT-E-INTERNAL", name=f"molt {__version__}", detail=detail),
            file=sys.stderr,
        )
    except Exception:  # the registry itself is unusable: still say what happened
        print(f"MOLT-E-INTERNAL: internal error in molt {__version__}: {detail}", file=sys.stderr)
    if os.environ.get("MOLT_DEBUG"):
        traceback.print_exc()
    return ExitCode.USAGE


if __name__ == "__main__":
    sys.exit(main())
