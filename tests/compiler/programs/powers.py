"""float ** (MOLT-L-EXPR-POW): float and int operands in every mix."""

from molt import export


@export
def float_pow(a: float, b: float) -> float:
    return a**b


@export
def int_base(a: int, b: float) -> float:
    return a**b


@export
def int_exponent(a: float, b: int) -> float:
    return a**b


@export
def powers(xs: list[float], ys: list[float]) -> list[float]:
    out: list[float] = []
    for i in range(len(xs)):
        out.append(xs[i] ** ys[i])
    return out


@export
def root_mean_square(xs: list[float]) -> float:
    total = 0.0
    for x in xs:
        total += x**2
    return (total / len(xs)) ** 0.5
