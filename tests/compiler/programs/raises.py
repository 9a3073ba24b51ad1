"""raise and assert with messages computed at run time (MOLT-L-STMT-RAISE, -ASSERT)."""

from molt import export


@export
def check_age(age: int) -> int:
    if age < 0:
        raise ValueError(f"age must be >= 0, got {age}")
    return age


@export
def lookup(names: list[str], i: int) -> str:
    if i >= len(names):
        message = "no name at " + str(i) + " in " + ", ".join(names)
        raise IndexError(message)
    return names[i]


@export
def key(d: dict[str, int], k: str) -> int:
    if k not in d:
        raise KeyError(k)
    return d[k]


@export
def lazy(xs: list[int]) -> int:
    assert len(xs) > 0, f"empty, and xs[0] would fail: {xs[0]}"
    assert xs[0] > 0, f"the first item is {xs[0]}, not positive"
    return xs[0]


@export
def unicode(word: str) -> str:
    if word != "ok":
        raise TypeError(f"«{word}» is not ok; ünïcode 😀")
    return word
