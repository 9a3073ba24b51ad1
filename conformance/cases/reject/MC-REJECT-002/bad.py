from molt import export


@export
def f(n: int) -> int:
    xs = [i for i in range(n)]
    return n
