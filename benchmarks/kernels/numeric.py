"""A module with a few numeric exports: the size bar's "few numeric exports" case."""

from molt import export


@export
def add(a: int, b: int) -> int:
    """a + b (overflow is an error)."""
    return a + b


@export
def scale(x: float, factor: float) -> float:
    """x times factor."""
    return x * factor


@export
def clamp(x: int, low: int, high: int) -> int:
    """x limited to [low, high]."""
    return min(max(x, low), high)


@export
def mean(values: list[float]) -> float:
    """The arithmetic mean; an empty list is a ValueError."""
    if len(values) == 0:
        raise ValueError("mean of an empty list")
    total = 0.0
    for value in values:
        total += value
    return total / len(values)
