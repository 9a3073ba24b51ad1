from __future__ import annotations

from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Person:
    name: str
    age: int


@export
def greet(p: Person) -> str:
    return f"Hello, {p.name}! You are {p.age}."


@export
def digits(n: int) -> str:
    return str(n)
