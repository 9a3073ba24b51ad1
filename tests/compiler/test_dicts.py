"""dict[str, T]: the same results as CPython (insertion order included), maps on the wire
in insertion order both ways, strict decoding with the host's codes and JSON paths, the
runtime errors MOLT-E-KEY and MOLT-E-VALUE, and the compile errors of the dict forms."""

from __future__ import annotations

import copy
import re
import textwrap
from typing import Any

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from molt.compiler import FrontendError, compile_source
from molt.errors import BoundaryError, MoltError
from tests.compiler._values import hosted, raw, same_wire, to_python, to_wire
from tests.compiler.conftest import INT64_MAX, INT64_MIN, PROGRAMS, Program

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SCHEMA, MALFORMED = "MOLT-E-SCHEMA-VIOLATION", "MOLT-E-MALFORMED-MESSAGE"
UNSUPPORTED, TYPE = "MOLT-E-UNSUPPORTED", "MOLT-E-TYPE"

keys = st.text(max_size=6)
small = st.integers(-1000, 1000)
int_dicts = st.dictionaries(keys, small, max_size=6)


@pytest.fixture(scope="module")
def dicts(molt_program) -> Program:
    return molt_program("dicts")


def cpython(program: Program, export: str, **args: Any) -> Any:
    """CPython's result on the wire, or ("error", code) for KeyError / RuntimeError."""
    import typing

    function = program.namespace[export]
    hints = typing.get_type_hints(function, program.namespace)
    converted = {
        k: to_python(copy.deepcopy(v), hints[k], program.namespace) for k, v in args.items()
    }
    try:
        return to_wire(function(**converted))
    except KeyError:
        return ("error", "MOLT-E-KEY")
    except RuntimeError:
        return ("error", "MOLT-E-VALUE")


def check(program: Program, export: str, **args: Any) -> None:
    want = cpython(program, export, **args)
    got = program.molt(export, **args)
    if isinstance(got, tuple):
        got = got[:2]
    assert same_wire(got, want), f"{export}({args}): molt {got!r}, cpython {want!r}"


# -- differential -----------------------------------------------------------------------------


@SETTINGS
@given(words=st.lists(st.sampled_from(["a", "b", "é", "", "ab", "b"]), max_size=12))
def test_counting_words_matches_cpython_in_insertion_order(dicts: Program, words) -> None:
    check(dicts, "count_words", words=words)


@SETTINGS
@given(d=int_dicts, key=keys, by=small)
def test_lookup_update_and_membership_match_cpython(dicts: Program, d, key, by) -> None:
    check(dicts, "lookup", d=d, key=key)
    check(dicts, "bump", d=d, key=key, by=by)
    check(dicts, "maybe", d=d, key=key)
    check(dicts, "keys_of", d=d)
    check(dicts, "items_of", d=d)
    check(dicts, "grow_while_looping", d=d)
    check(dicts, "stop_early", d=d)
    check(dicts, "skip_negative", d=d)
    check(dicts, "has", d={k: v > 0 for k, v in d.items()}, key=key)


# Dicts of INDEX_FROM (8) keys and more keep a hashed index: the same results, any size.
big_keys = st.text(alphabet="abcé\x00", max_size=4)
big_dicts = st.dictionaries(big_keys, small, min_size=7, max_size=70)


@SETTINGS
@given(d=big_dicts, key=big_keys, by=small, value=big_keys)
def test_indexed_dicts_match_cpython(dicts: Program, d, key, by, value) -> None:
    check(dicts, "lookup", d=d, key=key)
    check(dicts, "bump", d=d, key=key, by=by)
    check(dicts, "maybe", d=d, key=key)
    check(dicts, "keys_of", d=d)
    check(dicts, "put", d={k: str(v) for k, v in d.items()}, key=key, value=value)
    check(dicts, "has", d={k: v > 0 for k, v in d.items()}, key=key)


@pytest.mark.parametrize("distinct", [7, 8, 9, 16, 17, 1000])
def test_counting_words_through_every_index_growth_matches_cpython(
    dicts: Program, distinct: int
) -> None:
    words = [f"w{(i * 7919) % distinct}" for i in range(3 * distinct)]
    check(dicts, "count_words", words=words)


