"""in for lists and list.pop."""

from molt import export


@export
def has_int(xs: list[int], x: int) -> list[bool]:
    return [x in xs, x not in xs]


@export
def has_float(xs: list[float], x: int) -> bool:
    return x in xs


@export
def has_word(words: list[str], w: str) -> bool:
    return w in words


@export
def has_flag(flags: list[bool], f: bool) -> bool:
    return f in flags


@export
def pop_last(xs: list[int]) -> list[int]:
    last = xs.pop()
    xs.append(last * 10)
    return xs


@export
def pop_at(xs: list[float], i: int) -> list[float]:
    x = xs.pop(i)
    xs.append(x)
    return xs


@export
def drain(words: list[str]) -> str:
    out = ""
    while len(words) > 0:
        out = out + words.pop(0)
    return out


@export
def stack(flags: list[bool]) -> list[bool]:
    out: list[bool] = []
    while len(flags) > 0:
        out.append(flags.pop())
    return out
