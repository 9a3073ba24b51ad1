from molt import export


@export
def floordiv(a: float, b: float) -> float:
    return a // b


@export
def mod(a: float, b: float) -> float:
    return a % b


@export
def truediv(a: float, b: float) -> float:
    return a / b
