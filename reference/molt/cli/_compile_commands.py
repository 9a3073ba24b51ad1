"""The compiler from the command line: `molt build SOURCE.py`, `molt inspect`,
and the source half of `molt run SOURCE.py`.

`molt build SOURCE.py -o OUT.wasm` compiles one Molt source file and prints the
module's size and exports (`--emit-llvm` prints the LLVM IR instead of writing
nothing else). `molt run SOURCE.py FUNCTION` compiles (cached by the source's
hash and the compiler's version), signs the bytes with a key that only this
process holds and trusts, and loads them through the same host checks as any
locked artifact. `molt inspect OUT.wasm` prints a module's interface.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from molt import __version__
from molt._atomic import write_atomically
from molt.cli._exit import ExitCode
from molt.cli._output import print_json, resolve_format
from molt.errors import MoltError


def register(subparsers: argparse._SubParsersAction) -> None:
    inspect = subparsers.add_parser(
        "inspect",
        help="print a module's interface (exports and their schemas)",
        description="Read a .wasm module's molt.interface section and its imports and exports.",
    )
    inspect.add_argument("wasm", type=Path, metavar="WASM", help="the module file")
    inspect.add_argument(
        "--format",
        choices=("text", "json"),
        default=None,
        help="text or json (default: text on a terminal, json otherwise)",
    )
    inspect.set_defaults(handler=cmd_inspect)


def add_build_source_options(build: argparse.ArgumentParser) -> None:
    """The options `molt build` takes when its argument is a .py source."""
    build.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help="with SOURCE.py: where to write the module (default: NAME.wasm)",
    )
    build.add_argument(
        "--emit-llvm", action="store_true", help="with SOURCE.py: print the LLVM IR of the module"
    )
    build.add_argument(
        "--opt-level",
        type=int,
        choices=(0, 1, 2, 3),
        default=2,
        help="with SOURCE.py: LLVM optimization level (default 2)",
    )
    build.add_argument(
        "--module-version",
        default="0.1.0",
        metavar="VERSION",
        help="with SOURCE.py: the module's version (default 0.1.0)",
    )


def cmd_build_source(args: argparse.Namespace) -> ExitCode:
    from molt.compiler import compile_file

    source: Path = args.recipe
    compiled = compile_file(source, version=args.module_version, opt_level=args.opt_level)
    output: Path = args.output or source.with_suffix(".wasm")
    write_atomically(output, compiled.wasm)
    exports = [export["name"] for export in compiled.interface["exports"]]
    summary = {
        "file": str(output),
        "size": len(compiled.wasm),
        "sha256": hashlib.sha256(compiled.wasm).hexdigest(),
        "module": compiled.interface["module"],
        "exports": exports,
    }
    if args.emit_llvm:
        sys.stdout.write(compiled.llvm_ir)
        return ExitCode.OK
    if resolve_format(args.format) == "json":
        print_json(summary)
    else:
        print(f"{output}: {len(compiled.wasm)} bytes, exports {', '.join(exports)}")
    return ExitCode.OK


def cmd_inspect(args: argparse.Namespace) -> ExitCode:
    from molt.wasmfile import read_interface, read_wasm

    try:
        data = args.wasm.read_bytes()
    except OSError as exc:
        raise MoltError.from_code(
            "MOLT-E-IO", operation="read", file=str(args.wasm), detail=exc.strerror or str(exc)
        ) from None
    info = read_wasm(data, name=args.wasm.name)
    interface = read_interface(info, name=args.wasm.name)
    if resolve_format(args.format) == "json":
        print_json(
            {
                "file": str(args.wasm),
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "interface": interface,
                "imports": [f"{i.module}.{i.name}" for i in info.imports],
            }
        )
        return ExitCode.OK
    module, abi = interface["module"], interface["abi"]
    print(
        f"{module['name']} {module['version']}  ABI {abi['major']}.{abi['minor']}  "
        f"{len(data)} bytes  sha256 {hashlib.sha256(data).hexdigest()}"
    )
    print(f"imports: {len(info.imports) or 'none'}")
    for export in interface["exports"]:
        params = ", ".join(f"{p['name']}: {p['type']}" for p in export["params"])
        print(f"  {export['name']}({params}) -> {export['returns']}")
    return ExitCode.OK


def compile_cached(source: Path, opt_level: int = 2) -> bytes:
    """Compile `source`, reusing the module built from the same bytes by this very compiler
    (its version, code and spec data: `compiler_fingerprint`)."""
    from molt.compiler import compile_file, compiler_fingerprint

    try:
        text = source.read_bytes()
    except OSError as exc:
        raise MoltError.from_code(
            "MOLT-E-IO", operation="read", file=str(source), detail=exc.strerror or str(exc)
        ) from None
    key = hashlib.sha256(
        b"\n".join(
            [
                text,
                source.name.encode(),
                __version__.encode(),
                compiler_fingerprint().encode(),
                str(opt_level).encode(),
            ]
        )
    ).hexdigest()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "molt" / "build"
    cached = cache / f"{key}.wasm"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    wasm = compile_file(source, opt_level=opt_level).wasm
    try:
        cache.mkdir(parents=True, exist_ok=True)
        write_atomically(cached, wasm)
    except (OSError, MoltError):
        pass  # the cache only saves time
    return wasm


def load_source_module(source: Path, host_options: dict[str, Any]) -> Any:
    """Compile, sign with a process-only key, and load through the host's full checks."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from molt import signing
    from molt.lockfile import LockEntry
    from molt.runtime import Host
    from molt.wasmfile import read_interface, read_wasm

    wasm = compile_cached(source)
    interface = read_interface(read_wasm(wasm))
    module = interface["module"]
    sha = hashlib.sha256(wasm).hexdigest()
    key = Ed25519PrivateKey.generate()  # never written anywhere; trusted by this host only
    entry = LockEntry(
        name=module["name"],
        version=module["version"],
        file=source.with_suffix(".wasm").name,
        size=len(wasm),
        sha256=sha,
        abi=(interface["abi"]["major"], interface["abi"]["minor"]),
        exports=tuple(
            {"name": e["name"], "input": e["input"], "output": e["output"]}
            for e in interface["exports"]
        ),
        signature=signing.sign_artifact(key, module["name"], module["version"], sha),
    )
    host = Host(trusted_keys=[key.public_key()], **host_options)
    return host.load_bytes(wasm, entry)
