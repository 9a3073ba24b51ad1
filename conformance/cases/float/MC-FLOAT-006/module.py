from molt import export


@export
def power(a: float, b: float) -> float:
    return a**b


@export
def root(n: int) -> float:
    return n**0.5
