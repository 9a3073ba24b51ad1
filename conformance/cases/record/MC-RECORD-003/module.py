from __future__ import annotations

from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Pair:
    first: int
    second: int


@dataclass(frozen=True)
class Unit:
    marker: None
    n: int
    flag: bool


@export
def keyword_order(a: int, b: int) -> Pair:
    return Pair(second=[1, 2][a], first=100 // b)


@export
def unit(n: int) -> Unit:
    u = Unit(None, n, n > 0)
    return Unit(marker=u.marker, n=u.n * 2, flag=not u.flag)


@export
def checked_sum(p: Pair) -> int:
    return p.first + p.second
