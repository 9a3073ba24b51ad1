"""Benchmark the Molt host against plain CPython and the Extism Python SDK, in one run.

    python benchmarks/host.py [--quick] [--venv DIR] [--no-extism]

Measures, on the ABI 1 fixture `fixture-echo` (conformance/fixtures/abi1/echo.wat,
whose `echo(value: list[float]) -> list[float]` returns its input array in place):

- load: cold (SHA-256 + Ed25519 signature + ABI/interface checks + compile +
  instantiate, no cache) and warm (a second host with the compiled-code cache);
- per-call overhead of a tiny message, `echo({"value": [1.0]})`, with and without
  schema validation, and `call_message` with pre-encoded bytes (the crossing floor);
- bulk: `echo` of a list of 1,000,000 floats, in MB/s of MessagePack in + out.

Peers, measured in the same run: the same function as plain CPython, CPython plus
a msgpack round trip (the serialization floor), and an Extism plugin
(benchmarks/peers/extism_echo.wat) through the Extism Python SDK. Extism is never a
project dependency: the script installs it into its own virtual environment
(`--venv`, default `~/.cache/molt/bench-venv`) and runs that part there as a
subprocess (`--extism-worker`) that prints its timings as JSON. If Extism cannot be
installed or run, the table says so in a row.

Prints one Markdown table on stdout (progress goes to stderr). Each result is the
median, with the lowest and highest sample beside it: of N loads, of the mean call
time of each batch of calls, of N bulk calls.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from _peers import last_line, peer_python

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXTISM_WAT = HERE / "peers" / "extism_echo.wat"
EXTISM_REQUIREMENTS = ("extism>=1.1,<2", "msgpack>=1.0")
BULK_LENGTH = 1_000_000
TINY = [1.0]
ECHO_NAME = "fixture-echo"
ECHO_VERSION = "1.0.0"


@dataclass(frozen=True)
class Plan:
    """How many times each thing is measured."""

    loads: int
    warm_loads: int
    batches: int
    batch: int
    bulk_runs: int

    @property
    def calls(self) -> int:
        return self.batches * self.batch

    def as_args(self) -> list[str]:
        return [f"--plan={json.dumps(self.__dict__)}"]


FULL = Plan(loads=20, warm_loads=50, batches=20, batch=1_000, bulk_runs=7)
QUICK = Plan(loads=5, warm_loads=10, batches=10, batch=200, bulk_runs=3)


def bulk_values() -> list[float]:
    """The bulk payload: 1,000,000 distinct, finite floats (the same in every process)."""
    return [(index * 0.6180339887498949) % 1000.0 - 500.0 for index in range(BULK_LENGTH)]


# -- timing ------------------------------------------------------------------------


Stat = list[float]
"""[median, lowest, highest] of one measurement's samples, in the row's unit (JSON-ready)."""


def once(seconds: float) -> Stat:
    return [seconds * 1e3] * 3


def median_ms(action: Callable[[], Any], runs: int) -> Stat:
    """Wall time of `action()` in milliseconds; its result is dropped after timing."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1e3)
        del result
    return [statistics.median(times), min(times), max(times)]


def per_call_us(call: Callable[[], Any], plan: Plan) -> Stat:
    """The mean time of one call in microseconds, per batch of `plan.batch` calls."""
    for _ in range(plan.batch):  # warm-up: caches, buffers, branch predictors
        call()
    means = []
    for _ in range(plan.batches):
        start = time.perf_counter()
        for _ in range(plan.batch):
            call()
        means.append((time.perf_counter() - start) / plan.batch * 1e6)
    return [statistics.median(means), min(means), max(means)]


def rate_mb_s(call: Callable[[], Any], nbytes: int, runs: int) -> Stat:
    """MB/s (10^6 bytes) for `nbytes` moved per call, over `runs` calls."""
    call()  # warm-up: the host reserves its input buffer once
    gc.collect()
    median, fastest, slowest = median_ms(call, runs)
    return [nbytes / (ms / 1e3) / 1e6 for ms in (median, slowest, fastest)]


# -- the Extism worker (runs in the Extism venv; imports neither molt nor wasmtime) -


