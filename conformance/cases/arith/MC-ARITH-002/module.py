from molt import export


@export
def divmod_float(a: float, b: float) -> list[float]:
    return [a // b, a % b]
