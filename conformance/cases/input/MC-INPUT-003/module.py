from molt import export


@export
def weigh(n: int, xs: list[float], flag: bool) -> float:
    total = 0.0
    for x in xs:
        total += x
    if flag:
        return total * n
    return total
