from molt import export


@export
def run(code: str) -> int:
    exec(code)
    return 0
