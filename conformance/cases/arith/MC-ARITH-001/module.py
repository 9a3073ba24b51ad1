from molt import export


@export
def divmod_int(a: int, b: int) -> list[int]:
    return [a // b, a % b]
