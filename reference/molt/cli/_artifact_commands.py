"""`molt keygen`, `molt build`, `molt lock add`, `molt sign`, `molt verify`.

The artifact commands: make a key pair, turn a recipe (or a built module) into
a locked, signed `dist/NAME-VERSION.wasm`, and check every entry of a lockfile
as a host would. Each handler returns an `ExitCode`; coded errors propagate to
`molt.cli.main`, which prints `CODE: message`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from molt.cli import _compile_commands
from molt.cli._exit import ExitCode
from molt.cli._output import FORMATS, print_json, resolve_format

if TYPE_CHECKING:
    from molt.lockfile import LockEntry


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the artifact commands to the top-level parser."""
    keygen = subparsers.add_parser(
        "keygen",
        help="make an Ed25519 key pair for signing artifacts",
        description="Write NAME.key (private, mode 0600, never printed) and NAME.pub "
        "(public) into DIR; existing files are never overwritten.",
    )
    keygen.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder for the keys"
    )
    keygen.add_argument("--name", default="molt", help="file name of the keys (default: molt)")
    _add_format(keygen)
    keygen.set_defaults(handler=cmd_keygen)

    build = subparsers.add_parser(
        "build",
        help="build a recipe into dist/NAME-VERSION.wasm and lock it",
        description="Build the module a molt-recipe.toml describes, copy it to "
        "dist/NAME-VERSION.wasm, sign it with --key and add it to the lockfile.",
    )
    build.add_argument(
        "recipe",
        type=Path,
        metavar="RECIPE|SOURCE.py",
        help="a molt-recipe.toml, or one Molt source file to compile",
    )
    build.add_argument(
        "--key", "--sign", dest="key", type=Path, metavar="KEY", help="private key to sign with"
    )
    build.add_argument(
        "--lock",
        type=Path,
        metavar="LOCK",
        help="lockfile (default: molt-lock.json next to RECIPE)",
    )
    build.add_argument(
        "--out", type=Path, metavar="DIR", help="artifact folder (default: dist/ next to RECIPE)"
    )
    _compile_commands.add_build_source_options(build)
    _add_format(build)
    build.set_defaults(handler=cmd_build)

    lock = subparsers.add_parser("lock", help="edit a lockfile", description="Edit a lockfile.")
    lock_commands = lock.add_subparsers(dest="lock_command", metavar="COMMAND", required=True)
    add = lock_commands.add_parser(
        "add",
        help="check a built module, copy it to dist/ and lock it",
        description="Check WASM as a host would, copy it to dist/NAME-VERSION.wasm next to "
        "LOCK and add or replace its entry (name, version and exports come from its "
        "molt.interface section).",
    )
    add.add_argument("lock", type=Path, metavar="LOCK", help="the lockfile (created if missing)")
    add.add_argument("wasm", type=Path, metavar="WASM", help="the built module")
    add.add_argument("--key", type=Path, metavar="KEY", help="private key to sign with")
    _add_format(add)
    add.set_defaults(handler=cmd_lock_add)

    sign = subparsers.add_parser(
        "sign",
        help="sign a lockfile entry",
        description="Check the artifact of entry NAME against the lockfile, sign it with "
        "KEY and rewrite the lockfile.",
    )
    sign.add_argument("lock", type=Path, metavar="LOCK", help="the lockfile")
    sign.add_argument("name", metavar="NAME", help="the module to sign")
    sign.add_argument("--version", metavar="V", help="the version (default: the highest)")
    sign.add_argument("--key", type=Path, required=True, metavar="KEY", help="private key")
    _add_format(sign)
    sign.set_defaults(handler=cmd_sign)

    verify = subparsers.add_parser(
        "verify",
        help="check every lockfile entry: size, sha256, signature, module",
        description="Check every entry of LOCK as a host would before running it; exit 1 "
        "if any entry fails.",
    )
    verify.add_argument("lock", type=Path, metavar="LOCK", help="the lockfile")
    verify.add_argument(
        "--trust",
        type=Path,
        action="append",
        required=True,
        metavar="PUBKEY",
        help="a trusted public key file (repeat for several)",
    )
    _add_format(verify)
    verify.set_defaults(handler=cmd_verify)


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="text or json (default: text on a terminal, json otherwise)",
    )


