from molt import export


@export
def fail(which: int) -> int:
    if which == 0:
        raise ValueError("bad value")
    if which == 1:
        raise ZeroDivisionError("nothing to share")
    if which == 2:
        raise IndexError("no such row")
    return which
