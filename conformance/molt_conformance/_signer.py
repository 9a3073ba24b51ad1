"""Sign modules a compiler under test produced, so a host can load them.

A compile-run case hands the compiled bytes to the host role like any other
artifact: through a lock entry signed by a key the host trusts. The runner signs
with a key pair it makes for the run (never written to disk) and passes only
the public key as trusted. Ed25519 is computed here in plain Python (RFC 8032,
section 6), so the runner needs no cryptography library; a signature takes a
few milliseconds, and only compile-run cases need one.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RunKey", "signed_entry"]

_P = 2**255 - 19
_Q = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)

Point = tuple[int, int, int, int]


def _add(a: Point, b: Point) -> Point:
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    first = (y1 - x1) * (y2 - x2) % _P
    second = (y1 + x1) * (y2 + x2) % _P
    third = 2 * t1 * t2 * _D % _P
    fourth = 2 * z1 * z2 % _P
    e, f, g, h = second - first, fourth - third, fourth + third, second + first
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _multiply(scalar: int, point: Point) -> Point:
    result: Point = (0, 1, 1, 0)
    while scalar > 0:
        if scalar & 1:
            result = _add(result, point)
        point = _add(point, point)
        scalar >>= 1
    return result


def _compress(point: Point) -> bytes:
    x, y, z, _ = point
    inverse = pow(z, _P - 2, _P)
    x, y = x * inverse % _P, y * inverse % _P
    return int.to_bytes(y | ((x & 1) << 255), 32, "little")


def _base() -> Point:
    y = 4 * pow(5, _P - 2, _P) % _P
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _SQRT_M1 % _P
    if x & 1:
        x = _P - x
    return (x, y, 1, x * y % _P)


_G = _base()


def _hash_int(data: bytes) -> int:
    return int.from_bytes(hashlib.sha512(data).digest(), "little") % _Q


@dataclass(frozen=True)
class RunKey:
    """An Ed25519 key pair made for one run."""

    seed: bytes = field(default_factory=lambda: os.urandom(32), repr=False)

    def _expanded(self) -> tuple[int, bytes]:
        digest = hashlib.sha512(self.seed).digest()
        scalar = int.from_bytes(digest[:32], "little")
        scalar &= (1 << 254) - 8
        scalar |= 1 << 254
        return scalar, digest[32:]

    @property
    def public(self) -> bytes:
        """The raw 32-byte public key."""
        return _compress(_multiply(self._expanded()[0], _G))

    @property
    def key_id(self) -> str:
        return "ed25519:" + hashlib.sha256(self.public).hexdigest()[:16]

    def sign(self, message: bytes) -> bytes:
        scalar, prefix = self._expanded()
        public = _compress(_multiply(scalar, _G))
        nonce = _hash_int(prefix + message)
        commitment = _compress(_multiply(nonce, _G))
        challenge = _hash_int(commitment + public + message)
        return commitment + int.to_bytes((nonce + challenge * scalar) % _Q, 32, "little")


def signed_entry(
    key: RunKey, wasm: bytes, interface: dict[str, Any], name: str, version: str
) -> dict[str, Any]:
    """A lockfile entry for compiled bytes, signed over `molt-artifact-v1` as the ABI says."""
    sha = hashlib.sha256(wasm).hexdigest()
    payload = f"molt-artifact-v1\n{name}\n{version}\n{sha}\n".encode()
    abi = interface.get("abi", {"major": 1, "minor": 0})
    return {
        "name": name,
        "version": version,
        "file": "module.wasm",
        "size": len(wasm),
        "sha256": sha,
        "abi": {"major": abi.get("major"), "minor": abi.get("minor")},
        "exports": [
            {
                "name": export.get("name"),
                "input": export.get("input"),
                "output": export.get("output"),
            }
            for export in interface.get("exports", [])
            if isinstance(export, dict)
        ],
        "targets": ["wasm32-molt-v1"],
        "signature": {
            "algorithm": "ed25519",
            "key_id": key.key_id,
            "value": base64.b64encode(key.sign(payload)).decode("ascii"),
        },
    }
