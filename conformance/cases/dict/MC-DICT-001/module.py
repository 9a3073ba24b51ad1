from __future__ import annotations

from molt import export


@export
def count_words(words: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return counts


@export
def put(d: dict[str, str], key: str, value: str) -> dict[str, str]:
    d[key] = value
    return d


@export
def literal() -> dict[str, float]:
    return {"b": 1.0, "a": 2.5, "b": 3.0}  # noqa: F601 (a repeated key, on purpose)
