from molt import export


@export
def wrap(value: "Any") -> int:
    return 0
