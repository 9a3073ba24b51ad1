from __future__ import annotations

from molt import export


@export
def lowest(words: list[str]) -> str:
    return min(words)


@export
def highest(words: list[str]) -> str:
    return max(words)
