"""Bytes the runner prepares and inspects: messages, key files, interface sections.

The runner never decodes what an adapter returns more than a comparison needs,
and never trusts it: these helpers only turn case data into the bytes sent
(JSON argument maps into MessagePack, PEM public keys into raw keys) and
results into the JSON form a case's `value` is written in.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Mapping
from typing import Any

import msgpack

__all__ = [
    "decode_value",
    "encode_args",
    "imports",
    "interface_section",
    "raw_public_key",
    "same_value",
]

_ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")
_INTERFACE = "molt.interface"


# -- messages ---------------------------------------------------------------------------


def encode_args(args: Mapping[str, Any], input_schema: Mapping[str, Any] | None) -> bytes:
    """A JSON argument map as canonical MessagePack; base64 text becomes bin where the
    export's input schema says `contentEncoding: base64` (the ABI's bytes)."""
    native = _native(dict(args), input_schema or {})
    return msgpack.packb(native, use_bin_type=True)


def _native(value: Any, schema: Any) -> Any:
    if not isinstance(schema, Mapping):
        return value
    if isinstance(value, str) and schema.get("contentEncoding") == "base64":
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return value
    for branch in schema.get("anyOf", []):
        if value is None and isinstance(branch, Mapping) and branch.get("type") == "null":
            return None
        if isinstance(branch, Mapping) and branch.get("type") != "null":
            return _native(value, branch)
    if isinstance(value, list):
        return [_native(item, schema.get("items", {})) for item in value]
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", {})
        return {key: _native(item, properties.get(key, extra)) for key, item in value.items()}
    return value


def decode_value(data: bytes) -> Any:
    """A MessagePack result in the JSON form cases use: bytes as base64 text.

    Raises ValueError when the bytes are not one MessagePack value.
    """
    try:
        value = msgpack.unpackb(data, raw=False, strict_map_key=False)
    except Exception as exc:  # msgpack raises several unrelated exception types
        raise ValueError(f"not one MessagePack value: {exc}") from None
    return _json_view(value)


def _json_view(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, list):
        return [_json_view(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_view(item) for key, item in value.items()}
    return value


def same_value(expected: Any, actual: Any) -> bool:
    """JSON equality that tells bool from int and int from float, with NaN equal to NaN."""
    if type(expected) is not type(actual):
        return False
    if isinstance(expected, float):
        return expected == actual or (math.isnan(expected) and math.isnan(actual))
    if isinstance(expected, list):
        return len(expected) == len(actual) and all(map(same_value, expected, actual))
    if isinstance(expected, dict):
        return list(expected) == list(actual) and all(
            same_value(expected[key], actual[key]) for key in expected
        )
    return bool(expected == actual)


# -- keys -------------------------------------------------------------------------------


def raw_public_key(pem: bytes) -> bytes:
    """The 32 raw bytes of an Ed25519 public key in PEM (SubjectPublicKeyInfo).

    Raises ValueError for anything else.
    """
    text = pem.decode("ascii", errors="replace")
    begin, end = "-----BEGIN PUBLIC KEY-----", "-----END PUBLIC KEY-----"
    if begin not in text or end not in text:
        raise ValueError("not a PEM public key (expected '-----BEGIN PUBLIC KEY-----')")
    body = text.split(begin, 1)[1].split(end, 1)[0]
    try:
        der = base64.b64decode("".join(body.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the PEM body is not base64") from None
    if len(der) != len(_ED25519_SPKI_PREFIX) + 32 or not der.startswith(_ED25519_SPKI_PREFIX):
        raise ValueError("not an Ed25519 public key")
    return der[len(_ED25519_SPKI_PREFIX) :]


# -- the interface section ----------------------------------------------------------------


def interface_section(wasm: bytes) -> dict[str, Any] | None:
    """The parsed molt.interface custom section of a module, or None if it has none
    (or the bytes are not a module the runner can read; the host judges that)."""
    for section_id, body in _sections(wasm):
        if section_id != 0:
            continue
        try:
            name_len, start = _leb128(body, 0)
            if body[start : start + name_len].decode("utf-8") == _INTERFACE:
                document = json.loads(body[start + name_len :])
                return document if isinstance(document, dict) else None
        except (IndexError, UnicodeDecodeError, ValueError):
            return None
    return None


def imports(wasm: bytes) -> list[str] | None:
    """The `module.name` of every import a module declares, or None if the runner
    cannot read the import section (the host judges such bytes)."""
    found: list[str] = []
    for section_id, body in _sections(wasm):
        if section_id != _IMPORT_SECTION:
            continue
        try:
            count, pos = _leb128(body, 0)
            for _ in range(count):
                module, pos = _name(body, pos)
                field, pos = _name(body, pos)
                pos = _skip_import_description(body, pos)
                found.append(f"{module}.{field}")
        except (IndexError, UnicodeDecodeError, ValueError):
            return None
    return found


_IMPORT_SECTION = 2


def _sections(wasm: bytes) -> list[tuple[int, bytes]]:
    """The (id, body) of each section, as far as the bytes are a readable module."""
    if wasm[:8] != b"\0asm\x01\0\0\0":
        return []
    out = []
    pos = 8
    try:
        while pos < len(wasm):
            section_id = wasm[pos]
            size, pos = _leb128(wasm, pos + 1)
            out.append((section_id, wasm[pos : pos + size]))
            pos += size
    except (IndexError, ValueError):
        pass
    return out


def _name(data: bytes, pos: int) -> tuple[str, int]:
    length, pos = _leb128(data, pos)
    return data[pos : pos + length].decode("utf-8"), pos + length


def _skip_import_description(data: bytes, pos: int) -> int:
    """Past one importdesc: func (type index), table (type, limits), memory (limits),
    global (value type, mutability)."""
    kind = data[pos]
    pos += 1
    if kind == 0:
        return _leb128(data, pos)[1]
    if kind == 1:
        return _skip_limits(data, pos + 1)
    if kind == 2:
        return _skip_limits(data, pos)
    if kind == 3:
        return pos + 2
    raise ValueError(f"unknown import kind {kind}")


def _skip_limits(data: bytes, pos: int) -> int:
    flags = data[pos]
    pos = _leb128(data, pos + 1)[1]
    return _leb128(data, pos)[1] if flags & 1 else pos


def _leb128(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift > 35:
            raise ValueError("LEB128 too long")
