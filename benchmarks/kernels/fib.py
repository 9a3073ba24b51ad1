"""fib: the n-th Fibonacci number by naive recursion (function calls, int adds)."""

from molt import export


def fib_rec(n: int) -> int:
    if n < 2:
        return n
    return fib_rec(n - 1) + fib_rec(n - 2)


@export
def fib(n: int) -> int:
    """The n-th Fibonacci number, recursively."""
    return fib_rec(n)