@pytest.mark.parametrize("size", [8, 300])
def test_a_duplicate_key_in_a_large_map_is_malformed_at_its_path(dicts: Program, size) -> None:
    entries = [(f"k{i}", i) for i in range(size)] + [("k5", 0)]
    body = b"".join(msgpack.packb(k) + msgpack.packb(v) for k, v in entries)
    header = b"\xde" + (size + 1).to_bytes(2, "big")  # map16: canonical only from 16 entries
    message = b"\x82\xa1d" + header + body + b"\xa3key\xa1a"
    module, host = raw(dicts, "lookup", message), hosted(dicts, "lookup", message)
    assert isinstance(module, BoundaryError)
    assert (module.code, module.path) == (MALFORMED, "$.d.k5")
    assert (module.code, module.message, module.path) == (host.code, host.message, host.path)  # type: ignore[union-attr]


@SETTINGS
@given(d=st.dictionaries(keys, st.text(max_size=3), max_size=5), key=keys, value=keys)
def test_assignment_keeps_the_position_of_an_existing_key(dicts: Program, d, key, value) -> None:
    check(dicts, "put", d=d, key=key, value=value)


@SETTINGS
@given(
    groups=st.dictionaries(keys, st.lists(small, max_size=3), max_size=4),
    extra=st.none() | st.dictionaries(keys, st.dictionaries(keys, st.booleans(), max_size=3)),
)
def test_nested_dicts_lists_and_optionals_match_cpython(dicts: Program, groups, extra) -> None:
    check(dicts, "nested", groups=groups, extra=extra)
    check(dicts, "size", d=groups)


@SETTINGS
@given(
    d=st.dictionaries(keys, st.floats(allow_nan=False), max_size=5),
    b=st.dictionaries(keys, st.booleans(), max_size=4),
    key=keys,
    default=st.booleans(),
)
def test_values_loops_and_defaults_match_cpython(dicts: Program, d, b, key, default) -> None:
    check(dicts, "values_of", d=d)
    check(dicts, "flags", d=b, key=key, default=default)


@SETTINGS
@given(stock=int_dicts, item=keys, n=small)
def test_a_dict_in_a_record_is_mutable_and_ordered(dicts: Program, stock, item, n) -> None:
    check(dicts, "restock", inv={"name": "shop", "stock": stock}, item=item, n=n)


@SETTINGS
@given(
    ds=st.lists(st.dictionaries(keys, st.floats(allow_nan=False), max_size=3), max_size=3),
    d=int_dicts,
    o=st.dictionaries(keys, st.none() | small, max_size=4),
    key=keys,
)
def test_lists_of_dicts_widening_and_optional_results_match_cpython(
    dicts: Program, ds, d, o, key
) -> None:
    got = dicts.molt("widen", ds=ds)
    assert got == [*ds, {"a": 1.0, "b": 2.0}]
    assert all(type(v) is float for v in got[-1].values())  # int values become floats
    check(dicts, "narrow", d=d, k=key)
    check(dicts, "optional_values", d=o, k=key)


def test_growing_past_the_memory_limit_is_out_of_memory(load_wasm, dicts: Program) -> None:
    limited = load_wasm(dicts.compiled, memory_limit=4 << 20)
    with pytest.raises(MoltError) as caught:
        limited.call("grow", {"n": 100_000})
    assert caught.value.code == "MOLT-E-OUT-OF-MEMORY"
    assert limited.call("grow", {"n": 100}) == 100


def test_a_literal_keeps_the_first_position_and_the_last_value(dicts: Program) -> None:
    assert dicts.molt("literal") == {"b": 3.0, "a": 2.5}
    assert list(dicts.molt("literal")) == ["b", "a"]


# -- runtime errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("width", "'width'"),
        ("it's", '"it\'s"'),
        ("a\"b'c", "'a\"b\\'c'"),
        ("tab\there\n", "'tab\\there\\n'"),
        ("\x00\x7f\\", "'\\x00\\x7f\\\\'"),
        ("été", "'été'"),
    ],
)
def test_a_missing_key_is_the_key_error_with_the_key_quoted(dicts: Program, key, shown) -> None:
    assert shown == repr(key)
    got = dicts.molt("lookup", d={"a": 1}, key=key)
    assert got[:2] == ("error", "MOLT-E-KEY")
    assert got[2] == (
        f"key {shown} not in dict at dicts.py:31:12; test the key with 'in' or read it with "
        "dict.get() first"
    )


