from molt import export


@export
def f(n: int) -> int:
    x = 1
    return 1.5
