"""The `stats` example module through the real host: exact results, the module's
own MessagePack decoder (every error path, never a trap, the same errors as the
host's strict decoder), NaN canonicalisation and the arena's memory discipline."""

from __future__ import annotations

import hashlib
import math
import struct
from pathlib import Path
from typing import Any

import msgpack
import pytest
import wasmtime
from hypothesis import given, settings
from hypothesis import strategies as st

from molt import signing
from molt.errors import BoundaryError, ExecutionError, MoltError
from molt.examples import EXAMPLES, example_interface, example_source, example_wasm
from molt.lockfile import LockEntry
from molt.runtime import Host
from molt.wasmfile import INTERFACE_SECTION, canonical_interface_bytes, read_interface, read_wasm

PAGE = 65536
CANONICAL_NAN = b"\xcb\x7f\xf8\x00\x00\x00\x00\x00\x00"
PREFIX = b"\x81\xa6values"  # {"values": ...}
SEND = (
    "; send one strict MessagePack value (str keys, valid UTF-8, integers within signed "
    "64-bit, no ext types, nothing after the value)"
)


def left_to_right(values: list[Any]) -> float:
    """The module's sum: float64 additions from 0.0, in list order."""
    total = 0.0
    for value in values:
        total += float(value)
    return total


def python_mean(values: list[Any]) -> float:
    return left_to_right(values) / len(values)


def float_bytes(value: float) -> bytes:
    """A float as the module encodes it: float64, NaN canonical."""
    return CANONICAL_NAN if math.isnan(value) else struct.pack(">Bd", 0xCB, value)


def values_message(*items: bytes, header: bytes | None = None) -> bytes:
    """{"values": [items...]} with each item given as raw MessagePack bytes."""
    if header is None:
        header = bytes([0x90 | len(items)])
    return PREFIX + header + b"".join(items)


def f64(value: float) -> bytes:
    return struct.pack(">Bd", 0xCB, value)


# -- loading ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    private, public = signing.generate_keypair(tmp_path_factory.mktemp("keys"), "demo")
    return signing.load_private_key(private), public


def signed_entry(data: bytes, private_key: Any) -> LockEntry:
    sha = hashlib.sha256(data).hexdigest()
    exports = example_interface("stats")["exports"]
    return LockEntry(
        name="stats",
        version="1.0.0",
        file="stats.wasm",
        size=len(data),
        sha256=sha,
        abi=(1, 0),
        exports=tuple(
            {"name": e["name"], "input": e["input"], "output": e["output"]} for e in exports
        ),
        signature=signing.sign_artifact(private_key, "stats", "1.0.0", sha),
    )


def load(keys: tuple[Any, Path], **limits: Any) -> Any:
    data = example_wasm("stats")
    host = Host(trusted_keys=[keys[1]], cache_dir=False, **limits)
    return host.load_bytes(data, signed_entry(data, keys[0]))


@pytest.fixture(scope="module")
def stats(keys: tuple[Any, Path]) -> Any:
    return load(keys)


def module_error(stats: Any, export: str, message: bytes) -> MoltError:
    """The error the module's own decoder reports for `message`."""
    with pytest.raises(MoltError) as caught:
        stats.call_message(export, message, check=False)
    return caught.value


def host_error(stats: Any, export: str, message: bytes) -> MoltError:
    """The error the host's strict decoder reports for `message`."""
    with pytest.raises(MoltError) as caught:
        stats.call_message(export, message, check=True)
    return caught.value


def as_tuple(error: MoltError) -> tuple[type, str, str, str | None]:
    return type(error), error.code, error.message, error.path


# -- the package -------------------------------------------------------------------------


def test_examples_lists_stats_and_ships_its_sources_in_the_package() -> None:
    assert EXAMPLES == ("stats",)
    assert example_source("stats").startswith(";; stats 1.0.0")
    assert example_interface("stats")["module"] == {"name": "stats", "version": "1.0.0"}


def test_unknown_example_is_a_key_error_naming_the_examples() -> None:
    with pytest.raises(KeyError, match="no example 'nope'; examples: stats"):
        example_source("nope")


def test_example_wasm_is_deterministic() -> None:
    first = example_wasm("stats")
    example_wasm.cache_clear()
    assert example_wasm("stats") == first


