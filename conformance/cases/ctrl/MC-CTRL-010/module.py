from molt import export


def down(n: int, at: int) -> int:
    if n == at:
        raise ValueError("reached the bottom")
    if n == 0:
        return 0
    return down(n - 1, at) + 1


@export
def depth(n: int, at: int) -> int:
    return down(n, at)
