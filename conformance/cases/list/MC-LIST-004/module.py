from molt import export


@export
def stats(xs: list[int]) -> list[int]:
    lo = xs[0]
    hi = xs[0]
    for x in xs:
        lo = min(lo, x)
        hi = max(hi, x)
    return [len(xs), lo, hi, abs(lo), max(lo, hi, 0)]


@export
def spread(xs: list[float]) -> float:
    lo = xs[0]
    hi = xs[0]
    for x in xs:
        lo = min(lo, x)
        hi = max(hi, x)
    return hi - lo
