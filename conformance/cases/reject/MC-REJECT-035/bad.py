from molt import export


@export
def f(n: int) -> int:
    open('x')
    return n
