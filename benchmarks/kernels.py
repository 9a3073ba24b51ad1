"""Benchmark the Molt compiler on classic kernels against CPython, Numba and gcc -O2, in one run.

    python benchmarks/kernels.py [--quick] [--venv DIR] [--no-numba] [--no-pyodide]

Each kernel in benchmarks/kernels/ (nbody, spectral_norm, fannkuch, sieve,
mandelbrot, fib) is one Molt source file with one export named after it, taking
the problem size as its only argument and returning one number. It is measured
as:

- Molt: compiled with `compile_source` (O2), signed with a key that lives only in
  this process, loaded with `Host.load_bytes`, and timed as one
  `module.call(kernel, {parameter: size}, validate=False)`, with fuel metering on
  (`Host(fuel=10**18)`) and off (`Host(fuel=None)`). The call includes the
  boundary crossing (a few MessagePack bytes each way, microseconds), which is
  negligible at these sizes; nothing is subtracted.
- CPython: the same source file, imported as a plain module (`@export` is a
  no-op decorator under CPython).
- Numba: the same source with every function wrapped in `numba.njit`, run in
  its own virtual environment (`--venv`, default ~/.cache/molt/bench-venv-numba;
  Numba is never a project dependency) as a subprocess (`--numba-worker`) that
  prints its timings as JSON. One call at a small size compiles first. If Numba
  cannot be installed or run, a row says so.
- Pyodide: the same source under Pyodide (CPython compiled to WebAssembly, the
  `pyodide` npm package pinned in benchmarks/_pyodide.py, run offline by Node),
  timed inside Python with time.perf_counter, one fresh `node` process per
  kernel (benchmarks/peers/pyodide_driver.mjs). Installed with npm into
  `--pyodide-dir` (default ~/.cache/molt/bench-pyodide) on first use; never a
  project dependency. If it cannot be installed or run, a row says so.
- gcc -O2: the same algorithm in C (benchmarks/kernels/<kernel>.c), built into
  a temporary folder and run as a subprocess per sample; the program reads the
  size from argv and prints its result and its own inner timing, so process
  start-up is not counted.

Sizes come from the command line at run time (argv, the call's arguments), so no
compiler can fold a kernel to a constant, and every implementation's result is
checked against CPython's. Kernel by kernel, every runner takes its turn (a busy
neighbour weighs on all of them alike); Molt and Numba make one untimed call at
full size first. Each time is the median of several samples (the lowest and
highest are printed beside it).

A second table gives the size of each compiled module, of a module with a few
numeric exports (benchmarks/kernels/numeric.py), of a module heavy on str,
records and dicts (benchmarks/kernels/inventory.py), and the `compile_source` wall
time of a module of at least 200 lines made by concatenating the kernels.

Prints Markdown on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import ast
import gc
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import _pyodide
from _peers import last_line, peer_python

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SOURCES = HERE / "kernels"
KERNELS = ("nbody", "spectral_norm", "fannkuch", "sieve", "mandelbrot", "fib")
NUMERIC = "numeric"
STRUCTURED = "inventory"
NUMBA_REQUIREMENTS = ("numba",)
FUEL_ON = 10**18
COMPILE_LINES = 200
TARGET_CPYTHON = 30.0
TARGET_NATIVE = 1.5
TARGET_NUMERIC_BYTES = 4096
TARGET_STRUCTURED_BYTES = 16384
TARGET_COMPILE_S = 1.0


@dataclass(frozen=True)
class Plan:
    """Problem sizes and how many samples each runner takes."""

    sizes: dict[str, int]
    warmup_sizes: dict[str, int]
    samples: int
    python_samples: int
    compile_samples: int

    def as_args(self) -> list[str]:
        return [f"--plan={json.dumps(self.__dict__)}"]


WARMUP = {
    "nbody": 10,
    "spectral_norm": 10,
    "fannkuch": 5,
    "sieve": 100,
    "mandelbrot": 10,
    "fib": 10,
}
FULL = Plan(
    sizes={
        "nbody": 100_000,
        "spectral_norm": 400,
        "fannkuch": 9,
        "sieve": 10_000_000,
        "mandelbrot": 800,
        "fib": 34,
    },
    warmup_sizes=WARMUP,
    samples=9,
    python_samples=3,
    compile_samples=5,
)
QUICK = Plan(
    sizes={
        "nbody": 5_000,
        "spectral_norm": 100,
        "fannkuch": 7,
        "sieve": 200_000,
        "mandelbrot": 100,
        "fib": 22,
    },
    warmup_sizes=WARMUP,
    samples=3,
    python_samples=1,
    compile_samples=2,
)

Stat = list[float]
"""[median, lowest, highest] of a measurement's samples, in seconds (JSON-ready)."""


