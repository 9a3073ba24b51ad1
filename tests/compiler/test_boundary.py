"""The generated codecs at the boundary: strict decoding of every input (every prefix of
a message, random bytes, each wire problem) gives a coded error with its JSON path and
never a trap; encoding is canonical."""

from __future__ import annotations

import math
import struct

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from molt.errors import BoundaryError, MoltError
from molt.runtime import _codec
from tests.compiler.conftest import INT64_MAX, INT64_MIN, Program, same

WIRE_CODES = ("MOLT-E-MALFORMED-MESSAGE", "MOLT-E-SCHEMA-VIOLATION")


@pytest.fixture(scope="module")
def boundary(molt_program) -> Program:
    return molt_program("boundary")


def raw(program: Program, export: str, message: bytes) -> bytes | MoltError:
    """The module's own answer to `message` (the host's checks are off)."""
    try:
        return program.module.call_message(export, message, check=False)
    except MoltError as error:
        return error


def rejected(program: Program, export: str, message: bytes) -> BoundaryError:
    answer = raw(program, export, message)
    assert isinstance(answer, BoundaryError), f"{message!r} gave {answer!r}"
    assert answer.code in WIRE_CODES
    return answer


def pack(value: object) -> bytes:
    return msgpack.packb(value, use_bin_type=True)


# -- every prefix, random bytes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("export", "args"),
    [
        ("combine", {"a": -5, "b": 2.5, "c": True}),
        ("grid", {"rows": [[1, 2], [], [3, 2**40, -(2**63)]]}),
        ("echo_floats", {"xs": [1.5, -0.0, float("inf")] * 6}),
        ("flags", {"xs": [True, False] * 10}),
    ],
)
def test_every_prefix_of_a_valid_message_is_a_coded_error(
    boundary: Program, export: str, args: dict
) -> None:
    message = pack(args)
    answer = raw(boundary, export, message)
    assert isinstance(answer, bytes)
    assert same(msgpack.unpackb(answer), boundary.cpython(export, **args))
    for end in range(len(message)):
        rejected(boundary, export, message[:end])


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=64))
def test_random_bytes_never_trap(boundary: Program, data: bytes) -> None:
    for export in ("combine", "grid", "echo_floats"):
        answer = raw(boundary, export, data)
        if isinstance(answer, MoltError):
            assert answer.code in WIRE_CODES, answer


@settings(max_examples=200, deadline=None)
@given(position=st.integers(0, 10_000), value=st.integers(0, 255))
def test_a_flipped_byte_never_traps(boundary: Program, position: int, value: int) -> None:
    message = bytearray(pack({"rows": [[1, 2, 3], [4], [5, 6]]}))
    message[position % len(message)] = value
    answer = raw(boundary, "grid", bytes(message))
    if isinstance(answer, MoltError):
        assert answer.code in WIRE_CODES


# -- each wire problem: the code, the path and the host's detail text ------------------------


MALFORMED = [
    ("empty", b"", "$"),
    ("truncated map", b"\x81", "$"),
    ("c1", b"\x81\xa4rows\xc1", "$.rows"),
    ("ext", b"\x81\xa4rows\xd4\x01\x00", "$.rows"),
    (
        "uint64 above int64",
        b"\x81\xa4rows\x91\x91\xcf\xff\xff\xff\xff\xff\xff\xff\xff",
        "$.rows[0][0]",
    ),
    ("array longer than the message", b"\x81\xa4rows\xdd\x7f\xff\xff\xff", "$.rows"),
    ("map longer than the message", b"\xdf\x00\x01\x00\x00", "$"),
    ("truncated int", b"\x81\xa4rows\x91\x91\xd2\x00\x01", "$.rows[0][0]"),
    ("truncated item", b"\x81\xa4rows\x91\x92\x01", "$.rows[0][1]"),
    ("non-str key", b"\x81\x01\x90", "$"),
    ("invalid UTF-8 key", b"\x81\xa2\xc3\x28\x90", "$"),
    ("duplicate key", b"\x82\xa4rows\x90\xa4rows\x90", "$.rows"),
    ("trailing byte", b"\x81\xa4rows\x90\xc0", "$"),
    ("trailing bytes", b"\x81\xa4rows\x90\xc0\xc0", "$"),
]


@pytest.mark.parametrize(
    ("message", "path"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED]
)
def test_malformed_message_has_the_hosts_detail_and_path(
    boundary: Program, message: bytes, path: str
) -> None:
    error = rejected(boundary, "grid", message)
    with pytest.raises(BoundaryError) as host:
        _codec.decode(message, export="grid")
    assert (error.code, error.path) == ("MOLT-E-MALFORMED-MESSAGE", path)
    assert error.message == host.value.message
    assert host.value.path == path


SCHEMA = [
    ("not a map", [[1]], "$", "expected object, got array"),
    ("missing key", {}, "$.rows", "expected array, got no value (the key is missing)"),
    ("extra key", {"rows": [], "cols": 1}, "$.cols", "expected no such key here, got integer"),
    ("not an array", {"rows": 1.5}, "$.rows", "expected array, got number"),
    (
        "float item",
        {"rows": [[1, 2.0]]},
        "$.rows[0][1]",
        "expected integer within signed 64-bit, got number",
    ),
    (
        "bool item",
        {"rows": [[True]]},
        "$.rows[0][0]",
        "expected integer within signed 64-bit, got boolean",
    ),
    (
        "str item",
        {"rows": [[], ["x"]]},
        "$.rows[1][0]",
        "expected integer within signed 64-bit, got string",
    ),
    ("nil item", {"rows": [None]}, "$.rows[0]", "expected array, got null"),
    (
        "odd key",
        {"rows": [], 'a"b\n': 1},
        '$["a\\"b\\n"]',
        "expected no such key here, got integer",
    ),
]


