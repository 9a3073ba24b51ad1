from __future__ import annotations

from molt import export


@export
def length(s: str) -> int:
    return len(s)


@export
def char(s: str, i: int) -> str:
    return s[i]


@export
def concat(a: str, b: str) -> str:
    return a + b


@export
def chars(s: str) -> list[str]:
    out: list[str] = []
    for c in s:
        out.append(c)
    return out
