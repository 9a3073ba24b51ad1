"""== and != of lists, dicts, records and optional values (MOLT-L-EXPR-COMPARE-EQ), and
in of lists of any item type (MOLT-L-EXPR-IN)."""

from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Shape:
    name: str
    corners: list[Point]
    tags: dict[str, int]
    parent: Point | None
    data: bytes
    hidden: bool


@export
def int_lists(a: list[int], b: list[int]) -> list[bool]:
    return [a == b, a != b, a == a, [a] == [b], a[:1] == b[:1]]


@export
def float_lists(a: list[float], b: list[float]) -> list[bool]:
    return [a == b, a != b, [a, b] == [b, a]]


@export
def nested(a: list[list[str]], b: list[list[str]]) -> list[bool]:
    return [a == b, a != b]


@export
def dicts(a: dict[str, float], b: dict[str, float]) -> list[bool]:
    return [a == b, a != b, {"k": a} == {"k": b}]


@export
def dicts_of_lists(a: dict[str, list[int]], b: dict[str, list[int]]) -> bool:
    return a == b


@export
def points(p: Point, q: Point) -> list[bool]:
    return [p == q, p != q, [p] == [q], Point(p.x, q.y) == Point(q.x, p.y)]


@export
def shapes(s: Shape, t: Shape) -> list[bool]:
    return [s == t, s != t]


@export
def optionals(a: int | None, b: int | None, c: int) -> list[bool]:
    return [a == b, a != b, a == c, c == a, a != c, c != a]


@export
def optional_floats(a: float | None, b: float) -> list[bool]:
    return [a == b, b != a]


@export
def optional_lists(a: list[str] | None, b: list[str]) -> list[bool]:
    return [a == b, a != b]


@export
def optional_items(a: list[int | None], b: list[int | None]) -> bool:
    return a == b


@export
def list_in(rows: list[list[int]], row: list[int], ps: list[Point], p: Point) -> list[bool]:
    return [row in rows, row not in rows, p in ps, p not in ps]


@export
def optional_in(xs: list[int | None], x: int) -> bool:
    return x in xs


@export
def same_nan(x: float) -> list[bool]:
    xs = [x]
    return [xs == xs, x in xs]
