from molt import export

import json


@export
def encode(n: int) -> str:
    return json.dumps(n)