def test_augmented_assignment_to_a_missing_key_is_the_key_error(dicts: Program) -> None:
    got = dicts.molt("bump", d={}, key="x", by=1)
    assert got[:2] == ("error", "MOLT-E-KEY")
    assert got[2].startswith("key 'x' not in dict at dicts.py:36:5;")


def test_adding_a_key_while_looping_is_the_value_error(dicts: Program) -> None:
    got = dicts.molt("grow_while_looping", d={"a": 1})
    assert got[:2] == ("error", "MOLT-E-VALUE")
    assert "dictionary changed size during iteration" in got[2]
    assert dicts.molt("grow_while_looping", d={}) == 0
    assert dicts.molt("stop_early", d={"a": 1}) == 1


# -- the wire ---------------------------------------------------------------------------------


def test_a_dict_result_is_a_map_in_insertion_order(dicts: Program) -> None:
    message = msgpack.packb({"d": {"z": 1, "a": 2}, "key": "m", "by": 0})
    answer = raw(dicts, "put", msgpack.packb({"d": {"z": "1", "a": "2"}, "key": "m", "value": "v"}))
    assert answer == b"\x83\xa1z\xa11\xa1a\xa12\xa1m\xa1v"
    assert isinstance(raw(dicts, "bump", message), BoundaryError) is False


@pytest.mark.parametrize("count", [0, 15, 16, 300])
def test_map_headers_are_canonical(dicts: Program, count: int) -> None:
    words = [f"w{i}" for i in range(count)]
    answer = raw(dicts, "count_words", msgpack.packb({"words": words}))
    assert answer == msgpack.packb(dict.fromkeys(words, 1))


def test_results_are_reproducible_bytes(dicts: Program) -> None:
    message = msgpack.packb({"words": ["b", "a", "b", "c"]})
    first = raw(dicts, "count_words", message)
    assert all(raw(dicts, "count_words", message) == first for _ in range(3))


def test_every_prefix_of_a_valid_dict_message_is_a_coded_error(dicts: Program) -> None:
    args = {"groups": {"a": [1, 2], "bb": []}, "extra": {"x": {"y": True, "z": False}}}
    message = msgpack.packb(args)
    assert isinstance(raw(dicts, "nested", message), bytes)
    for end in range(len(message)):
        answer = raw(dicts, "nested", message[:end])
        assert isinstance(answer, BoundaryError), (end, answer)
        assert answer.code in (SCHEMA, MALFORMED)


WIRE_CASES = [
    # (id, export, message, code, path)
    ("wrong value type", "lookup", {"d": {"a": "x"}, "key": "a"}, SCHEMA, "$.d.a"),
    ("not a map", "lookup", {"d": [1], "key": "a"}, SCHEMA, "$.d"),
    ("nil for a dict", "lookup", {"d": None, "key": "a"}, SCHEMA, "$.d"),
    ("int key", "lookup", {"d": {"a": 1, 3: 2}, "key": "a"}, MALFORMED, "$.d"),
    ("odd key path", "lookup", {"d": {"a b": "x"}, "key": "a"}, SCHEMA, '$.d["a b"]'),
    (
        "deep",
        "nested",
        {"groups": {"g": [1, "x"]}, "extra": None},
        SCHEMA,
        "$.groups.g[1]",
    ),
    (
        "deep in an optional",
        "nested",
        {"groups": {}, "extra": {"e": {"k": 1}}},
        SCHEMA,
        "$.extra.e.k",
    ),
    (
        "in a record",
        "restock",
        {"inv": {"name": "s", "stock": {"k": 1.5}}, "item": "k", "n": 1},
        SCHEMA,
        "$.inv.stock.k",
    ),
]


@pytest.mark.parametrize(
    ("export", "args", "code", "path"),
    [c[1:] for c in WIRE_CASES],
    ids=[c[0] for c in WIRE_CASES],
)
def test_dict_decoding_errors_match_the_host(
    dicts: Program, export: str, args: dict, code: str, path: str
) -> None:
    message = msgpack.packb(args)
    module, host = raw(dicts, export, message), hosted(dicts, export, message)
    assert isinstance(module, BoundaryError) and isinstance(host, BoundaryError)
    assert (module.code, module.path) == (code, path)
    assert (module.code, module.message, module.path) == (host.code, host.message, host.path)


