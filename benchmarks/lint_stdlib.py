"""Lint the running interpreter's standard library with molt-lint, ruff and flake8.

Prints one table (Markdown) with files, lines and wall time for:

- molt-lint cold (empty cache) and warm (same tree again),
- `ast.parse` alone over the same files on one process per core: the floor for
  any linter that builds a Python AST,
- ruff cold and warm, and flake8, with their default rules.

ruff and flake8 are not Molt dependencies: the script installs them with pip
into its own virtual environment under the cache folder (default
~/.cache/molt-bench). Every tool runs as a subprocess so start-up is counted
the same way; the fast ones run --repeat times and the best time is shown.

    python benchmarks/lint_stdlib.py [--repeat 3] [--skip-flake8] [--venv DIR]
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from _peers import peer_python

REPO = Path(__file__).resolve().parent.parent
STDLIB = Path(sysconfig.get_paths()["stdlib"])
EXCLUDED = ("site-packages", "__pycache__")
TOOLS = ("ruff", "flake8")

FLOOR = """
import ast, sys
from multiprocessing import Pool

def parse(path):
    with open(path, "rb") as stream:
        data = stream.read()
    try:
        ast.parse(data)
    except (SyntaxError, ValueError):
        pass

if __name__ == "__main__":
    paths = sys.stdin.read().split("\\n")
    with Pool(int(sys.argv[1])) as pool:
        for _ in pool.imap_unordered(parse, paths, chunksize=4):
            pass
"""


def corpus() -> list[Path]:
    """The .py files of the standard library, as every tool here finds them."""
    files = []
    for folder, dirs, names in os.walk(STDLIB):
        dirs[:] = sorted(d for d in dirs if d not in EXCLUDED)
        files += [Path(folder, name) for name in sorted(names) if name.endswith(".py")]
    return files


def count_lines(files: Sequence[Path]) -> int:
    return sum(path.read_bytes().count(b"\n") for path in files)


def tool_venv(folder: Path) -> Path:
    """The bin folder of a venv with ruff and flake8, installed on first use."""
    python = peer_python(folder, TOOLS, "ruff, flake8")
    if isinstance(python, str):
        raise SystemExit(f"cannot prepare ruff and flake8 in {folder}: {python}")
    return python.parent


def timed(command: Sequence[str], *, stdin: str | None = None, cwd: Path | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        command,
        input=stdin,
        text=True,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed


def best(repeat: int, run) -> float:
    return min(run() for _ in range(repeat))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each fast measurement")
    parser.add_argument("--skip-flake8", action="store_true", help="flake8 takes about a minute")
    parser.add_argument(
        "--venv",
        type=Path,
        default=Path.home() / ".cache" / "molt-bench" / "venv",
        help="where to install ruff and flake8",
    )
    args = parser.parse_args(argv)

    files = corpus()
    lines = count_lines(files)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    tools = tool_venv(args.venv)
    # An installed wheel ships byte-compiled modules; do the same for the checkout.
    compileall.compile_dir(REPO / "molt_lint", quiet=1)
    compileall.compile_dir(REPO / "reference" / "molt", quiet=1)
    molt_lint = [sys.executable, "-m", "molt_lint", str(STDLIB), "--output-format", "json"]
    env_note = f"{platform.python_implementation()} {platform.python_version()}"

    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        cache = work / "molt-cache"

        def molt_cold() -> float:
            shutil.rmtree(cache, ignore_errors=True)
            return timed([*molt_lint, "--cache-dir", str(cache)], cwd=work)

        rows.append(("molt-lint, cold (empty cache)", best(args.repeat, molt_cold)))
        rows.append(
            (
                "molt-lint, warm (same tree again)",
                best(args.repeat, lambda: timed([*molt_lint, "--cache-dir", str(cache)], cwd=work)),
            )
        )
        listing = "\n".join(str(path) for path in files)
        rows.append(
            (
                f"ast.parse alone, {cores} processes",
                best(
                    args.repeat,
                    lambda: timed([sys.executable, "-c", FLOOR, str(cores)], stdin=listing),
                ),
            )
        )
        ruff = [str(tools / "ruff"), "check", str(STDLIB), "--exit-zero", "--quiet"]
        ruff_cache = work / "ruff-cache"

        def ruff_cold() -> float:
            shutil.rmtree(ruff_cache, ignore_errors=True)
            return timed([*ruff, "--cache-dir", str(ruff_cache)], cwd=work)

        rows.append(("ruff, cold (default rules)", best(args.repeat, ruff_cold)))
        rows.append(
            (
                "ruff, warm",
                best(args.repeat, lambda: timed([*ruff, "--cache-dir", str(ruff_cache)], cwd=work)),
            )
        )
        if not args.skip_flake8:
            flake8 = [
                str(tools / "flake8"),
                str(STDLIB),
                "--exit-zero",
                "--quiet",
                f"--exclude={','.join(EXCLUDED)}",
            ]
            rows.append(("flake8 (default rules)", timed(flake8, cwd=work)))

    floor = next(seconds for name, seconds in rows if name.startswith("ast.parse"))
    print(f"Corpus: {STDLIB} ({env_note}): {len(files):,} files, {lines:,} lines; {cores} cores.")
    print()
    print("| run | wall time | vs ast.parse floor |")
    print("| --- | ---: | ---: |")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} s | {seconds / floor:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
