from molt import export


@export
def f(n: int) -> int:
    g = lambda x: x
    return n
