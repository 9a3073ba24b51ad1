"""The runner's own Ed25519 signs exactly as RFC 8032 (and the host) expect."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from molt import signing
from molt_conformance._signer import RunKey, signed_entry


@pytest.mark.parametrize("seed", [bytes(32), bytes(range(32)), hashlib.sha256(b"molt").digest()])
@pytest.mark.parametrize("message", [b"", b"molt-artifact-v1\nx\n1.0.0\n" + b"0" * 64 + b"\n"])
def test_signature_and_public_key_equal_the_reference_implementation(
    seed: bytes, message: bytes
) -> None:
    reference = Ed25519PrivateKey.from_private_bytes(seed)
    public = reference.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    key = RunKey(seed)
    assert key.public == public
    assert key.sign(message) == reference.sign(message)
    assert key.key_id == signing.key_id(reference)


def test_signed_entry_verifies_with_the_hosts_signature_check() -> None:
    key = RunKey()
    wasm = b"\0asm\x01\0\0\0"
    interface = {
        "abi": {"major": 1, "minor": 0},
        "exports": [{"name": "f", "input": {"type": "object"}, "output": {}}],
    }
    entry = signed_entry(key, wasm, interface, "mc-run-001", "1.0.0")
    trusted = signing.TrustedKeys.from_keys([key.public])
    signing.verify_artifact(entry["signature"], "mc-run-001", "1.0.0", entry["sha256"], trusted)
    assert entry["exports"] == [{"name": "f", "input": {"type": "object"}, "output": {}}]
    assert (entry["size"], entry["file"]) == (8, "module.wasm")
