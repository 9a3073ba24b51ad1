from molt import export


@export
def f(n: int) -> int:
    if n:
        return 1
    return 0