def extism_worker(wasm_path: Path, plan: Plan) -> dict[str, Any]:
    """Every Extism measurement, as a JSON-ready dict.

    Each `Plugin(bytes)` builds its own wasmtime engine, which reads
    EXTISM_CACHE_CONFIG then: empty turns wasmtime's compiled-code cache off (cold),
    a config file points it at a private folder (warm). Unset, Extism would use
    wasmtime's default cache in the user's home: never measured here.
    """
    import extism
    import msgpack

    data = wasm_path.read_bytes()
    os.environ["EXTISM_CACHE_CONFIG"] = ""
    start = time.perf_counter()
    plugin = extism.Plugin(data, functions=[])
    first_ms = once(time.perf_counter() - start)

    # Calls first: a wasmtime cache (the warm loads below) runs a background
    # worker thread that would compete with them for the CPU.
    call = plugin.call
    tiny = msgpack.packb(TINY)
    assert msgpack.unpackb(call("echo", msgpack.packb(TINY))) == TINY
    tiny_us = per_call_us(lambda: msgpack.unpackb(call("echo", msgpack.packb(TINY))), plan)
    tiny_raw_us = per_call_us(lambda: call("echo", tiny), plan)

    values = bulk_values()
    message = msgpack.packb(values)
    assert call("echo", message) == message
    moved = 2 * len(message)
    bulk = rate_mb_s(
        lambda: msgpack.unpackb(call("echo", msgpack.packb(values))), moved, plan.bulk_runs
    )
    bulk_raw = rate_mb_s(lambda: call("echo", message), moved, plan.bulk_runs)

    cold_ms = median_ms(lambda: extism.Plugin(data, functions=[]), plan.loads)
    # CompiledPlugin (compile once, instantiate many) is not re-exported by extism 1.1.
    compiled_plugin = getattr(extism, "CompiledPlugin", None) or extism.extism.CompiledPlugin
    compiled = compiled_plugin(data, functions=[])
    reuse_ms = median_ms(lambda: extism.Plugin(compiled), plan.warm_loads)

    os.environ["EXTISM_CACHE_CONFIG"] = str(wasmtime_cache_config(wasm_path.parent))
    for _ in range(2):  # fill the cache
        extism.Plugin(data, functions=[])
    warm_ms = median_ms(lambda: extism.Plugin(data, functions=[]), plan.warm_loads)
    return {
        "extism": version("extism"),
        "runtime": extism.extism_version(),
        "first_ms": first_ms,
        "cold_ms": cold_ms,
        "warm_ms": warm_ms,
        "reuse_ms": reuse_ms,
        "tiny_us": tiny_us,
        "tiny_raw_us": tiny_raw_us,
        "bulk_mb_s": bulk,
        "bulk_raw_mb_s": bulk_raw,
        "bulk_bytes": moved,
    }


def wasmtime_cache_config(folder: Path) -> Path:
    """A wasmtime cache config file for a private cache folder under `folder`."""
    cache = folder / "extism-wasmtime-cache"
    cache.mkdir(mode=0o700, exist_ok=True)
    config = folder / "extism-wasmtime-cache.toml"
    config.write_text(f"[cache]\ndirectory = {json.dumps(str(cache))}\n", encoding="utf-8")
    return config


# -- the Extism venv -----------------------------------------------------------------


def default_venv() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "molt" / "bench-venv"


def run_extism(folder: Path, plan: Plan, workdir: Path) -> dict[str, Any] | str:
    """The worker's measurements, or the reason Extism could not be measured."""
    found = peer_python(folder, EXTISM_REQUIREMENTS, "extism, msgpack", timeout=600)
    if isinstance(found, str):
        return found
    python = found
    try:
        wasm = workdir / "extism_echo.wasm"
        wasm.write_bytes(extism_plugin_bytes())
        progress("measuring Extism (subprocess)")
        worker = subprocess.run(
            [
                str(python),
                str(Path(__file__).resolve()),
                "--extism-worker",
                str(wasm),
                *plan.as_args(),
            ],
            capture_output=True,
            text=True,
            timeout=1200,
            check=False,
        )
    except Exception as exc:  # any failure becomes the table's reason, never a crash
        return f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
    if worker.returncode != 0:
        return f"the worker failed: {last_line(worker.stderr)}"
    try:
        return json.loads(worker.stdout)
    except json.JSONDecodeError:
        return f"the worker printed no JSON: {last_line(worker.stdout)}"


