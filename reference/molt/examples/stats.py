"""Mean and total of a list of floats: the demo module, as Molt source.

Valid Python that CPython runs unchanged (`export` is the identity there); the
Molt compiler turns it into a module with the same interface as `stats.wat`,
which `molt demo` uses until the compiler builds this file.
"""

from molt import export


@export
def total(values: list[float]) -> float:
    result = 0.0
    for value in values:
        result += value
    return result


@export
def mean(values: list[float]) -> float:
    if len(values) == 0:
        raise ValueError("mean of an empty list; pass at least one value")
    return total(values) / len(values)