@pytest.mark.parametrize(
    ("value", "path", "detail"), [c[1:] for c in SCHEMA], ids=[c[0] for c in SCHEMA]
)
def test_schema_violation_names_the_path(
    boundary: Program, value: object, path: str, detail: str
) -> None:
    error = rejected(boundary, "grid", pack(value))
    assert (error.code, error.path) == ("MOLT-E-SCHEMA-VIOLATION", path)
    assert error.message == (
        f"grid: input at {path} does not match the schema: {detail}; send a value of the "
        "declared type"
    )


# -- what decodes, and how results encode ----------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        0,
        1,
        127,
        128,
        255,
        256,
        65535,
        65536,
        2**32 - 1,
        2**32,
        INT64_MAX,
        -1,
        -32,
        -33,
        -128,
        -129,
        -32768,
        -32769,
        -(2**31),
        -(2**31) - 1,
        INT64_MIN,
    ],
)
def test_every_int_format_round_trips_canonically(boundary: Program, value: int) -> None:
    message = pack({"xs": [value]})
    assert raw(boundary, "echo_ints", message) == pack([value])


@pytest.mark.parametrize("width", [">b", ">h", ">i", ">q", ">B", ">H", ">I", ">Q"])
def test_non_canonical_int_formats_are_accepted(boundary: Program, width: str) -> None:
    marker = {
        ">b": 0xD0,
        ">h": 0xD1,
        ">i": 0xD2,
        ">q": 0xD3,
        ">B": 0xCC,
        ">H": 0xCD,
        ">I": 0xCE,
        ">Q": 0xCF,
    }
    body = bytes([marker[width]]) + struct.pack(width, 5)
    message = b"\x81\xa2xs\x91" + body
    assert raw(boundary, "echo_ints", message) == b"\x91\x05"


def test_floats_accept_float32_and_ints_and_answer_float64(boundary: Program) -> None:
    message = b"\x81\xa2xs\x93" + b"\xca" + struct.pack(">f", 1.5) + b"\x07" + b"\xd0\xfe"
    assert raw(boundary, "echo_floats", message) == pack([1.5, 7.0, -2.0])


def test_nan_is_encoded_canonically(boundary: Program) -> None:
    payload_nan = struct.unpack(">d", bytes.fromhex("fff8000000000123"))[0]
    message = (
        b"\x81\xa2xs\x92\xcb"
        + struct.pack(">d", payload_nan)
        + b"\xcb"
        + struct.pack(">d", -math.inf)
    )
    assert raw(boundary, "echo_floats", message) == (
        b"\x92\xcb\x7f\xf8\x00\x00\x00\x00\x00\x00\xcb\xff\xf0\x00\x00\x00\x00\x00\x00"
    )


@pytest.mark.parametrize("count", [0, 15, 16, 65535, 65536])
def test_array_headers_use_the_smallest_format(boundary: Program, count: int) -> None:
    message = pack({"xs": [1] * count})
    assert raw(boundary, "echo_ints", message) == pack([1] * count)


def test_keys_in_any_order_and_any_str_format(boundary: Program) -> None:
    message = b"\x83\xa1c\xc3" + b"\xd9\x01b\xcb" + struct.pack(">d", 0.5) + b"\xda\x00\x01a\x02"
    assert boundary.module.call("combine", {"c": True, "b": 0.5, "a": 2}) == [2.0, 0.5, 1.0]
    assert raw(boundary, "combine", message) == pack([2.0, 0.5, 1.0])


def test_bools_and_none(boundary: Program) -> None:
    assert boundary.molt("flags", xs=[True, False, False]) == [False, True, True]
    assert raw(boundary, "nothing", b"\x80") == b"\xc0"
    assert rejected(boundary, "nothing", b"\x81\xa1x\x01").path == "$.x"


def test_out_of_memory_is_the_constant_error_map(load_wasm, boundary: Program) -> None:
    limited = load_wasm(boundary.compiled, memory_limit=4 << 20)
    with pytest.raises(MoltError) as caught:
        limited.call("zeros", {"n": 10_000_000})
    assert caught.value.code == "MOLT-E-OUT-OF-MEMORY"
    assert caught.value.message == (
        "call to 'zeros' of boundary 0.1.0 needs more than the memory limit; raise the "
        "host's memory limit or send a smaller input"
    )
    with pytest.raises(MoltError) as caught:
        limited.call("grow", {"n": 1_000_000})
    assert caught.value.code == "MOLT-E-OUT-OF-MEMORY"
    assert limited.call("zeros", {"n": 3}) == [0, 0, 0]
    assert limited.call("grow", {"n": 1000}) == 1000


def test_memory_is_reused_across_calls(load_wasm, boundary: Program) -> None:
    module = load_wasm(boundary.compiled, memory_limit=8 << 20)
    for _ in range(20):
        assert module.call("grow", {"n": 100_000}) == 100_000
