"""Small innermost loops that carry a float run two copies of their body per pass
of the wasm loop (lower/_emitter.py `_unrolled`): break, continue, errors and the
loop variable behave alike in either copy."""

from molt import export


@export
def halvings(x: float, limit: int) -> list[float]:
    """A while loop whose exit falls on either copy, with break and continue."""
    steps = 0
    total = 0.0
    while x > 1.0:
        steps += 1
        if steps > limit:
            break
        x = x / 2.0
        if steps % 3 == 0:
            continue
        total += x
    return [x, total, float(steps)]


@export
def weighted(n: int, skip: int, stop: int) -> float:
    """A range loop: continue and break on odd and even iterations."""
    total = 0.0
    for i in range(n):
        if i == skip:
            continue
        if i == stop:
            break
        total += 1.0 / float(i + 1)
    return total


@export
def down(n: int) -> float:
    """A range loop stepping down by one."""
    total = 0.0
    for i in range(n, 0, -1):
        total = total * 0.5 + float(i)
    return total


@export
def mean_until(values: list[float], stop: float) -> float:
    """A list loop with break; an empty result divides by zero (the error's copy varies)."""
    total = 0.0
    count = 0
    for value in values:
        if value == stop:
            break
        total += value
        count += 1
    return total / float(count)


@export
def reciprocal_sum(values: list[float]) -> float:
    """Division by zero reported from whichever copy reaches the zero."""
    total = 0.0
    for value in values:
        total += 1.0 / value
    return total