# -- keygen -------------------------------------------------------------------------


def cmd_keygen(args: argparse.Namespace) -> ExitCode:
    from molt.signing import generate_keypair, key_id, load_public_key

    private_path, public_path = generate_keypair(args.out, args.name)
    identifier = key_id(load_public_key(public_path))
    if resolve_format(args.format) == "json":
        print_json(
            {"private_key": str(private_path), "public_key": str(public_path), "key_id": identifier}
        )
    else:
        print(f"private key: {private_path} (mode 0600; keep it secret, never share it)")
        print(f"public key:  {public_path}")
        print(f"key id:      {identifier}")
    return ExitCode.OK


# -- build, lock add, sign -------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> ExitCode:
    from molt.build import DEFAULT_LOCKFILE, build_from_recipe

    if args.recipe.suffix == ".py":
        return _compile_commands.cmd_build_source(args)

    entry = build_from_recipe(args.recipe, key_path=args.key, lock_path=args.lock, out_dir=args.out)
    lock_path = args.lock if args.lock is not None else args.recipe.parent / DEFAULT_LOCKFILE
    _print_entry("built", entry, lock_path, args.format)
    return ExitCode.OK


def cmd_lock_add(args: argparse.Namespace) -> ExitCode:
    from molt.build import add_to_lock

    entry = add_to_lock(args.lock, args.wasm, key_path=args.key)
    _print_entry("locked", entry, args.lock, args.format)
    return ExitCode.OK


def cmd_sign(args: argparse.Namespace) -> ExitCode:
    from molt.build import sign_lock_entry

    entry = sign_lock_entry(args.lock, args.name, args.version, args.key)
    _print_entry("signed", entry, args.lock, args.format)
    return ExitCode.OK


def _print_entry(verb: str, entry: LockEntry, lock_path: Path, requested: str | None) -> None:
    artifact = lock_path.parent / entry.file
    if resolve_format(requested) == "json":
        print_json({"lockfile": str(lock_path), "path": str(artifact), "entry": entry.to_json()})
        return
    print(f"{verb} {entry.name} {entry.version}")
    print(f"  file:    {artifact}")
    print(f"  size:    {entry.size} bytes")
    print(f"  sha256:  {entry.sha256}")
    print(f"  exports: {', '.join(entry.export_names)}")
    print(f"  key id:  {entry.key_id or 'unsigned'}")
    print(f"  lock:    {lock_path}")


# -- verify -------------------------------------------------------------------------


def cmd_verify(args: argparse.Namespace) -> ExitCode:
    from molt.build import verify_lock
    from molt.signing import TrustedKeys

    trusted = TrustedKeys.from_keys(args.trust)
    results = verify_lock(args.lock, trusted)
    failed = [result for result in results if not result.ok]
    if resolve_format(args.format) == "json":
        print_json(
            {
                "lockfile": str(args.lock),
                "ok": not failed,
                "trusted_keys": list(trusted),
                "entries": [result.as_dict() for result in results],
            }
        )
    else:
        rows = [("NAME", "VERSION", "FILE", "KEY ID", "RESULT")]
        rows += [(r.name, r.version, r.file, r.key_id or "-", r.code or "OK") for r in results]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            print("  ".join([*cells, row[-1]]))
        for result in failed:
            print(f"{result.name} {result.version}: {result.error}", file=sys.stderr)
        print(f"{len(results) - len(failed)} of {len(results)} entries OK")
    return ExitCode.FAILURE if failed else ExitCode.OK
