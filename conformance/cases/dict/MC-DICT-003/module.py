from __future__ import annotations

from molt import export


@export
def lookup(d: dict[str, int], key: str) -> int:
    return d[key]


@export
def bump(d: dict[str, int], key: str, by: int) -> dict[str, int]:
    d[key] += by
    return d


@export
def grow_while_looping(d: dict[str, int]) -> int:
    total = 0
    for k in d:
        total += d[k]
        d[k + "!"] = 0
    return total
