from __future__ import annotations

from molt import export


@export
def repeat(c: str, n: int) -> str:
    out = ""
    for i in range(n):
        out = out + c
    return out
