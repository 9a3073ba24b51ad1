from molt import export


@export
def f(n: int) -> int:
    def g() -> int:
        return 1
    return g()
