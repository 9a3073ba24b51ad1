"""Start-up and bytes loaded: a Molt module through the Python host against Pyodide.

    python benchmarks/startup.py [--quick] [--pyodide-dir DIR] [--no-pyodide]

What an application pays before its first answer, with `fib(10)` from
benchmarks/kernels/fib.py as the work:

- Molt: the kernel compiled (`molt build`), signed and locked (`molt keygen`,
  `molt lock add`) once in a temporary folder; then each sample is a fresh
  Python process that imports `molt.runtime`, loads the module through the
  lockfile with every check (SHA-256, Ed25519, ABI, interface), calls `fib` once
  and prints its timings. Twice: with no compiled-code cache (wasmtime compiles
  the module in every process) and with a warm cache.
- Pyodide (the npm package, pinned in benchmarks/_pyodide.py, under Node): each
  sample is a fresh `node` process that runs `loadPyodide()`, writes the same
  source into Pyodide's file system and calls `fib(10)` (see
  benchmarks/peers/pyodide_driver.mjs). Pyodide is never a Molt dependency: the
  script installs it with npm into a cache folder on first use.

Columns: the bytes each runner reads to get there (Molt: the module and its
lockfile; Pyodide: the files `loadPyodide()` reads), the in-process load time
(Molt: `Host.load`; Pyodide: `loadPyodide()`), the first call, and the whole
process from spawn to exit. Each time is the median of the samples, the lowest
and highest beside it. Prints Markdown on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _pyodide

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
KERNEL = HERE / "kernels" / "fib.py"
ARGUMENT = 10

MOLT_CHILD = """
import json, sys, time
started = time.perf_counter()
from molt.runtime import Host
imported = time.perf_counter()
cache = sys.argv[4] if len(sys.argv) > 4 else False
host = Host([sys.argv[2]], cache_dir=cache)
module = host.load(sys.argv[1], "fib")
loaded = time.perf_counter()
result = module.call("fib", {"n": int(sys.argv[3])})
called = time.perf_counter()
print(json.dumps({"import": imported - started, "load": loaded - imported,
                  "first_call": called - loaded, "result": result}))
"""


def progress(text: str) -> None:
    print(f"[startup] {text}", file=sys.stderr, flush=True)


def molt_env() -> dict[str, str]:
    """The environment for Molt subprocesses: a checkout works without installing."""
    env = dict(os.environ)
    try:
        import molt  # noqa: F401
    except ImportError:
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(REPO / "reference"), env.get("PYTHONPATH")])
        )
    return env


def molt_cli(*args: str) -> None:
    command = [sys.executable, "-m", "molt", *args, "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, env=molt_env(), check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:2])} failed: {result.stderr.strip()}")


def prepare_molt(folder: Path) -> tuple[Path, Path, int]:
    """Build, sign and lock the kernel; return the lockfile, the public key and bytes read."""
    molt_cli("keygen", "--out", str(folder / "keys"))
    wasm = folder / "fib.wasm"
    molt_cli("build", str(KERNEL), "-o", str(wasm))
    lock = folder / "molt.lock"
    molt_cli("lock", "add", "--key", str(folder / "keys" / "molt.key"), str(lock), str(wasm))
    artifact = next((folder / "dist").glob("*.wasm"))
    return lock, folder / "keys" / "molt.pub", artifact.stat().st_size + lock.stat().st_size


def molt_sample(lock: Path, public: Path, cache: Path | None) -> dict[str, Any]:
    command = [sys.executable, "-c", MOLT_CHILD, str(lock), str(public), str(ARGUMENT)]
    if cache is not None:
        command.append(str(cache))
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=molt_env(), check=False)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"the Molt child failed: {result.stderr.strip()}")
    return {**json.loads(result.stdout), "wall": wall}


def pyodide_sample(folder: Path) -> dict[str, Any] | str:
    job = [
        {
            "name": "fib",
            "source": KERNEL.read_text(),
            "fn": "fib",
            "warmup": ARGUMENT,
            "size": ARGUMENT,
            "samples": 0,
        }
    ]
    started = time.perf_counter()
    measured = _pyodide.run(folder, job, timeout=300)
    wall = time.perf_counter() - started
    if isinstance(measured, str):
        return measured
    kernel = measured["kernels"]["fib"]
    return {
        "load": measured["load_seconds"],
        "first_call": kernel["first_call"],
        "result": kernel["first_result"],
        "wall": wall,
        "version": measured["pyodide"],
        "python": measured["python"],
    }


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def cell(samples: list[dict[str, Any]], key: str) -> str:
    values = [sample[key] for sample in samples]
    return (
        f"{fmt_time(statistics.median(values))} ({fmt_time(min(values))}-{fmt_time(max(values))})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples: a smoke run")
    _pyodide.add_arguments(parser)
    args = parser.parse_args(argv)
    samples = 3 if args.quick else 10
    pyodide_samples = 2 if args.quick else 5

    rows: list[tuple[str, int | None, list[dict[str, Any]] | str]] = []
    with tempfile.TemporaryDirectory(prefix="molt-startup-") as scratch:
        folder = Path(scratch)
        progress("building, signing and locking fib.py")
        lock, public, molt_bytes = prepare_molt(folder)
        cache = folder / "cache"
        progress(f"Molt, no compiled-code cache: {samples} processes")
        cold = [molt_sample(lock, public, None) for _ in range(samples)]
        molt_sample(lock, public, cache)  # fills the cache
        progress(f"Molt, warm compiled-code cache: {samples} processes")
        warm = [molt_sample(lock, public, cache) for _ in range(samples)]
        rows.append(("Molt, no compiled-code cache", molt_bytes, cold))
        rows.append(("Molt, warm compiled-code cache", molt_bytes, warm))

    peer_note = ""
    if not args.no_pyodide:
        prepared = _pyodide.prepare(args.pyodide_dir)
        if isinstance(prepared, str):
            rows.append(("Pyodide", None, prepared))
        else:
            progress(f"Pyodide {_pyodide.PYODIDE_VERSION} under Node: {pyodide_samples} processes")
            measured = [pyodide_sample(prepared) for _ in range(pyodide_samples)]
            failure = next((m for m in measured if isinstance(m, str)), None)
            rows.append(("Pyodide", _pyodide.loaded_bytes(prepared), failure or measured))
            if failure is None:
                first = measured[0]
                peer_note = f"; Pyodide {first['version']} (Python {first['python']})"

    expected = cold[0]["result"]
    reference = statistics.median(sample["wall"] for sample in warm)
    print(
        f"Machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at the end; "
        f"{platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; Node {node_version()}{peer_note}"
    )
    print()
    print(
        "| Runner | Bytes read | Load, in process | First call | Process start to exit "
        "| Process vs Molt (warm) | Result |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, size, outcome in rows:
        if isinstance(outcome, str):
            print(f"| {name} | | | | | | not measured: {outcome} |")
            continue
        wall = statistics.median(sample["wall"] for sample in outcome)
        same = all(sample["result"] == expected for sample in outcome)
        print(
            f"| {name} | {size:,} | {cell(outcome, 'load')} | {cell(outcome, 'first_call')} "
            f"| {cell(outcome, 'wall')} | {wall / reference:.1f}x "
            f"| {expected if same else 'DIFFERENT'} |"
        )
    return 0


def node_version() -> str:
    try:
        return (
            subprocess.run(
                ["node", "--version"], capture_output=True, text=True, check=False
            ).stdout.strip()
            or "absent"
        )
    except OSError:
        return "absent"


if __name__ == "__main__":
    sys.exit(main())
