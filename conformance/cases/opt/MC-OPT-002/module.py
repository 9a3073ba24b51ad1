from __future__ import annotations

from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Entry:
    name_id: int
    score: int | None
    at: Point | None


@export
def first_big(xs: list[int], limit: int) -> int | None:
    for x in xs:
        if x > limit:
            return x
    return None


@export
def or_default(x: int | None, default: int) -> int:
    if x is None:
        return default
    return x * 2


@export
def best(entries: list[Entry]) -> Entry | None:
    top: Entry | None = None
    for e in entries:
        s = e.score
        if s is not None and (top is None or s > score_of(top)):
            top = e
    return top


def score_of(e: Entry) -> int:
    s = e.score
    if s is None:
        return -1
    return s


@export
def norm(p: Point | None) -> float:
    return 0.0 if p is None else p.x * p.x + p.y * p.y


@export
def flags(xs: list[bool | None]) -> list[bool | None]:
    out: list[bool | None] = []
    for x in xs:
        if x is None:
            out.append(None)
        else:
            out.append(not x)
    return out
