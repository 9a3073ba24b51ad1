"""Exports whose inputs and outputs exercise the generated MessagePack codecs."""

from molt import export


@export
def echo_ints(xs: list[int]) -> list[int]:
    return xs


@export
def echo_floats(xs: list[float]) -> list[float]:
    return xs


@export
def combine(a: int, b: float, c: bool) -> list[float]:
    return [float(a), b, 1.0 if c else 0.0]


@export
def grid(rows: list[list[int]]) -> int:
    total = 0
    for row in rows:
        for x in row:
            total += x
    return total


@export
def flags(xs: list[bool]) -> list[bool]:
    out: list[bool] = []
    for x in xs:
        out.append(not x)
    return out


@export
def zeros(n: int) -> list[int]:
    return [0] * n


@export
def grow(n: int) -> int:
    xs: list[int] = []
    for i in range(n):
        xs.append(i)
    return len(xs)


@export
def nothing() -> None:
    pass
