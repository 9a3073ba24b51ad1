from molt import export


@export
def one(n: int) -> int:
    return n
