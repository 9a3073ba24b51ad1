from molt import export


@export
def negate(a: int) -> int:
    return -a


@export
def absolute(a: int) -> int:
    return abs(a)
