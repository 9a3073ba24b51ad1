"""Compile errors: every rejected construct is reported with the spec's code, its
file:line:col (1-based, columns in code points), and several problems come out of
one run."""

from __future__ import annotations

import textwrap

import pytest

from molt.compiler import FrontendError, compile_source
from molt.errors import CompileError
from molt.spec import load_spec

HEADER = "from molt import export\n\n\n@export\ndef f(n: int) -> int:\n"
"""Bodies below start on line 6, indented by 4 (column 5)."""


def problems(source: str) -> list[tuple[str, int, int]]:
    with pytest.raises(FrontendError) as caught:
        compile_source(source, filename="bad.py", module_name="bad")
    return [(e.code, e.location.line, e.location.column) for e in caught.value.errors]  # type: ignore[attr-defined]


def body(code: str) -> str:
    return HEADER + textwrap.indent(textwrap.dedent(code), "    ")


UNSUPPORTED, TYPE, NAME = "MOLT-E-UNSUPPORTED", "MOLT-E-TYPE", "MOLT-E-NAME"

CASES = [
    # (id, source, [(code, line, column)])
    ("lambda", body("g = lambda x: x\nreturn n"), [(UNSUPPORTED, 6, 9)]),
    ("comprehension", body("xs = [i for i in range(n)]\nreturn n"), [(UNSUPPORTED, 6, 10)]),
    ("generator", body("return sum(i for i in range(n))"), [(UNSUPPORTED, 6, 12)]),
    ("try", body("try:\n    pass\nexcept ValueError:\n    pass\nreturn n"), [(UNSUPPORTED, 6, 5)]),
    ("with", body("with n:\n    pass\nreturn n"), [(UNSUPPORTED, 6, 5)]),
    ("global", body("global n\nreturn n"), [(UNSUPPORTED, 6, 5)]),
    ("del", body("xs = [1]\ndel xs[0]\nreturn n"), [(UNSUPPORTED, 7, 5)]),
    ("walrus", body("if (m := n) > 1:\n    return m\nreturn n"), [(UNSUPPORTED, 6, 9)]),
    ("tuple", body("a, b = n, n\nreturn a"), [(UNSUPPORTED, 6, 5)]),
    ("set", body("s = {1, 2}\nreturn n"), [(UNSUPPORTED, 6, 9)]),
    ("chained assignment", body("a = b = n\nreturn a"), [(UNSUPPORTED, 6, 5)]),
    (
        "loop else",
        body("while n > 0:\n    n -= 1\nelse:\n    n = 1\nreturn n"),
        [(UNSUPPORTED, 9, 9)],
    ),
    ("range value", body("r = range(3)\nreturn n"), [(UNSUPPORTED, 6, 9)]),
    ("print", body("print(n)\nreturn n"), [(UNSUPPORTED, 6, 5)]),
    ("eval", body("return eval('1')"), [(UNSUPPORTED, 6, 12)]),
    ("other builtin", body("return sum([n])"), [(UNSUPPORTED, 6, 12)]),
    ("other method", body("xs = [n]\nxs.sort()\nreturn n"), [(UNSUPPORTED, 7, 5)]),
    ("bitwise", body("return n & 1"), [(UNSUPPORTED, 6, 12)]),
    ("identity", body("return n if n is n else 0"), [(UNSUPPORTED, 6, 17)]),
    ("raise other", body("raise RuntimeError('x')"), [(UNSUPPORTED, 6, 5)]),
    ("bare raise", body("raise"), [(UNSUPPORTED, 6, 5)]),
    ("nested function", body("def g() -> int:\n    return 1\nreturn g()"), [(UNSUPPORTED, 6, 5)]),
    ("import inside", body("import math\nreturn n"), [("MOLT-E-IMPORT-NOT-ALLOWED", 6, 5)]),
    ("complex", body("z = 1j\nreturn n"), [(UNSUPPORTED, 6, 9)]),
    ("slice assign", body("xs = [n]\nxs[0:1] = [n]\nreturn n"), [(UNSUPPORTED, 7, 5)]),
    ("str power", body("return len('a' ** 2.0)"), [(TYPE, 6, 16)]),
    ("lists of int and float joined", body("return len([n] + [1.5])"), [(TYPE, 6, 16)]),
    ("list plus int", body("return len([n] + n)"), [(TYPE, 6, 16)]),
    ("list extended by a str", body("xs = [n]\nxs += 'ab'\nreturn n"), [(TYPE, 7, 5)]),
    ("min of a list of bools", body("return int(min([True]))"), [(TYPE, 6, 16)]),
    ("max of a list of lists", body("return len(max([[n]]))"), [(TYPE, 6, 16)]),
    ("min of str and int", body("return min('a', n)"), [(TYPE, 6, 12)]),
    ("min of a str", body("return len(min('ab'))"), [(TYPE, 6, 16)]),
    ("pow builtin", body("return int(pow(2.0, n))"), [(UNSUPPORTED, 6, 16)]),
    ("undefined name", body("return m"), [(NAME, 6, 12)]),
    ("unassigned on a path", body("if n > 0:\n    m = 1\nreturn m"), [(NAME, 8, 12)]),
    (
        "loop variable after the loop",
        body("for i in range(n):\n    pass\nreturn i"),
        [(NAME, 8, 12)],
    ),
    ("truthiness", body("if n:\n    return 1\nreturn 0"), [(TYPE, 6, 8)]),
    ("bool arithmetic", body("return n + True"), [(TYPE, 6, 12)]),
    ("bool ordering", body("return 1 if True < False else 0"), [(TYPE, 6, 17)]),
    ("wrong return type", body("return 1.5"), [(TYPE, 6, 5)]),
    ("type change", body("x = 1\nx = True\nreturn x"), [(TYPE, 7, 5)]),
    ("compare with None", body("return 1 if n == None else 0"), [(TYPE, 6, 17)]),
    ("mixed compare", body("return 1 if n == [n] else 0"), [(TYPE, 6, 17)]),
    ("untyped empty list", body("xs = []\nreturn n"), [(TYPE, 6, 10)]),
    ("missing return", body("if n > 0:\n    return 1"), [(TYPE, 5, 1)]),
    ("int literal out of range", body("return 9223372036854775808"), [(TYPE, 6, 12)]),
    ("augmented int division", body("n /= 2\nreturn n"), [(TYPE, 6, 5)]),
    ("index a number", body("return n[0]"), [(TYPE, 6, 12)]),
    ("call with a missing argument", body("return f()"), [(TYPE, 6, 12)]),
    ("break outside a loop", body("break"), [("MOLT-E-SYNTAX", 6, 5)]),
    ("bytes plus str", body("return len(b'x' + 'y')"), [(TYPE, 6, 16)]),
    ("bytes repeated", body("return len(b'x' * n)"), [(TYPE, 6, 16)]),
    ("bytes compared with str", body("return 1 if b'x' < 'y' else 0"), [(TYPE, 6, 17)]),
    ("bytes equal to str", body("return 1 if b'x' == 'x' else 0"), [(TYPE, 6, 17)]),
    ("in bytes", body("return 1 if 1 in b'x' else 0"), [(TYPE, 6, 17)]),
    ("for over bytes", body("for c in b'ab':\n    n += c\nreturn n"), [(TYPE, 6, 14)]),
    ("bytes method", body("return len(b'ab'.hex())"), [(UNSUPPORTED, 6, 16)]),
    ("bytes index by str", body("return b'ab'['a']"), [(TYPE, 6, 18)]),
    ("bytes returned as int", body("return b'ab'"), [(TYPE, 6, 5)]),
    ("bytes in an f-string", body("return len(f'{b\"x\"}')"), [(TYPE, 6, 16)]),
    ("non-ASCII bytes literal", body("return len(b'é')"), [("MOLT-E-SYNTAX", 6, 16)]),
    ("dict unpacking", body("d = {**{'a': n}}\nreturn n"), [(UNSUPPORTED, 6, 9)]),
    ("int assert message", body("assert n > 0, n\nreturn n"), [(TYPE, 6, 19)]),
    ("bytes raise message", body("raise ValueError(b'x')"), [(TYPE, 6, 22)]),
    ("float in a raise f-string", body("raise ValueError(f'{n / 2}')"), [(UNSUPPORTED, 6, 22)]),
    ("slice of an int", body("return len(n[1:])"), [(TYPE, 6, 16)]),
    ("slice of a dict", body("d = {'a': n}\nreturn len(d[1:])"), [(TYPE, 7, 16)]),
    ("float slice bound", body("xs = [n]\nreturn len(xs[1.0:])"), [(TYPE, 7, 19)]),
    ("str slice step", body("return len('abc'[::'x'])"), [(TYPE, 6, 24)]),
    ("in of lists of other items", body("return 1 if [n] in [[1.5]] else 0"), [(TYPE, 6, 17)]),
    ("lists of int and float", body("return 1 if [n] == [1.5] else 0"), [(TYPE, 6, 17)]),
    ("ordering lists", body("return 1 if [n] < [n] else 0"), [(TYPE, 6, 17)]),
    ("ordering dicts", body("return 1 if {'a': n} <= {'a': n} else 0"), [(TYPE, 6, 17)]),
    (
        "optional of another type",
        body("m: int | None = n\nreturn 1 if m == 1.5 else 0"),
        [(TYPE, 7, 17)],
    ),
    ("ordering an optional", body("m: int | None = n\nreturn 1 if m < n else 0"), [(TYPE, 7, 17)]),
    ("list equal to None", body("xs = [n]\nreturn 1 if xs != None else 0"), [(TYPE, 7, 17)]),
    ("non-ASCII column", body("é = [n]\nreturn é + True"), [(TYPE, 7, 12)]),
]


