"""The compiler as a build tool: its public API, the module it writes (ABI exports,
no imports, the molt.interface section), reproducible bytes, size and speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from molt.compiler import CompiledModule, FrontendError, compile_file, compile_source
from molt.compiler.link import LinkError
from molt.errors import MoltError
from molt.wasmfile import INTERFACE_SECTION, canonical_interface_bytes, read_interface, read_wasm
from tests.compiler.conftest import PROGRAMS
from tests.conftest import REPO_ROOT

SMALL = '''\
"""Three numeric exports."""

from molt import export


@export
def add(a: float, b: float) -> float:
    """a + b."""
    return a + b


@export
def fib(n: int) -> int:
    a = 0
    b = 1
    for _ in range(n):
        t = a + b
        a = b
        b = t
    return a


@export
def mean(xs: list[float]) -> float:
    total = 0.0
    for x in xs:
        total += x
    return total / len(xs)
'''


@pytest.fixture(scope="module")
def small() -> CompiledModule:
    return compile_source(SMALL, filename="small.py", module_name="small", version="1.2.0")


def test_module_has_exactly_the_abi_exports_and_no_imports(small: CompiledModule) -> None:
    info = read_wasm(small.wasm)
    assert info.imports == ()
    assert {e.name: e.signature for e in info.exports} == {
        "memory": "memory",
        "molt_abi_version": "() -> (i32)",
        "molt_alloc": "(i32) -> (i32)",
        "molt_call_add": "(i32, i32) -> (i64)",
        "molt_call_fib": "(i32, i32) -> (i64)",
        "molt_call_mean": "(i32, i32) -> (i64)",
    }
    assert [name for name, _ in info.custom_sections] == [INTERFACE_SECTION]


def test_interface_section_is_canonical_and_valid(small: CompiledModule) -> None:
    info = read_wasm(small.wasm)
    assert info.custom(INTERFACE_SECTION) == (canonical_interface_bytes(small.interface),)
    assert read_interface(info) == small.interface
    assert small.interface["abi"] == {"major": 1, "minor": 0}
    assert small.interface["module"] == {"name": "small", "version": "1.2.0"}
    add, fib, mean = small.interface["exports"]
    assert add == {
        "name": "add",
        "params": [{"name": "a", "type": "float"}, {"name": "b", "type": "float"}],
        "returns": "float",
        "input": {
            "type": "object",
            "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
            "required": ["a", "b"],
            "additionalProperties": False,
        },
        "output": {"type": "number"},
        "doc": "a + b.",
    }
    assert fib["output"] == {
        "type": "integer",
        "minimum": -9223372036854775808,
        "maximum": 9223372036854775807,
    }
    assert mean["params"] == [{"name": "xs", "type": "list[float]"}]
    assert mean["input"]["properties"]["xs"] == {"type": "array", "items": {"type": "number"}}


def test_abi_version_and_alloc(small: CompiledModule) -> None:
    import wasmtime

    store = wasmtime.Store()
    store.set_limits(memory_size=64 << 20)
    instance = wasmtime.Instance(store, wasmtime.Module(store.engine, small.wasm), [])
    exports = instance.exports(store)
    assert exports["molt_abi_version"](store) == 0x10000
    first = exports["molt_alloc"](store, 100)
    assert first > 0 and first % 16 == 0
    assert exports["molt_alloc"](store, 1 << 20) == first  # a bigger buffer, same place
    assert exports["molt_alloc"](store, 0) == first
    assert exports["molt_alloc"](store, 0x7FFF_FFFF) == 0  # beyond the memory limit
    assert exports["molt_alloc"](store, 0xFFFF_FFFF) == 0  # beyond 4 GiB


_BUILD = (
    "import sys; from molt.compiler import compile_source; "
    "source = open(sys.argv[1], encoding='utf-8').read(); "
    "sys.stdout.buffer.write(compile_source(source, filename='kernels.py', "
    "module_name='kernels').wasm)"
)


def _build_in(folder: Path, seed: str) -> bytes:
    environment = {**os.environ, "PYTHONHASHSEED": seed}
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT / "reference"), str(REPO_ROOT), environment.get("PYTHONPATH", "")]
    )
    done = subprocess.run(
        [sys.executable, "-c", _BUILD, str(PROGRAMS / "kernels.py")],
        cwd=folder,
        env=environment,
        capture_output=True,
        check=True,
    )
    return done.stdout


def test_builds_are_byte_identical_across_folders_and_hash_seeds(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = _build_in(tmp_path / "one", "1")
    second = _build_in(tmp_path / "two", "98765")
    in_process = compile_source(
        (PROGRAMS / "kernels.py").read_text(encoding="utf-8"),
        filename="kernels.py",
        module_name="kernels",
    ).wasm
    assert first == second == in_process


def test_module_size_and_compile_time(
    small: CompiledModule, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.perf_counter()
    again = compile_source(SMALL, filename="small.py", module_name="small", version="1.2.0")
    seconds = time.perf_counter() - started
    sizes = {
        "small (3 numeric exports)": len(small.wasm),
        "kernels (5 exports, lists)": len(
            compile_source(
                (PROGRAMS / "kernels.py").read_text(encoding="utf-8"),
                filename="kernels.py",
                module_name="kernels",
            ).wasm
        ),
    }
    with capsys.disabled():
        print(f"\nmodule sizes: {json.dumps(sizes)}; compile time of small: {seconds:.2f} s")
    assert again.wasm == small.wasm
    assert sizes["small (3 numeric exports)"] < 12_000  # regression bound; the goal is 4 KB
    assert seconds < 5


@pytest.mark.parametrize("opt_level", [0, 1, 3])
def test_every_optimization_level_computes_the_same(load_wasm, opt_level: int) -> None:
    compiled = compile_source(SMALL, filename="small.py", module_name="small", opt_level=opt_level)
    module = load_wasm(compiled)
    assert module.call("fib", {"n": 90}) == 2880067194370816120
    assert module.call("mean", {"xs": [1, 2.5]}) == 1.75
    with pytest.raises(MoltError) as caught:
        module.call("mean", {"xs": []})
    assert caught.value.code == "MOLT-E-ZERO-DIVISION"


def test_llvm_ir_is_readable_text(small: CompiledModule) -> None:
    assert 'target triple = "wasm32-unknown-unknown"' in small.llvm_ir
    assert "define internal double @molt.fn.add(double %a, double %b)" in small.llvm_ir
    assert "define i64 @molt_call_add(i32 %ptr, i32 %len)" in small.llvm_ir


def test_compile_file_names_the_file_by_its_base_name(tmp_path: Path) -> None:
    path = tmp_path / "Deep" / "Geometry.py"
    path.parent.mkdir()
    path.write_text(SMALL.replace("return a + b", "return a + b + c"), encoding="utf-8")
    with pytest.raises(FrontendError) as caught:
        compile_file(path)
    assert caught.value.message.startswith("Geometry.py:9:")
    path.write_text(SMALL, encoding="utf-8")
    compiled = compile_file(path)
    assert compiled.interface["module"]["name"] == "geometry"


def test_compile_file_errors(tmp_path: Path) -> None:
    with pytest.raises(MoltError) as caught:
        compile_file(tmp_path / "missing.py")
    assert caught.value.code == "MOLT-E-IO"
    binary = tmp_path / "binary.py"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(FrontendError) as caught:
        compile_file(binary)
    assert caught.value.code == "MOLT-E-SYNTAX"
    assert "not valid UTF-8" in caught.value.message


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"module_name": "Bad Name"}, ValueError),
        ({"module_name": "ok", "version": "1.0"}, ValueError),
        ({"module_name": "ok", "opt_level": 7}, ValueError),
    ],
)
def test_arguments_are_checked(options: dict, problem: type[Exception]) -> None:
    with pytest.raises(problem):
        compile_source(SMALL, filename="small.py", **options)


def test_a_missing_linker_is_a_toolchain_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOLT_WASM_LD", "/nonexistent/wasm-ld")
    with pytest.raises(LinkError) as caught:
        compile_source(SMALL, filename="small.py", module_name="small")
    assert caught.value.code == "MOLT-E-TOOLCHAIN"
    assert caught.value.message.startswith("wasm-ld: MOLT_WASM_LD='/nonexistent/wasm-ld'")


def test_the_compiler_never_imports_the_runtime() -> None:
    code = (
        "import sys; from molt.compiler import compile_source; "
        "compile_source('from molt import export\\n@export\\ndef f() -> int:\\n    return 1\\n',"
        " filename='f.py', module_name='f'); "
        "print(sorted(m for m in sys.modules if m.startswith('molt.runtime') or m == 'wasmtime'))"
    )
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "reference")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment
    )
    assert done.stdout.strip() == "[]"


def test_loops_inside_loops_use_constant_stack_at_every_level(load_wasm) -> None:
    source = (
        "from molt import export\n\n\n@export\ndef f(n: int) -> int:\n"
        "    total = 0\n    rounds = 0\n    while rounds < n:\n"
        "        for i in range(2):\n            for x in [i]:\n                total += x\n"
        "        rounds += 1\n    return total\n"
    )
    for opt_level in (0, 2):
        compiled = compile_source(source, filename="f.py", module_name="f", opt_level=opt_level)
        assert load_wasm(compiled).call("f", {"n": 300_000}) == 300_000
