from molt import export


def clamp(value: int, low: int, high: int) -> int:
    if value < low:
        return low
    if value > high:
        return high
    return value


@export
def histogram(values: list[int], buckets: int) -> list[int]:
    counts = [0] * buckets
    for value in values:
        counts[clamp(value, 0, buckets - 1)] += 1
    return counts
