from molt import export


@export
def same(x: float) -> float:
    return x


@export
def both(x: float, y: float) -> list[float]:
    return [x, y + 1.0]
