from molt import export


@export
def to_float(n: int) -> float:
    return float(n)


@export
def from_bool(b: bool) -> int:
    return int(b)
