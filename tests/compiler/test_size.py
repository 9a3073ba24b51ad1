"""What keeps modules small, pinned by behaviour (sizes themselves are measured in
benchmarks/kernels.py, never asserted here): a module carries only the messages and
renderer parts it can use, maps with known keys and records share one table-driven
codec, lists and dicts share one loop per direction, and a module that needs no
shadow stack has none, so its data sits at low addresses."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import msgpack
import pytest

from molt.compiler import CompiledModule, compile_source
from molt.compiler.core import WASM32_DATA_LAYOUT
from molt.compiler.core._msgpack import record_offsets, record_struct
from molt.compiler.ir.types import BOOL, FLOAT, INT, NONE, STR, ListType, OptionalType, RecordType
from molt.compiler.link import DATA_BASE, STACK_SIZE
from tests.compiler.conftest import PROGRAMS

NUMERIC = """\
from molt import export


@export
def add(a: int, b: int) -> int:
    return a + b


@export
def scale(x: float, factor: float) -> float:
    return x * factor
"""

KEYED = """\
from molt import export


@export
def lookup(d: dict[str, int], key: str) -> int:
    return d[key]
"""

CONTAINERS = """\
from __future__ import annotations

from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Point:
    x: int
    ok: bool


@export
def ints(n: int) -> list[int]:
    out: list[int] = []
    for i in range(n):
        out.append(i)
    return out


@export
def points(n: int) -> list[Point]:
    out: list[Point] = []
    for i in range(n):
        out.append(Point(i, i % 2 == 0))
    return out


@export
def words(n: int) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i in range(n):
        out[str(i)] = [i]
    return out
"""


def _compile(source: str, name: str, opt_level: int = 2) -> CompiledModule:
    return compile_source(source, filename=f"{name}.py", module_name=name, opt_level=opt_level)


def _defines(compiled: CompiledModule, function: str) -> bool:
    return (
        re.search(rf"^define [^\n]*@\"?{re.escape(function)}\"?\(", compiled.llvm_ir, re.M)
        is not None
    )


def _body(compiled: CompiledModule, function: str) -> str:
    match = re.search(
        rf"^define [^\n]*@\"?{re.escape(function)}\"?\(.*?^}}", compiled.llvm_ir, re.M | re.S
    )
    assert match is not None, function
    return match.group(0)


def _uleb(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def _layout(wasm: bytes) -> tuple[int, list[int]]:
    """The memory's initial pages and the start address of each active data segment."""
    at, pages, starts = 8, -1, []
    while at < len(wasm):
        section, (size, body) = wasm[at], _uleb(wasm, at + 1)
        if section == 5:  # memory: count, limits flag, minimum
            pages, _ = _uleb(wasm, body + 2)
        if section == 11:  # data: count, then (flag 0, i32.const offset, end, bytes)
            count, cursor = _uleb(wasm, body)
            for _ in range(count):
                assert wasm[cursor] == 0 and wasm[cursor + 1] == 0x41, "an active segment"
                start, cursor = _uleb(wasm, cursor + 2)
                assert wasm[cursor] == 0x0B
                length, cursor = _uleb(wasm, cursor + 1)
                starts.append(start)
                cursor += length
        at = body + size
    return pages, starts


def test_a_numeric_module_carries_no_template_for_codes_it_cannot_raise() -> None:
    wasm = _compile(NUMERIC, "numeric").wasm
    assert b"MOLT-E-OVERFLOW" in wasm  # a + b
    assert b"MOLT-E-MALFORMED-MESSAGE" in wasm and b"MOLT-E-SCHEMA-VIOLATION" in wasm
    for code in (b"MOLT-E-KEY", b"MOLT-E-INDEX", b"MOLT-E-ZERO-DIVISION", b"MOLT-E-VALUE"):
        assert code not in wasm


def test_the_renderer_handles_only_the_holes_the_module_templates_use() -> None:
    numeric = _compile(NUMERIC, "numeric")
    keyed = _compile(KEYED, "keyed")
    # a KeyError quotes the key like repr(); nothing in the numeric module does
    assert not _defines(numeric, "molt.out.repr")
    assert "repr0:" not in _body(numeric, "molt.render")
    assert _defines(keyed, "molt.out.repr")
    assert "repr0:" in _body(keyed, "molt.render")


def test_records_and_the_input_map_share_one_table_driven_codec() -> None:
    source = (PROGRAMS / "records.py").read_text(encoding="utf-8")
    compiled = _compile(source, "records")
    assert compiled.llvm_ir.count("define internal i1 @molt.decode_fields(") == 1
    for record in ("Point", "Segment", "Tagged"):
        assert "@molt.decode_fields(" in _body(compiled, f"molt.decode.record.{record}")
    for record in ("Point", "Pair", "Tagged"):
        assert "@molt.encode_fields(" in _body(compiled, f"molt.encode.record.{record}")
    assert "@molt.decode_fields(" in _body(compiled, "molt.decode_input")


@pytest.mark.parametrize(
    "fields",
    [
        [("a", BOOL), ("b", INT), ("c", STR), ("d", BOOL), ("e", FLOAT)],
        [("flag", BOOL), ("none", NONE), ("items", ListType(INT)), ("maybe", OptionalType(INT))],
        [("n", INT)],
    ],
)
def test_record_offsets_are_llvm_wasm32_layout(fields: list[tuple[str, Any]]) -> None:
    import llvmlite.binding as llvm
    from llvmlite import ir

    kind = RecordType("R", tuple(fields))
    module = ir.Module()
    module.data_layout = WASM32_DATA_LAYOUT
    variable = ir.GlobalVariable(module, record_struct(kind), name="r")
    variable.initializer = ir.Constant(record_struct(kind), None)
    parsed = llvm.parse_assembly(str(module))
    struct = parsed.get_global_variable("r").global_value_type
    target = llvm.create_target_data(WASM32_DATA_LAYOUT)
    expected = [target.get_element_offset(struct, i) for i in range(len(fields))]
    assert record_offsets(kind) == expected


@pytest.mark.parametrize("count", [0, 15, 16, 65535, 65536])
def test_container_headers_are_canonical_at_every_format_boundary(
    load_wasm: Callable[..., Any], count: int
) -> None:
    module = load_wasm(_compile(CONTAINERS, "containers"))
    small = min(count, 300)  # the dict and record cases only need the fix/16 boundary
    expected = {
        "ints": list(range(count)),
        "points": [{"x": i, "ok": i % 2 == 0} for i in range(small)],
        "words": {str(i): [i] for i in range(small)},
    }
    for export, value in expected.items():
        n = count if export == "ints" else small
        raw = module.call_message(export, msgpack.packb({"n": n}))
        assert raw == msgpack.packb(value)


def test_a_module_without_a_shadow_stack_keeps_its_data_at_low_addresses() -> None:
    pages, starts = _layout(_compile(NUMERIC, "numeric").wasm)
    assert pages == 1
    assert starts and min(starts) == DATA_BASE


def test_a_module_that_uses_the_shadow_stack_puts_it_first() -> None:
    # unoptimized code keeps its locals in memory
    _, starts = _layout(_compile(NUMERIC, "numeric", opt_level=0).wasm)
    assert starts and min(starts) >= STACK_SIZE
