from __future__ import annotations

from molt import export


@export
def char(s: str, i: int) -> str:
    return s[i]


@export
def pieces(s: str, sep: str) -> list[str]:
    return s.split(sep)
