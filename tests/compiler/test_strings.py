"""str: the same results as CPython (code point semantics for len, indexing,
iteration and comparison), strict UTF-8 on the wire with the host's messages,
and the compile errors of str expressions and f-strings."""

from __future__ import annotations

import textwrap

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from molt.compiler import FrontendError, compile_source
from molt.errors import BoundaryError
from tests.compiler._values import check, hosted, raw
from tests.compiler.conftest import INT64_MAX, INT64_MIN, Program

SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TYPE, UNSUPPORTED = "MOLT-E-TYPE", "MOLT-E-UNSUPPORTED"
MALFORMED = "MOLT-E-MALFORMED-MESSAGE"

texts = st.text(max_size=12)
small_texts = st.text(alphabet="abé😀 ", max_size=6)


@pytest.fixture(scope="module")
def strings(molt_program) -> Program:
    return molt_program("strings")


# -- differential -----------------------------------------------------------------------------


@SETTINGS
@given(a=texts, b=texts)
def test_concatenation_and_comparison_by_code_point(strings: Program, a: str, b: str) -> None:
    check(strings, "concat", a=a, b=b)
    check(strings, "compare", a=a, b=b)
    check(strings, "compare", a=a, b=a)


@SETTINGS
@given(s=texts, i=st.integers(-15, 15))
def test_len_indexing_and_iteration_count_code_points(strings: Program, s: str, i: int) -> None:
    check(strings, "length", s=s)
    check(strings, "char", s=s, i=i)
    check(strings, "chars", s=s)
    check(strings, "spaced", s=s)


@SETTINGS
@given(s=small_texts, part=small_texts, c=st.sampled_from(["a", "é", "😀", ""]))
def test_substring_tests_match_cpython(strings: Program, s: str, part: str, c: str) -> None:
    check(strings, "has", s=s, part=part)
    check(strings, "has", s=s + part + s, part=part)
    check(strings, "count_char", s=s, c=c)


@SETTINGS
@given(n=st.integers(INT64_MIN, INT64_MAX), name=texts, s=st.none() | texts)
def test_str_of_int_f_strings_and_optional_str(strings: Program, n: int, name: str, s) -> None:
    check(strings, "digits", n=n)
    check(strings, "greet", p={"name": name, "age": n})
    check(strings, "maybe", s=s)


def ascii_case(s: str, upper: bool) -> str:
    """MOLT-L-METHOD-STR-LOWER/-UPPER: ASCII letters only (CPython maps all of Unicode)."""
    low, high = ("a", "z") if upper else ("A", "Z")
    shift = -32 if upper else 32
    return "".join(chr(ord(c) + shift) if low <= c <= high else c for c in s)


@SETTINGS
@given(s=texts, ascii_text=st.text(alphabet=st.characters(max_codepoint=127), max_size=12))
def test_lower_and_upper_map_ascii_letters_only(strings: Program, s: str, ascii_text: str) -> None:
    assert strings.molt("cases", s=s) == [ascii_case(s, False), ascii_case(s, True)]
    check(strings, "cases", s=ascii_text)


@SETTINGS
@given(sep=small_texts, items=st.lists(texts, max_size=5))
def test_join_matches_cpython(strings: Program, sep: str, items: list[str]) -> None:
    check(strings, "joined", sep=sep, items=items)


SPACES = [*range(0x09, 0x0E), *range(0x1C, 0x20), 0x20, 0x85, 0xA0, 0x1680]
SPACES += [*range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
NOT_SPACES = [0x08, 0x0E, 0x1B, 0x21, 0x84, 0x86, 0x9F, 0xA1, 0x180E, 0x200B, 0x2027, 0xFEFF]
spaced_texts = st.text(
    alphabet=st.sampled_from(["a", "é", "😀", ",", *map(chr, SPACES[::3] + NOT_SPACES[::3])]),
    max_size=10,
)


@pytest.mark.parametrize("point", SPACES + NOT_SPACES, ids=lambda p: f"U+{p:04X}")
def test_whitespace_is_cpythons_isspace(strings: Program, point: int) -> None:
    text = f"{chr(point)}a{chr(point)}b{chr(point)}"
    assert chr(point).isspace() == (point in SPACES)
    check(strings, "pieces", s=text, sep="a")
    check(strings, "stripped", s=text, cs="b")


@SETTINGS
@given(s=spaced_texts, sep=st.sampled_from([",", "a", "é😀", ", ", "\u3000"]), cs=small_texts)
def test_split_and_strip_match_cpython(strings: Program, s: str, sep: str, cs: str) -> None:
    check(strings, "pieces", s=s, sep=sep)
    check(strings, "stripped", s=s, cs=cs)


def test_an_empty_separator_is_the_value_error(strings: Program) -> None:
    got = strings.molt("pieces", s="ab", sep="")
    assert got[:2] == ("error", "MOLT-E-VALUE")
    assert "empty separator" in got[2]


@pytest.mark.parametrize("n", [0, -1, 9, 10, -10, INT64_MIN, INT64_MAX, 1234567890])
def test_str_of_int_edges(strings: Program, n: int) -> None:
    assert strings.molt("digits", n=n) == str(n)


def test_an_index_outside_is_the_index_error(strings: Program) -> None:
    got = strings.molt("char", s="aé", i=2)
    assert got[:2] == ("error", "MOLT-E-INDEX")
    assert "string index 2 out of range for length 2" in got[2]


# -- the wire ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        b"\xc3\x28",  # a bad continuation byte
        b"\xed\xa0\x80",  # a surrogate
        b"\xc0\xaf",  # an overlong form
        b"\xf4\x90\x80\x80",  # above U+10FFFF
        b"abc\xe2\x82",  # truncated sequence
    ],
)
def test_invalid_utf8_is_malformed_with_the_hosts_message(strings: Program, text: bytes) -> None:
    message = b"\x81\xa1s" + bytes([0xA0 | len(text)]) + text
    module, host = raw(strings, "length", message), hosted(strings, "length", message)
    assert isinstance(module, BoundaryError) and isinstance(host, BoundaryError)
    assert (module.code, module.path) == (MALFORMED, "$.s")
    assert (module.code, module.message, module.path) == (host.code, host.message, host.path)


