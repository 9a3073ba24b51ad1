from molt import export


@export
def doubled(xs: list[int]) -> list[int]:
    n = len(xs)
    for i in range(n):
        xs.append(xs[i] * 2)
    return xs


@export
def grow(n: int) -> int:
    xs = [0] * 0
    for i in range(n):
        xs.append(i)
    return len(xs) + xs[n - 1]