def stat(times: list[float]) -> Stat:
    return [statistics.median(times), min(times), max(times)]


def timed(action: Callable[[], Any], samples: int) -> tuple[Any, Stat]:
    """The result of `action()` and the wall time of each of `samples` calls."""
    times = []
    result = None
    for _ in range(samples):
        gc.collect()
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return result, stat(times)


def source_of(name: str) -> str:
    return (SOURCES / f"{name}.py").read_text(encoding="utf-8")


def progress(text: str) -> None:
    print(f"[kernel benchmark] {text}", file=sys.stderr, flush=True)


# -- the Numba worker (runs in the Numba venv; never imports molt) -------------------


def numba_namespace(name: str) -> dict[str, Any]:
    """The kernel's source executed with `export` as a no-op, every function njit'ed.

    The functions' globals are this namespace, so a call from one jitted function
    to another (and fib's recursion) resolves to the jitted dispatcher.
    """
    import numba

    # A real module in sys.modules: Numba's recursive calls (fib) resolve their
    # symbol through the function's module and abort when it is not there.
    module = types.ModuleType(f"molt_bench_numba_{name}")
    sys.modules[module.__name__] = module
    namespace: dict[str, Any] = module.__dict__
    namespace["export"] = lambda f: f
    tree = ast.parse(source_of(name))
    tree.body = [node for node in tree.body if not isinstance(node, ast.ImportFrom)]
    exec(compile(tree, str(SOURCES / f"{name}.py"), "exec"), namespace)
    for key, value in list(namespace.items()):
        if isinstance(value, types.FunctionType) and value.__globals__ is namespace:
            namespace[key] = numba.njit(value)
    return namespace


def numba_worker(plan: Plan, name: str) -> dict[str, Any]:
    import numba

    kernel = numba_namespace(name)[name]
    start = time.perf_counter()
    kernel(plan.warmup_sizes[name])  # compiles for an int argument
    jit_s = time.perf_counter() - start
    size = plan.sizes[name]
    kernel(size)  # one untimed call at full size
    result, times = timed(lambda: kernel(size), plan.samples)
    return {"numba": numba.__version__, "result": result, "time": times, "jit_s": jit_s}


# -- the Numba venv --------------------------------------------------------------------


def default_venv() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "molt" / "bench-venv-numba"


def numba_python(folder: Path) -> Path | str:
    """The Numba venv's python, installing Numba there first if needed; or why not."""
    return peer_python(folder, NUMBA_REQUIREMENTS, "numba", timeout=900)


def numba_kernel(python: Path | str, plan: Plan, name: str) -> dict[str, Any] | str:
    """One kernel measured by the worker in the Numba venv, or why it could not be."""
    if isinstance(python, str):
        return python
    try:
        worker = subprocess.run(
            [
                str(python),
                str(Path(__file__).resolve()),
                f"--numba-worker={name}",
                *plan.as_args(),
            ],
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
    except Exception as exc:
        return f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
    if worker.returncode != 0:
        return f"the worker failed: {last_line(worker.stderr)}"
    try:
        return json.loads(worker.stdout)
    except json.JSONDecodeError:
        return f"the worker printed no JSON: {last_line(worker.stdout)}"


# -- gcc -O2 -------------------------------------------------------------------------------


def gcc_version() -> str:
    compiler = shutil.which("gcc")
    if compiler is None:
        return "not installed"
    done = subprocess.run([compiler, "--version"], capture_output=True, text=True, check=False)
    return last_line(done.stdout.splitlines()[0] if done.stdout else done.stderr)


def build_c(workdir: Path) -> dict[str, Path] | str:
    """Each kernel's C program built with gcc -O2 into `workdir`, or why not."""
    compiler = shutil.which("gcc")
    if compiler is None:
        return "gcc is not installed"
    binaries = {}
    for name in KERNELS:
        binary = workdir / name
        built = subprocess.run(
            [compiler, "-O2", "-o", str(binary), str(SOURCES / f"{name}.c")],
            capture_output=True,
            text=True,
            check=False,
        )
        if built.returncode != 0:
            return f"gcc failed on {name}.c: {last_line(built.stderr)}"
        binaries[name] = binary
    return binaries


def measure_c(binaries: dict[str, Path] | str, plan: Plan, name: str) -> dict[str, Any] | str:
    """One process per sample; each prints its result and the kernel's own time."""
    if isinstance(binaries, str):
        return binaries
    times = []
    result: int | float = 0
    for _ in range(plan.samples):
        ran = subprocess.run(
            [str(binaries[name]), str(plan.sizes[name])],
            capture_output=True,
            text=True,
            check=True,
        )
        text, seconds = ran.stdout.split()
        result = int(text) if text.lstrip("-").isdigit() else float(text)
        times.append(float(seconds))
    return {"result": result, "time": stat(times)}


# -- Molt and CPython ------------------------------------------------------------------


def import_molt() -> None:
    """Make `import molt` work from a checkout that is not pip-installed."""
    try:
        import molt  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(REPO / "reference"))


