from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@export
def same_rows(a: list[list[int]], b: list[list[int]]) -> list[bool]:
    return [a == b, a != b]


@export
def same_maps(a: dict[str, float], b: dict[str, float]) -> bool:
    return a == b


@export
def same_points(p: Point, q: Point) -> bool:
    return p == q


@export
def matches(a: int | None, b: int) -> bool:
    return a == b


@export
def seen(rows: list[list[int]], row: list[int]) -> bool:
    return row in rows
