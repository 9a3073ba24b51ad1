from molt import export


@export
def f(n: int) -> int:
    return eval('1')
