from molt import export


@export
def same(n: int) -> int:
    return n
