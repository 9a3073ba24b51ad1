"""molt.runtime._codec: canonical MessagePack out, strict MessagePack in."""

from __future__ import annotations

import enum
import math
import struct
from typing import Any

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from molt.errors import BoundaryError
from molt.runtime import _codec
from molt.runtime._codec import decode, decode_result, encode

NAN = "cb7ff8000000000000"


def _nan_with_bits(bits: int) -> float:
    return struct.unpack(">d", bits.to_bytes(8, "big"))[0]


# -- encode: exact bytes -----------------------------------------------------------------------

ENCODED = [
    (None, "c0"),
    (True, "c3"),
    (False, "c2"),
    (0, "00"),
    (127, "7f"),
    (128, "cc80"),
    (255, "ccff"),
    (256, "cd0100"),
    (65535, "cdffff"),
    (65536, "ce00010000"),
    (2**32 - 1, "ceffffffff"),
    (2**32, "cf0000000100000000"),
    (2**63 - 1, "cf7fffffffffffffff"),
    (-1, "ff"),
    (-32, "e0"),
    (-33, "d0df"),
    (-128, "d080"),
    (-129, "d1ff7f"),
    (-32768, "d18000"),
    (-32769, "d2ffff7fff"),
    (-(2**31), "d280000000"),
    (-(2**31) - 1, "d3ffffffff7fffffff"),
    (-(2**63), "d38000000000000000"),
    (1.5, "cb3ff8000000000000"),
    (1.0, "cb3ff0000000000000"),
    (-0.0, "cb8000000000000000"),
    (math.inf, "cb7ff0000000000000"),
    (-math.inf, "cbfff0000000000000"),
    (math.nan, NAN),
    (-math.nan, NAN),
    (_nan_with_bits(0x7FF0000000000001), NAN),
    (_nan_with_bits(0xFFFFFFFFFFFFFFFF), NAN),
    ("", "a0"),
    ("é", "a2c3a9"),
    ("a" * 31, "bf" + "61" * 31),
    ("a" * 32, "d920" + "61" * 32),
    ("a" * 256, "da0100" + "61" * 256),
    (b"", "c400"),
    (b"\x00\xff", "c40200ff"),
    (b"x" * 256, "c50100" + "78" * 256),
    ([], "90"),
    ([1, [2.5]], "920191cb4004000000000000"),
    (list(range(16)), "dc0010" + "".join(f"{i:02x}" for i in range(16))),
    ({}, "80"),
    ({"b": 1, "a": None}, "82a16201a161c0"),
    (
        {f"k{i:02}": i for i in range(16)},
        "de0010"
        + "".join(f"a36b{ord(str(i // 10)):02x}{ord(str(i % 10)):02x}{i:02x}" for i in range(16)),
    ),
    ({"value": [math.nan, 1.0]}, "81a576616c756592" + NAN + "cb3ff0000000000000"),
]


@pytest.mark.parametrize(("value", "expected"), ENCODED)
def test_encode_writes_the_smallest_format_and_float64_always(value: Any, expected: str) -> None:
    assert encode(value).hex() == expected


def test_records_keep_field_order_and_dicts_keep_insertion_order() -> None:
    assert encode({"y": 1, "x": 2}) == bytes.fromhex("82a17901a17802")


@pytest.mark.parametrize("size", [64, 65535, 65536])
def test_encode_of_a_bulk_float_list_equals_msgpack_and_uses_array_16_or_32(size: int) -> None:
    values = [i * 0.25 - 7.0 for i in range(size)]
    data = encode(values)
    assert data == msgpack.packb(values, use_bin_type=True)
    assert data[0] == (0xDC if size < 65536 else 0xDD)


@pytest.mark.parametrize(
    "odd",
    [math.nan, -math.nan, _nan_with_bits(0x7FF4000000000000), math.inf, -math.inf, 1e308 * 10],
)
def test_a_bulk_float_list_with_a_nan_or_infinity_still_encodes_canonically(odd: float) -> None:
    values = [float(i) for i in range(1000)]
    values[637] = odd
    data = encode(values)
    expected = "cb7ff8000000000000" if math.isnan(odd) else struct.pack(">Bd", 0xCB, odd).hex()
    assert data[3 + 9 * 637 : 3 + 9 * 638].hex() == expected
    assert len(data) == 3 + 9 * 1000


@pytest.mark.parametrize(
    "values",
    [
        list(range(-500, 500)),
        [2**63 - 1] * 100,
        ["s" * 40] * 100,
        [b"b"] * 100,
        [None, True, "x", b"y"] * 30,
        [1, 2.5, "x"] * 30,
        [{"a": 1}] * 100,
        [[1.5]] * 100,
    ],
)
def test_encode_of_other_bulk_lists_equals_msgpack(values: list[Any]) -> None:
    assert encode(values) == msgpack.packb(values, use_bin_type=True)


# -- encode: what cannot cross -----------------------------------------------------------------


class Color(enum.IntEnum):
    RED = 1


class Meters(float):
    pass


deep: list[Any] = []
_node = deep
for _ in range(600):
    _node.append([])
    _node = _node[0]

