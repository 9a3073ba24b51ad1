from molt import export


def helper(n) -> int:
    return n


@export
def f(n: int) -> int:
    return helper(n)
