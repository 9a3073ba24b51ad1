"""Strict, canonical MessagePack for the boundary (spec/abi.yaml `wire_format`).

`encode(value)` turns plain Python values into canonical MessagePack: the
smallest format for every int, str, bin, array and map, floats always float64,
and every NaN as the canonical quiet NaN cb 7f f8 00 00 00 00 00 00. It accepts
exactly None, bool, int (signed 64-bit), float, str, bytes, list and dict with
str keys (records are dicts); anything else (a tuple, a set, an int subclass,
an int out of range, a non-str key) raises `BoundaryError`
MOLT-E-SCHEMA-VIOLATION with the JSON path of the offending value.

`decode(data)` reads exactly one strict value: no trailing bytes, no ext types
(the timestamp included), str valid UTF-8, ints within signed 64-bit, map keys
str and unique, lengths within the data. A violation raises `BoundaryError`
MOLT-E-MALFORMED-MESSAGE with the path of the offending value;
`decode_result` raises MOLT-E-RESULT-INVALID instead, for what a module returned.

Speed. msgpack's C extension does the per-element work; this module adds
Python work per container, never per element of a bulk list:

- encode packs a list of at least `_BULK` elements with one C call and checks
  the bytes instead of the elements: when every 9th byte is the float64 marker
  (cb) the list holds only floats, and when none of their sign-and-exponent
  bytes is 7f or ff none is a NaN or an infinity (which would need
  canonicalising). Other bulk lists fall back to element-wise checks; lists of
  only ints or only strings stay on C-speed paths (`max`, `set(map(type))`).
- decode lets msgpack check UTF-8, lengths, trailing bytes and ext types, and
  checks maps in `object_pairs_hook` (one call per map). The two things
  msgpack accepts but the ABI does not, a uint64 above 2^63-1 and a timestamp
  ext, can only appear where the bytes hold `cf 80..ff`, `d6 ff`, `d7 ff` or
  `c7 0c ff`; a C-speed regex search rules them out for most messages. When it
  does not (random float payloads often hold such bytes), a walk of the bytes
  with a budget of 256 items settles it exactly, skipping each float64 array in
  one step (every 9th byte cb); past the budget, one walk over the decoded
  containers does (`max` per list, Python work only for lists of containers).
- Errors take a slow path: a pure-Python strict parser (`_locate`) finds the
  first problem in document order and its exact JSON path.

Measured on the development machine (2 shared cores): a list of 1,000,000 floats
(9 MB of MessagePack) encodes in about 23 ms and decodes in about 34 ms, the
same as bare msgpack.packb / unpackb; a two-field message takes about 1.3 µs
each way. Decoding accepts any NaN payload and float32; only encoding
canonicalises.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable
from typing import Any, NoReturn

import msgpack

from molt.errors import BoundaryError, MoltError
from molt.spec import json_path

__all__ = [
    "INT64_MAX",
    "INT64_MIN",
    "MAX_DECODE_DEPTH",
    "MAX_ENCODE_DEPTH",
    "decode",
    "decode_result",
    "encode",
    "json_path",
]

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
MAX_ENCODE_DEPTH = 256
"""Containers nested deeper than this are refused on encode (SCHEMA-VIOLATION).

A value-table type nests no deeper than its annotation, so real messages stay far
below; the limit keeps the recursive encoder inside Python's recursion limit."""
MAX_DECODE_DEPTH = 1024
"""Containers nested deeper than this are malformed on decode (msgpack's own limit)."""

CANONICAL_NAN = b"\xcb\x7f\xf8\x00\x00\x00\x00\x00\x00"
_BULK = 64
_SUPPORTED = "None, bool, int, float, str, bytes, list, or dict with str keys"
_LEAF_TYPES = frozenset({type(None), bool, str, bytes})
_CONTAINERS = frozenset({list, dict})

_packer = msgpack.Packer(use_bin_type=True, use_single_float=False, strict_types=True)
_pack = _packer.pack
_float = struct.Struct(">Bd").pack
_MAP_HEADERS = [bytes([0x80 | n]) for n in range(16)]
_ARRAY_HEADERS = [bytes([0x90 | n]) for n in range(16)]

