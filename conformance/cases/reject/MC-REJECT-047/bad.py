from dataclasses import dataclass

from molt import export


@export
@dataclass(frozen=True)
class Counter:
    n: int


@export
def start(n: int) -> int:
    return n
