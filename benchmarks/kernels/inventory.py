"""A module heavy on str, records and dicts: the size bar's "string/record/dict-heavy" case."""

from __future__ import annotations

from dataclasses import dataclass

from molt import export


@dataclass(frozen=True)
class Item:
    """One line of a stock list."""

    name: str
    price: float
    count: int
    tags: list[str]


@dataclass(frozen=True)
class Summary:
    lines: int
    total: float
    cheapest: str | None


@export
def summarize(items: list[Item]) -> Summary:
    """The number of lines, the stock's value and the cheapest item's name."""
    total = 0.0
    cheapest: str | None = None
    low = 0.0
    for item in items:
        total += item.price * item.count
        if cheapest is None or item.price < low:
            cheapest = item.name
            low = item.price
    return Summary(len(items), total, cheapest)


@export
def count_tags(items: list[Item]) -> dict[str, int]:
    """How many items carry each tag."""
    counts: dict[str, int] = {}
    for item in items:
        for tag in item.tags:
            counts[tag] = counts.get(tag, 0) + item.count
    return counts


@export
def label(item: Item) -> str:
    """A one-line label."""
    return f"{item.name} x{item.count}"


@export
def restock(stock: dict[str, int], wanted: dict[str, int]) -> dict[str, int]:
    """What to order: the wanted counts above the stock."""
    order: dict[str, int] = {}
    for name, count in wanted.items():
        have = stock.get(name, 0)
        if count > have:
            order[name] = count - have
    return order
