from molt import export


@export
def f(n: int) -> int:
    if (m := n) > 1:
        return m
    return n
