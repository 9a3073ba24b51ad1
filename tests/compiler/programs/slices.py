"""Slicing (MOLT-L-EXPR-SLICE) of lists and str, every combination of omitted parts."""

from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@export
def list_slices(xs: list[int], a: int, b: int, c: int) -> list[list[int]]:
    return [xs[a:b:c], xs[a:b], xs[:b], xs[a:], xs[::c], xs[:], xs[a::c], xs[:b:c], xs[None:b]]


@export
def str_slices(s: str, a: int, b: int, c: int) -> list[str]:
    return [s[a:b:c], s[a:b], s[:b], s[a:], s[::c], s[:], s[a::c], s[:b:c], s[::-1]]


@export
def nested(rows: list[list[str]], a: int, c: int) -> list[list[str]]:
    return rows[a::c]


@export
def points(ps: list[Point], a: int, b: int) -> list[Point]:
    return ps[a:b][::-1]


@export
def bools(flags: list[bool], c: int) -> list[bool]:
    return flags[::c]


@export
def floats(xs: list[float], a: int) -> list[float]:
    return xs[-a:]


@export
def shallow(rows: list[list[int]]) -> list[list[int]]:
    top = rows[:1]
    top[0].append(99)
    top.append([7])
    return rows


@export
def palindrome(word: str) -> bool:
    return word == word[::-1]
