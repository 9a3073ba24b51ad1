from molt import export


@export
def safe_ratio(a: int, b: int) -> bool:
    return b != 0 and a // b > 1


@export
def pick(a: int, b: int) -> int:
    return a // b if b != 0 else -1


@export
def either(xs: list[int], i: int) -> bool:
    return i >= len(xs) or xs[i] > 0
