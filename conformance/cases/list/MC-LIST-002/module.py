from molt import export


@export
def at(xs: list[int], i: int) -> int:
    return xs[i]
