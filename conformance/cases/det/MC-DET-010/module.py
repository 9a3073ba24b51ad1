from molt import export


@export
def mix(xs: list[float], n: int) -> list[float]:
    out = [0.0] * 0
    acc = 0.1
    for x in xs:
        acc = acc * 1.000001 + x / 3.0
        out.append(acc % 1.0)
    out.append(float(n) / 7.0)
    return out
