"""Errors and results across the calling conventions the compiler picks: small helpers
it inlines, recursion, chains of calls, every kind of return value, negative indexes
inside loops, list[bool], and range loops at the ends of signed 64-bit."""

from molt import export


def matrix_a(i: int, j: int) -> float:
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


@export
def row_sum(i: int, n: int) -> float:
    total = 0.0
    for j in range(n):
        total += matrix_a(i, j)
    return total


@export
def helper_at(i: int, j: int) -> float:
    return matrix_a(i, j)


def climb(n: int, step: int) -> int:
    if n == 0:
        return step
    return climb(n - 1, step) + step


@export
def climbed(n: int, step: int) -> int:
    return climb(n, step)


def fib_rec(n: int) -> int:
    if n < 2:
        return n
    return fib_rec(n - 1) + fib_rec(n - 2)


@export
def fib(n: int) -> int:
    return fib_rec(n)


def store(xs: list[int], i: int, value: int) -> None:
    xs[i] = value


def relay(xs: list[int], i: int, value: int) -> None:
    store(xs, i, value)
    xs.append(value)


def outer(xs: list[int], i: int) -> int:
    relay(xs, i, 7)
    relay(xs, i + 1, 8)
    return len(xs)


@export
def chain(xs: list[int], i: int) -> list[int]:
    length = outer(xs, i)
    xs.append(length)
    return xs


def positive(x: int) -> bool:
    return x + 1 > 1


def scaled(x: int) -> float:
    return 0.5 * (x * 3)


def nonempty(xs: list[int], extra: int) -> list[int] | None:
    if len(xs) + extra == 0:
        return None
    return xs


@export
def returns(x: int, xs: list[int]) -> list[float]:
    out: list[float] = []
    out.append(1.0 if positive(x) else 0.0)
    out.append(scaled(x))
    found = nonempty(xs, x - x)
    out.append(-1.0 if found is None else float(len(found)))
    return out


@export
def from_end(xs: list[int], k: int) -> int:
    total = 0
    for i in range(len(xs)):
        total += xs[i - k]
        xs[-1 - i] = total
    return total


@export
def flags(n: int, flip: int) -> int:
    seen = [False] * n
    for i in range(0, n, 3):
        seen[i] = True
    seen[flip] = not seen[flip]
    count = 0
    for s in seen:
        if s:
            count += 1
    return count


@export
def up_to(start: int, stop: int) -> int:
    count = 0
    for i in range(start, stop):
        count += 1
        if i == stop - 1:
            count += 10
    return count


@export
def down_to(start: int, stop: int) -> int:
    count = 0
    for i in range(start, stop, -1):
        count += 1
        if i == stop + 1:
            count += 10
    return count


@export
def products(a: list[int], b: list[int]) -> list[int]:
    """a[i] * b[i] for each i, or the first overflow."""
    out: list[int] = []
    for i in range(len(a)):
        out.append(a[i] * b[i])
    return out


def trib(n: int) -> int:
    if n < 3:
        return 1
    return trib(n - 1) + trib(n - 2) + trib(n - 3)


@export
def tribonacci(n: int) -> int:
    return trib(n)
