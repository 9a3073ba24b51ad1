"""Shared by the benchmark scripts: Pyodide under Node, the interpreter-in-wasm peer.

Pyodide is measured, never depended on: the `pyodide` npm package (a pinned
version) is installed with npm into a cache folder on first use and runs offline
under Node. `benchmarks/peers/pyodide_driver.mjs` loads it, runs the Molt kernel
sources as plain Python (with a no-op `molt.export`) and prints its timings as
JSON. A failure is returned as a one-line reason for the table, never raised.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from _peers import last_line

PYODIDE_VERSION = "0.29.5"
DRIVER = Path(__file__).resolve().parent / "peers" / "pyodide_driver.mjs"
# What `loadPyodide()` reads under Node: the loader, the CPython-in-wasm binary
# and its JS glue, the zipped standard library and the package lock.
LOADED_FILES = (
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)


def default_folder() -> Path:
    return Path.home() / ".cache" / "molt" / "bench-pyodide"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--pyodide-dir` and `--no-pyodide`, the same in every script that measures Pyodide."""
    parser.add_argument(
        "--pyodide-dir",
        type=Path,
        default=default_folder(),
        help="where npm installs the Pyodide peer (default: %(default)s)",
    )
    parser.add_argument("--no-pyodide", action="store_true", help="skip the Pyodide peer")


def package_dir(folder: Path) -> Path:
    return folder / "node_modules" / "pyodide"


def prepare(folder: Path, *, timeout: float = 600) -> Path | str:
    """`folder` with Pyodide installed and the driver beside it, or why not."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return "node and npm are not on the PATH"
    manifest = package_dir(folder) / "package.json"
    try:
        installed = json.loads(manifest.read_text()).get("version") if manifest.exists() else None
        if installed != PYODIDE_VERSION:
            print(
                f"[benchmark] installing pyodide@{PYODIDE_VERSION} into {folder}",
                file=sys.stderr,
                flush=True,
            )
            folder.mkdir(parents=True, exist_ok=True)
            result = subprocess.run(
                [
                    npm,
                    "install",
                    "--prefix",
                    str(folder),
                    "--no-audit",
                    "--no-fund",
                    "--silent",
                    f"pyodide@{PYODIDE_VERSION}",
                ],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            if result.returncode != 0:
                return f"npm install failed: {last_line(result.stderr or result.stdout)}"
        shutil.copyfile(DRIVER, folder / DRIVER.name)
    except Exception as exc:  # any failure becomes the table's reason, never a crash
        return f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
    return folder


def loaded_bytes(folder: Path) -> int:
    """Bytes of the files `loadPyodide()` reads before the first line of Python runs."""
    return sum((package_dir(folder) / name).stat().st_size for name in LOADED_FILES)


def run(
    folder: Path, kernels: list[dict[str, Any]], *, timeout: float = 1800
) -> dict[str, Any] | str:
    """Run the driver once on `kernels` (see the driver's header), or say why it failed."""
    try:
        result = subprocess.run(
            ["node", str(folder / DRIVER.name)],
            input=json.dumps({"kernels": kernels}),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=folder,
        )
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout:.0f} s"
    if result.returncode != 0:
        return f"node exited {result.returncode}: {last_line(result.stderr)}"
    try:
        return json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return f"unreadable driver output: {last_line(result.stdout)}"
