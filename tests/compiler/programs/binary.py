"""bytes (MOLT-L-TYPE-BYTES): literals, len, indexing, slicing, +, comparisons, and bytes
inside records, lists, dicts and optional values."""

from dataclasses import dataclass

from molt import export

MAGIC = b"\x00molt"


@dataclass(frozen=True)
class Blob:
    name: str
    data: bytes
    extra: bytes | None


@export
def echo(data: bytes) -> bytes:
    return data


@export
def measure(a: bytes, i: int) -> list[int]:
    return [len(a), a[i], a[-1]]


@export
def pieces(a: bytes, b: bytes, i: int, j: int, k: int) -> list[bytes]:
    return [a + b, a[i:j], a[i:j:k], a[::-1], b[:i], MAGIC + a, b"" + b"\t\\'\"", rb"\x00"]


@export
def order(a: bytes, b: bytes) -> list[bool]:
    return [a == b, a != b, a < b, a <= b, a > b, a >= b, a < b <= a + b]


@export
def checksum(data: bytes) -> int:
    total = 0
    for i in range(len(data)):
        total = (total + data[i]) % 65521
    return total


@export
def blobs(items: list[Blob], extra: dict[str, bytes]) -> list[bytes]:
    out: list[bytes] = []
    for item in items:
        out.append(item.data)
        more = item.extra
        if more is not None:
            out.append(more)
    for key in extra:
        out.append(extra[key])
    return out


@export
def wrap(data: bytes, name: str) -> Blob:
    return Blob(name, data[:2], None if len(data) < 3 else data[2:])


@export
def maybe(data: bytes | None) -> bytes | None:
    if data is None:
        return None
    return data + data


@export
def table(keys: list[str], values: list[bytes]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for i in range(len(keys)):
        out[keys[i]] = values[i % len(values)]
    return out
