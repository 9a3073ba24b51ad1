"""MOLT401 Randomness: random values in code that must give the same result every run."""

from __future__ import annotations

from molt_lint._detector import Detector
from molt_lint._message import Message


class Randomness(Message):
    code = "MOLT401"
    message = "`{name}` produces different values on every run"
    hint = (
        "take the randomness as input: a seed parameter for a deterministic generator, or "
        "the random values themselves, chosen once by the caller"
    )


_SOURCES = (
    "random",
    "secrets",
    "numpy.random",
    "os.urandom",
    "os.getrandom",
    "uuid.uuid1",
    "uuid.uuid4",
)

# MOLT-R-DETERMINISM
DETECTOR = Detector(references={name: Randomness for name in _SOURCES})
