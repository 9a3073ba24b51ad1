from molt import export


@export
def sub(a: int, b: int) -> int:
    return a - b
