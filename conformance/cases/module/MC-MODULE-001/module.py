from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Stats:
    count: int
    mean: float
    label: str


def total(values: list[float]) -> float:
    result = 0.0
    for value in values:
        result = result + value
    return result


@export
def summarize(name: str, values: list[float]) -> Stats:
    if len(values) == 0:
        return Stats(0, 0.0, name)
    return Stats(len(values), total(values) / len(values), name.upper())


@export
def tally(words: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return counts