@pytest.mark.parametrize(
    ("key", "path", "shown"),
    [("a", "$.d.a", "'a'"), ("it's", '$.d["it\'s"]', '"it\'s"'), ("", '$.d[""]', "''")],
)
def test_a_duplicate_key_is_malformed_at_its_path(dicts: Program, key, path, shown) -> None:
    encoded = msgpack.packb(key)
    message = b"\x82\xa1d\x82" + encoded + b"\x01" + encoded + b"\x02\xa3key\xa1a"
    module, host = raw(dicts, "lookup", message), hosted(dicts, "lookup", message)
    assert isinstance(module, BoundaryError)
    assert (module.code, module.path) == (MALFORMED, path)
    assert f"duplicate map key {shown}" in module.message
    assert (module.code, module.message, module.path) == (host.code, host.message, host.path)  # type: ignore[union-attr]


def test_dict_schema_in_the_interface(dicts: Program) -> None:
    export = next(e for e in dicts.compiled.interface["exports"] if e["name"] == "nested")
    assert [p["type"] for p in export["params"]] == [
        "dict[str, list[int]]",
        "dict[str, dict[str, bool]] | None",
    ]
    integer = {"type": "integer", "minimum": INT64_MIN, "maximum": INT64_MAX}
    assert export["output"] == {"type": "object", "additionalProperties": integer}
    assert export["input"]["properties"]["extra"] == {
        "anyOf": [
            {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {"type": "boolean"},
                },
            },
            {"type": "null"},
        ]
    }


# -- compile errors ---------------------------------------------------------------------------


def _code(source: str) -> tuple[str, int, int]:
    try:
        compile_source(textwrap.dedent(source), filename="m.py", module_name="m")
    except FrontendError as error:
        where = re.match(r"m\.py:(\d+):(\d+):", error.message)
        assert where is not None, error.message
        return (error.code, int(where[1]), int(where[2]))
    raise AssertionError("compiled")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f(d: dict[int, int]) -> int:\n    return 0\n", (TYPE, 1, 10)),
        ("def f(d: dict[str, None]) -> None:\n    d['a'] = 1\n", (TYPE, 2, 14)),
        ("def f() -> int:\n    d = {'a': None, 'b': 1}\n    return 0\n", (TYPE, 2, 9)),
        ("def f(d: dict[str, int]) -> int:\n    d['a'] += 'x'\n    return 0\n", (TYPE, 2, 5)),
        ("def f(d: dict[str, int]) -> int:\n    return d.get(1)\n", (TYPE, 2, 18)),
        ("def f() -> int:\n    d = {}\n    return 0\n", (TYPE, 2, 9)),
        ("def f() -> int:\n    d = {1: 2}\n    return 0\n", (TYPE, 2, 10)),
        ("def f() -> int:\n    d = {'a': 1, 'b': 'x'}\n    return 0\n", (TYPE, 2, 9)),
        ("def f(d: dict[str, int]) -> int:\n    return d[0]\n", (TYPE, 2, 14)),
        ("def f(d: dict[str, int]) -> bool:\n    return 1 in d\n", (TYPE, 2, 12)),
        ("def f(d: dict[str, int]) -> int:\n    k = d.keys()\n    return 0\n", (UNSUPPORTED, 2, 9)),
        ("def f(d: dict[str, int]) -> int:\n    d.pop('a')\n    return 0\n", (UNSUPPORTED, 2, 5)),
        ("def f(d: dict[str, int]) -> bool:\n    return d < d\n", (TYPE, 2, 12)),
        (
            "def f(d: dict[str, int], e: dict[str, float]) -> bool:\n    return d == e\n",
            (TYPE, 2, 12),
        ),
        ("def f(d: dict[str, int]) -> None:\n    d['a'] = 'x'\n", (TYPE, 2, 14)),
        (
            "def f(d: dict[str, int]) -> None:\n    for k, v in d:\n        pass\n",
            (UNSUPPORTED, 2, 9),
        ),
    ],
)
def test_dict_compile_errors(source: str, expected: tuple[str, int, int]) -> None:
    assert _code(source) == expected


def test_compiling_twice_gives_the_same_bytes() -> None:
    source = (PROGRAMS / "dicts.py").read_text(encoding="utf-8")
    first = compile_source(source, filename="dicts.py", module_name="dicts")
    second = compile_source(source, filename="dicts.py", module_name="dicts")
    assert first.wasm == second.wasm