def extism_plugin_bytes() -> bytes:
    """benchmarks/peers/extism_echo.wat as wasm (wasmtime is in the host's environment)."""
    import wasmtime

    return bytes(wasmtime.wat2wasm(EXTISM_WAT.read_text(encoding="utf-8")))


# -- Molt and CPython ------------------------------------------------------------------


def import_molt() -> None:
    """Make `import molt` work from a checkout that is not pip-installed."""
    try:
        import molt  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(REPO / "reference"))


def build_echo() -> bytes:
    path = REPO / "conformance" / "fixtures" / "build_fixtures.py"
    spec = importlib.util.spec_from_file_location("molt_bench_fixture_builder", path)
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    return builder.build("echo")


def signed_entry(data: bytes, private_key: Any) -> Any:
    """A lockfile entry for the echo fixture, signed by `private_key`."""
    from molt import signing
    from molt.lockfile import LockEntry

    interface = json.loads(
        (REPO / "conformance" / "fixtures" / "abi1" / "echo.interface.json").read_text("utf-8")
    )
    digest = hashlib.sha256(data).hexdigest()
    exports = tuple(
        {"name": e["name"], "input": e["input"], "output": e["output"]}
        for e in interface["exports"]
    )
    return LockEntry(
        name=ECHO_NAME,
        version=ECHO_VERSION,
        file="echo.wasm",
        size=len(data),
        sha256=digest,
        abi=(1, 0),
        exports=exports,
        signature=signing.sign_artifact(private_key, ECHO_NAME, ECHO_VERSION, digest),
    )


def measure_molt(plan: Plan, workdir: Path) -> dict[str, Any]:
    import msgpack
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from molt.runtime import Host
    from molt.runtime._codec import encode

    data = build_echo()
    private_key = Ed25519PrivateKey.generate()
    trusted = [private_key.public_key()]
    entry = signed_entry(data, private_key)
    out: dict[str, Any] = {"module_bytes": len(data)}

    progress("Molt: loads")
    start = time.perf_counter()
    Host(trusted, cache_dir=False).load_bytes(data, entry)
    out["first_ms"] = once(time.perf_counter() - start)
    out["cold_ms"] = median_ms(
        lambda: Host(trusted, cache_dir=False).load_bytes(data, entry), plan.loads
    )
    cache = workdir / "compiled"
    Host(trusted, cache_dir=cache).load_bytes(data, entry)  # fills the cache

    def warm_load() -> Any:
        host = Host(trusted, cache_dir=cache)
        module = host.load_bytes(data, entry)
        assert host.cache is not None and host.cache.hits == 1, "the warm load missed the cache"
        return module

    out["warm_ms"] = median_ms(warm_load, plan.warm_loads)

    progress("Molt and CPython: tiny calls")
    module = Host(trusted, cache_dir=cache).load_bytes(data, entry)
    unmetered = Host(trusted, cache_dir=cache, fuel=None).load_bytes(data, entry)
    call, call_message = module.call, module.call_message
    args = {"value": TINY}
    message = encode(args)
    assert call("echo", args) == TINY and unmetered.call("echo", args) == TINY
    out["tiny_validate_us"] = per_call_us(lambda: call("echo", args), plan)
    out["tiny_us"] = per_call_us(lambda: call("echo", args, validate=False), plan)
    out["tiny_nofuel_us"] = per_call_us(lambda: unmetered.call("echo", args, validate=False), plan)
    out["tiny_raw_us"] = per_call_us(lambda: call_message("echo", message, check=False), plan)

    def echo(value: list[float]) -> list[float]:
        return value

    packb, unpackb = msgpack.packb, msgpack.unpackb
    out["tiny_python_us"] = per_call_us(lambda: echo(**args), plan)
    out["tiny_msgpack_us"] = per_call_us(lambda: unpackb(packb(echo(**args))), plan)

    progress("Molt and CPython: bulk")
    values = bulk_values()
    big = {"value": values}
    big_message = encode(big)
    assert call("echo", big) == values
    moved = len(big_message) + len(call_message("echo", big_message, check=False))
    out["bulk_bytes"] = moved
    runs = plan.bulk_runs
    out["bulk_validate_mb_s"] = rate_mb_s(lambda: call("echo", big), moved, runs)
    out["bulk_mb_s"] = rate_mb_s(lambda: call("echo", big, validate=False), moved, runs)
    out["bulk_raw_mb_s"] = rate_mb_s(
        lambda: call_message("echo", big_message, check=False), moved, runs
    )
    out["bulk_python_mb_s"] = rate_mb_s(lambda: echo(**big), moved, runs)
    packed = 2 * len(packb(values))
    out["bulk_msgpack_mb_s"] = rate_mb_s(lambda: unpackb(packb(echo(**big))), packed, runs)
    return out


