from molt import export


@export
def floordiv(a: int, b: int) -> int:
    return a // b


@export
def mod(a: int, b: int) -> int:
    return a % b
