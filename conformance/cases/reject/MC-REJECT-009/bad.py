from molt import export


@export
def f(n: int) -> int:
    import math
    return n
