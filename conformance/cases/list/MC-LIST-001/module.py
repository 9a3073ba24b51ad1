from molt import export


@export
def build(n: int, x: int) -> list[int]:
    xs = [x] * n
    ys = [1, 2, x]
    for y in ys:
        xs.append(y * 10)
    xs.append(len(xs))
    return xs
