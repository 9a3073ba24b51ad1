from molt import export


@export
def f(n: int) -> int:
    m = n + 1
    return k
