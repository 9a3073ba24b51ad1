from molt import export


@export
def lo_hi(a: float, b: float) -> list[float]:
    return [min(a, b), max(a, b), min(b, a), max(b, a)]
