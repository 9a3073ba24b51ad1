from molt import export


@export
def check(n: int) -> None:
    if n < 0:
        raise ValueError("negative")
    return None


@export
def nothing(n: int) -> None:
    assert n >= 0
