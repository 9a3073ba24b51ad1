from molt import export


def is_even(n: int) -> bool:
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n: int) -> bool:
    if n == 0:
        return False
    return is_even(n - 1)


@export
def parity(n: int) -> list[bool]:
    return [is_even(n), is_odd(n)]