@pytest.mark.parametrize("size", [0, 31, 32, 255, 256, 70000])
def test_str_results_use_the_smallest_format(strings: Program, size: int) -> None:
    a = "x" * size
    answer = raw(strings, "concat", msgpack.packb({"a": a, "b": ""}))
    assert answer == msgpack.packb(a)


def test_every_prefix_of_a_valid_str_message_is_a_coded_error(strings: Program) -> None:
    message = msgpack.packb({"p": {"name": "Zoë 😀", "age": 7}})
    assert raw(strings, "greet", message) == msgpack.packb("Hello, Zoë 😀! You are 7.")
    for end in range(len(message)):
        answer = raw(strings, "greet", message[:end])
        assert isinstance(answer, BoundaryError), (end, answer)


def test_a_number_for_a_str_is_a_schema_violation_like_the_host(strings: Program) -> None:
    module = raw(strings, "length", msgpack.packb({"s": 3}))
    with pytest.raises(BoundaryError) as caught:
        strings.module.call("length", {"s": 3})
    assert isinstance(module, BoundaryError)
    assert (module.code, module.message, module.path) == (
        caught.value.code,
        caught.value.message,
        caught.value.path,
    )


def test_str_schema_in_the_interface(strings: Program) -> None:
    export = next(e for e in strings.compiled.interface["exports"] if e["name"] == "maybe")
    assert export["params"] == [{"name": "s", "type": "str | None"}]
    assert export["input"]["properties"]["s"] == {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert export["output"] == {"type": "string"}


# -- compile errors ---------------------------------------------------------------------------

HEADER = "from molt import export\n\n\n@export\ndef f(s: str, n: int, x: float) -> int:\n"


def body(code: str) -> str:
    return HEADER + textwrap.indent(textwrap.dedent(code), "    ")


def problems(source: str) -> list[tuple[str, int, int]]:
    try:
        compile_source(source, filename="s.py", module_name="s")
    except FrontendError as error:
        return [(e.code, e.location.line, e.location.column) for e in error.errors]  # type: ignore[attr-defined]
    return []


ERRORS = [
    ("str plus int", "t = s + n\nreturn n", [(TYPE, 6, 9)]),
    ("str index of str", "t = s[s]\nreturn n", [(TYPE, 6, 11)]),
    ("int in str", "return 1 if n in s else 0", [(TYPE, 6, 17)]),
    ("format spec", 'return len(f"{n:5}")', [(UNSUPPORTED, 6, 16)]),
    ("conversion", 'return len(f"{s!r}")', [(UNSUPPORTED, 6, 16)]),
    ("float field", 'return len(f"{x}")', [(UNSUPPORTED, 6, 16)]),
    ("list field", 'return len(f"{[n]}")', [(TYPE, 6, 16)]),
    ("str of float", "return len(str(x))", [(UNSUPPORTED, 6, 16)]),
    ("surrogate", 'return len("\\ud800")', [(UNSUPPORTED, 6, 16)]),
    ("str and int ordering", "return 1 if s < n else 0", [(TYPE, 6, 17)]),
    ("join of ints", 'return len(",".join([n]))', [(TYPE, 6, 26)]),
    ("lower with an argument", "return len(s.lower(1))", [(TYPE, 6, 16)]),
    ("split with maxsplit", 'return len(s.split(",", 1))', [(UNSUPPORTED, 6, 16)]),
    ("strip of an int", "return len(s.strip(n))", [(TYPE, 6, 24)]),
    ("fine", 'return len(f"{s}-{n}") + len(s[0]) if "a" in s else 0', []),
]


@pytest.mark.parametrize(("code", "expected"), [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_str_compile_errors(code: str, expected: list) -> None:
    assert problems(body(code)) == expected
