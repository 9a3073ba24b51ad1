"""Records: construction, fields, records at the boundary."""

from __future__ import annotations

from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Segment:
    """A line segment."""

    start: Point
    end: Point


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Tagged:
    id: int
    ok: bool
    weights: list[float]
    points: list[Point]


def length2(s: Segment) -> float:
    dx = s.end.x - s.start.x
    dy = s.end.y - s.start.y
    return dx * dx + dy * dy


@export
def make_point(x: float, y: float) -> Point:
    return Point(x, y)


@export
def mid(s: Segment) -> Point:
    return Point(y=(s.start.y + s.end.y) / 2, x=(s.start.x + s.end.x) / 2)


@export
def seg_length2(s: Segment) -> float:
    return length2(s)


@export
def flip(t: Tagged) -> Tagged:
    out: list[Point] = []
    for p in t.points:
        out.append(Point(p.y, p.x))
    return Tagged(id=-t.id, ok=not t.ok, weights=t.weights, points=out)


@export
def total(ts: list[Tagged]) -> int:
    n = 0
    for t in ts:
        n += t.id * len(t.points)
    return n


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
    """Keyword values are evaluated in source order, not field order."""
    return Pair(second=[1, 2][a], first=100 // b)


@export
def unit(n: int) -> Unit:
    u = Unit(None, n, n > 0)
    return Unit(marker=u.marker, n=u.n * 2, flag=not u.flag)


@export
def grow(t: Tagged, p: Point) -> Tagged:
    """A list held in a field can be mutated, as in CPython."""
    t.points.append(p)
    t.weights.append(p.x + p.y)
    return t


@export
def grid(rows: list[list[Point]]) -> list[Point]:
    out: list[Point] = []
    for row in rows:
        if len(row) > 0:
            out.append(row[-1])
    return out


@export
def checked_sum(p: Pair) -> int:
    return p.first + p.second