def test_stats_has_exactly_the_abi_exports_no_imports_and_a_canonical_interface() -> None:
    info = read_wasm(example_wasm("stats"))
    assert info.imports == ()
    assert {e.name: e.signature for e in info.exports} == {
        "memory": "memory",
        "molt_abi_version": "() -> (i32)",
        "molt_alloc": "(i32) -> (i32)",
        "molt_call_mean": "(i32, i32) -> (i64)",
        "molt_call_total": "(i32, i32) -> (i64)",
    }
    assert info.custom(INTERFACE_SECTION) == (
        canonical_interface_bytes(example_interface("stats")),
    )
    assert read_interface(info) == example_interface("stats")


def test_stats_loads_through_the_host_from_a_signed_entry(stats: Any) -> None:
    assert (stats.name, stats.version, stats.exports) == ("stats", "1.0.0", ("mean", "total"))


# -- results -----------------------------------------------------------------------------

VALUE_LISTS = [
    pytest.param([1.0, 2.0, 4.5], id="floats"),
    pytest.param([0.1, 0.2, 0.3], id="inexact-left-to-right"),
    pytest.param([1e16, 1.0, -1e16], id="cancellation"),
    pytest.param([3], id="one-int"),
    pytest.param([1, -2, 2**63 - 1, -(2**63)], id="int64-extremes"),
    pytest.param([2**53 + 1, 0.5], id="int-rounded-to-nearest-double"),
    pytest.param([-0.0], id="negative-zero"),
    pytest.param([math.inf, 1.0], id="infinity"),
    pytest.param([-math.inf, -1], id="negative-infinity"),
    pytest.param([1.7976931348623157e308, 1.7976931348623157e308], id="overflow-to-infinity"),
    pytest.param([5e-324, 5e-324, 1], id="subnormals"),
    pytest.param(list(range(-20, 300)), id="ints-of-every-width"),
]


@pytest.mark.parametrize("values", VALUE_LISTS)
def test_mean_and_total_equal_python_left_to_right(stats: Any, values: list[Any]) -> None:
    message = msgpack.packb({"values": values})
    assert stats.call_message("total", message) == float_bytes(left_to_right(values))
    assert stats.call_message("mean", message) == float_bytes(python_mean(values))
    assert stats.call("total", {"values": values}) == left_to_right(values)


def test_total_of_an_empty_list_is_zero(stats: Any) -> None:
    assert stats.call_message("total", values_message()) == f64(0.0)


def test_mean_of_an_empty_list_is_a_value_error_without_path(stats: Any) -> None:
    with pytest.raises(ExecutionError) as caught:
        stats.call("mean", {"values": []})
    assert caught.value.as_dict() == {
        "code": "MOLT-E-VALUE",
        "message": "mean of an empty list; pass at least one value",
    }


INTEGER_FORMATS = [
    pytest.param(b"\x7f", 127, id="positive-fixint"),
    pytest.param(b"\xe0", -32, id="negative-fixint"),
    pytest.param(b"\xcc\xff", 255, id="uint8"),
    pytest.param(b"\xcc\x05", 5, id="uint8-not-smallest"),
    pytest.param(b"\xcd\xff\xfe", 65534, id="uint16"),
    pytest.param(b"\xce\xff\xff\xff\xfd", 2**32 - 3, id="uint32"),
    pytest.param(b"\xcf\x7f\xff\xff\xff\xff\xff\xff\xff", 2**63 - 1, id="uint64-max"),
    pytest.param(b"\xd0\x80", -128, id="int8"),
    pytest.param(b"\xd0\x05", 5, id="int8-positive"),
    pytest.param(b"\xd1\x80\x00", -32768, id="int16"),
    pytest.param(b"\xd2\x80\x00\x00\x00", -(2**31), id="int32"),
    pytest.param(b"\xd3\x80\x00\x00\x00\x00\x00\x00\x00", -(2**63), id="int64-min"),
    pytest.param(b"\xd3\xff\xff\xff\xff\xff\xff\xff\xff", -1, id="int64-minus-one"),
]


@pytest.mark.parametrize(("item", "value"), INTEGER_FORMATS)
def test_every_integer_format_is_a_number(stats: Any, item: bytes, value: int) -> None:
    message = values_message(f64(0.25), item)
    assert stats.call_message("total", message) == float_bytes(0.25 + float(value))


