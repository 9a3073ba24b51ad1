from molt import export


@export
def total(xs: list[int]) -> int:
    t = 0
    for x in xs:
        t += x
    return t


@export
def product(xs: list[int]) -> int:
    p = 1
    for x in xs:
        p *= x
    return p
