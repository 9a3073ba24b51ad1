from molt import export


@export
def f(n: int) -> int:
    if n > 0:
        return 1
