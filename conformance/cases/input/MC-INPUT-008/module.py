from molt import export


@export
def echo(data: bytes) -> bytes:
    return data


@export
def framed(data: bytes) -> bytes:
    return b"\x02" + data[1:] + b"\x03"


@export
def checksum(data: bytes) -> int:
    total = 0
    for i in range(len(data)):
        total = (total + data[i]) % 65521
    return total


@export
def at(data: bytes, i: int) -> int:
    return data[i]
