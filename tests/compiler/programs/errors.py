"""Every runtime error path: each export fails with one code at one known place."""

from molt import export

BIG = 9223372036854775807
SMALL = -9223372036854775808


@export
def add(a: int, b: int) -> int:
    return a + b


@export
def overflow(which: int, x: int) -> int:
    if which == 0:
        return x - BIG
    if which == 1:
        return x * BIG
    if which == 2:
        return -x
    if which == 3:
        return abs(x)
    if which == 4:
        return x**64
    if which == 5:
        return x // -1
    y = x
    y += BIG
    return y


@export
def divide(a: float, b: int) -> float:
    return a / b


@export
def index(xs: list[float], i: int) -> float:
    xs[i] = xs[i] + 1.0
    return xs[i]


@export
def check(n: int) -> int:
    assert n > 0
    assert n < 100, "n must stay below 100"
    return n


@export
def fail(which: int) -> None:
    if which == 0:
        raise ValueError("bad value {which} 100% sure")
    if which == 1:
        raise TypeError("wrong kind")
    if which == 2:
        raise IndexError("no such row")
    if which == 3:
        raise KeyError("no such key")
    raise ZeroDivisionError("nothing to share")


@export
def power(a: int, b: int) -> int:
    return a**b


@export
def steps(step: int) -> int:
    total = 0
    for i in range(0, 10, step):
        total += i
    return total


def deep(n: int) -> int:
    if n == 0:
        return 1 // n
    return deep(n - 1) + 1


@export
def nested(n: int) -> int:
    return deep(n)


@export
def big_range(start: int) -> int:
    count = 0
    for _ in range(start, BIG, 4611686018427387904):
        count += 1
    return count
