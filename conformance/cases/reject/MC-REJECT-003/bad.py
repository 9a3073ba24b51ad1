from molt import export


@export
def f(n: int) -> int:
    return max(i for i in range(n))
