from molt import export


@export
def ops(a: int, b: float) -> list[float]:
    return [a + b, a - b, a * b, b - a, a / b]


@export
def compare(a: int, b: float) -> list[bool]:
    return [a == b, a != b, a < b, a <= b, a > b, a >= b]
