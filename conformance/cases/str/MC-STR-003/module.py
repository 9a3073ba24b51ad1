from __future__ import annotations

from molt import export


@export
def pieces(s: str, sep: str) -> list[list[str]]:
    return [s.split(), s.split(sep)]


@export
def stripped(s: str, cs: str) -> list[str]:
    return [s.strip(), s.strip(cs)]


@export
def joined(sep: str, items: list[str]) -> str:
    return sep.join(items)


@export
def has(s: str, part: str) -> list[bool]:
    return [part in s, part not in s, s.startswith(part), s.endswith(part)]


@export
def cases(s: str) -> list[str]:
    return [s.lower(), s.upper()]
