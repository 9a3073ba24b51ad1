from molt import export


@export
def half(n: int) -> float:
    return n / 2


@export
def whole() -> float:
    return 1.0
