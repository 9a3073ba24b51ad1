from molt import export


@export
def handle(n: int) -> object:
    return n
