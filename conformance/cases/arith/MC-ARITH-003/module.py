from molt import export


@export
def mixed(a: int, b: float) -> list[float]:
    return [a // b, a % b, b // a, b % a]
