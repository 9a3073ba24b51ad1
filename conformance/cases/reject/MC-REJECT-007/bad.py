from molt import export

LIMIT = 3


@export
def f(n: int) -> int:
    global LIMIT
    return n