@pytest.mark.parametrize("value", [1.5, -0.1, 3.4028234663852886e38, 1e-45, math.inf])
def test_float32_elements_are_promoted_exactly(stats: Any, value: float) -> None:
    item = b"\xca" + struct.pack(">f", value)
    (promoted,) = struct.unpack(">f", item[1:])
    assert stats.call_message("total", values_message(item)) == float_bytes(promoted)


CONTAINER_FORMATS = [
    pytest.param(b"\xde\x00\x01\xa6values\x92\x01\x02", id="map16"),
    pytest.param(b"\xdf\x00\x00\x00\x01\xa6values\x92\x01\x02", id="map32"),
    pytest.param(b"\x81\xd9\x06values\x92\x01\x02", id="str8-key"),
    pytest.param(b"\x81\xda\x00\x06values\x92\x01\x02", id="str16-key"),
    pytest.param(b"\x81\xdb\x00\x00\x00\x06values\x92\x01\x02", id="str32-key"),
    pytest.param(PREFIX + b"\xdc\x00\x02\x01\x02", id="array16"),
    pytest.param(PREFIX + b"\xdd\x00\x00\x00\x02\x01\x02", id="array32"),
]


@pytest.mark.parametrize("message", CONTAINER_FORMATS)
def test_every_map_str_and_array_format_is_accepted(stats: Any, message: bytes) -> None:
    assert stats.call_message("total", message) == f64(3.0)
    assert stats.call_message("mean", message) == f64(1.5)


@pytest.mark.parametrize(
    ("items", "export"),
    [
        pytest.param([f64(math.inf), f64(-math.inf)], "total", id="inf-minus-inf"),
        pytest.param([b"\xcb\xff\xf0\x00\x00\x00\x00\x00\x01"], "total", id="signalling-nan"),
        pytest.param([b"\xcb\xff\xf8\x00\x00\x00\x00\xbe\xef", f64(1.0)], "mean", id="payload"),
        pytest.param([b"\xca\xff\xc0\x00\x01"], "mean", id="float32-nan"),
    ],
)
def test_every_nan_result_is_the_canonical_quiet_nan(
    stats: Any, items: list[bytes], export: str
) -> None:
    assert stats.call_message(export, values_message(*items), check=False) == CANONICAL_NAN


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.floats(allow_nan=False) | st.integers(-(2**63), 2**63 - 1)))
def test_property_mean_and_total_are_python_left_to_right(stats: Any, values: list[Any]) -> None:
    expected = float_bytes(left_to_right(values))  # inf - inf is NaN: compare bytes
    assert float_bytes(stats.call("total", {"values": values})) == expected
    message = msgpack.packb({"values": values})
    assert stats.call_message("total", message) == expected
    if values:
        assert stats.call_message("mean", message) == float_bytes(python_mean(values))


# -- the module's decoder ----------------------------------------------------------------


def malformed(export: str, path: str, detail: str) -> tuple[type, str, str, str]:
    return (
        BoundaryError,
        "MOLT-E-MALFORMED-MESSAGE",
        f"{export}: malformed MessagePack input at {path}: {detail}{SEND}",
        path,
    )


def violation(export: str, path: str, expected: str, actual: str) -> tuple[type, str, str, str]:
    return (
        BoundaryError,
        "MOLT-E-SCHEMA-VIOLATION",
        f"{export}: input at {path} does not match the schema: expected {expected}, "
        f"got {actual}; send a value of the declared type",
        path,
    )


