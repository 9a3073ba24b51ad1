from molt import export


@export
def f(n: int) -> int:
    a, b = n, n
    return a
