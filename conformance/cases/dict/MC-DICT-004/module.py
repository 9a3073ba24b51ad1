from __future__ import annotations

from molt import export


@export
def lookup(d: dict[str, int], key: str) -> int:
    return d[key]


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