DECODE_ERRORS = [
    # (message, path, detail) for MOLT-E-MALFORMED-MESSAGE
    pytest.param(b"", "$", "the message is empty: expected one MessagePack value", id="empty"),
    pytest.param(
        b"\x81",
        "$",
        "truncated: the message ends at byte 1 where a value should start",
        id="map-without-key",
    ),
    pytest.param(
        b"\x81\xa6val",
        "$",
        "truncated: the value at offset 1 needs 6 bytes from offset 2 but only 3 remain",
        id="truncated-key",
    ),
    pytest.param(
        values_message(b"\x01", b"\xcb\x3f\xf0", header=b"\x92"),
        "$.values[1]",
        "truncated: the value at offset 10 needs 8 bytes from offset 11 but only 2 remain",
        id="truncated-float64",
    ),
    pytest.param(
        values_message(b"\x01", header=b"\x93"),
        "$.values[1]",
        "truncated: the message ends at byte 10 where a value should start",
        id="fewer-elements-than-declared",
    ),
    pytest.param(
        values_message(b"\x01", header=b"\xdc\x00\x05"),
        "$.values",
        "truncated: the array at offset 8 declares 5 entries but only 1 bytes remain",
        id="array16-count-past-end",
    ),
    pytest.param(
        b"\xdf\x00\x01\x00\x00\xa6values\x90",
        "$",
        "truncated: the map at offset 0 declares 65536 entries but only 8 bytes remain",
        id="map32-count-past-end",
    ),
    pytest.param(
        values_message(b"\x01", b"\xc1"),
        "$.values[1]",
        "byte 0xc1 at offset 10 is not a MessagePack type",
        id="never-used-byte",
    ),
    pytest.param(
        values_message(b"\xd6\xff\x00\x00\x00\x00"),
        "$.values[0]",
        "ext type at offset 9: Molt messages use no ext types (no timestamps)",
        id="timestamp",
    ),
    pytest.param(
        values_message(b"\xc7\x01\x05\x00"),
        "$.values[0]",
        "ext type at offset 9: Molt messages use no ext types (no timestamps)",
        id="ext8",
    ),
    pytest.param(
        values_message(b"\xcf\x80\x00\x00\x00\x00\x00\x00\x00"),
        "$.values[0]",
        "integer 9223372036854775808 is outside signed 64-bit",
        id="uint64-above-int64",
    ),
    pytest.param(
        b"\x81\xa6valu\xed\xa0\x90",
        "$",
        "the str at offset 1 is not valid UTF-8",
        id="surrogate-in-key",
    ),
    pytest.param(
        values_message(b"\xa2\xc0\x80"),
        "$.values[0]",
        "the str at offset 9 is not valid UTF-8",
        id="overlong-in-element",
    ),
    pytest.param(
        b"\x81\x01\x90",
        "$",
        "map key at offset 1 is int, not a str",
        id="int-key",
    ),
    pytest.param(
        b"\x81\xc4\x06values\x90",
        "$",
        "map key at offset 1 is bin, not a str",
        id="bin-key",
    ),
    pytest.param(
        b"\x82\xa6values\x91\x01\xa6values\x90",
        "$.values",
        "duplicate map key 'values'",
        id="duplicate-key",
    ),
    pytest.param(
        values_message(b"\x01") + b"\x00",
        "$",
        "1 byte after the value (one value per message)",
        id="one-trailing-byte",
    ),
    pytest.param(
        values_message() + b"\x90\x90\x90",
        "$",
        "3 bytes after the value (one value per message)",
        id="trailing-bytes",
    ),
]


@pytest.mark.parametrize(("message", "path", "detail"), DECODE_ERRORS)
@pytest.mark.parametrize("export", ["mean", "total"])
def test_malformed_input_is_reported_by_the_module_exactly_as_the_host_does(
    stats: Any, export: str, message: bytes, path: str, detail: str
) -> None:
    expected = malformed(export, path, detail)
    assert as_tuple(module_error(stats, export, message)) == expected
    assert as_tuple(host_error(stats, export, message)) == expected


SCHEMA_ERRORS = [
    # (message, path, expected, actual) for MOLT-E-SCHEMA-VIOLATION
    pytest.param(b"\x91\x01", "$", "object", "array", id="not-a-map"),
    pytest.param(b"\xc0", "$", "object", "null", id="nil"),
    pytest.param(b"\x80", "$.values", "array", "no value (the key is missing)", id="empty-map"),
    pytest.param(
        b"\x81\xa5value\x90", "$", "the single key 'values'", "another key", id="wrong-key"
    ),
    pytest.param(
        b"\x81\xa7values_\x90", "$", "the single key 'values'", "another key", id="longer-key"
    ),
    pytest.param(
        b"\x82\xa6values\x90\xa1x\x01",
        "$",
        "the single key 'values'",
        "another key",
        id="extra-key",
    ),
    pytest.param(PREFIX + b"\x03", "$.values", "array", "integer", id="values-int"),
    pytest.param(PREFIX + b"\x81\xa1a\x01", "$.values", "array", "object", id="values-map"),
    pytest.param(
        values_message(b"\x01", b"\x02", f64(3.0), b"\xa1x"),
        "$.values[3]",
        "number",
        "string",
        id="str-at-index-3",
    ),
    pytest.param(values_message(b"\xc0"), "$.values[0]", "number", "null", id="nil-element"),
    pytest.param(values_message(b"\xc3"), "$.values[0]", "number", "boolean", id="bool-element"),
    pytest.param(values_message(b"\xc4\x01x"), "$.values[0]", "number", "bytes", id="bin"),
    pytest.param(values_message(b"\x91\x01"), "$.values[0]", "number", "array", id="nested"),
    pytest.param(values_message(b"\x80"), "$.values[0]", "number", "object", id="map-element"),
    pytest.param(
        values_message(*[b"\x00"] * 1234, b"\xc2", header=b"\xdc\x04\xd3"),
        "$.values[1234]",
        "number",
        "boolean",
        id="four-digit-index",
    ),
]


