from molt import export


@export
def to_int(x: float) -> int:
    return int(x)