# -- the table -------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    section: str
    runner: str
    value: Stat | None
    baseline: bool = False
    target: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    unit: str
    lower_is_better: bool


SECTIONS = {
    "cold": Section(
        "Cold load: hash + signature + checks + compile + instantiate, no cache", "ms", True
    ),
    "warm": Section("Warm load: a second host, compiled code from the cache", "ms", True),
    "tiny": Section('Per call, tiny message: echo({"value": [1.0]})', "µs", True),
    "bulk": Section(
        "Bulk: echo of list[float] x 1,000,000; MessagePack bytes in + out", "MB/s", False
    ),
}


def rows_for(molt: dict[str, Any], extism: dict[str, Any] | str) -> list[Row]:
    rows = [
        Row("cold", "Molt `Host.load_bytes`, `cache_dir=False`", molt["cold_ms"], baseline=True),
        Row("cold", "Molt, first load in the process (engine, spec registry)", molt["first_ms"]),
        Row(
            "warm",
            "Molt `Host(cache_dir=...)`, `load_bytes`",
            molt["warm_ms"],
            baseline=True,
            target=5.0,
        ),
        Row("tiny", "Molt `call`, `validate=True`", molt["tiny_validate_us"]),
        Row("tiny", "Molt `call`, `validate=False`", molt["tiny_us"], baseline=True, target=20.0),
        Row("tiny", "Molt `call`, `validate=False`, fuel off", molt["tiny_nofuel_us"]),
        Row("tiny", "Molt `call_message`, pre-encoded, `check=False`", molt["tiny_raw_us"]),
        Row("tiny", "CPython `echo(value)`", molt["tiny_python_us"]),
        Row("tiny", "CPython `unpackb(packb(echo(value)))`", molt["tiny_msgpack_us"]),
        Row("bulk", "Molt `call`, `validate=True`", molt["bulk_validate_mb_s"]),
        Row(
            "bulk", "Molt `call`, `validate=False`", molt["bulk_mb_s"], baseline=True, target=200.0
        ),
        Row("bulk", "Molt `call_message`, pre-encoded, `check=False`", molt["bulk_raw_mb_s"]),
        Row(
            "bulk",
            "CPython `echo(value)`: the same list back, nothing copied (Molt's byte count)",
            molt["bulk_python_mb_s"],
        ),
        Row("bulk", "CPython `unpackb(packb(echo(value)))`", molt["bulk_msgpack_mb_s"]),
    ]
    if isinstance(extism, str):
        rows.append(Row("cold", "Extism Python SDK", None, note=f"not measured: {extism}"))
        return rows
    return [
        *rows,
        Row(
            "cold",
            'Extism `Plugin(wasm_bytes)`, `EXTISM_CACHE_CONFIG=""` (cache off)',
            extism["cold_ms"],
        ),
        Row("cold", "Extism, first plugin in the process, cache off", extism["first_ms"]),
        Row(
            "warm",
            "Extism `Plugin(wasm_bytes)`, wasmtime cache in a temporary folder",
            extism["warm_ms"],
        ),
        Row(
            "warm",
            "Extism `Plugin(CompiledPlugin)`, in-process reuse (instantiate only)",
            extism["reuse_ms"],
        ),
        Row("tiny", "Extism `unpackb(plugin.call(packb(value)))`", extism["tiny_us"]),
        Row("tiny", "Extism `plugin.call`, pre-encoded", extism["tiny_raw_us"]),
        Row("bulk", "Extism `unpackb(plugin.call(packb(value)))`", extism["bulk_mb_s"]),
        Row("bulk", "Extism `plugin.call`, pre-encoded", extism["bulk_raw_mb_s"]),
    ]


