from molt import export


@export
def f(n: int, k: int = 1) -> int:
    return n
