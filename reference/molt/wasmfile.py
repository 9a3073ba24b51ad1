"""A small, strict reader of WebAssembly binaries, shared by build and runtime.

`read_wasm` parses just what a Molt host checks before compiling: the
imports, the exports with their function signatures, and the custom sections
in order. Code and data bodies are skipped by their sizes, so a 10 MB module
parses in well under a millisecond. The engine validates everything else when
it compiles the module. Any malformation (bad magic, a truncated section, an
over-long LEB128, an index out of range) raises `LoadError`
MOLT-E-MODULE-INVALID, never IndexError or ValueError.

`read_interface` returns the parsed `molt.interface` section and enforces the
ABI's rules for it (spec/abi.yaml `interface_section`): it is present once,
UTF-8 JSON in canonical form, valid against spec/schemas/interface.json, with
exports sorted by name and unique. Anything else is MOLT-E-INTERFACE-INVALID.

`canonical_interface_bytes` and `append_custom_section` are the writing side,
used by the fixture builder and the compiler.

This module imports neither `molt.build` nor `molt.runtime`, so both can use it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from molt.errors import LoadError, MoltError
from molt.spec import json_path

__all__ = [
    "INTERFACE_SECTION",
    "WasmExport",
    "WasmImport",
    "WasmInfo",
    "append_custom_section",
    "canonical_interface_bytes",
    "read_interface",
    "read_wasm",
]

INTERFACE_SECTION = "molt.interface"
"""The name of the custom section that carries a module's interface."""

_MAGIC = b"\0asm"
_VERSION = b"\x01\0\0\0"

ExternKind = Literal["func", "table", "memory", "global", "tag"]

_KINDS: tuple[ExternKind, ...] = ("func", "table", "memory", "global", "tag")
_VALTYPES = {
    0x7F: "i32",
    0x7E: "i64",
    0x7D: "f32",
    0x7C: "f64",
    0x7B: "v128",
    0x70: "funcref",
    0x6F: "externref",
}
_REFTYPES = (0x70, 0x6F)

# Section ids and the position each non-custom section must take
# (the binary format's order: datacount sits between element and code).
_SECTION_NAMES = {
    0: "custom",
    1: "type",
    2: "import",
    3: "function",
    4: "table",
    5: "memory",
    6: "global",
    7: "export",
    8: "start",
    9: "element",
    10: "code",
    11: "data",
    12: "datacount",
    13: "tag",
}
_SECTION_RANK = {
    1: 1,
    2: 2,
    3: 3,
    4: 4,
    5: 5,
    13: 6,
    6: 7,
    7: 8,
    8: 9,
    9: 10,
    12: 11,
    10: 12,
    11: 13,
}


@dataclass(frozen=True)
class WasmImport:
    """One import: `module`.`name` of kind func, table, memory, global or tag."""

    module: str
    name: str
    kind: ExternKind


@dataclass(frozen=True)
class WasmExport:
    """One export; `params` and `results` are filled for functions only."""

    name: str
    kind: ExternKind
    params: tuple[str, ...] = ()
    results: tuple[str, ...] = ()

    @property
    def signature(self) -> str:
        """`(i32, i32) -> (i64)` for a function, the kind for anything else."""
        if self.kind != "func":
            return self.kind
        return f"({', '.join(self.params)}) -> ({', '.join(self.results)})"


@dataclass(frozen=True)
class WasmInfo:
    """What a host needs to know about a module before compiling it."""

    imports: tuple[WasmImport, ...]
    exports: tuple[WasmExport, ...]
    custom_sections: tuple[tuple[str, bytes], ...]
    """Every custom section as (name, payload), in the order of the binary."""

    def export(self, name: str) -> WasmExport | None:
        """The export called `name`, or None."""
        for export in self.exports:
            if export.name == name:
                return export
        return None

    def custom(self, name: str) -> tuple[bytes, ...]:
        """The payloads of every custom section called `name`, in order."""
        return tuple(payload for section, payload in self.custom_sections if section == name)