def render(rows: list[Row]) -> str:
    """The Markdown table: one block of rows per section, cost relative to Molt's baseline."""
    lines = [
        "| Measurement | Runner | Median | Range (min-max) | Cost vs Molt baseline "
        "| Target | Meets |",
        "| --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for key, section in SECTIONS.items():
        block = [row for row in rows if row.section == key]
        base = next(row.value[0] for row in block if row.baseline and row.value)
        for index, row in enumerate(block):
            title = f"{section.title} ({section.unit})" if index == 0 else ""
            if row.value is None:
                lines.append(f"| {title} | {row.runner} | {row.note} | | | | |")
                continue
            median, low, high = row.value
            result = f"{median:,.2f} {section.unit}"
            spread = "single run" if low == high else f"{low:,.2f}-{high:,.2f}"
            if row.baseline:
                relative = "1.00 (baseline)"
            else:
                ratio = median / base if section.lower_is_better else base / median
                relative = f"{ratio:,.2f}x" if ratio >= 0.1 else f"{ratio:.2g}x"
            target, meets = "", ""
            if row.target is not None:
                sign = "<" if section.lower_is_better else ">="
                target = f"{sign} {row.target:g} {section.unit}"
                ok = median < row.target if section.lower_is_better else median >= row.target
                meets = "pass" if ok else "**FAIL**"
            lines.append(
                f"| {title} | {row.runner} | {result} | {spread} | {relative} "
                f"| {target} | {meets} |"
            )
    return "\n".join(lines)


def machine(extism: dict[str, Any] | str) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    parts = [
        f"{os.cpu_count()} cores ({cpu})",
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}",
        f"wasmtime {package_version('wasmtime')}",
        f"msgpack {package_version('msgpack')}",
    ]
    if hasattr(os, "getloadavg"):
        parts.insert(1, f"load average {os.getloadavg()[0]:.2f} at the end of the run")
    if not isinstance(extism, str):
        parts.append(f"extism {extism['extism']} (runtime {extism['runtime']})")
    return "; ".join(parts)


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def progress(text: str) -> None:
    print(f"[host benchmark] {text}", file=sys.stderr, flush=True)


# -- main --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    parser.add_argument(
        "--venv",
        type=Path,
        default=None,
        help=f"virtual environment for the Extism peer (default {default_venv()})",
    )
    parser.add_argument("--no-extism", action="store_true", help="skip the Extism peer")
    parser.add_argument("--extism-worker", type=Path, metavar="WASM", help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    plan = Plan(**json.loads(args.plan)) if args.plan else QUICK if args.quick else FULL

    if args.extism_worker is not None:
        print(json.dumps(extism_worker(args.extism_worker, plan)))
        return 0

    import_molt()
    with tempfile.TemporaryDirectory(prefix="molt-bench-") as temporary:
        workdir = Path(temporary)
        workdir.chmod(0o700)
        molt = measure_molt(plan, workdir)
        extism: dict[str, Any] | str = "skipped (--no-extism)"
        if not args.no_extism:
            extism = run_extism(args.venv or default_venv(), plan, workdir)

    command = "python benchmarks/host.py" + (" --quick" if args.quick else "")
    print(
        f"Command: `{command}` ({plan.calls:,} calls per call row, "
        f"{plan.loads} cold / {plan.warm_loads} warm loads, {plan.bulk_runs} bulk calls)\n"
    )
    print(f"Machine: {machine(extism)}\n")
    print(render(rows_for(molt, extism)))
    print(
        f"\nModule: fixture-echo, {molt['module_bytes']:,} bytes of wasm. Bulk bytes per call: "
        f"Molt {molt['bulk_bytes']:,}"
        + ("" if isinstance(extism, str) else f", Extism {extism['bulk_bytes']:,}")
        + ". Cost: time relative to the section's Molt baseline (for MB/s, the inverse "
        "ratio); below 1 is cheaper than Molt."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
