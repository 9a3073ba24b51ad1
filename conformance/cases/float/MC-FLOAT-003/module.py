from molt import export


@export
def big(x: float) -> list[float]:
    return [x * 1e308, -(x * 1e308), 1e309 * 0.5]


@export
def modulo_inf(a: float, b: float) -> list[float]:
    return [a % b, a // b]
