"""What the runner sends and how it compares: encoding, keys, interfaces, values."""

from __future__ import annotations

import math

import msgpack
import pytest

from molt_conformance._wire import (
    decode_value,
    encode_args,
    interface_section,
    raw_public_key,
    same_value,
)
from tests.conftest import REPO_ROOT

BYTES = {"type": "string", "contentEncoding": "base64"}


@pytest.mark.parametrize(
    ("args", "schema", "native"),
    [
        ({"data": "AQI="}, {"properties": {"data": BYTES}}, {"data": b"\x01\x02"}),
        ({"data": "AQI="}, {"properties": {"data": {"type": "string"}}}, {"data": "AQI="}),
        (
            {"xs": ["AQ==", "Ag=="]},
            {"properties": {"xs": {"items": BYTES}}},
            {"xs": [b"\x01", b"\x02"]},
        ),
        ({"o": None}, {"properties": {"o": {"anyOf": [BYTES, {"type": "null"}]}}}, {"o": None}),
        (
            {"o": "AQ=="},
            {"properties": {"o": {"anyOf": [BYTES, {"type": "null"}]}}},
            {"o": b"\x01"},
        ),
        (
            {"m": {"k": "AQ=="}},
            {"properties": {"m": {"additionalProperties": BYTES}}},
            {"m": {"k": b"\x01"}},
        ),
        ({"n": 1, "f": 1.5}, None, {"n": 1, "f": 1.5}),
    ],
)
def test_json_arguments_become_messagepack_with_bytes_where_the_schema_says(
    args: dict, schema: dict | None, native: dict
) -> None:
    assert encode_args(args, schema) == msgpack.packb(native, use_bin_type=True)


def test_floats_are_encoded_as_float64() -> None:
    assert encode_args({"x": 1.5}, None).hex() == "81a178cb3ff8000000000000"


@pytest.mark.parametrize(
    ("expected", "actual", "same"),
    [
        (1, 1, True),
        (1, 1.0, False),
        (True, 1, False),
        (1.5, 1.5, True),
        (math.nan, math.nan, True),
        ([1, 2], [1, 2], True),
        ([1, 2], [2, 1], False),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, False),
        ({"a": [1.0]}, {"a": [1.0]}, True),
        ("AQ==", "AQ==", True),
        (None, None, True),
        (None, 0, False),
    ],
)
def test_values_compare_by_json_type_order_and_value(expected, actual, same: bool) -> None:
    assert same_value(expected, actual) is same


def test_results_decode_with_bytes_as_base64() -> None:
    assert decode_value(msgpack.packb({"b": b"\x01\x02", "n": [1, None]})) == {
        "b": "AQI=",
        "n": [1, None],
    }
    with pytest.raises(ValueError):
        decode_value(b"\x81")


def test_pem_public_key_gives_its_raw_32_bytes() -> None:
    pem = (REPO_ROOT / "conformance" / "keys" / "test-only.pub").read_bytes()
    from cryptography.hazmat.primitives import serialization

    from molt import signing

    key = signing.load_public_key(pem)
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert raw_public_key(pem) == raw


@pytest.mark.parametrize(
    "pem",
    [
        b"not a key",
        b"-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n",
        b"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQc=\n-----END PUBLIC KEY-----\n",
    ],
)
def test_anything_but_an_ed25519_pem_public_key_is_refused(pem: bytes) -> None:
    with pytest.raises(ValueError):
        raw_public_key(pem)


def test_interface_section_is_read_from_a_module_and_absent_otherwise() -> None:
    folder = REPO_ROOT / "conformance" / "cases" / "load" / "MC-LOAD-001"
    interface = interface_section((folder / "stats.wasm").read_bytes())
    assert interface is not None
    assert interface["module"] == {"name": "stats", "version": "1.0.0"}
    assert interface_section(b"#!/bin/sh\n") is None
    assert interface_section(b"\0asm\x01\0\0\0\x01\x05\x00") is None
