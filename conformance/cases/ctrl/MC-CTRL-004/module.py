from molt import export


@export
def collect(start: int, stop: int, step: int) -> list[int]:
    out = [0] * 0
    for i in range(start, stop, step):
        out.append(i)
    return out


@export
def count(n: int) -> int:
    c = 0
    for i in range(n):
        c += i
    return c
