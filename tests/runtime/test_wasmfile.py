"""molt.wasmfile: the strict reader of WebAssembly binaries and the interface section."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import wasmtime
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from molt.errors import LoadError
from molt.wasmfile import (
    WasmExport,
    WasmImport,
    append_custom_section,
    canonical_interface_bytes,
    read_interface,
    read_wasm,
)
from tests.runtime.conftest import fixture_interface

HEADER = b"\0asm\x01\0\0\0"


def _leb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _section(section_id: int, body: bytes) -> bytes:
    return bytes([section_id]) + _leb(len(body)) + body


def _module_invalid(data: bytes) -> LoadError:
    with pytest.raises(LoadError) as caught:
        read_wasm(data)
    assert caught.value.code == "MOLT-E-MODULE-INVALID"
    return caught.value


# -- reading real modules ------------------------------------------------------------------


def test_echo_fixture_exports_have_their_exact_kinds_and_signatures(
    abi1_wasm: dict[str, bytes],
) -> None:
    info = read_wasm(abi1_wasm["echo"])
    call = (("i32", "i32"), ("i64",))
    assert info.exports == (
        WasmExport("memory", "memory"),
        WasmExport("molt_abi_version", "func", (), ("i32",)),
        WasmExport("molt_alloc", "func", ("i32",), ("i32",)),
        WasmExport("molt_call_echo", "func", *call),
        WasmExport("molt_call_fail", "func", *call),
        WasmExport("molt_call_spin", "func", *call),
        WasmExport("molt_call_grow", "func", *call),
        WasmExport("molt_call_recurse", "func", *call),
        WasmExport("molt_call_bad_result", "func", *call),
    )
    assert info.imports == ()


def test_custom_sections_are_listed_in_binary_order(abi1_wasm: dict[str, bytes]) -> None:
    info = read_wasm(abi1_wasm["echo"])
    assert [name for name, _ in info.custom_sections] == ["name", "molt.interface"]
    assert info.custom("molt.interface") == (canonical_interface_bytes(fixture_interface("echo")),)


def test_function_signatures_resolve_through_the_imported_function_index_space(
    abi1_wasm: dict[str, bytes],
) -> None:
    info = read_wasm(abi1_wasm["with-import"])
    assert info.imports == (WasmImport("env", "f", "func"),)
    # The import takes function index 0, so every defined function shifts by one.
    assert info.export("molt_alloc") == WasmExport("molt_alloc", "func", ("i32",), ("i32",))
    assert info.export("molt_call_echo") == WasmExport(
        "molt_call_echo", "func", ("i32", "i32"), ("i64",)
    )


def test_exports_of_every_value_type_and_kind_are_reported() -> None:
    wasm = wasmtime.wat2wasm(
        """(module
          (import "a" "t" (table 1 funcref))
          (import "a" "g" (global i64))
          (memory (export "mem") 1)
          (table (export "tab") 1 externref)
          (global (export "glob") i32 (i32.const 0))
          (func (export "f") (param i32 i64 f32 f64 v128) (result funcref externref)
            (ref.null func) (ref.null extern)))"""
    )
    info = read_wasm(bytes(wasm))
    assert info.imports == (WasmImport("a", "t", "table"), WasmImport("a", "g", "global"))
    assert info.exports == (
        WasmExport("mem", "memory"),
        WasmExport("tab", "table"),
        WasmExport("glob", "global"),
        WasmExport("f", "func", ("i32", "i64", "f32", "f64", "v128"), ("funcref", "externref")),
    )


# -- malformed binaries --------------------------------------------------------------------


def _section_ends(data: bytes) -> list[tuple[int, int]]:
    """(section id, end offset) of every section: an independent, minimal walk."""
    ends = []
    pos = 8
    while pos < len(data):
        section_id = data[pos]
        size = shift = 0
        pos += 1
        while True:
            byte = data[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        pos += size
        ends.append((section_id, pos))
    return ends


def test_every_truncated_prefix_is_invalid_unless_it_ends_a_complete_module(
    abi1_wasm: dict[str, bytes],
) -> None:
    data = abi1_wasm["missing-export"]
    ends = _section_ends(data)
    # A prefix that ends exactly at a section boundary is itself a module; it is a
    # valid one while it declares no function bodies it lacks (function vs code).
    complete = {8}
    seen: set[int] = set()
    for section_id, end in ends:
        seen.add(section_id)
        if 3 not in seen or 10 in seen:
            complete.add(end)
    parsed = set()
    for length in range(len(data)):
        try:
            read_wasm(data[:length])
        except LoadError as error:
            assert error.code == "MOLT-E-MODULE-INVALID", length
        else:
            parsed.add(length)
    assert parsed == complete - {len(data)}
    assert len(parsed) >= 3  # the header alone, after the types, after the code, ...


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (b"", "only 0 bytes"),
        (b"\0asm\x01\0\0", "only 7 bytes"),
        (b"\0ASM\x01\0\0\0", "bad magic number 00 41 53 4d at offset 0"),
        (b"\0asm\x02\0\0\0", "unsupported binary version 02 00 00 00"),
        (HEADER + b"\x0e\x00", "unknown section id 14 at offset 8"),
        (HEADER + b"\x01\x05\x00", "declares 5 bytes but only 1 remain"),
        (HEADER + b"\x01\x80\x80\x80\x80\x10", "not a valid u32 LEB128"),
        (HEADER + b"\x01", "unexpected end of section size"),
        (HEADER + _section(3, b"\x00") + _section(1, b"\x00"), "out of order"),
        (HEADER + _section(1, b"\x00") + _section(1, b"\x00"), "repeated or out of order"),
        (HEADER + _section(1, b"\x01\x5f\x00"), "is not a function type"),
        (HEADER + _section(1, b"\x01\x60\x01\x63\x00"), "value type 0x63"),
        (HEADER + _section(1, b"\x01\x60\x00\x00\x00"), "ends at offset"),
        (HEADER + _section(3, b"\x01\x00") + _section(10, b"\x01\x02\x00\x0b"), "type 0 but"),
        (HEADER + _section(1, b"\x01\x60\x00\x00") + _section(3, b"\x01\x00"), "0 bodies"),
        (HEADER + _section(2, b"\x01\x01a\x01b\x07"), "unknown kind 0x07"),
        (HEADER + _section(7, b"\x01\x01f\x00\x00"), "names func 0 but the module has 0"),
        (HEADER + _section(7, b"\x01\x01m\x02\x00"), "names memory 0 but the module has 0"),
        (HEADER + _section(7, b"\x01\x02\xff\xfe\x02\x00"), "not valid UTF-8"),
        (
            HEADER + _section(5, b"\x01\x00\x01") + _section(7, b"\x02\x01m\x02\x00\x01m\x02\x00"),
            "export name 'm' appears twice",
        ),
        (HEADER + _section(0, b"\x05ab"), "custom section name at offset 10 runs past"),
        (HEADER + _section(12, b"\x01"), "datacount section says 1 data segments"),
    ],
)
def test_malformed_binaries_are_module_invalid_with_the_reason(data: bytes, detail: str) -> None:
    error = _module_invalid(data)
    assert detail in error.message


def test_module_invalid_message_names_the_module_and_what_to_do() -> None:
    with pytest.raises(LoadError) as caught:
        read_wasm(b"\0asm", name="geometry", version="1.2.0")
    assert str(caught.value) == (
        "MOLT-E-MODULE-INVALID: geometry 1.2.0 is not a valid wasm32 module: only 4 bytes; a "
        "module starts with the 8 bytes of its magic number and version; rebuild it with molt "
        "build and re-lock it"
    )


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_corrupted_modules_parse_or_raise_module_invalid_only(
    abi1_wasm: dict[str, bytes], data: st.DataObject
) -> None:
    module = bytearray(abi1_wasm["with-import"])
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(module) - 1))
        module[index] = data.draw(st.integers(0, 255))
    try:
        read_wasm(bytes(module))
    except LoadError as error:
        assert error.code == "MOLT-E-MODULE-INVALID"


def _big_module(target: int) -> bytes:
    """A module of about `target` bytes: many 500-byte function bodies."""
    body = b"\x00" + b"\x01" * 497 + b"\x0b"  # no locals, nops, end
    entry = _leb(len(body)) + body
    count = target // len(entry)
    return (
        HEADER
        + _section(1, b"\x01\x60\x00\x00")
        + _section(3, _leb(count) + b"\x00" * count)
        + _section(5, b"\x01\x00\x01")
        + _section(7, b"\x02\x06memory\x02\x00\x01f\x00" + _leb(count - 1))
        + _section(10, _leb(count) + entry * count)
    )


def test_reading_a_10_mb_module_skips_code_bodies_and_takes_milliseconds() -> None:
    data = _big_module(10_000_000)
    assert len(data) >= 9_900_000
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        info = read_wasm(data)
        best = min(best, time.perf_counter() - start)
    assert info.export("f") == WasmExport("f", "func", (), ())
    assert best < 0.010  # measured well under 1 ms; 10 ms leaves room for slow machines


# -- the molt.interface section --------------------------------------------------------------


def _with_interface(wasm: bytes, payload: bytes) -> bytes:
    return append_custom_section(wasm, "molt.interface", payload)


def _interface_invalid(wasm: bytes) -> LoadError:
    with pytest.raises(LoadError) as caught:
        read_interface(read_wasm(wasm), name="fixture-echo", version="1.0.0")
    assert caught.value.code == "MOLT-E-INTERFACE-INVALID"
    return caught.value


def test_the_interface_section_is_returned_parsed(abi1_wasm: dict[str, bytes]) -> None:
    assert read_interface(read_wasm(abi1_wasm["echo"])) == fixture_interface("echo")


def test_a_module_without_the_interface_section_is_interface_invalid(
    abi1_wasm: dict[str, bytes],
) -> None:
    error = _interface_invalid(abi1_wasm["no-interface"])
    assert error.message == (
        "fixture-echo 1.0.0: invalid molt.interface section: the module has no molt.interface "
        "custom section; rebuild the module with molt build"
    )


def test_a_pretty_printed_interface_is_not_canonical(abi1_wasm: dict[str, bytes]) -> None:
    error = _interface_invalid(abi1_wasm["bad-interface"])
    assert "not canonical JSON: the bytes differ from the canonical form at byte 1" in error.message


def test_a_second_interface_section_is_interface_invalid(abi1_wasm: dict[str, bytes]) -> None:
    payload = canonical_interface_bytes(fixture_interface("echo"))
    error = _interface_invalid(_with_interface(abi1_wasm["echo"], payload))
    assert "the module has 2 molt.interface sections, not one" in error.message


def _mutated(mutate: Any) -> dict[str, Any]:
    interface = fixture_interface("echo")
    mutate(interface)
    return interface


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        (b"\xff{}", "not UTF-8 (byte 0)"),
        (b"{", "not JSON"),
        (b'{"abi":NaN}', "NaN is not JSON"),
        (b'{"a":1,"a":1}', "not canonical JSON"),
        (
            b'{"b":1,"a":1}',
            "not canonical JSON: the bytes differ from the canonical form at byte 2",
        ),
        (b'{"a":"\\u00e9"}', "not canonical JSON"),
        (b"[" * 100_000, "nested too deeply"),
        (
            canonical_interface_bytes(_mutated(lambda i: i.pop("abi"))),
            "$: 'abi' is a required property",
        ),
        (
            canonical_interface_bytes(_mutated(lambda i: i["module"].update(name="Bad Name"))),
            "$.module.name: 'Bad Name' does not match",
        ),
        (
            canonical_interface_bytes(_mutated(lambda i: i["exports"].reverse())),
            "$.exports[1].name: export 'recurse' is not sorted after 'spin'",
        ),
        (
            canonical_interface_bytes(
                _mutated(lambda i: i["exports"].insert(1, dict(i["exports"][1])))
            ),
            "$.exports[2].name: export 'echo' repeats 'echo'",
        ),
        (
            canonical_interface_bytes(
                _mutated(
                    lambda i: i["exports"][1]["params"].append({"name": "value", "type": "int"})
                )
            ),
            "$.exports[1].params: parameter 'value' appears twice",
        ),
        (
            canonical_interface_bytes(
                _mutated(lambda i: i["exports"][1]["output"].update(type="matrix"))
            ),
            "$.exports[1].output.type: not a valid JSON Schema (draft 2020-12)",
        ),
    ],
)
def test_interface_sections_that_break_a_rule_are_interface_invalid(
    abi1_wasm: dict[str, bytes], payload: bytes, detail: str
) -> None:
    error = _interface_invalid(_with_interface(abi1_wasm["no-interface"], payload))
    assert detail in error.message


# -- writing -----------------------------------------------------------------------------------


def test_canonical_interface_bytes_sort_keys_drop_whitespace_and_keep_utf8() -> None:
    assert canonical_interface_bytes({"b": [1, {"d": None, "c": True}], "a": "é"}) == (
        b'{"a":"\xc3\xa9","b":[1,{"c":true,"d":null}]}'
    )


def test_canonical_interface_bytes_refuse_nan() -> None:
    with pytest.raises(ValueError):
        canonical_interface_bytes({"x": float("nan")})


def test_append_custom_section_writes_id_size_name_and_payload() -> None:
    assert append_custom_section(HEADER, "x", b"yz") == HEADER + b"\x00\x04\x01xyz"
    info = read_wasm(append_custom_section(HEADER, "molt.interface", b"{}" * 100))
    assert info.custom_sections == (("molt.interface", b"{}" * 100),)


def test_append_custom_section_refuses_bytes_that_are_not_a_module() -> None:
    with pytest.raises(ValueError, match="bad magic number or version"):
        append_custom_section(b"\0asm\x02\0\0\0", "x", b"")


def test_fixtures_build_to_the_same_bytes_every_time(fixture_builder: Any) -> None:
    assert fixture_builder.build("echo") == fixture_builder.build("echo")


def test_every_fixture_but_no_interface_carries_its_interface_json(
    abi1_wasm: dict[str, bytes],
) -> None:
    for name, wasm in abi1_wasm.items():
        sections = read_wasm(wasm).custom("molt.interface")
        if name == "no-interface":
            assert sections == ()
        elif name == "bad-interface":
            assert json.loads(sections[0]) == fixture_interface(name)
        else:
            assert sections == (canonical_interface_bytes(fixture_interface(name)),)


def test_embedded_schemas_beyond_the_value_table_get_the_full_meta_schema_check(
    abi1_wasm: dict[str, bytes],
) -> None:
    interface = fixture_interface("echo")
    interface["exports"][1]["output"] = {"type": "array", "minItems": 1, "items": True}
    wasm = _with_interface(abi1_wasm["no-interface"], canonical_interface_bytes(interface))
    assert read_interface(read_wasm(wasm)) == interface
    interface["exports"][1]["output"]["minItems"] = -1
    wasm = _with_interface(abi1_wasm["no-interface"], canonical_interface_bytes(interface))
    error = _interface_invalid(wasm)
    assert "$.exports[1].output.minItems: not a valid JSON Schema (draft 2020-12)" in error.message


_schema_parts = st.recursive(
    st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(["integer", "number", "string", "x"])
            | st.lists(st.sampled_from(["null", "string", "string"]), max_size=3),
            "minimum": st.integers() | st.floats(allow_nan=False) | st.booleans() | st.text(),
            "required": st.lists(st.sampled_from(["a", "b", 1]), max_size=3),
            "title": st.text(max_size=3) | st.integers(),
            "contentEncoding": st.just("base64"),
            "enum": st.just([1]),
        },
    ),
    lambda inner: st.fixed_dictionaries(
        {},
        optional={
            "items": inner | st.booleans(),
            "properties": st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2),
            "additionalProperties": inner | st.booleans() | st.integers(),
            "anyOf": st.lists(inner, max_size=2),
        },
    ),
    max_leaves=5,
)


@settings(max_examples=300)
@given(_schema_parts)
def test_schemas_that_skip_the_meta_schema_check_are_valid_under_it(schema: Any) -> None:
    from jsonschema import Draft202012Validator

    from molt.wasmfile import _plain_schema

    if _plain_schema(schema):
        Draft202012Validator.check_schema(schema)
