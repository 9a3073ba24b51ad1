from molt import export


@export
def checked(n: int) -> int:
    assert n >= 0
    assert n < 100, "n must stay below 100"
    return n * 2
