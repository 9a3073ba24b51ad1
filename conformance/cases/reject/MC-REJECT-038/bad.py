from molt import export
from collections import Counter


@export
def distinct(values: list[int]) -> int:
    return len(Counter(values))