REJECTED = [
    ((1, 2), "$", "tuple (use a list)"),
    ({"a": (1,)}, "$.a", "tuple (use a list)"),
    ({"points": [{"x": 1.0}, {"x": {1.5}}]}, "$.points[1].x", "set"),
    ({"p": [1, {1: 2}]}, "$.p[1]", "the int key 1"),
    ({"a b": [object()]}, '$["a b"][0]', "object"),
    ({"é": bytearray(b"x")}, '$["é"]', "bytearray (use bytes)"),
    (2**63, "$", "9223372036854775808"),
    (-(2**63) - 1, "$", "-9223372036854775809"),
    ([0] * 70 + [2**64], "$[70]", "18446744073709551616"),
    ([0] * 70 + [2**63], "$[70]", "9223372036854775808"),
    ([0.5] * 70 + [(1,)], "$[70]", "tuple (use a list)"),
    ({"k": Color.RED}, "$.k", "test_codec.Color"),
    ([Meters(1.0)] * 80, "$[0]", "test_codec.Meters"),
    ("\ud800", "$", "a lone surrogate"),
    ({"\ud800": 1}, "$", "a lone surrogate"),
    (deep, "$" + "[0]" * 256, "deeper nesting"),
]


@pytest.mark.parametrize(("value", "path", "actual"), REJECTED)
def test_encode_refuses_values_outside_the_value_table_with_their_path(
    value: Any, path: str, actual: str
) -> None:
    with pytest.raises(BoundaryError) as caught:
        encode(value, export="area")
    assert caught.value.code == "MOLT-E-SCHEMA-VIOLATION"
    assert caught.value.path == path
    assert caught.value.message.startswith(f"area: input at {path} does not match the schema:")
    assert actual in caught.value.message


def test_encode_error_message_says_what_was_expected() -> None:
    with pytest.raises(BoundaryError) as caught:
        encode({"n": 2**64}, export="area")
    assert caught.value.message == (
        "area: input at $.n does not match the schema: expected an integer within signed "
        "64-bit, got 18446744073709551616; send a value of the declared type"
    )


# -- decode: strictness ------------------------------------------------------------------------

MALFORMED = [
    ("", "$", "the message is empty"),
    ("0102", "$", "1 byte after the value"),
    ("c0c0c0", "$", "2 bytes after the value"),
    ("9201", "$[1]", "truncated"),
    ("81a161", "$.a", "truncated"),
    ("cd01", "$", "truncated: the value at offset 0 needs 2 bytes"),
    ("d90561", "$", "truncated"),
    ("c40561", "$", "truncated"),
    ("dd0000ffff00", "$", "declares 65535 entries but only 1 bytes remain"),
    ("c1", "$", "byte 0xc1 at offset 0 is not a MessagePack type"),
    ("d40100", "$", "ext type at offset 0"),
    ("c70105ff", "$", "ext type"),
    ("d6ff00000000", "$", "ext type"),
    ("81a161d7ff0000000000000000", "$.a", "ext type"),
    ("a1ff", "$", "the str at offset 0 is not valid UTF-8"),
    ("81a161a2c328", "$.a", "not valid UTF-8"),
    ("cfffffffffffffffff", "$", "integer 18446744073709551615 is outside signed 64-bit"),
    ("9201cf8000000000000000", "$[1]", "integer 9223372036854775808 is outside signed 64-bit"),
    ("82a16101a16102", "$.a", "duplicate map key 'a'"),
    ("810101", "$", "map key at offset 1 is int, not a str"),
    ("81c4016101", "$", "map key at offset 1 is bin, not a str"),
    ("8191010101", "$", "map key at offset 1 is array, not a str"),
    ("81a170810102", "$.p", "map key at offset 4 is int, not a str"),
    ("91" * 1025 + "01", "$" + "[0]" * 1024, "nested more than 1024 deep"),
]


@pytest.mark.parametrize(("hexdata", "path", "detail"), MALFORMED)
def test_decode_refuses_anything_but_one_strict_value(hexdata: str, path: str, detail: str) -> None:
    with pytest.raises(BoundaryError) as caught:
        decode(bytes.fromhex(hexdata), export="area")
    assert caught.value.code == "MOLT-E-MALFORMED-MESSAGE"
    assert caught.value.path == path
    assert detail in caught.value.message


@pytest.mark.parametrize(("hexdata", "path", "detail"), MALFORMED[:6])
def test_decode_result_reports_the_same_problems_as_result_invalid(
    hexdata: str, path: str, detail: str
) -> None:
    with pytest.raises(BoundaryError) as caught:
        decode_result(bytes.fromhex(hexdata), export="area")
    assert caught.value.code == "MOLT-E-RESULT-INVALID"
    assert caught.value.path == path
    assert detail in caught.value.message


def test_decode_error_message_follows_the_registry_template() -> None:
    with pytest.raises(BoundaryError) as caught:
        decode(bytes.fromhex("81a178cfffffffffffffffff"), export="area")
    assert caught.value.message == (
        "area: malformed MessagePack input at $.x: integer 18446744073709551615 is outside "
        "signed 64-bit; send one strict MessagePack value (str keys, valid UTF-8, integers "
        "within signed 64-bit, no ext types, nothing after the value)"
    )


