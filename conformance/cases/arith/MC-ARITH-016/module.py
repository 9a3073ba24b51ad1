from molt import export


@export
def ops(a: int, b: int) -> list[int]:
    return [a + b, a - b, -a, abs(b), min(a, b), max(a, b)]