def compile_module(name: str, source: str) -> tuple[bytes, float]:
    from molt.compiler import compile_source

    start = time.perf_counter()
    compiled = compile_source(source, filename=f"{name}.py", module_name=name.replace("_", "-"))
    return compiled.wasm, time.perf_counter() - start


def load(wasm: bytes, fuel: int | None) -> Any:
    """Sign `wasm` with a process-only key and load it through the host's full checks."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from molt import signing
    from molt.lockfile import LockEntry
    from molt.runtime import Host
    from molt.wasmfile import read_interface, read_wasm

    interface = read_interface(read_wasm(wasm))
    module = interface["module"]
    sha = hashlib.sha256(wasm).hexdigest()
    key = Ed25519PrivateKey.generate()
    entry = LockEntry(
        name=module["name"],
        version=module["version"],
        file=f"{module['name']}.wasm",
        size=len(wasm),
        sha256=sha,
        abi=(interface["abi"]["major"], interface["abi"]["minor"]),
        exports=tuple(
            {"name": e["name"], "input": e["input"], "output": e["output"]}
            for e in interface["exports"]
        ),
        signature=signing.sign_artifact(key, module["name"], module["version"], sha),
    )
    host = Host([key.public_key()], fuel=fuel, memory_limit=None, cache_dir=False)
    return host.load_bytes(wasm, entry)


def parameter_of(wasm: bytes, name: str) -> str:
    from molt.wasmfile import read_interface, read_wasm

    export = next(e for e in read_interface(read_wasm(wasm))["exports"] if e["name"] == name)
    return export["params"][0]["name"]


def compile_kernels() -> dict[str, Any]:
    out = {}
    for name in KERNELS:
        progress(f"compiling {name}")
        wasm, compile_s = compile_module(name, source_of(name))
        out[name] = {"wasm": wasm, "bytes": len(wasm), "compile_s": compile_s}
    return out


def measure_molt(compiled: dict[str, Any], plan: Plan, name: str, fuel: int | None) -> Any:
    wasm = compiled[name]["wasm"]
    parameter = parameter_of(wasm, name)
    module = load(wasm, fuel)
    call = module.call
    call(name, {parameter: plan.warmup_sizes[name]}, validate=False)
    args = {parameter: plan.sizes[name]}
    call(name, args, validate=False)  # one untimed call at full size (memory grows once)
    result, times = timed(lambda: call(name, args, validate=False), plan.samples)
    return {"result": result, "time": times}


def measure_pyodide(folder: Path | str, plan: Plan, name: str) -> dict[str, Any] | str:
    """The kernel's source under Pyodide in a fresh Node process, or why not."""
    if isinstance(folder, str):
        return folder
    job = {
        "name": name,
        "source": source_of(name),
        "fn": name,
        "warmup": plan.warmup_sizes[name],
        "size": plan.sizes[name],
        "samples": plan.python_samples,
    }
    measured = _pyodide.run(folder, [job])
    if isinstance(measured, str):
        return measured
    kernel = measured["kernels"][name]
    return {"result": kernel["result"], "time": stat(kernel["times"]), "version": measured}


