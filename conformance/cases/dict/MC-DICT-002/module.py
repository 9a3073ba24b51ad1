from __future__ import annotations

from molt import export


@export
def lookup(d: dict[str, int], key: str) -> int:
    return d[key]


@export
def get_or(d: dict[str, int], key: str, default: int) -> list[int]:
    return [d.get(key, default), len(d)]


@export
def maybe(d: dict[str, int], key: str) -> int | None:
    return d.get(key)


@export
def has(d: dict[str, bool], key: str) -> list[bool]:
    return [key in d, key not in d]


@export
def walk(d: dict[str, int]) -> list[str]:
    out: list[str] = []
    for k in d.keys():  # noqa: SIM118 (the keys() form, on purpose)
        out.append(k)
    for v in d.values():
        out.append(str(v))
    for k, v in d.items():
        out.append(k + "=" + str(v))
        d[k] = v * 2
    for k in d:
        out.append(k + ":" + str(d[k]))
    return out