@pytest.mark.parametrize(("message", "path", "expected", "actual"), SCHEMA_ERRORS)
def test_ill_typed_input_is_a_schema_violation_at_its_path(
    stats: Any, message: bytes, path: str, expected: str, actual: str
) -> None:
    assert as_tuple(module_error(stats, "mean", message)) == violation(
        "mean", path, expected, actual
    )


@pytest.mark.parametrize(
    "args",
    [
        pytest.param({"values": [1.0, 2.0, 3.0, "x"]}, id="str-at-index-3"),
        pytest.param({"values": [None]}, id="null"),
        pytest.param({"values": [True, 1.0]}, id="bool"),
        pytest.param({"values": [[1.0]]}, id="nested-list"),
        pytest.param({"values": [1.0, {"a": 1}]}, id="dict"),
        pytest.param({"values": [b"\x00"]}, id="bytes"),
        pytest.param({"values": 3}, id="not-a-list"),
        pytest.param({}, id="missing"),
    ],
)
def test_schema_violations_match_the_host_validator(stats: Any, args: dict[str, Any]) -> None:
    with pytest.raises(BoundaryError) as by_host:
        stats.call("total", args)
    with pytest.raises(BoundaryError) as by_module:
        stats.call("total", args, validate=False)
    assert as_tuple(by_module.value) == as_tuple(by_host.value)


VALID_MESSAGES = [
    values_message(
        b"\x01", b"\xff", b"\xcc\x80", b"\xd1\x80\x00", f64(2.5), b"\xca\x3f\xc0\x00\x00"
    ),
    b"\xde\x00\x01\xd9\x06values\xdd\x00\x00\x00\x03\xcd\x01\x00" + f64(-1.0) + b"\xe0",
]


@pytest.mark.parametrize("message", VALID_MESSAGES)
def test_every_truncation_of_a_valid_message_is_malformed_like_the_host_says(
    stats: Any, message: bytes
) -> None:
    stats.call_message("mean", message)  # the whole message is valid
    for size in range(len(message)):
        prefix = message[:size]
        error = module_error(stats, "mean", prefix)
        assert error.code == "MOLT-E-MALFORMED-MESSAGE", size
        assert as_tuple(error) == as_tuple(host_error(stats, "mean", prefix)), size


@st.composite
def mutated_messages(draw: st.DrawFn) -> bytes:
    """A valid message with a few bytes changed, inserted, deleted, or cut off."""
    values = draw(st.lists(st.floats() | st.integers(-(2**63), 2**63 - 1), max_size=6))
    data = bytearray(msgpack.packb({"values": values}))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["replace", "insert", "delete", "cut"]))
        byte = draw(st.integers(0, 255))
        if action == "replace" and where < len(data):
            data[where] = byte
        elif action == "insert":
            data.insert(where, byte)
        elif action == "delete" and where < len(data):
            del data[where]
        elif action == "cut":
            del data[where:]
    return bytes(data)


@settings(max_examples=500, deadline=None)
@given(message=mutated_messages())
def test_property_the_decoder_never_traps_and_agrees_with_the_host(
    stats: Any, message: bytes
) -> None:
    try:
        result = stats.call_message("total", message, check=False)
    except BoundaryError as error:
        # A wire problem is reported exactly as the host's strict decoder reports it;
        # a schema problem may come before a later wire problem the host would see first.
        if error.code == "MOLT-E-MALFORMED-MESSAGE":
            assert as_tuple(error) == as_tuple(host_error(stats, "total", message))
        else:
            assert error.code == "MOLT-E-SCHEMA-VIOLATION"
    else:
        # The module accepted it: so does the host, with the same result.
        assert stats.call_message("total", message, check=True) == result


