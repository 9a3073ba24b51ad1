"""raise and assert with messages computed at run time: the message is the error's
detail, as CPython's str(exception), followed by the source location; an assert
message is evaluated only when the assertion fails."""

from __future__ import annotations

import pytest

from tests.compiler.conftest import Program

INDEX_END = "check the index against len() before using it"
VALUE_END = "pass a value the operation accepts, or check it before the operation"


@pytest.fixture(scope="module")
def raises(molt_program) -> Program:
    return molt_program("raises")


def test_an_f_string_message(raises: Program) -> None:
    assert raises.molt("check_age", age=-3) == (
        "error",
        "MOLT-E-VALUE",
        f"age must be >= 0, got -3 at raises.py:9:9; {VALUE_END}",
    )
    assert raises.cpython("check_age", age=-3)[2] == "age must be >= 0, got -3"
    assert raises.molt("check_age", age=4) == 4


def test_a_str_value_message(raises: Program) -> None:
    names = ["ann", "bo"]
    assert raises.molt("lookup", names=names, i=5) == (
        "error",
        "MOLT-E-INDEX",
        f"no name at 5 in ann, bo at raises.py:17:9; {INDEX_END}",
    )
    assert raises.cpython("lookup", names=names, i=5)[2] == "no name at 5 in ann, bo"


def test_a_key_error_message_is_the_text_as_is(raises: Program) -> None:
    # CPython's str(KeyError(k)) quotes the key; Molt's detail is the str given
    assert raises.molt("key", d={"a": 1}, k="b")[:2] == ("error", "MOLT-E-KEY")
    assert raises.molt("key", d={"a": 1}, k="b")[2].startswith("b at raises.py:24:9; ")


def test_assert_messages_are_evaluated_only_on_failure(raises: Program) -> None:
    assert raises.molt("lazy", xs=[3]) == 3
    assert raises.molt("lazy", xs=[-2, 5]) == (
        "error",
        "MOLT-E-ASSERTION",
        "assertion failed: the first item is -2, not positive at raises.py:31:5; send an "
        "input that satisfies it, or correct the assert if the assumption is wrong",
    )
    # the first message would itself fail: the failing assert reports the IndexError
    assert raises.molt("lazy", xs=[])[:2] == ("error", "MOLT-E-INDEX")
    assert raises.cpython("lazy", xs=[])[:2] == ("error", "MOLT-E-INDEX")


def test_non_ascii_messages_are_copied_as_utf8(raises: Program) -> None:
    error = raises.molt("unicode", word="x")
    assert error[:2] == ("error", "MOLT-E-RUNTIME-TYPE")
    assert error[2].startswith("«x» is not ok; ünïcode 😀 at raises.py:38:9")
