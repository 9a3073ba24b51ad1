from molt import export


@export
def f(n: int) -> int:
    print(n)
    return n
