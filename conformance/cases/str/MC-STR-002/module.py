from __future__ import annotations

from molt import export


@export
def compare(a: str, b: str) -> list[bool]:
    return [a == b, a != b, a < b, a <= b, a > b, a >= b]
