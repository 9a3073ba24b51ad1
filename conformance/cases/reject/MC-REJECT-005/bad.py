from molt import export


@export
def f(n: int) -> int:
    with n:
        n = n + 1
    return n
