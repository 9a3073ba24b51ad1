from molt import export


@export
def double(x: float) -> float:
    return x * 2.0
