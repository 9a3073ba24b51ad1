from molt import export


@export
def f(n: int) -> int:
    return n + True
