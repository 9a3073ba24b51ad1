from molt import export


@export
def spin(n: int) -> int:
    i = 0
    while True:
        i = (i + n) % 1000
    return i


@export
def quick(n: int) -> int:
    return n + 1
