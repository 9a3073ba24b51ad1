from molt import export


async def g() -> int:
    return 1


@export
def f(n: int) -> int:
    return n
