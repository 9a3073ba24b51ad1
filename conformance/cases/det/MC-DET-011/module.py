from molt import export


@export
def grow(n: int) -> list[int]:
    xs = [0] * 0
    for i in range(n):
        xs.append(i * i)
    return xs


@export
def pick(xs: list[int], i: int) -> int:
    return xs[i]
