from molt import export


@export
def identity(x: int) -> int:
    return x
