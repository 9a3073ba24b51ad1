from molt import export


@export
def answer() -> int:
    return 42
