from molt import export


@export
def negate(x: float) -> float:
    return -x


@export
def absolute(x: float) -> float:
    return abs(x)
