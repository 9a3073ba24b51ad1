from molt import export

import importlib


@export
def load(name: str) -> int:
    module = importlib.import_module(name)
    return 1
