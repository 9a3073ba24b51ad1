"""Lists, loops and calls: indexing (negative too), item assignment, append, repetition,
nested lists, break/continue, while, keyword arguments."""

from molt import export

LIMIT = 100


@export
def get(xs: list[int], i: int) -> int:
    return xs[i]


@export
def set_item(xs: list[int], i: int, value: int) -> list[int]:
    xs[i] = value
    return xs


@export
def bump(xs: list[int], i: int) -> list[int]:
    xs[i] += 1
    xs[-1] *= 2
    return xs


@export
def repeat(xs: list[int], n: int) -> list[int]:
    return xs * n


@export
def evens_doubled(xs: list[int]) -> list[int]:
    out: list[int] = []
    for x in xs:
        if x % 2 != 0:
            continue
        out.append(2 * x)
    return out


@export
def grow_while_iterating(xs: list[int]) -> int:
    """CPython's list iterator sees items appended during the loop."""
    seen = 0
    for x in xs:
        seen += 1
        if x > 0 and len(xs) < LIMIT:
            xs.append(x - 1)
    return seen


@export
def transpose_sum(rows: list[list[float]]) -> list[float]:
    width = 0
    for row in rows:
        width = max(width, len(row))
    sums = [0.0] * width
    for row in rows:
        for j in range(len(row)):
            sums[j] += row[j]
    return sums


@export
def flags(rows: list[list[float]]) -> list[list[bool]]:
    out: list[list[bool]] = []
    for row in rows:
        marks: list[bool] = []
        for x in row:
            marks.append(x > 0.0)
        out.append(marks)
    return out


@export
def first_between(xs: list[int], low: int, high: int) -> int:
    found = -1
    index = 0
    while index < len(xs):
        if low <= xs[index] < high:
            found = index
            break
        index += 1
    return found


@export
def count_loops(xs: list[int]) -> int:
    total = 0
    for i in range(len(xs) - 1, -1, -1):
        for j in range(0, i, 2):
            if xs[j] == xs[i]:
                continue
            total += 1
    return total


@export
def collatz(n: int) -> int:
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def combine(first: int, second: int) -> int:
    return 10 * first + second


@export
def keywords(a: int, b: int) -> list[int]:
    return [combine(second=a, first=b), combine(a, second=b), combine(first=a, second=b)]


@export
def nothing(flag: bool) -> None:
    if flag:
        return
    return None


@export
def bits(n: int) -> list[bool]:
    out: list[bool] = []
    for i in range(n):
        out.append(i % 3 == 0)
    return out


def one(nothing_in: None) -> int:
    return 1


def log(flag: bool) -> None:
    assert flag, "log needs a flag"


@export
def none_values(nothing_in: None, flag: bool) -> int:
    result = log(flag)
    marker: None = nothing_in
    marker = result
    return one(marker) if flag else 0