def measure_cpython(plan: Plan, name: str) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location(f"molt_bench_{name}", SOURCES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    kernel = getattr(module, name)
    size = plan.sizes[name]
    result, times = timed(lambda: kernel(size), plan.python_samples)
    return {"result": result, "time": times}


def combined_source() -> tuple[str, int]:
    """Kernel sources concatenated (one import, no module docstrings) to >= 200 lines."""
    parts = ['"""All the benchmark kernels in one module (compile-time measurement)."""', ""]
    parts.append("from molt import export")
    for name in (*KERNELS, NUMERIC):
        source = source_of(name)
        lines = source.splitlines()
        drop: set[int] = set()
        for node in ast.parse(source).body:
            docstring = (
                isinstance(node, ast.Expr)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            )
            if docstring or isinstance(node, ast.ImportFrom):
                end = node.end_lineno or node.lineno
                drop.update(range(node.lineno, end + 1))
        parts.extend(line for number, line in enumerate(lines, 1) if number not in drop)
        count = sum(1 for line in parts if line.strip())
        if count >= COMPILE_LINES:
            break
    text = "\n".join(parts) + "\n"
    return text, len(text.splitlines())


def measure_build(plan: Plan) -> dict[str, Any]:
    progress("module sizes and compile time")
    wasm, _ = compile_module(NUMERIC, source_of(NUMERIC))
    structured, _ = compile_module(STRUCTURED, source_of(STRUCTURED))
    source, lines = combined_source()
    times = []
    combined = b""
    for _ in range(plan.compile_samples):
        combined, seconds = compile_module("all_kernels", source)
        times.append(seconds)
    return {
        "numeric_bytes": len(wasm),
        "structured_bytes": len(structured),
        "combined_lines": lines,
        "combined_code_lines": sum(1 for line in source.splitlines() if line.strip()),
        "combined_bytes": len(combined),
        "compile": stat(times),
    }


# -- the tables ------------------------------------------------------------------------------


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:,.2f} s"
    return f"{seconds * 1e3:,.1f} ms"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:,.1f}x" if ratio >= 10 else f"{ratio:,.2f}x"


def fmt_result(value: Any) -> str:
    return repr(value) if isinstance(value, float) else f"{value}"


