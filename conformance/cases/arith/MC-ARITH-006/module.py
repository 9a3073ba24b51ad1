from molt import export


@export
def add(a: int, b: int) -> int:
    return a + b