class _Malformed(Exception):
    """Internal: the bytes are not a well-formed module; `detail` says where."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


# -- reading --------------------------------------------------------------------------


def read_wasm(data: bytes, *, name: str = "module", version: str = "(unversioned)") -> WasmInfo:
    """Parse `data` as a WebAssembly binary (version 1).

    `name` and `version` only fill the error message; pass the lockfile entry's.
    Raises `LoadError` MOLT-E-MODULE-INVALID when the bytes are not a module.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes, not {type(data).__name__}")
    try:
        return _Reader(bytes(data)).read()
    except _Malformed as problem:
        raise _error(
            "MOLT-E-MODULE-INVALID", name=name, version=version, detail=problem.detail
        ) from None


class _Reader:
    """One pass over the binary; every read is bounds-checked against `end`."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.types: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        self.imported_func_types: list[int] = []
        self.func_types: list[int] | None = None
        self.imports: list[WasmImport] = []
        self.raw_exports: list[tuple[str, int, int]] = []
        self.customs: list[tuple[str, bytes]] = []
        self.counts = {"table": 0, "memory": 0, "global": 0, "tag": 0}
        self.code_count: int | None = None
        self.data_count: int | None = None
        self.data_segments: int | None = None

    # -- primitives ---------------------------------------------------------------

    def u32(self, pos: int, end: int, what: str) -> tuple[int, int]:
        """An unsigned LEB128 of at most 5 bytes whose value fits 32 bits."""
        data = self.data
        if pos >= end:
            raise _Malformed(f"unexpected end of {what} at offset {pos}")
        byte = data[pos]
        if byte < 0x80:
            return byte, pos + 1
        result = byte & 0x7F
        shift = 7
        start = pos
        pos += 1
        while True:
            if pos >= end:
                raise _Malformed(f"unexpected end of {what} (LEB128 at offset {start})")
            byte = data[pos]
            pos += 1
            if shift == 28:
                if byte & 0xF0:
                    raise _Malformed(f"{what} at offset {start} is not a valid u32 LEB128")
                return result | (byte << 28), pos
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result, pos
            shift += 7

    def u64(self, pos: int, end: int, what: str) -> tuple[int, int]:
        """An unsigned LEB128 of at most 10 bytes whose value fits 64 bits."""
        data = self.data
        result = 0
        shift = 0
        start = pos
        while True:
            if pos >= end:
                raise _Malformed(f"unexpected end of {what} (LEB128 at offset {start})")
            byte = data[pos]
            pos += 1
            if shift == 63:
                if byte & 0xFE:
                    raise _Malformed(f"{what} at offset {start} is not a valid u64 LEB128")
                return result | (byte << 63), pos
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result, pos
            shift += 7

    def byte(self, pos: int, end: int, what: str) -> tuple[int, int]:
        if pos >= end:
            raise _Malformed(f"unexpected end of {what} at offset {pos}")
        return self.data[pos], pos + 1

    def name(self, pos: int, end: int, what: str) -> tuple[str, int]:
        start = pos
        length, pos = self.u32(pos, end, what)
        if length > end - pos:
            raise _Malformed(f"{what} at offset {start} runs past the end of its section")
        raw = self.data[pos : pos + length]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _Malformed(f"{what} at offset {start} is not valid UTF-8") from None
        return text, pos + length

    def valtype(self, pos: int, end: int, what: str) -> tuple[str, int]:
        code, pos = self.byte(pos, end, what)
        valtype = _VALTYPES.get(code)
        if valtype is None:
            raise _Malformed(
                f"{what} at offset {pos - 1} has value type 0x{code:02x}, which is not a "
                "number, vector, funcref or externref type (typed references and gc are not "
                "part of ABI 1)"
            )
        return valtype, pos

    def limits(self, pos: int, end: int, what: str) -> int:
        flags, pos = self.byte(pos, end, what)
        if flags > 0x07:
            raise _Malformed(f"{what} at offset {pos - 1} has unknown limits flags 0x{flags:02x}")
        read = self.u64 if flags & 0x04 else self.u32
        _, pos = read(pos, end, what)
        if flags & 0x01:
            _, pos = read(pos, end, what)
        return pos

    # -- the module ---------------------------------------------------------------

    def read(self) -> WasmInfo:
        data = self.data
        if len(data) < 8:
            raise _Malformed(
                f"only {len(data)} bytes; a module starts with the 8 bytes of its magic "
                "number and version"
            )
        if data[:4] != _MAGIC:
            raise _Malformed(
                f"bad magic number {data[:4].hex(' ')} at offset 0 (expected 00 61 73 6d)"
            )
        if data[4:8] != _VERSION:
            raise _Malformed(
                f"unsupported binary version {data[4:8].hex(' ')} at offset 4 "
                "(expected 01 00 00 00)"
            )
        pos = 8
        total = len(data)
        last_rank = 0
        while pos < total:
            section_id = data[pos]
            size, body = self.u32(pos + 1, total, "section size")
            end = body + size
            if end > total:
                raise _Malformed(
                    f"section at offset {pos} declares {size} bytes but only {total - body} remain"
                )
            if section_id not in _SECTION_NAMES:
                raise _Malformed(f"unknown section id {section_id} at offset {pos}")
            if section_id != 0:
                rank = _SECTION_RANK[section_id]
                if rank <= last_rank:
                    raise _Malformed(
                        f"{_SECTION_NAMES[section_id]} section at offset {pos} is repeated "
                        "or out of order"
                    )
                last_rank = rank
            self.section(section_id, body, end)
            pos = end
        return self.finish()

    def section(self, section_id: int, pos: int, end: int) -> None:
        if section_id == 0:
            name, pos = self.name(pos, end, "custom section name")
            self.customs.append((name, self.data[pos:end]))
            return
        if section_id in (10, 11, 8, 9):  # code, data, start, element: skipped by size
            if section_id == 10:
                self.code_count, _ = self.u32(pos, end, "code section count")
            elif section_id == 11:
                self.data_segments, _ = self.u32(pos, end, "data section count")
            return
        handler = {
            1: self.type_section,
            2: self.import_section,
            3: self.function_section,
            7: self.export_section,
        }.get(section_id)
        if handler is not None:
            pos = handler(pos, end)
            if pos != end:
                raise _Malformed(
                    f"{_SECTION_NAMES[section_id]} section ends at offset {pos} but its size "
                    f"says {end}"
                )
            return
        count, _ = self.u32(pos, end, f"{_SECTION_NAMES[section_id]} section count")
        if section_id == 12:
            self.data_count = count
        else:
            kind = {4: "table", 5: "memory", 6: "global", 13: "tag"}[section_id]
            self.counts[kind] += count

    def type_section(self, pos: int, end: int) -> int:
        count, pos = self.u32(pos, end, "type section count")
        for index in range(count):
            form, pos = self.byte(pos, end, f"type {index}")
            if form != 0x60:
                raise _Malformed(
                    f"type {index} at offset {pos - 1} is not a function type (form "
                    f"0x{form:02x}; gc types are not part of ABI 1)"
                )
            signature: list[tuple[str, ...]] = []
            for part in ("parameters", "results"):
                n, pos = self.u32(pos, end, f"type {index} {part}")
                if n > end - pos:
                    raise _Malformed(f"type {index} declares {n} {part} past the section end")
                kinds = []
                for _ in range(n):
                    valtype, pos = self.valtype(pos, end, f"type {index}")
                    kinds.append(valtype)
                signature.append(tuple(kinds))
            self.types.append((signature[0], signature[1]))
        return pos

    def import_section(self, pos: int, end: int) -> int:
        count, pos = self.u32(pos, end, "import section count")
        for index in range(count):
            module, pos = self.name(pos, end, f"import {index} module name")
            field, pos = self.name(pos, end, f"import {index} name")
            kind, pos = self.byte(pos, end, f"import {index} kind")
            what = f"import {module}.{field}"
            if kind == 0x00:
                type_index, pos = self.u32(pos, end, what)
                self.imported_func_types.append(type_index)
            elif kind == 0x01:
                reftype, pos = self.byte(pos, end, what)
                if reftype not in _REFTYPES:
                    raise _Malformed(f"{what} has table element type 0x{reftype:02x}")
                pos = self.limits(pos, end, what)
                self.counts["table"] += 1
            elif kind == 0x02:
                pos = self.limits(pos, end, what)
                self.counts["memory"] += 1
            elif kind == 0x03:
                _, pos = self.valtype(pos, end, what)
                mutability, pos = self.byte(pos, end, what)
                if mutability > 1:
                    raise _Malformed(f"{what} has global mutability 0x{mutability:02x}")
                self.counts["global"] += 1
            elif kind == 0x04:
                attribute, pos = self.byte(pos, end, what)
                if attribute != 0:
                    raise _Malformed(f"{what} has tag attribute 0x{attribute:02x}")
                _, pos = self.u32(pos, end, what)
                self.counts["tag"] += 1
            else:
                raise _Malformed(
                    f"import {index} at offset {pos - 1} has unknown kind 0x{kind:02x}"
                )
            self.imports.append(WasmImport(module, field, _KINDS[kind]))
        return pos

    def function_section(self, pos: int, end: int) -> int:
        count, pos = self.u32(pos, end, "function section count")
        body = self.data[pos:end]
        if len(body) == count and body.isascii():
            # Every type index is below 128, so each is a single LEB128 byte.
            self.func_types = list(body)
            return end
        types = []
        for index in range(count):
            type_index, pos = self.u32(pos, end, f"function {index} type index")
            types.append(type_index)
        self.func_types = types
        return pos

    def export_section(self, pos: int, end: int) -> int:
        count, pos = self.u32(pos, end, "export section count")
        for index in range(count):
            name, pos = self.name(pos, end, f"export {index} name")
            kind, pos = self.byte(pos, end, f"export {name!r} kind")
            if kind >= len(_KINDS):
                raise _Malformed(
                    f"export {name!r} at offset {pos - 1} has unknown kind 0x{kind:02x}"
                )
            item, pos = self.u32(pos, end, f"export {name!r} index")
            self.raw_exports.append((name, kind, item))
        return pos

    def finish(self) -> WasmInfo:
        n_types = len(self.types)
        for type_index in self.imported_func_types:
            if type_index >= n_types:
                raise _Malformed(f"an imported function uses type {type_index} of {n_types}")
        func_types = self.func_types or []
        for type_index in func_types:
            if type_index >= n_types:
                raise _Malformed(f"a function uses type {type_index} but there are {n_types}")
        if len(func_types) != (self.code_count or 0):
            raise _Malformed(
                f"the function section declares {len(func_types)} functions but the code "
                f"section has {self.code_count or 0} bodies"
            )
        if self.data_count is not None and self.data_count != (self.data_segments or 0):
            raise _Malformed(
                f"the datacount section says {self.data_count} data segments but the data "
                f"section has {self.data_segments or 0}"
            )
        all_funcs = self.imported_func_types + func_types
        limits = {"func": len(all_funcs), **self.counts}
        exports = []
        seen: set[str] = set()
        for name, kind_code, item in self.raw_exports:
            kind = _KINDS[kind_code]
            if name in seen:
                raise _Malformed(f"export name {name!r} appears twice")
            seen.add(name)
            if item >= limits[kind]:
                raise _Malformed(
                    f"export {name!r} names {kind} {item} but the module has {limits[kind]}"
                )
            if kind == "func":
                params, results = self.types[all_funcs[item]]
                exports.append(WasmExport(name, kind, params, results))
            else:
                exports.append(WasmExport(name, kind))
        return WasmInfo(tuple(self.imports), tuple(exports), tuple(self.customs))


# -- the interface section ------------------------------------------------------------


def canonical_interface_bytes(interface: Mapping[str, Any]) -> bytes:
    """The canonical form of an interface: sorted keys, no whitespace, raw UTF-8."""
    return json.dumps(
        interface, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def read_interface(
    info: WasmInfo, *, name: str = "module", version: str = "(unversioned)"
) -> dict[str, Any]:
    """Parse and check the module's molt.interface section.

    `name` and `version` fill the error message; pass the lockfile entry's.
    Raises `LoadError` MOLT-E-INTERFACE-INVALID when the section is missing,
    repeated, not UTF-8, not JSON, not in canonical form, fails
    spec/schemas/interface.json, lists exports out of order or twice, repeats a
    parameter name, or embeds an input/output schema that is not a valid draft
    2020-12 JSON Schema (value-table schemas are recognised without the slow
    meta-schema check). A section whose bytes passed once is not re-checked in
    the same process. Returns a fresh dict on every call.
    """

    def invalid(detail: str) -> LoadError:
        return _error("MOLT-E-INTERFACE-INVALID", name=name, version=version, detail=detail)

    payloads = info.custom(INTERFACE_SECTION)
    if not payloads:
        raise invalid(f"the module has no {INTERFACE_SECTION} custom section")
    if len(payloads) > 1:
        raise invalid(f"the module has {len(payloads)} {INTERFACE_SECTION} sections, not one")
    raw = payloads[0]
    if raw in _CHECKED:
        return json.loads(raw)  # these exact bytes passed every check before
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise invalid(f"not UTF-8 (byte {exc.start})") from None
    try:
        interface = json.loads(text, parse_constant=_reject_constant)
        canonical = canonical_interface_bytes(interface)
    except RecursionError:
        raise invalid("not JSON this host can read: nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, NaN/Infinity, a number beyond double range
        raise invalid(f"not JSON ({exc})") from None
    if canonical != raw:
        at = next(
            (i for i, (a, b) in enumerate(zip(raw, canonical, strict=False)) if a != b),
            min(len(raw), len(canonical)),
        )
        raise invalid(
            f"not canonical JSON: the bytes differ from the canonical form at byte {at} "
            "(keys sorted, no whitespace, UTF-8 instead of \\u escapes)"
        )
    try:
        problem = _interface_problem(interface)
    except RecursionError:
        problem = "an embedded JSON Schema is nested too deeply"
    if problem is not None:
        raise invalid(problem)
    if len(_CHECKED) >= _CHECKED_MAX:
        with contextlib.suppress(RuntimeError, StopIteration):  # another thread got there
            _CHECKED.pop(next(iter(_CHECKED)), None)
    _CHECKED[raw] = None
    return interface


# Sections that passed every check, so that loading the same module again in this
# process skips the schema validation (about 1 ms). The checks depend on the bytes only.
_CHECKED: dict[bytes, None] = {}
_CHECKED_MAX = 64


def _reject_constant(token: str) -> Any:
    raise ValueError(f"{token} is not JSON")


def _interface_problem(interface: Any) -> str | None:
    """The first schema or ordering problem of a parsed interface, or None."""
    from jsonschema.exceptions import best_match

    error = best_match(_interface_validator().iter_errors(interface))
    if error is not None:
        return f"{json_path(error.absolute_path)}: {error.message}"
    names = [export["name"] for export in interface["exports"]]
    for index in range(1, len(names)):
        if names[index] <= names[index - 1]:
            relation = "repeats" if names[index] == names[index - 1] else "is not sorted after"
            return (
                f"$.exports[{index}].name: export {names[index]!r} {relation} "
                f"{names[index - 1]!r}; exports are sorted by name and unique"
            )
    for index, export in enumerate(interface["exports"]):
        params = [param["name"] for param in export["params"]]
        if len(set(params)) != len(params):
            duplicate = next(p for p in params if params.count(p) > 1)
            return f"$.exports[{index}].params: parameter {duplicate!r} appears twice"
        for key in ("input", "output"):
            if _plain_schema(export[key]):
                continue  # built from the value table: valid by construction
            error = best_match(_meta_validator().iter_errors(export[key]))
            if error is not None:
                where = json_path(["exports", index, key, *error.absolute_path])
                return f"{where}: not a valid JSON Schema (draft 2020-12): {error.message}"
    return None


_SIMPLE_TYPES = frozenset({"null", "boolean", "integer", "number", "string", "array", "object"})
_TEXT_KEYWORDS = frozenset({"title", "description", "$comment", "contentEncoding"})


def _plain_schema(schema: Any) -> bool:
    """Whether `schema` uses only value-table keywords, each well-formed.

    Such a schema is valid under the draft 2020-12 meta-schema, so the (slow)
    meta-schema check can be skipped; anything else gets the full check.
    """
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict):
        return False
    for key, value in schema.items():
        if key in _TEXT_KEYWORDS:
            ok = isinstance(value, str)
        elif key == "type":
            names = [value] if isinstance(value, str) else value
            ok = (
                isinstance(names, list)
                and bool(names)
                and all(isinstance(n, str) and n in _SIMPLE_TYPES for n in names)
                and len(set(names)) == len(names)
            )
        elif key in ("minimum", "maximum"):
            ok = type(value) in (int, float)
        elif key == "required":
            ok = (
                isinstance(value, list)
                and all(isinstance(n, str) for n in value)
                and len(set(value)) == len(value)
            )
        elif key == "properties":
            ok = isinstance(value, dict) and all(_plain_schema(v) for v in value.values())
        elif key in ("items", "additionalProperties"):
            ok = _plain_schema(value)
        elif key == "anyOf":
            ok = isinstance(value, list) and bool(value) and all(map(_plain_schema, value))
        else:
            ok = False
        if not ok:
            return False
    return True


_VALIDATORS: dict[str, Any] = {}


def _interface_validator() -> Any:
    validator = _VALIDATORS.get("interface")
    if validator is None:
        from jsonschema import Draft202012Validator

        from molt.spec import load_schemas

        schemas = load_schemas()
        schema = schemas.schema("schemas/interface.json")
        validator = Draft202012Validator(schema, registry=schemas.registry)
        _VALIDATORS["interface"] = validator
    return validator


def _meta_validator() -> Any:
    validator = _VALIDATORS.get("meta")
    if validator is None:
        from jsonschema import Draft202012Validator

        validator = Draft202012Validator(Draft202012Validator.META_SCHEMA)
        _VALIDATORS["meta"] = validator
    return validator


# -- writing --------------------------------------------------------------------------


def append_custom_section(wasm: bytes, name: str, payload: bytes) -> bytes:
    """`wasm` with a custom section `name` holding `payload` appended at the end."""
    if bytes(wasm[:8]) != _MAGIC + _VERSION:
        raise ValueError("not a WebAssembly binary (version 1): bad magic number or version")
    encoded_name = name.encode("utf-8")
    body = _leb128(len(encoded_name)) + encoded_name + bytes(payload)
    return bytes(wasm) + b"\x00" + _leb128(len(body)) + body


def _leb128(value: int) -> bytes:
    if not 0 <= value < 1 << 32:
        raise ValueError(f"{value} does not fit a u32 LEB128")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _error(code: str, **fields: Any) -> LoadError:
    error = MoltError.from_code(code, **fields)
    assert isinstance(error, LoadError)
    return error