def speed_table(plan: Plan, results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| Kernel (size) | Runner | Wall time, median (min-max) | Speed-up vs CPython "
        "| Time vs gcc -O2 | Time vs Numba | Target | Meets | Result |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for name in KERNELS:
        row = results[name]
        python, numba, native = row["cpython"], row["numba"], row["gcc"]
        reference = python["result"]
        runners: list[tuple[str, dict[str, Any] | str, str]] = [
            ("Molt, fuel on", row["fuel_on"], "on"),
            ("Molt, fuel off", row["fuel_off"], "off"),
            ("CPython", python, ""),
            ("Pyodide (Node)", row["pyodide"], ""),
            ("Numba `@njit`", numba, ""),
            ("gcc -O2", native, ""),
        ]
        base = python["time"][0]
        c_time = None if isinstance(native, str) else native["time"][0]
        n_time = None if isinstance(numba, str) else numba["time"][0]
        for index, (runner, data, fuel) in enumerate(runners):
            title = f"{name} ({plan.sizes[name]:,})" if index == 0 else ""
            if isinstance(data, str):
                lines.append(f"| {title} | {runner} | not measured: {data} | | | | | | |")
                continue
            median, low, high = data["time"]
            wall = f"{fmt_time(median)} ({fmt_time(low)}-{fmt_time(high)})"
            speedup = fmt_ratio(base / median)
            vs_c = fmt_ratio(median / c_time) if c_time else "n/a"
            vs_numba = fmt_ratio(median / n_time) if n_time else "n/a"
            target, meets = "", ""
            if fuel == "on":
                target = f">= {TARGET_CPYTHON:g}x CPython"
                meets = "pass" if base / median >= TARGET_CPYTHON else "**FAIL**"
            elif fuel == "off":
                target = f"<= {TARGET_NATIVE:g}x gcc and Numba"
                checks = [r for r in (c_time, n_time) if r]
                ok = bool(checks) and all(median / r <= TARGET_NATIVE for r in checks)
                meets = "pass" if ok else "**FAIL**"
            same = data["result"] == reference and type(data["result"]) is type(reference)
            result = (
                fmt_result(data["result"])
                if index == 2
                else ("same" if same else f"**DIFFERS: {fmt_result(data['result'])}**")
            )
            lines.append(
                f"| {title} | {runner} | {wall} | {speedup} | {vs_c} | {vs_numba} "
                f"| {target} | {meets} | {result} |"
            )
    return "\n".join(lines)


def build_table(compiled: dict[str, Any], build: dict[str, Any], pyodide: Path | str) -> str:
    lines = [
        "| Module | Size (bytes) | `compile_source` wall time | Target | Meets |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    for name in KERNELS:
        row = compiled[name]
        lines.append(f"| `{name}.py` | {row['bytes']:,} | {fmt_time(row['compile_s'])} | | |")
    numeric = build["numeric_bytes"]
    lines.append(
        f"| `{NUMERIC}.py` (4 numeric exports) | {numeric:,} | | "
        f"<= {TARGET_NUMERIC_BYTES:,} bytes | "
        f"{'pass' if numeric <= TARGET_NUMERIC_BYTES else '**FAIL**'} |"
    )
    structured = build["structured_bytes"]
    lines.append(
        f"| `{STRUCTURED}.py` (4 exports on str, records, dicts) | {structured:,} | | "
        f"<= {TARGET_STRUCTURED_BYTES:,} bytes | "
        f"{'pass' if structured <= TARGET_STRUCTURED_BYTES else '**FAIL**'} |"
    )
    median, low, high = build["compile"]
    lines.append(
        f"| all kernels in one module ({build['combined_lines']} lines, "
        f"{build['combined_code_lines']} not blank) | {build['combined_bytes']:,} "
        f"| {fmt_time(median)} ({fmt_time(low)}-{fmt_time(high)}) "
        f"| < {TARGET_COMPILE_S:g} s | {'pass' if median < TARGET_COMPILE_S else '**FAIL**'} |"
    )
    if not isinstance(pyodide, str):
        lines.append(
            f"| for scale: Pyodide {_pyodide.PYODIDE_VERSION}, the files `loadPyodide()` reads "
            f"| {_pyodide.loaded_bytes(pyodide):,} | | | |"
        )
    return "\n".join(lines)


def machine(numba: str | None, pyodide: str | None) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import llvmlite.binding

        llvm = ".".join(str(part) for part in llvmlite.binding.llvm_version_info)
    except ImportError:
        llvm = "?"
    parts = [
        f"{os.cpu_count()} cores ({cpu})",
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}",
        f"llvmlite {package_version('llvmlite')} (LLVM {llvm})",
        f"ziglang {package_version('ziglang')} (wasm-ld)",
        f"wasmtime {package_version('wasmtime')}",
        gcc_version(),
        f"numba {numba}" if numba else "numba: not measured",
        pyodide or "Pyodide: not measured",
    ]
    if hasattr(os, "getloadavg"):
        parts.insert(1, f"load average {os.getloadavg()[0]:.2f} at the end of the run")
    return "; ".join(parts)


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


# -- main --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few samples")
    parser.add_argument(
        "--venv",
        type=Path,
        default=None,
        help=f"virtual environment for the Numba peer (default {default_venv()})",
    )
    parser.add_argument("--no-numba", action="store_true", help="skip the Numba peer")
    _pyodide.add_arguments(parser)
    parser.add_argument("--numba-worker", metavar="KERNEL", help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    plan = Plan(**json.loads(args.plan)) if args.plan else QUICK if args.quick else FULL

    if args.numba_worker:
        print(json.dumps(numba_worker(plan, args.numba_worker)))
        return 0

    import_molt()
    compiled = compile_kernels()
    build = measure_build(plan)
    python: Path | str = "skipped (--no-numba)"
    if not args.no_numba:
        python = numba_python(args.venv or default_venv())
    pyodide: Path | str = "skipped (--no-pyodide)"
    if not args.no_pyodide:
        pyodide = _pyodide.prepare(args.pyodide_dir)
    results: dict[str, dict[str, Any]] = {}
    numba_version = pyodide_version = None
    with tempfile.TemporaryDirectory(prefix="molt-kernels-") as temporary:
        binaries = build_c(Path(temporary))
        # Kernel by kernel, every runner in turn, so that a noisy neighbour on a
        # shared machine weighs on all of a kernel's runners alike.
        for name in KERNELS:
            progress(f"{name}: gcc -O2, Molt fuel on, Molt fuel off, Numba, CPython, Pyodide")
            row: dict[str, Any] = {
                "gcc": measure_c(binaries, plan, name),
                "fuel_on": measure_molt(compiled, plan, name, FUEL_ON),
                "fuel_off": measure_molt(compiled, plan, name, None),
                "numba": numba_kernel(python, plan, name),
                "cpython": measure_cpython(plan, name),
                "pyodide": measure_pyodide(pyodide, plan, name),
            }
            if not isinstance(row["numba"], str):
                numba_version = row["numba"]["numba"]
            if not isinstance(row["pyodide"], str):
                about = row["pyodide"].pop("version")
                pyodide_version = f"Pyodide {about['pyodide']} (Python {about['python']}) on Node"
            results[name] = row

    command = "python benchmarks/kernels.py" + (" --quick" if args.quick else "")
    print(
        f"Command: `{command}` (median of {plan.samples} samples per compiled runner, "
        f"{plan.python_samples} for CPython and Pyodide)\n"
    )
    print(f"Machine: {machine(numba_version, pyodide_version)}\n")
    print(speed_table(plan, results))
    print(
        "\nSpeed-up vs CPython: CPython's time / this runner's time. Time vs gcc -O2 and vs "
        "Numba: this runner's time / theirs (1.00x is as fast; lower is better). Result: "
        "CPython's value, and whether each other runner returned exactly the same.\n"
    )
    print(build_table(compiled, build, pyodide))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
