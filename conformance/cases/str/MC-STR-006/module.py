from __future__ import annotations

from molt import export


@export
def length(s: str) -> int:
    return len(s)


@export
def total(words: list[str]) -> int:
    n = 0
    for w in words:
        n += len(w)
    return n
