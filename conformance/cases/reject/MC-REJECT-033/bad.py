from molt import export


@export
def f(n: int) -> int:
    return 9223372036854775808