# Byte patterns without which no uint64 above INT64_MAX and no timestamp can exist.
_SUSPECT = re.compile(rb"\xcf[\x80-\xff]|\xd6\xff|\xd7\xff|\xc7\x0c\xff")


# -- encode ---------------------------------------------------------------------------


class _Unencodable(Exception):
    """Internal: a value cannot cross; `parts` is its path, filled on the way out."""

    def __init__(self, expected: str, actual: str, *, here: bool = False) -> None:
        super().__init__(expected, actual)
        self.expected = expected
        self.actual = actual
        self.parts: list[object] = []
        self.here = here  # about the map itself (a bad key), not about one of its values


def encode(value: Any, *, export: str = "message") -> bytes:
    """Canonical MessagePack for `value`; `export` names the call in errors.

    Raises `BoundaryError` MOLT-E-SCHEMA-VIOLATION with the JSON path of the
    first value (in document order) that cannot cross.
    """
    out: list[bytes] = []
    try:
        _encode(value, out, 0)
    except RecursionError:  # the caller was already deep in recursion
        bad = _too_deep()
    except _Unencodable as caught:
        bad = caught
    else:
        return out[0] if len(out) == 1 else b"".join(out)
    error = MoltError.from_code(
        "MOLT-E-SCHEMA-VIOLATION",
        path=json_path(reversed(bad.parts)),
        export=export,
        expected=bad.expected,
        actual=bad.actual,
    )
    raise error from None


def _encode(value: Any, out: list[bytes], depth: int) -> None:
    kind = type(value)
    if kind is float:
        out.append(_float(0xCB, value) if value == value else CANONICAL_NAN)
    elif kind is int:
        if not INT64_MIN <= value <= INT64_MAX:
            raise _Unencodable("an integer within signed 64-bit", str(value))
        out.append(_pack(value))
    elif kind is str:
        out.append(_pack_str(value))
    elif kind in _LEAF_TYPES:  # None, bool, bytes
        out.append(_pack(value))
    elif kind is dict:
        _encode_dict(value, out, depth)
    elif kind is list:
        # Lists of containers (records, rows) need per-element checks anyway.
        if len(value) >= _BULK and type(value[0]) not in _CONTAINERS and _encode_bulk(value, out):
            return
        _encode_list(value, out, depth)
    else:
        raise _Unencodable(_SUPPORTED, _describe(value))


def _pack_str(value: str) -> bytes:
    try:
        return _pack(value)
    except UnicodeEncodeError:
        raise _Unencodable("a str of Unicode scalar values", "a lone surrogate") from None


def _encode_dict(value: dict[Any, Any], out: list[bytes], depth: int) -> None:
    if depth >= MAX_ENCODE_DEPTH:
        raise _too_deep()
    size = len(value)
    out.append(_MAP_HEADERS[size] if size < 16 else _header(size, b"\xde", b"\xdf"))
    key: Any = None
    try:
        for key, item in value.items():
            if type(key) is not str:
                raise _Unencodable(
                    "a map with str keys", f"the {_describe(key)} key {key!r}", here=True
                )
            try:
                out.append(_pack(key))
            except UnicodeEncodeError:
                raise _Unencodable(
                    "a str key of Unicode scalar values", "a lone surrogate", here=True
                ) from None
            _encode(item, out, depth + 1)
    except _Unencodable as bad:
        if bad.here:
            bad.here = False
        else:
            bad.parts.append(key)
        raise


def _encode_list(value: list[Any], out: list[bytes], depth: int) -> None:
    if depth >= MAX_ENCODE_DEPTH:
        raise _too_deep()
    size = len(value)
    out.append(_ARRAY_HEADERS[size] if size < 16 else _header(size, b"\xdc", b"\xdd"))
    index = 0
    try:
        for index, item in enumerate(value):  # noqa: B007 - read in the handler
            _encode(item, out, depth + 1)
    except _Unencodable as bad:
        bad.parts.append(index)
        raise


