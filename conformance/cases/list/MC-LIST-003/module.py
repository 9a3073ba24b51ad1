from molt import export


@export
def at(xs: list[int], i: int) -> int:
    return xs[i]


@export
def put(xs: list[float], i: int, x: float) -> list[float]:
    xs[i] = x
    return xs
