"""Floor division and modulo, pairwise over two lists (MOLT-L-EXPR-FLOORDIV, -MOD)."""

from molt import export


@export
def int_floordiv(xs: list[int], ys: list[int]) -> list[int]:
    out: list[int] = []
    for i in range(len(xs)):
        out.append(xs[i] // ys[i])
    return out


@export
def int_mod(xs: list[int], ys: list[int]) -> list[int]:
    out: list[int] = []
    for i in range(len(xs)):
        out.append(xs[i] % ys[i])
    return out


@export
def float_floordiv(xs: list[float], ys: list[float]) -> list[float]:
    out: list[float] = []
    for i in range(len(xs)):
        out.append(xs[i] // ys[i])
    return out


@export
def float_mod(xs: list[float], ys: list[float]) -> list[float]:
    out: list[float] = []
    for i in range(len(xs)):
        out.append(xs[i] % ys[i])
    return out


@export
def mixed_mod(xs: list[int], ys: list[float]) -> list[float]:
    out: list[float] = []
    for i in range(len(xs)):
        out.append(xs[i] % ys[i])
        out.append(ys[i] // xs[i] if xs[i] != 0 else 0.0)
    return out
