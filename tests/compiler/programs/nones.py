"""list[None] and dict[str, None]: literals, indexing, slicing, methods, loops, ==, the wire."""

from __future__ import annotations

from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Holes:
    name: str
    marks: list[None]
    seen: dict[str, None]


@export
def echo(xs: list[None]) -> list[None]:
    return xs


@export
def echo_dict(d: dict[str, None]) -> dict[str, None]:
    return d


@export
def literal(n: int) -> list[None]:
    xs = [None, None]
    ys: list[None] = [None] * n
    return xs + ys


@export
def copy(xs: list[None]) -> list[None]:
    out: list[None] = []
    for x in xs:
        out.append(x)
    out.append(xs[0] if len(xs) > 0 else None)
    return out


@export
def at(xs: list[None], i: int) -> None:
    return xs[i]


@export
def put(xs: list[None], i: int) -> list[None]:
    xs[i] = None
    return xs


@export
def cut(xs: list[None], start: int, stop: int, step: int) -> list[None]:
    return xs[start:stop:step]


@export
def grow(xs: list[None], n: int) -> list[None]:
    for _ in range(n):
        xs.append(None)
    xs += [None]
    xs *= 2
    return xs


@export
def shrink(xs: list[None]) -> list[None]:
    xs.pop()
    return xs


@export
def has_none(xs: list[None]) -> bool:
    return None in xs


@export
def same(a: list[None], b: list[None]) -> list[bool]:
    return [a == b, a != b]


@export
def same_dicts(a: dict[str, None], b: dict[str, None]) -> list[bool]:
    return [a == b, a != b]


@export
def nested_same(a: list[list[None]], b: list[list[None]]) -> bool:
    return a == b


@export
def lookup(d: dict[str, None], key: str) -> None:
    return d[key]


@export
def mark(d: dict[str, None], key: str) -> dict[str, None]:
    d[key] = None
    return d


@export
def fetch(d: dict[str, None], key: str) -> list[bool]:
    return [key in d, key not in d]


@export
def get(d: dict[str, None], key: str) -> None:
    return d.get(key)


@export
def walk(d: dict[str, None]) -> list[str]:
    out: list[str] = []
    for k in d:
        out.append(k)
    for k in d.keys():  # noqa: SIM118 (the keys() form, on purpose)
        out.append(k)
    for k, _ in d.items():
        out.append(k)
    return out


@export
def values_of(d: dict[str, None]) -> list[None]:
    out: list[None] = []
    for v in d.values():
        out.append(v)
    return out


@export
def rebuilt(d: dict[str, None]) -> dict[str, None]:
    out: dict[str, None] = {}
    for k, v in d.items():
        out[k] = v
    out["last"] = d.get("a", out.get("b"))
    return out


@export
def literal_dict() -> dict[str, None]:
    return {"a": None, "b": None, "a": None}  # noqa: F601 (a repeated key, on purpose)


@export
def keys_to_set(words: list[str]) -> dict[str, None]:
    seen: dict[str, None] = {}
    for w in words:
        seen[w] = None
    return seen


@export
def holes(h: Holes) -> Holes:
    return h


@export
def maybe(xs: list[None] | None) -> int:
    if xs is None:
        return -1
    return len(xs)


@export
def groups(g: dict[str, list[None]]) -> dict[str, list[None]]:
    return g