@pytest.mark.parametrize(("source", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rejected_construct_in_a_function(
    source: str, expected: list[tuple[str, int, int]]
) -> None:
    assert problems(source) == expected


MODULE_CASES = [
    ("class", "class Shape:\n    pass\n", [(UNSUPPORTED, 1, 1)]),
    ("import", "import math\n", [("MOLT-E-IMPORT-NOT-ALLOWED", 1, 1)]),
    ("from import", "from typing import List\n", [("MOLT-E-IMPORT-NOT-ALLOWED", 1, 1)]),
    ("renamed import", "from molt import export as ex\n", [("MOLT-E-IMPORT-NOT-ALLOWED", 1, 1)]),
    ("module code", "for i in range(3):\n    pass\n", [(UNSUPPORTED, 1, 1)]),
    ("module state", "CACHE = [1, 2]\n", [(UNSUPPORTED, 1, 9)]),
    ("redefinition", "A = 1\nA = 2\n", [(UNSUPPORTED, 2, 1)]),
    ("async", "async def g() -> int:\n    return 1\n", [(UNSUPPORTED, 1, 1)]),
    ("decorator", "import functools\n", [("MOLT-E-IMPORT-NOT-ALLOWED", 1, 1)]),
    (
        "record not frozen",
        "from dataclasses import dataclass\n\n\n@dataclass\nclass P:\n    x: int\n",
        [(UNSUPPORTED, 4, 2)],
    ),
    ("syntax", "def g(:\n", [("MOLT-E-SYNTAX", 1, 7)]),
    ("return outside", "return 1\n", [("MOLT-E-SYNTAX", 1, 1)]),
]


@pytest.mark.parametrize(
    ("source", "expected"), [c[1:] for c in MODULE_CASES], ids=[c[0] for c in MODULE_CASES]
)
def test_rejected_construct_at_module_level(
    source: str, expected: list[tuple[str, int, int]]
) -> None:
    found = problems(source)
    assert found[: len(expected)] == expected


@pytest.mark.parametrize(
    ("signature", "expected"),
    [
        ("def f(n) -> int:", ("MOLT-E-EXPORT-SIGNATURE", 5, 7)),
        ("def f(n: int):", ("MOLT-E-EXPORT-SIGNATURE", 5, 1)),
        ("def f(n: object) -> int:", ("MOLT-E-EXPORT-SIGNATURE", 5, 10)),
        ("def f(n: int = 1) -> int:", (UNSUPPORTED, 5, 16)),
        ("def f(*n: int) -> int:", (UNSUPPORTED, 5, 8)),
        ("def f(n: dict[int, int]) -> int:", ("MOLT-E-EXPORT-SIGNATURE", 5, 10)),
        ("def f(n: int | float) -> int:", ("MOLT-E-EXPORT-SIGNATURE", 5, 10)),
        ("def f(n: bytearray) -> int:", ("MOLT-E-EXPORT-SIGNATURE", 5, 10)),
        ("def f(n: list[None] | int) -> int:", ("MOLT-E-EXPORT-SIGNATURE", 5, 10)),
    ],
)
def test_export_signatures(signature: str, expected: tuple[str, int, int]) -> None:
    source = f"from molt import export\n\n\n@export\n{signature}\n    return 1\n"
    assert problems(source)[0] == expected


def test_unannotated_parameter_and_return_of_a_helper_are_type_errors() -> None:
    source = "from molt import export\n\n\ndef g(n):\n    return n\n"
    assert problems(source) == [(TYPE, 4, 1), (TYPE, 4, 7)]


def test_several_problems_in_one_run_in_source_order() -> None:
    source = (
        "import os\n"
        "from molt import export\n"
        "\n"
        "\n"
        "@export\n"
        "def f(n: int) -> int:\n"
        "    double = lambda x: x * 2\n"
        "    if n:\n"
        "        return totl\n"
        "    return 1.5\n"
    )
    assert problems(source) == [
        ("MOLT-E-IMPORT-NOT-ALLOWED", 1, 1),
        (UNSUPPORTED, 7, 14),
        (TYPE, 8, 8),
        (NAME, 9, 16),
        (TYPE, 10, 5),
    ]


def test_message_uses_the_spec_construct_and_instead() -> None:
    with pytest.raises(FrontendError) as caught:
        compile_source(body("g = lambda x: x\nreturn n"), filename="geometry.py", module_name="g")
    item = load_spec().lookup("MOLT-L-REJECT-LAMBDA")[1]  # type: ignore[index]
    error = caught.value
    assert isinstance(error, CompileError)
    assert error.code == "MOLT-E-UNSUPPORTED"
    assert error.message == f"geometry.py:6:9: lambda is not supported by Molt; {item['instead']}"
    assert error.path == "geometry.py:6:9"
    assert error.stage == "frontend"
    assert str(error) == f"MOLT-E-UNSUPPORTED: {error.message}"


def test_name_error_message() -> None:
    with pytest.raises(FrontendError) as caught:
        compile_source(body("return totl"), filename="stats.py", module_name="stats")
    assert caught.value.message == (
        "stats.py:6:12: name 'totl' is not defined here; fix the spelling, define it at "
        "module level, or assign it on every path before this use"
    )


def test_str_lists_every_problem_one_per_line() -> None:
    with pytest.raises(FrontendError) as caught:
        compile_source(body("a = b = 1\nreturn m"), filename="t.py", module_name="t")
    lines = str(caught.value).splitlines()
    assert [line.split(":")[0] for line in lines] == [UNSUPPORTED, NAME]


def test_a_module_without_exports_is_rejected() -> None:
    assert problems("def g(n: int) -> int:\n    return n\n") == [(UNSUPPORTED, 1, 1)]


def test_main_guard_is_not_checked() -> None:
    source = body("return n") + "\n\nif __name__ == '__main__':\n    import sys\n    print(f(3))\n"
    compiled = compile_source(source, filename="ok.py", module_name="ok")
    assert [e["name"] for e in compiled.interface["exports"]] == ["f"]
