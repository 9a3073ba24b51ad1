from molt import export


def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@export
def fibonacci(n: int) -> int:
    return fib(n)