def _encode_bulk(value: list[Any], out: list[bytes]) -> bool:
    """Pack a long list in one C call when its bytes prove it needs no fixing."""
    try:
        packed = _pack(value)
    except (TypeError, ValueError, OverflowError):  # ValueError covers UnicodeEncodeError
        return False
    size = len(value)
    head = 3 if size < 0x10000 else 5
    if len(packed) == head + 9 * size and packed[head::9].count(0xCB) == size:
        # Only float64s. A NaN or an infinity has a sign-and-exponent byte 7f or ff.
        high = packed[head + 1 :: 9]
        if 0x7F in high or 0xFF in high:
            return False
        out.append(packed)
        return True
    kinds = set(map(type, value))
    if kinds <= _LEAF_TYPES:
        out.append(packed)
        return True
    if kinds == {int} and (0xCF not in packed or max(value) <= INT64_MAX):
        out.append(packed)
        return True
    return False


def _header(size: int, format16: bytes, format32: bytes) -> bytes:
    if size < 0x10000:
        return format16 + size.to_bytes(2, "big")
    return format32 + size.to_bytes(4, "big")


def _too_deep() -> _Unencodable:
    return _Unencodable(f"a value nested at most {MAX_ENCODE_DEPTH} levels deep", "deeper nesting")


def _describe(value: Any) -> str:
    kind = type(value)
    if kind is type(None):
        return "None"
    if kind is tuple:
        return "tuple (use a list)"
    if kind is bytearray or kind is memoryview:
        return f"{kind.__name__} (use bytes)"
    if kind.__module__ == "builtins":
        return kind.__name__
    return f"{kind.__module__}.{kind.__qualname__}"


# -- decode ---------------------------------------------------------------------------


class _Reject(Exception):
    """Internal: raised from a msgpack hook; the slow parser finds where."""


