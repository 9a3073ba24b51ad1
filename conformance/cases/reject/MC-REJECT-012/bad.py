from molt import export


@export
def f(n: object) -> int:
    return 1
