"""`molt build SOURCE.py`, `molt inspect` and `molt run SOURCE.py` through the entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from molt.cli import main

SOURCE = """\
from molt import export


@export
def clamp(x: int, low: int, high: int) -> int:
    return max(low, min(x, high))


@export
def halve(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in values:
        out.append(value / 2)
    return out
"""

BAD = """\
from molt import export
import os


@export
def f(x: int) -> int:
    g = lambda y: y
    return x
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "tools.py"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def test_build_source_writes_the_module_and_prints_size_and_exports(capsys, source) -> None:
    out_file = source.with_name("out.wasm")
    code, out, _ = run(capsys, "build", str(source), "-o", str(out_file), "--format", "text")
    size = out_file.stat().st_size
    assert code == 0
    assert out == f"{out_file}: {size} bytes, exports clamp, halve\n"
    assert out_file.read_bytes()[:4] == b"\0asm"


def test_build_source_emit_llvm_prints_the_ir(capsys, source) -> None:
    code, out, _ = run(capsys, "build", str(source), "--emit-llvm")
    assert code == 0
    assert 'target triple = "wasm32-unknown-unknown"' in out


def test_inspect_shows_the_interface(capsys, source) -> None:
    run(capsys, "build", str(source), "--format", "json")
    code, out, _ = run(capsys, "inspect", str(source.with_suffix(".wasm")), "--format", "text")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].startswith("tools 0.1.0  ABI 1.0  ")
    assert lines[1:] == [
        "imports: none",
        "  clamp(x: int, low: int, high: int) -> int",
        "  halve(values: list[float]) -> list[float]",
    ]
    code, out, _ = run(capsys, "inspect", str(source.with_suffix(".wasm")), "--format", "json")
    assert json.loads(out)["interface"]["module"] == {"name": "tools", "version": "0.1.0"}


def test_run_source_compiles_and_calls(capsys, source) -> None:
    code, out, _ = run(
        capsys, "run", str(source), "clamp", "--args", '{"x": 15, "low": 0, "high": 10}'
    )
    assert (code, out) == (0, "10\n")
    code, out, _ = run(capsys, "run", str(source), "halve", "--args", '{"values": [1, 3.0]}')
    assert (code, out) == (0, "[0.5, 1.5]\n")


def test_run_source_reports_a_schema_violation_with_its_path(capsys, source) -> None:
    code, out, err = run(
        capsys, "run", str(source), "clamp", "--args", '{"x": 1.5, "low": 0, "high": 10}'
    )
    assert (code, out) == (1, "")
    assert err.startswith("MOLT-E-SCHEMA-VIOLATION: clamp: input at $.x ")


def test_compile_errors_are_all_listed_with_locations_and_exit_1(capsys, tmp_path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(BAD, encoding="utf-8")
    code, out, err = run(capsys, "build", str(bad))
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert [line.split(": ")[0:2] for line in lines] == [
        ["MOLT-E-IMPORT-NOT-ALLOWED", "bad.py:2:1"],
        ["MOLT-E-UNSUPPORTED", "bad.py:7:9"],
    ]
    assert not bad.with_suffix(".wasm").exists()


def test_run_without_lock_needs_a_source(capsys) -> None:
    code, _, err = run(capsys, "run", "stats", "mean")
    assert code == 2
    assert err.startswith("MOLT-E-USAGE: 'stats' is not a .py source; give --lock LOCK")
