from molt import export


def identity(xs: list[int]) -> list[int]:
    return xs


def store_into(grid: list[list[int]], xs: list[int]) -> None:
    grid[0] = xs


@export
def grown_through_aliases(n: int) -> list[int]:
    xs = [0] * n
    ys = identity(xs)
    ys.append(7)
    grid = [[5]]
    store_into(grid, xs)
    grid[0].append(8)
    return [len(xs), xs[n], xs[n + 1]]


@export
def shrunk_through_alias(n: int) -> int:
    xs = [1] * n
    ys = xs
    ys.pop()
    return xs[n - 1]
