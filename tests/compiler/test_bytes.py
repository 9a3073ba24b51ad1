"""bytes (MOLT-L-TYPE-BYTES) against CPython, through the real host: the operations the
spec lists, bytes inside records, lists, dicts and optional values, and the wire form
(MessagePack bin 8/16/32, strict decoding with the host's errors and JSON paths)."""

from __future__ import annotations

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from molt.errors import BoundaryError
from molt.runtime import _codec
from tests.compiler._values import check as check_records
from tests.compiler._values import raw
from tests.compiler.conftest import Program, expected, same

SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

blobs = st.binary(max_size=24)
small = st.integers(-30, 30)


@pytest.fixture(scope="module")
def binary(molt_program) -> Program:
    return molt_program("binary")


def check(program: Program, export: str, **args: object) -> None:
    want = expected(program.cpython(export, **args))
    got = program.molt(export, **args)
    assert same(got, want), f"{export}({args}): molt {got!r}, cpython {want!r}"


def pack(value: object) -> bytes:
    return msgpack.packb(value, use_bin_type=True)


# -- operations ------------------------------------------------------------------------------


@SETTINGS
@given(a=blobs, i=small)
def test_len_and_indexing_give_ints(binary: Program, a: bytes, i: int) -> None:
    check(binary, "measure", a=a, i=i)


@SETTINGS
@given(a=blobs, b=blobs, i=small, j=small, k=st.integers(-3, 3))
def test_concatenation_and_slices(
    binary: Program, a: bytes, b: bytes, i: int, j: int, k: int
) -> None:
    check(binary, "pieces", a=a, b=b, i=i, j=j, k=k)


@SETTINGS
@given(a=blobs, b=blobs)
def test_comparisons_are_lexicographic_by_byte(binary: Program, a: bytes, b: bytes) -> None:
    check(binary, "order", a=a, b=b)
    check(binary, "order", a=a, b=a + b)
    check(binary, "order", a=a, b=a)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_checksum_example_of_the_spec(binary: Program, data: bytes) -> None:
    check(binary, "checksum", data=data)


def test_index_error_names_the_index_and_the_length(binary: Program) -> None:
    assert binary.molt("measure", a=b"ab", i=2) == (
        "error",
        "MOLT-E-INDEX",
        "bytes index 2 out of range for length 2 at binary.py:25:21; check the index "
        "against len() before using it",
    )
    assert binary.molt("measure", a=b"", i=0)[:2] == ("error", "MOLT-E-INDEX")
    assert binary.cpython("measure", a=b"ab", i=2)[:2] == ("error", "MOLT-E-INDEX")


# -- bytes inside other values -----------------------------------------------------------------


@SETTINGS
@given(
    items=st.lists(
        st.fixed_dictionaries(
            {"name": st.text(max_size=3), "data": blobs, "extra": st.none() | blobs}
        ),
        max_size=4,
    ),
    extra=st.dictionaries(st.text(max_size=3), blobs, max_size=3),
)
def test_bytes_in_records_lists_and_dicts(
    binary: Program, items: list[dict], extra: dict[str, bytes]
) -> None:
    check_records(binary, "blobs", items=items, extra=extra)


@SETTINGS
@given(data=blobs, name=st.text(max_size=4))
def test_records_with_bytes_fields_as_results(binary: Program, data: bytes, name: str) -> None:
    check_records(binary, "wrap", data=data, name=name)


@pytest.mark.parametrize("data", [None, b"", b"\x00\xff"])
def test_optional_bytes(binary: Program, data: bytes | None) -> None:
    check(binary, "maybe", data=data)


def test_dict_of_bytes_result(binary: Program) -> None:
    check(binary, "table", keys=["a", "b", "a", "c"], values=[b"1", b""])


# -- the wire --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "header"),
    [
        (0, b"\xc4\x00"),
        (255, b"\xc4\xff"),
        (256, b"\xc5\x01\x00"),
        (65535, b"\xc5\xff\xff"),
        (65536, b"\xc6\x00\x01\x00\x00"),
    ],
)
def test_results_use_the_smallest_bin_format(binary: Program, size: int, header: bytes) -> None:
    data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    assert raw(binary, "echo", pack({"data": data})) == header + data


@pytest.mark.parametrize(
    "message",
    [b"\x81\xa4data\xc5\x00\x03abc", b"\x81\xa4data\xc6\x00\x00\x00\x03abc"],
    ids=["bin 16", "bin 32"],
)
def test_wider_bin_formats_are_accepted(binary: Program, message: bytes) -> None:
    assert raw(binary, "echo", message) == b"\xc4\x03abc"


MALFORMED = [
    ("truncated bin 8", b"\x81\xa4data\xc4\x05ab", "$.data"),
    ("truncated bin 16 length", b"\x81\xa4data\xc5\x00", "$.data"),
    ("bin 32 longer than the message", b"\x81\xa4data\xc6\x7f\xff\xff\xffab", "$.data"),
    ("trailing byte after a bin", b"\x81\xa4data\xc4\x01a\xc0", "$"),
]


@pytest.mark.parametrize(
    ("message", "path"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED]
)
def test_malformed_bin_has_the_hosts_detail_and_path(
    binary: Program, message: bytes, path: str
) -> None:
    error = raw(binary, "echo", message)
    assert isinstance(error, BoundaryError)
    with pytest.raises(BoundaryError) as host:
        _codec.decode(message, export="echo")
    assert (error.code, error.path) == ("MOLT-E-MALFORMED-MESSAGE", path)
    assert error.message == host.value.message


SCHEMA = [
    ("echo", {"data": "abc"}, "$.data", "expected bytes, got string"),
    ("echo", {"data": [1]}, "$.data", "expected bytes, got array"),
    ("maybe", {"data": 1}, "$.data", "expected bytes or null, got integer"),
    ("blobs", {"items": [], "extra": {"k": "v"}}, "$.extra.k", "expected bytes, got string"),
    (
        "blobs",
        {"items": [{"name": b"n", "data": b"", "extra": None}], "extra": {}},
        "$.items[0].name",
        "expected string, got bytes",
    ),
]


@pytest.mark.parametrize(("export", "value", "path", "detail"), SCHEMA)
def test_wrong_types_name_the_path_as_the_host_does(
    binary: Program, export: str, value: dict, path: str, detail: str
) -> None:
    error = raw(binary, export, pack(value))
    assert isinstance(error, BoundaryError)
    assert (error.code, error.path) == ("MOLT-E-SCHEMA-VIOLATION", path)
    assert error.message == (
        f"{export}: input at {path} does not match the schema: {detail}; send a value of the "
        "declared type"
    )
    with pytest.raises(BoundaryError) as host:
        binary.module.call(export, value)
    assert (host.value.code, host.value.path, host.value.message) == (
        error.code,
        error.path,
        error.message,
    )


def test_interface_schema_follows_the_value_table(binary: Program) -> None:
    exports = {e["name"]: e for e in binary.compiled.interface["exports"]}
    binary_schema = {"type": "string", "contentEncoding": "base64"}
    assert exports["echo"]["input"]["properties"]["data"] == binary_schema
    assert exports["echo"]["output"] == binary_schema
    assert exports["maybe"]["output"] == {"anyOf": [binary_schema, {"type": "null"}]}