def _pairs(pairs: list[tuple[Any, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _Reject("duplicate key")
    for key in mapping:
        if type(key) is not str:
            raise _Reject("non-str key")
    return mapping


def _no_ext(code: int, data: bytes) -> NoReturn:
    raise _Reject(f"ext type {code}")


class _Malformed(Exception):
    def __init__(self, parts: list[object], detail: str) -> None:
        super().__init__(parts, detail)
        self.parts = parts
        self.detail = detail


def decode(data: bytes, *, export: str = "message") -> Any:
    """The one strict MessagePack value in `data`, as plain Python values.

    Raises `BoundaryError` MOLT-E-MALFORMED-MESSAGE with the path of the first
    problem.
    """
    try:
        return _decode(data)
    except _Malformed as bad:
        raise _error("MOLT-E-MALFORMED-MESSAGE", bad, export) from None


def decode_result(data: bytes, *, export: str = "message") -> Any:
    """Like `decode`, for a module's result: failures are MOLT-E-RESULT-INVALID."""
    try:
        return _decode(data)
    except _Malformed as bad:
        raise _error("MOLT-E-RESULT-INVALID", bad, export) from None


def _error(code: str, bad: _Malformed, export: str) -> BoundaryError:
    error = MoltError.from_code(code, path=json_path(bad.parts), export=export, detail=bad.detail)
    assert isinstance(error, BoundaryError)
    return error


def _decode(data: bytes) -> Any:
    if type(data) is not bytes:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data must be bytes, not {type(data).__name__}")
        data = bytes(data)
    size = len(data)
    try:
        value = msgpack.unpackb(
            data,
            raw=False,
            use_list=True,
            strict_map_key=True,
            object_pairs_hook=_pairs,
            ext_hook=_no_ext,
            timestamp=0,
            max_str_len=size,
            max_bin_len=size,
            max_array_len=size,
            max_map_len=size,
            max_ext_len=size,
        )
    except (ValueError, TypeError, OverflowError, _Reject, msgpack.UnpackException):
        _fail(data, "not strict MessagePack")
    if _SUSPECT.search(data) is not None:
        # The bytes could hold a uint64 above INT64_MAX or a timestamp. A bounded walk
        # of the bytes (float arrays skipped by stride) usually settles it exactly;
        # past its budget, one walk over the decoded containers does.
        try:
            found = _locate(data, budget=_SCAN_BUDGET)
        except _OverBudget:
            found = _locate(data) if _forbidden_inside(value) else None
        if found is not None:
            raise _Malformed(*found)
    return value


def _fail(data: bytes, fallback: str) -> NoReturn:
    found = _locate(data)
    if found is None:  # the fast path and the reference parser disagree: say so, at $
        raise _Malformed([], fallback)
    raise _Malformed(*found)


def _forbidden_inside(value: Any) -> bool:
    """Whether a decoded value holds an int above INT64_MAX or a timestamp."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is list:
            if not item:
                continue
            try:
                top = max(item)
                if type(top) in (int, float, bool) and top <= INT64_MAX:
                    continue  # only numbers (NaN aside), none above INT64_MAX
            except TypeError:
                pass
            members: Iterable[Any] = item
        elif kind is dict:
            members = item.values()
        else:
            members = (item,)
        for member in members:
            member_kind = type(member)
            if member_kind is int:
                if member > INT64_MAX:
                    return True
            elif member_kind is list or member_kind is dict:
                stack.append(member)
            elif member_kind is msgpack.Timestamp:
                return True
    return False


# -- the reference parser: slow, exact, used to explain a failure ----------------------


_FIXED = {0xC0: None, 0xC2: False, 0xC3: True}
_SIZES = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8, 0xD0: 1, 0xD1: 2, 0xD2: 4, 0xD3: 8}
_LENGTH_BYTES = {0xC4: 1, 0xC5: 2, 0xC6: 4, 0xD9: 1, 0xDA: 2, 0xDB: 4}
_LENGTH_BYTES.update({0xDC: 2, 0xDD: 4, 0xDE: 2, 0xDF: 4})
_EXT_SIZES = {0xD4: 1, 0xD5: 2, 0xD6: 4, 0xD7: 8, 0xD8: 16}


class _Frame:
    __slots__ = ("index", "is_map", "key", "remaining", "seen", "want_key")

    def __init__(self, is_map: bool, count: int) -> None:
        self.is_map = is_map
        self.remaining = count
        self.index = 0
        self.key: str | None = None
        self.seen: set[str] = set()
        self.want_key = is_map


class _Stop(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class _OverBudget(Exception):
    """Internal: `_locate` met more items than its budget allowed."""


_SCAN_BUDGET = 256


def _locate(data: bytes, budget: int | None = None) -> tuple[list[object], str] | None:
    """The path and detail of the first strictness problem in `data`, or None.

    An array of at least 16 float64s is skipped in one step when every 9th byte
    of its body is the float64 marker. With a `budget`, raises `_OverBudget`
    after that many items.
    """
    if not data:
        return [], "the message is empty: expected one MessagePack value"
    stack: list[_Frame] = []
    pos = 0
    size = len(data)
    while True:
        if budget is not None:
            budget -= 1
            if budget < 0:
                raise _OverBudget
        top = stack[-1] if stack else None
        if top is not None and top.remaining == 0:
            stack.pop()
            _advance(stack)
            if not stack:
                break
            continue
        reading_key = top is not None and top.want_key
        try:
            kind, value, pos_after = _head(data, pos)
        except _Stop as stop:
            return _parts(stack, reading_key), stop.detail
        if reading_key:
            assert top is not None
            if kind != "str":
                return _parts(stack, True), f"map key at offset {pos} is {kind}, not a str"
            if value in top.seen:
                return [*_parts(stack, True), value], f"duplicate map key {value!r}"
            top.seen.add(value)
            top.key = value
            top.want_key = False
            pos = pos_after
            continue
        pos = pos_after
        if kind == "array" and value >= 16:
            end = pos + 9 * value
            if end <= size and data[pos:end:9].count(0xCB) == value:
                pos = end  # a float64 array: nothing in it can be malformed
                value = 0
        if kind in ("array", "map") and value > 0:
            if len(stack) >= MAX_DECODE_DEPTH:
                return _parts(stack, False), f"containers nested more than {MAX_DECODE_DEPTH} deep"
            stack.append(_Frame(kind == "map", value))
            continue
        if not stack:
            break
        _advance(stack)
    if pos != size:
        extra = size - pos
        plural = "s" if extra != 1 else ""
        return [], f"{extra} byte{plural} after the value (one value per message)"
    return None


def _advance(stack: list[_Frame]) -> None:
    """The current item of the top container is complete."""
    if not stack:
        return
    top = stack[-1]
    top.remaining -= 1
    if top.is_map:
        top.want_key = True
    else:
        top.index += 1


def _parts(stack: list[_Frame], reading_key: bool) -> list[object]:
    parts: list[object] = []
    for depth, frame in enumerate(stack):
        if frame.is_map:
            if reading_key and depth == len(stack) - 1:
                break
            parts.append(frame.key)
        else:
            parts.append(frame.index)
    return parts


def _head(data: bytes, pos: int) -> tuple[str, Any, int]:
    """Read the item at `pos`: (kind, value or count, next position)."""
    size = len(data)
    if pos >= size:
        raise _Stop(f"truncated: the message ends at byte {size} where a value should start")
    byte = data[pos]
    if byte <= 0x7F:
        return "int", byte, pos + 1
    if byte >= 0xE0:
        return "int", byte - 0x100, pos + 1
    if byte <= 0x8F:
        return "map", byte & 0x0F, pos + 1
    if byte <= 0x9F:
        return "array", byte & 0x0F, pos + 1
    if byte <= 0xBF:
        return _string(data, pos, pos + 1, byte & 0x1F, "str")
    if byte in _FIXED:
        return ("nil" if byte == 0xC0 else "bool"), _FIXED[byte], pos + 1
    if byte == 0xC1:
        raise _Stop(f"byte 0xc1 at offset {pos} is not a MessagePack type")
    if byte in _SIZES:
        width = _SIZES[byte]
        _need(data, pos + 1, width, pos)
        raw = data[pos + 1 : pos + 1 + width]
        number = int.from_bytes(raw, "big", signed=byte >= 0xD0)
        if number > INT64_MAX:
            raise _Stop(f"integer {number} is outside signed 64-bit")
        return "int", number, pos + 1 + width
    if byte == 0xCA:
        _need(data, pos + 1, 4, pos)
        return "float", struct.unpack(">f", data[pos + 1 : pos + 5])[0], pos + 5
    if byte == 0xCB:
        _need(data, pos + 1, 8, pos)
        return "float", struct.unpack(">d", data[pos + 1 : pos + 9])[0], pos + 9
    if byte in _EXT_SIZES or byte in (0xC7, 0xC8, 0xC9):
        raise _Stop(f"ext type at offset {pos}: Molt messages use no ext types (no timestamps)")
    width = _LENGTH_BYTES[byte]
    _need(data, pos + 1, width, pos)
    count = int.from_bytes(data[pos + 1 : pos + 1 + width], "big")
    start = pos + 1 + width
    if byte in (0xC4, 0xC5, 0xC6):
        return _string(data, pos, start, count, "bin")
    if byte in (0xD9, 0xDA, 0xDB):
        return _string(data, pos, start, count, "str")
    if count > size - start:  # every element needs at least one byte
        raise _Stop(
            f"truncated: the {'map' if byte >= 0xDE else 'array'} at offset {pos} declares "
            f"{count} entries but only {size - start} bytes remain"
        )
    return ("map" if byte >= 0xDE else "array"), count, start


def _string(data: bytes, pos: int, start: int, length: int, kind: str) -> tuple[str, Any, int]:
    _need(data, start, length, pos)
    raw = data[start : start + length]
    if kind == "bin":
        return "bin", raw, start + length
    try:
        return "str", raw.decode("utf-8"), start + length
    except UnicodeDecodeError:
        raise _Stop(f"the str at offset {pos} is not valid UTF-8") from None


def _need(data: bytes, start: int, count: int, pos: int) -> None:
    if count > len(data) - start:
        raise _Stop(
            f"truncated: the value at offset {pos} needs {count} bytes from offset {start} "
            f"but only {len(data) - start} remain"
        )
