from molt import export


@export
def ratio(a: int, b: int) -> float:
    return a / b