# -- memory --------------------------------------------------------------------------------


def message_of_size(size: int) -> bytes:
    """{"values": [1, 1, ...]} of exactly `size` bytes (an array 32 of fixints)."""
    header = PREFIX + b"\xdd"
    count = size - len(header) - 4
    return header + count.to_bytes(4, "big") + b"\x01" * count


def test_result_that_needs_memory_past_the_limit_is_out_of_memory(keys) -> None:
    # The input buffer starts at 4096, so this message fills two pages exactly:
    # the 9-byte result needs a third, which a two-page limit refuses.
    message = message_of_size(2 * PAGE - 4096)
    stats = load(keys, memory_limit=2 * PAGE)
    with pytest.raises(ExecutionError) as caught:
        stats.call_message("total", message)
    assert caught.value.as_dict() == {
        "code": "MOLT-E-OUT-OF-MEMORY",
        "message": "call to 'total' of stats 1.0.0 needs more than the memory limit; raise "
        "the host's memory limit or send a smaller input",
    }
    with pytest.raises(ExecutionError) as caught:
        stats.call_message("mean", message[:-1] + b"\xc0", check=False)  # an error map too
    assert caught.value.code == "MOLT-E-OUT-OF-MEMORY"
    assert "'mean' of stats 1.0.0" in caught.value.message


def test_arena_grows_memory_when_the_result_does_not_fit(keys) -> None:
    message = message_of_size(2 * PAGE - 4096)
    stats = load(keys, memory_limit=3 * PAGE)
    assert stats.call_message("total", message) == f64(float(2 * PAGE - 4096 - 13))


@pytest.fixture
def raw() -> tuple[wasmtime.Store, dict[str, Any]]:
    """The module instantiated directly, below the host, with a 4-page limit."""
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    store.set_limits(memory_size=4 * PAGE)
    module = wasmtime.Module(engine, example_wasm("stats"))
    instance = wasmtime.Instance(store, module, [])
    return store, dict(instance.exports(store))


def unpack(result: int) -> tuple[int, int, int]:
    packed = result & 0xFFFF_FFFF_FFFF_FFFF
    return packed >> 32, (packed >> 31) & 1, packed & 0x7FFF_FFFF


def test_abi_version_is_1_0(raw) -> None:
    store, exports = raw
    assert exports["molt_abi_version"](store) == 65536


def test_alloc_reuses_one_buffer_and_the_arena_starts_past_it(raw) -> None:
    store, exports = raw
    assert exports["molt_alloc"](store, 100) == 4096
    message = values_message(b"\x01", b"\x02")
    exports["memory"].write(store, message, 4096)
    first = unpack(exports["molt_call_total"](store, 4096, len(message)))
    assert first == (4200, 0, 9)  # 4096 + 100, rounded up to 8
    assert unpack(exports["molt_call_total"](store, 4096, len(message))) == first  # reset
    assert exports["memory"].read(store, 4200, 4209) == f64(3.0)
    assert exports["molt_alloc"](store, 3 * PAGE) == 4096  # grows, same address
    assert exports["memory"].size(store) == 4


def test_alloc_past_the_memory_limit_returns_zero_and_keeps_the_buffer(raw) -> None:
    store, exports = raw
    assert exports["molt_alloc"](store, 64) == 4096
    assert exports["molt_alloc"](store, 4 * PAGE) == 0
    assert exports["molt_alloc"](store, 0x7FFF_FFFF) == 0
    message = values_message(b"\x05")
    exports["memory"].write(store, message, 4096)
    assert unpack(exports["molt_call_total"](store, 4096, len(message))) == (4160, 0, 9)


@pytest.mark.parametrize(("ptr", "size"), [(0, 0), (4000, 10), (4096, 65), (4100, 64)])
def test_a_message_outside_the_input_buffer_traps(raw, ptr: int, size: int) -> None:
    store, exports = raw
    assert exports["molt_alloc"](store, 64) == 4096
    with pytest.raises(wasmtime.Trap) as caught:
        exports["molt_call_mean"](store, ptr, size)
    assert caught.value.trap_code == wasmtime.TrapCode.UNREACHABLE
