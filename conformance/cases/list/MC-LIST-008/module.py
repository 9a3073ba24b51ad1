from molt import export


@export
def window(xs: list[int], a: int, b: int, c: int) -> list[int]:
    return xs[a:b:c]


@export
def ends(xs: list[int]) -> list[list[int]]:
    return [xs[:2], xs[-2:], xs[::-1], xs[::2], xs[100:], xs[-100:1]]


@export
def text(s: str, a: int, b: int, c: int) -> str:
    return s[a:b:c]
