from molt import export


@export
def scale(xs: list[float], k: float) -> list[float]:
    i = 0
    while i < len(xs):
        xs[i] = xs[i] * k
        i += 1
    return xs


@export
def running(xs: list[int]) -> list[int]:
    out = [0] * len(xs)
    total = 0
    for i in range(len(xs)):
        total += xs[i]
        out[i] = total
    return out
