"""spectral_norm: the spectral norm of the infinite matrix A cut to n x n (Benchmarks Game)."""

from molt import export


def matrix_a(i: int, j: int) -> float:
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def times_a(u: list[float], out: list[float]) -> None:
    n = len(u)
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += matrix_a(i, j) * u[j]
        out[i] = total


def times_at(u: list[float], out: list[float]) -> None:
    n = len(u)
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += matrix_a(j, i) * u[j]
        out[i] = total


def times_ata(u: list[float], out: list[float], tmp: list[float]) -> None:
    times_a(u, tmp)
    times_at(tmp, out)


@export
def spectral_norm(n: int) -> float:
    """The squared spectral norm, vBv / vv (the language has no sqrt yet)."""
    u = [1.0] * n
    v = [0.0] * n
    tmp = [0.0] * n
    for _ in range(10):
        times_ata(u, v, tmp)
        times_ata(v, u, tmp)
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return vbv / vv
