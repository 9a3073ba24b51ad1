from molt import export


@export
def f(n: int) -> int:
    yield n
    return n
