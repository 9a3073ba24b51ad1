"""List concatenation (MOLT-L-EXPR-CONCAT), += and *= in place (MOLT-L-STMT-AUGASSIGN),
min() and max() of a list or of str values (MOLT-L-BUILTIN-MIN, -MAX)."""

from molt import export


@export
def concat(a: list[int], b: list[int]) -> list[list[int]]:
    both = a + b
    both.append(7)
    return [both, a, b, a + a, [] + b, b + []]  # noqa: RUF005 (Molt has no [*b])


@export
def nested_concat(rows: list[list[str]], extra: list[list[str]]) -> list[list[str]]:
    joined = rows + extra
    if len(joined) > 0:
        joined[0].append("shared")
    return rows


@export
def extend_alias(a: list[float], b: list[float], n: int) -> list[list[float]]:
    alias = a
    a += b
    a += a
    alias *= n
    return [a, alias]


@export
def extend_items(rows: list[list[int]], i: int, extra: list[int]) -> list[list[int]]:
    row = rows[i]
    rows[i] += extra
    rows[i] *= 2
    row.append(-1)
    return rows


@export
def extend_values(d: dict[str, list[bool]], key: str, n: int) -> dict[str, list[bool]]:
    held = d[key]
    d[key] += [True]
    d[key] *= n
    held.append(False)
    return d


@export
def ints(xs: list[int]) -> list[int]:
    return [min(xs), max(xs)]


@export
def floats(xs: list[float]) -> list[float]:
    return [min(xs), max(xs)]


@export
def words(xs: list[str]) -> list[str]:
    return [min(xs), max(xs), min(xs[0], xs[-1]), max(xs[-1], xs[0], "m")]
