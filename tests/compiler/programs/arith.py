"""Arithmetic with Python semantics: every operator of int and float, one export each."""

from molt import export


@export
def int_ops(a: int, b: int) -> list[int]:
    return [a + b, a - b, a * b, -a, +a, abs(a), min(a, b), max(a, b), max(b, a, 0)]


@export
def int_div(a: int, b: int) -> list[int]:
    return [a // b, a % b]


@export
def int_true_div(a: int, b: int) -> float:
    return a / b


@export
def int_pow(a: int, b: int) -> int:
    return a**b


@export
def float_ops(a: float, b: float) -> list[float]:
    return [a + b, a - b, a * b, -a, abs(a), min(a, b), max(a, b)]


@export
def float_div(a: float, b: float) -> list[float]:
    return [a / b, a // b, a % b]


@export
def mixed(a: int, b: float) -> list[float]:
    return [a + b, a - b, a * b, b * a, b - a, float(a), a / 2]


@export
def compare(a: int, b: float) -> list[bool]:
    return [a == b, a != b, a < b, a <= b, a > b, a >= b, b < a, b == a, a < b <= a + 1]


@export
def to_int(x: float) -> int:
    return int(x)


@export
def bools(p: bool, q: bool) -> list[bool]:
    return [p and q, p or q, not p, p == q, p != q, (p and not q) or (q and not p)]


@export
def choose(n: int) -> float:
    return 0.5 if n % 2 == 0 else n


@export
def bool_int(p: bool) -> int:
    return int(p) + 10 * int(not p)
