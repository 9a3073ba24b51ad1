from molt import export


@export
def f(n: int) -> int:
    s = {1, 2}
    return n
