from __future__ import annotations

from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Person:
    name: str
    age: int


@export
def greet(p: Person) -> str:
    return f"Hello, {p.name}! You are {p.age}."


@export
def concat(a: str, b: str) -> str:
    return a + b


@export
def compare(a: str, b: str) -> list[bool]:
    return [a == b, a != b, a < b, a <= b, a > b, a >= b]


@export
def length(s: str) -> int:
    return len(s)


@export
def char(s: str, i: int) -> str:
    return s[i]


@export
def has(s: str, part: str) -> list[bool]:
    return [part in s, part not in s, s.startswith(part), s.endswith(part)]


@export
def digits(n: int) -> str:
    return str(n)


@export
def chars(s: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(s):
        out.append(s[i])
        i += 1
    return out


@export
def maybe(s: str | None) -> str:
    if s is None:
        return "none"
    return s + "!"


SEP = ", "


@export
def spaced(s: str) -> str:
    out = ""
    for c in s:
        if out != "":
            out = out + SEP
        out = out + c
    return out


@export
def count_char(s: str, c: str) -> int:
    n = 0
    for x in s:
        if x == c:
            n += 1
    return n


@export
def cases(s: str) -> list[str]:
    return [s.lower(), s.upper()]


@export
def joined(sep: str, items: list[str]) -> str:
    return sep.join(items)


@export
def pieces(s: str, sep: str) -> list[list[str]]:
    return [s.split(), s.split(sep)]


@export
def stripped(s: str, cs: str) -> list[str]:
    return [s.strip(), s.strip(cs)]
