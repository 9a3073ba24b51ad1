from molt import export


class Counter:
    count = 0


@export
def f(n: int) -> int:
    return n