@pytest.mark.parametrize(
    ("hexdata", "value"),
    [
        ("cc01", 1),
        ("d000", 0),
        ("cf7fffffffffffffff", 2**63 - 1),
        ("d38000000000000000", -(2**63)),
        ("ca3fc00000", 1.5),
        ("cb7ff8000000000001", math.nan),
        ("da0001" + "61", "a"),
        ("de0001a16101", {"a": 1}),
        ("c0", None),
        ("dc0000", []),
    ],
)
def test_decode_accepts_every_format_within_the_rules(hexdata: str, value: Any) -> None:
    decoded = decode(bytes.fromhex(hexdata))
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(decoded)
    else:
        assert decoded == value
        assert type(decoded) is type(value)


def test_decode_of_a_bulk_float_list_with_suspicious_payload_bytes_is_exact() -> None:
    # Payload bytes cf 80.. and d6 ff inside float64s look like a uint64 and a timestamp.
    values = [_nan_with_bits(0x41CF80D6FF000000 + i) for i in range(5000)]
    data = msgpack.packb({"value": values})
    assert b"\xcf\x80" in data and b"\xd6\xff" in data
    assert decode(data) == {"value": values}


def test_decode_finds_a_uint64_above_int64_deep_in_a_large_message() -> None:
    values: list[Any] = [{"x": float(i), "y": i} for i in range(2000)]
    data = bytearray(msgpack.packb({"points": values}))
    good = msgpack.packb({"x": 1500.0, "y": 1500})
    bad = msgpack.packb({"x": 1500.0, "y": 2**64 - 1})
    assert len(good) != len(bad)
    data = bytes(data).replace(good, bad)
    with pytest.raises(BoundaryError) as caught:
        decode(data)
    assert caught.value.code == "MOLT-E-MALFORMED-MESSAGE"
    assert caught.value.path == "$.points[1500].y"


def test_decode_finds_a_timestamp_inside_a_large_float_list() -> None:
    values = [float(i) for i in range(3000)]
    data = msgpack.packb(values)
    cut = 3 + 9 * 2000
    data = data[:cut] + b"\xd7\xff" + b"\x00" * 7 + data[cut + 9 :]
    with pytest.raises(BoundaryError) as caught:
        decode(data)
    assert caught.value.path == "$[2000]"
    assert "ext type" in caught.value.message


def test_decode_rejects_bytes_like_input_of_the_wrong_type() -> None:
    with pytest.raises(TypeError):
        decode("c0")  # type: ignore[arg-type]
    assert decode(bytearray(b"\x01")) == 1
    assert decode(memoryview(b"\x02")) == 2


# -- properties --------------------------------------------------------------------------------

keys = st.text(max_size=8)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.binary(max_size=20)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=8) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=40,
)
bulk = st.lists(st.floats(allow_nan=True), min_size=64, max_size=200) | st.lists(
    st.integers(min_value=-(2**63), max_value=2**63 - 1), min_size=64, max_size=200
)


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    if isinstance(left, list):
        return type(right) is list and len(left) == len(right) and all(map(_same, left, right))
    if isinstance(left, dict):
        return (
            type(right) is dict
            and list(left) == list(right)
            and all(_same(left[k], right[k]) for k in left)
        )
    return type(left) is type(right) and left == right


def _without_nan(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return math.nan
    if isinstance(value, list):
        return [_without_nan(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_nan(item) for key, item in value.items()}
    return value


@settings(max_examples=300)
@given(values | bulk | st.dictionaries(keys, bulk, max_size=3))
def test_values_round_trip_and_encode_canonically(value: Any) -> None:
    data = encode(value)
    assert _same(decode(data), value)
    # msgpack's own packing is canonical for ints, strs, bins and containers; with
    # every NaN made the canonical one it must produce exactly our bytes.
    assert data == msgpack.packb(_without_nan(value), use_bin_type=True)


def _same_verdict(data: bytes) -> None:
    try:
        decode(data)
    except BoundaryError as error:
        found = _codec._locate(data)
        assert found is not None, data.hex()
        assert error.path == _codec.json_path(found[0])
    else:
        assert _codec._locate(data) is None, data.hex()


@settings(max_examples=500)
@given(st.binary(max_size=40))
def test_the_fast_decoder_and_the_reference_parser_agree_on_random_bytes(data: bytes) -> None:
    _same_verdict(data)


@settings(max_examples=500)
@given(values, st.data())
def test_the_fast_decoder_and_the_reference_parser_agree_on_damaged_messages(
    value: Any, draw: st.DataObject
) -> None:
    data = bytearray(encode(value))
    action = draw.draw(st.sampled_from(["flip", "cut", "append"]))
    if action == "flip":
        index = draw.draw(st.integers(0, len(data) - 1))
        data[index] = draw.draw(st.integers(0, 255))
    elif action == "cut":
        del data[draw.draw(st.integers(0, len(data) - 1)) :]
    else:
        data += draw.draw(st.binary(min_size=1, max_size=3))
    _same_verdict(bytes(data))
