from __future__ import annotations

from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Segment:
    start: Point
    end: Point


@dataclass(frozen=True)
class Tagged:
    id: int
    ok: bool
    weights: list[float]
    points: list[Point]


@export
def make_point(x: float, y: float) -> Point:
    return Point(x, y)


@export
def mid(s: Segment) -> Point:
    return Point(y=(s.start.y + s.end.y) / 2, x=(s.start.x + s.end.x) / 2)


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
