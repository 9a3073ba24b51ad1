from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Counter:
    n: int

    def bump(self) -> int:
        return self.n + 1


@export
def value(c: Counter) -> int:
    return c.n
