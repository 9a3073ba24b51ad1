"""List lengths that lowering keeps in registers (stable_length_lists), and the aliasing
cases where it must not: every export's result is compared with CPython's."""

from molt import export


def total(xs: list[int]) -> int:
    """Changes no length: its parameter's length is read once."""
    t = 0
    for i in range(len(xs)):
        t += xs[i]
    return t


def grow(xs: list[int], value: int) -> None:
    xs.append(value)


def first_of(rows: list[list[int]]) -> list[int]:
    return rows[0]


@export
def literal_reads(i: int) -> int:
    """A literal's length is a constant; reading past it is still MOLT-E-INDEX."""
    xs = [10, 20, 30]
    ys = xs
    return xs[i] + len(ys) + total(xs)


@export
def alias_then_append(n: int) -> list[int]:
    xs = [0] * n
    ys = xs
    ys.append(5)
    return [len(xs), xs[n], len(ys)]


@export
def appended_by_callee(n: int) -> list[int]:
    xs = [1] * n
    grow(xs, 7)
    return [len(xs), xs[len(xs) - 1], total(xs)]


@export
def row_grows_through_grid(extra: int) -> list[int]:
    rows = [[1, 2], [3]]
    row = first_of(rows)
    other = rows[1]
    rows[0].append(extra)
    grow(other, extra)
    return [len(row), row[2], len(other), other[1]]


@export
def escaped_into_a_list(n: int) -> list[int]:
    xs = [2] * n
    grid = [xs, xs]
    grid[1].append(9)
    return [len(xs), xs[n]]


@export
def rebound_in_a_loop(n: int) -> list[int]:
    out: list[int] = []
    xs = [0]
    for k in range(n):
        xs = [k] * (k + 1)
        out.append(len(xs) + xs[k])
    return out


@export
def extended_in_place(n: int) -> list[int]:
    xs = [1, 2]
    xs += [3] * n
    ys = [0]
    ys *= n
    return [len(xs), xs[len(xs) - 1], len(ys)]


@export
def iterated_while_appending(n: int) -> int:
    xs = [1] * n
    seen = 0
    for x in xs:
        seen += x
        if len(xs) < 2 * n:
            xs.append(x + 1)
    return seen


@export
def stable_loop(n: int, k: int) -> int:
    """A stable list indexed in a loop; an index past the end is still reported."""
    xs = [3] * n
    t = 0
    for j in range(k):
        t += xs[j]
    return t


def identity(xs: list[int]) -> list[int]:
    """Changes no length, but hands its parameter back: the caller's list escapes."""
    return xs


def store_into(grid: list[list[int]], xs: list[int]) -> None:
    """Changes no length, but stores its parameter where the caller can reach it."""
    grid[0] = xs


def measure(xs: list[int]) -> int:
    """Changes no length and lets nothing escape: only measures and passes on."""
    return len(xs) + total(xs)


@export
def alias_through_a_call(n: int) -> list[int]:
    xs = [0] * n
    ys = identity(xs)
    ys.append(1)
    return [len(xs), xs[n]]


@export
def alias_through_a_store(n: int) -> list[int]:
    xs = [0] * n
    grid = [[5]]
    store_into(grid, xs)
    grid[0].append(2)
    return [len(xs), xs[n]]


@export
def measured_then_grown(n: int) -> list[int]:
    xs = [4] * n
    other = [1]
    other.append(measure(xs))
    return [len(xs), other[1]]
