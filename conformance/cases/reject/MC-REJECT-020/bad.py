from molt import export


@export
def f(n: int) -> int:
    x = 1
    x = 2.5
    return n
