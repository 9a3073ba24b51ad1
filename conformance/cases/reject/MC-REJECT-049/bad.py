from molt import export


@export
def f(data: bytes, name: str) -> int:
    joined = data + name
    return len(joined)
