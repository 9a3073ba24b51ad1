"""Dicts: literals, lookup, insertion order, get, in, len, loops, dicts at the boundary."""

from __future__ import annotations

from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Inventory:
    name: str
    stock: dict[str, int]


@export
def count_words(words: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return counts


@export
def literal() -> dict[str, float]:
    return {"b": 1, "a": 2.5, "b": 3}  # noqa: F601 (a repeated key, on purpose)


@export
def lookup(d: dict[str, int], key: str) -> int:
    return d[key]


@export
def bump(d: dict[str, int], key: str, by: int) -> dict[str, int]:
    d[key] += by
    return d


@export
def put(d: dict[str, str], key: str, value: str) -> dict[str, str]:
    d[key] = value
    return d


@export
def has(d: dict[str, bool], key: str) -> list[bool]:
    return [key in d, key not in d]


@export
def size(d: dict[str, list[int]]) -> int:
    return len(d)


@export
def maybe(d: dict[str, int], key: str) -> int | None:
    return d.get(key)


@export
def keys_of(d: dict[str, int]) -> list[str]:
    out: list[str] = []
    for k in d:
        out.append(k)
    for k in d.keys():  # noqa: SIM118 (the keys() form, on purpose)
        out.append(k)
    return out


@export
def values_of(d: dict[str, float]) -> list[float]:
    out: list[float] = []
    for v in d.values():
        out.append(v)
    return out


@export
def items_of(d: dict[str, int]) -> list[str]:
    out: list[str] = []
    for k, v in d.items():
        out.append(k + "=" + str(v))
        d[k] = v * 2
    return out


@export
def grow_while_looping(d: dict[str, int]) -> int:
    total = 0
    for k in d:
        total += d[k]
        d[k + "!"] = 0
    return total


@export
def stop_early(d: dict[str, int]) -> int:
    total = 0
    for k in d:
        d[k + "?"] = 1
        total += 1
        break
    return total


@export
def nested(
    groups: dict[str, list[int]], extra: dict[str, dict[str, bool]] | None
) -> dict[str, int]:
    out: dict[str, int] = {}
    for name, items in groups.items():
        out[name] = len(items)
    if extra is not None:
        for name in extra:
            out[name] = len(extra[name])
    return out


@export
def restock(inv: Inventory, item: str, n: int) -> Inventory:
    stock = inv.stock
    stock[item] = stock.get(item, 0) + n
    return inv


@export
def flags(d: dict[str, bool], key: str, default: bool) -> bool:
    return d.get(key, default)


@export
def widen(ds: list[dict[str, float]]) -> list[dict[str, float]]:
    d: dict[str, float] = {"a": 1}
    d["b"] = 2
    ds.append(d)
    return ds


@export
def narrow(d: dict[str, int], k: str) -> int:
    x = d.get(k, None)  # noqa: SIM910 (the explicit None default, on purpose)
    if x is not None:
        return x + 1
    return -1


@export
def optional_values(d: dict[str, int | None], k: str) -> int | None:
    return d.get(k)


@export
def grow(n: int) -> int:
    d: dict[str, list[int]] = {}
    for i in range(n):
        d[str(i)] = [i] * 1000
    return len(d)


@export
def skip_negative(d: dict[str, int]) -> int:
    total = 0
    for _k, v in d.items():
        if v < 0:
            continue
        total += v
        if total > 500:
            break
    return total
