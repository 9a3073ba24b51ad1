"""The ABI 1 conformance fixtures do what their interfaces say, driven by raw wasmtime.

Only calls that return are exercised here (no fuel, stack or trap cases): those
belong to the host's own tests, which go through `molt.runtime`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgpack
import pytest
import wasmtime

PAGE = 65536


class Raw:
    """One instance of a fixture and the ABI's calling convention, by hand."""

    def __init__(self, engine: wasmtime.Engine, wasm: bytes, memory_limit: int | None = None):
        self.store = wasmtime.Store(engine)
        if memory_limit is not None:
            self.store.set_limits(memory_size=memory_limit)
        instance = wasmtime.Instance(self.store, wasmtime.Module(engine, wasm), [])
        self.exports = instance.exports(self.store)
        self.memory: wasmtime.Memory = self.exports["memory"]
        self.last_input = 0

    def alloc(self, size: int) -> int:
        return int(self.exports["molt_alloc"](self.store, size))

    def call(self, name: str, message: bytes) -> tuple[int, int, bytes]:
        ptr = self.last_input = self.alloc(len(message))
        self.memory.write(self.store, message, ptr)
        packed = self.exports[f"molt_call_{name}"](self.store, ptr, len(message))
        packed &= 0xFFFF_FFFF_FFFF_FFFF
        result_ptr, status, length = packed >> 32, (packed >> 31) & 1, packed & 0x7FFF_FFFF
        if result_ptr + length > self.memory.data_len(self.store):
            return status, result_ptr, b""
        return (
            status,
            result_ptr,
            bytes(self.memory.read(self.store, result_ptr, result_ptr + length)),
        )


@pytest.fixture(scope="module")
def engine() -> Iterator[wasmtime.Engine]:
    yield wasmtime.Engine()


@pytest.fixture
def echo(engine: wasmtime.Engine, abi1_wasm: dict[str, bytes]) -> Raw:
    return Raw(engine, abi1_wasm["echo"])


def _error(status: int, data: bytes) -> dict[str, Any]:
    assert status == 1
    return msgpack.unpackb(data)


def test_abi_version_is_1_0(echo: Raw) -> None:
    assert echo.exports["molt_abi_version"](echo.store) == 65536


def test_molt_alloc_returns_aligned_nonzero_buffers_past_each_other_and_grows_memory(
    echo: Raw,
) -> None:
    first = echo.alloc(0)
    second = echo.alloc(3 * PAGE)
    third = echo.alloc(1)
    assert first != 0 and first % 8 == 0
    assert second >= first and second % 8 == 0
    assert third >= second + 3 * PAGE and third % 8 == 0
    assert echo.memory.data_len(echo.store) >= third + 1


def test_molt_alloc_returns_0_when_memory_cannot_grow(
    engine: wasmtime.Engine, abi1_wasm: dict[str, bytes]
) -> None:
    raw = Raw(engine, abi1_wasm["echo"], memory_limit=4 * PAGE)
    assert raw.alloc(8 * PAGE) == 0
    assert raw.alloc(100) != 0


def test_echo_returns_the_input_array_in_place(echo: Raw) -> None:
    values = [1.5, -2.0, float("inf"), 0.0]
    message = msgpack.packb({"value": values})
    status, ptr, data = echo.call("echo", message)
    assert status == 0
    assert data == message[7:]
    assert msgpack.unpackb(data) == values
    assert ptr == echo.last_input + 7  # the array inside the input buffer: no copy


def test_echo_of_a_message_without_the_value_prefix_is_a_schema_violation(echo: Raw) -> None:
    status, _, data = echo.call("echo", msgpack.packb({"other": []}))
    assert _error(status, data) == {
        "code": "MOLT-E-SCHEMA-VIOLATION",
        "message": "echo: input at $ does not match the schema: expected a map with the single "
        "key 'value', got a different message; send a value of the declared type",
        "path": "$",
    }


def test_fail_returns_the_value_error_map(echo: Raw) -> None:
    status, _, data = echo.call("fail", b"\x80")
    assert _error(status, data) == {"code": "MOLT-E-VALUE", "message": "fixture failure on purpose"}


def test_fail_with_a_non_empty_map_is_a_schema_violation(echo: Raw) -> None:
    status, _, data = echo.call("fail", msgpack.packb({"x": 1}))
    assert _error(status, data)["code"] == "MOLT-E-SCHEMA-VIOLATION"


def test_grow_stops_at_the_memory_limit_and_reports_out_of_memory(
    engine: wasmtime.Engine, abi1_wasm: dict[str, bytes]
) -> None:
    raw = Raw(engine, abi1_wasm["echo"], memory_limit=64 * PAGE)
    status, _, data = raw.call("grow", b"\x80")
    error = _error(status, data)
    assert error["code"] == "MOLT-E-OUT-OF-MEMORY"
    assert set(error) == {"code", "message"}
    assert raw.memory.data_len(raw.store) <= 64 * PAGE


def test_bad_result_points_outside_memory(echo: Raw) -> None:
    status, ptr, _ = echo.call("bad_result", b"\x80")
    assert status == 0
    assert ptr == 0xFFFF_0000
    assert ptr > echo.memory.data_len(echo.store)


def test_the_negative_fixtures_still_run_their_echo(
    engine: wasmtime.Engine, abi1_wasm: dict[str, bytes]
) -> None:
    for name in ["abi2", "extra-export", "missing-export", "no-interface", "bad-interface"]:
        raw = Raw(engine, abi1_wasm[name])
        status, _, data = raw.call("echo", msgpack.packb({"value": [1.0]}))
        assert (status, msgpack.unpackb(data)) == (0, [1.0]), name
    abi2 = Raw(engine, abi1_wasm["abi2"])
    assert abi2.exports["molt_abi_version"](abi2.store) == 2 << 16
