from molt import export


@export
def f(n: int):
    return 1
