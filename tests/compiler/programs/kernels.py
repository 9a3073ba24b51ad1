"""Classic kernels: each runs under CPython and compiled by Molt, with the same results."""

from molt import export

ITERATIONS = 50
ESCAPE = 4.0


def fib_rec(n: int) -> int:
    if n < 2:
        return n
    return fib_rec(n - 1) + fib_rec(n - 2)


@export
def fib(n: int) -> int:
    """The n-th Fibonacci number, recursively."""
    assert n >= 0, "n must not be negative"
    return fib_rec(n)


@export
def sieve(limit: int) -> list[int]:
    """The primes below limit, with a list[bool] and a list[int]."""
    if limit < 2:
        return []
    composite = [False] * limit
    primes: list[int] = []
    for candidate in range(2, limit):
        if composite[candidate]:
            continue
        primes.append(candidate)
        multiple = candidate * candidate
        while multiple < limit:
            composite[multiple] = True
            multiple += candidate
    return primes


@export
def mandelbrot(width: int, height: int) -> list[int]:
    """Escape iteration counts on a width x height grid over [-2, 1] x [-1.5, 1.5]."""
    counts: list[int] = []
    for row in range(height):
        ci = 3.0 * row / height - 1.5
        for column in range(width):
            cr = 3.0 * column / width - 2.0
            zr = 0.0
            zi = 0.0
            steps = 0
            while steps < ITERATIONS and zr * zr + zi * zi <= ESCAPE:
                zr_next = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = zr_next
                steps += 1
            counts.append(steps)
    return counts


def a(i: int, j: int) -> float:
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def times_a(u: list[float]) -> list[float]:
    n = len(u)
    out = [0.0] * n
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += a(i, j) * u[j]
        out[i] = total
    return out


def times_at(u: list[float]) -> list[float]:
    n = len(u)
    out = [0.0] * n
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += a(j, i) * u[j]
        out[i] = total
    return out


@export
def spectral_norm(n: int) -> float:
    """The spectral norm of the infinite matrix A, truncated to n x n (Benchmarks Game)."""
    u = [1.0] * n
    v = [0.0] * n
    for _ in range(10):
        v = times_at(times_a(u))
        u = times_at(times_a(v))
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return vbv / vv


@export
def dot(xs: list[float], ys: list[float]) -> float:
    """The dot product; lists of different lengths are a ValueError."""
    if len(xs) != len(ys):
        raise ValueError("xs and ys differ in length")
    total = 0.0
    for i in range(len(xs)):
        total += xs[i] * ys[i]
    return total
