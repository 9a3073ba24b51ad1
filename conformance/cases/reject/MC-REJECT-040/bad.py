from molt import export


@export
def load(name: str) -> int:
    module = __import__(name)
    return 1
