from molt import export


@export
def power(a: int, b: int) -> int:
    return a**b
