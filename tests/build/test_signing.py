"""Ed25519 keys and artifact signatures (molt.signing)."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key

from molt.errors import LoadError, MoltError, ToolError
from molt.signing import (
    Ed25519PrivateKey,
    TrustedKeys,
    generate_keypair,
    key_id,
    load_private_key,
    load_public_key,
    sign_artifact,
    signed_payload,
    verify_artifact,
)

SHA = hashlib.sha256(b"module bytes").hexdigest()
OTHER_SHA = hashlib.sha256(b"other bytes").hexdigest()


@pytest.fixture
def keypair(tmp_path: Path) -> tuple[Path, Path]:
    return generate_keypair(tmp_path / "keys")


def trusted_for(public_path: Path) -> TrustedKeys:
    return TrustedKeys.from_keys([public_path])


def test_signed_payload_is_the_four_documented_lines() -> None:
    assert signed_payload("geometry", "1.2.0", SHA) == (
        f"molt-artifact-v1\ngeometry\n1.2.0\n{SHA}\n".encode()
    )


def test_sign_then_verify_round_trips(keypair: tuple[Path, Path]) -> None:
    private_path, public_path = keypair
    signature = sign_artifact(load_private_key(private_path), "geometry", "1.2.0", SHA)
    assert verify_artifact(signature, "geometry", "1.2.0", SHA, trusted_for(public_path)) is None


def test_signature_object_has_the_lockfile_shape(keypair: tuple[Path, Path]) -> None:
    private_path, public_path = keypair
    signature = sign_artifact(load_private_key(private_path), "geometry", "1.2.0", SHA)
    assert sorted(signature) == ["algorithm", "key_id", "value"]
    assert signature["algorithm"] == "ed25519"
    assert signature["key_id"] == key_id(load_public_key(public_path))
    assert re.fullmatch(r"[A-Za-z0-9+/]{85}[AQgw]==", signature["value"])
    assert len(base64.b64decode(signature["value"])) == 64


def test_signing_is_deterministic(keypair: tuple[Path, Path]) -> None:
    key = load_private_key(keypair[0])
    assert sign_artifact(key, "a", "1.0.0", SHA) == sign_artifact(key, "a", "1.0.0", SHA)


@pytest.mark.parametrize(
    ("name", "version", "sha256"),
    [
        ("geometrx", "1.2.0", SHA),
        ("geometry", "1.2.1", SHA),
        ("geometry", "1.2.0", OTHER_SHA),
    ],
    ids=["tampered-name", "tampered-version", "tampered-sha256"],
)
def test_tampered_field_fails_with_signature_invalid(
    keypair: tuple[Path, Path], name: str, version: str, sha256: str
) -> None:
    private_path, public_path = keypair
    signature = sign_artifact(load_private_key(private_path), "geometry", "1.2.0", SHA)
    with pytest.raises(LoadError) as caught:
        verify_artifact(signature, name, version, sha256, trusted_for(public_path))
    assert caught.value.code == "MOLT-E-SIGNATURE-INVALID"
    assert caught.value.message == (
        f"the signature of {name} {version} does not verify with key {signature['key_id']}; "
        "re-sign the artifact with that key and re-lock it, or restore the lockfile if "
        "nobody changed it on purpose"
    )


@pytest.mark.parametrize(
    "value",
    [
        "not base64!",
        base64.b64encode(b"\x00" * 63).decode(),
        base64.b64encode(b"\x00" * 64).decode(),
    ],
    ids=["bad-base64", "wrong-length", "zero-signature"],
)
def test_malformed_signature_value_fails_with_signature_invalid(
    keypair: tuple[Path, Path], value: str
) -> None:
    private_path, public_path = keypair
    signature = sign_artifact(load_private_key(private_path), "geometry", "1.2.0", SHA)
    signature["value"] = value
    with pytest.raises(LoadError) as caught:
        verify_artifact(signature, "geometry", "1.2.0", SHA, trusted_for(public_path))
    assert caught.value.code == "MOLT-E-SIGNATURE-INVALID"


def test_untrusted_key_fails_with_key_untrusted(tmp_path: Path) -> None:
    signer_private, _ = generate_keypair(tmp_path, "signer")
    _, other_public = generate_keypair(tmp_path, "other")
    signature = sign_artifact(load_private_key(signer_private), "geometry", "1.2.0", SHA)
    with pytest.raises(LoadError) as caught:
        verify_artifact(signature, "geometry", "1.2.0", SHA, trusted_for(other_public))
    assert caught.value.code == "MOLT-E-KEY-UNTRUSTED"
    assert caught.value.message.startswith(
        f"geometry 1.2.0 is signed by key {signature['key_id']}, which this host does not trust"
    )


def test_untrusted_is_reported_before_an_invalid_value(tmp_path: Path) -> None:
    signer_private, _ = generate_keypair(tmp_path, "signer")
    signature = sign_artifact(load_private_key(signer_private), "geometry", "1.2.0", SHA)
    signature["value"] = "garbage"
    with pytest.raises(LoadError) as caught:
        verify_artifact(signature, "geometry", "1.2.0", SHA, TrustedKeys())
    assert caught.value.code == "MOLT-E-KEY-UNTRUSTED"


def test_no_signature_fails_with_signature_missing(keypair: tuple[Path, Path]) -> None:
    with pytest.raises(LoadError) as caught:
        verify_artifact(None, "geometry", "1.2.0", SHA, trusted_for(keypair[1]))
    assert caught.value.code == "MOLT-E-SIGNATURE-MISSING"
    assert str(caught.value) == (
        "MOLT-E-SIGNATURE-MISSING: lockfile entry geometry 1.2.0 has no signature; sign the "
        "artifact with molt sign (or molt build --sign KEY) and re-lock it"
    )


def test_generated_private_key_file_has_mode_0600(keypair: tuple[Path, Path]) -> None:
    private_path, public_path = keypair
    assert (private_path.name, public_path.name) == ("molt.key", "molt.pub")
    assert stat.S_IMODE(private_path.stat().st_mode) == 0o600
    assert private_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert public_path.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----\n")


def test_generated_private_key_is_0600_even_under_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        private_path, _ = generate_keypair(tmp_path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(private_path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("mode", "detail"),
    [
        (0o644, "private key file is readable by other users (mode 0644)"),
        (0o640, "private key file is readable by other users (mode 0640)"),
        (0o620, "private key file is writable by other users (mode 0620)"),
    ],
)
def test_private_key_readable_by_others_is_refused(
    keypair: tuple[Path, Path], mode: int, detail: str
) -> None:
    private_path, _ = keypair
    private_path.chmod(mode)
    with pytest.raises(ToolError) as caught:
        load_private_key(private_path)
    assert caught.value.code == "MOLT-E-KEY-FILE"
    assert caught.value.message == (
        f"{private_path}: {detail}; use an Ed25519 key file in the expected format, and make "
        "private key files readable only by their owner (chmod 600)"
    )


def _write_private(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    path.chmod(0o600)
    return path


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"hello", "not a PEM private key (expected '-----BEGIN PRIVATE KEY-----', PKCS#8)"),
        (
            generate_private_key(SECP256R1()).private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
            "an ECDSA private key, not Ed25519",
        ),
        (
            Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(b"secret"),
            ),
            "the private key is encrypted; molt reads unencrypted PKCS#8 PEM keys",
        ),
    ],
    ids=["not-pem", "not-ed25519", "encrypted"],
)
def test_wrong_private_key_format_is_refused(tmp_path: Path, content: bytes, detail: str) -> None:
    path = _write_private(tmp_path / "bad.key", content)
    with pytest.raises(MoltError) as caught:
        load_private_key(path)
    assert caught.value.code == "MOLT-E-KEY-FILE"
    assert caught.value.message.startswith(f"{path}: {detail}; ")


def test_missing_private_key_is_a_key_file_error(tmp_path: Path) -> None:
    with pytest.raises(MoltError) as caught:
        load_private_key(tmp_path / "nope.key")
    assert caught.value.code == "MOLT-E-KEY-FILE"
    assert "cannot read the key file: No such file or directory" in caught.value.message


def test_keygen_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "molt.pub").write_text("keep me")
    with pytest.raises(MoltError) as caught:
        generate_keypair(tmp_path)
    assert caught.value.code == "MOLT-E-IO"
    assert caught.value.message.startswith(
        f"cannot create {tmp_path / 'molt.pub'}: the file already exists"
    )
    assert not (tmp_path / "molt.key").exists()
    assert (tmp_path / "molt.pub").read_text() == "keep me"


def test_key_id_is_prefix_and_16_hex_digits_of_the_raw_key_hash(
    keypair: tuple[Path, Path],
) -> None:
    public = load_public_key(keypair[1])
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    identifier = key_id(public)
    assert re.fullmatch(r"ed25519:[0-9a-f]{16}", identifier)
    assert identifier == "ed25519:" + hashlib.sha256(raw).hexdigest()[:16]
    assert key_id(load_private_key(keypair[0])) == identifier


def test_public_key_loads_from_path_pem_bytes_and_raw_bytes(keypair: tuple[Path, Path]) -> None:
    public_path = keypair[1]
    from_path = load_public_key(public_path)
    raw = from_path.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    sources = [public_path, str(public_path), public_path.read_bytes(), raw, from_path]
    assert {key_id(load_public_key(source)) for source in sources} == {key_id(from_path)}


def test_public_key_of_another_algorithm_is_refused(tmp_path: Path) -> None:
    pem = (
        generate_private_key(SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(MoltError) as caught:
        load_public_key(pem)
    assert caught.value.code == "MOLT-E-KEY-FILE"
    assert caught.value.message.startswith("<public key bytes>: an ECDSA public key, not Ed25519; ")


def test_trusted_keys_index_by_key_id(tmp_path: Path) -> None:
    _, first = generate_keypair(tmp_path, "first")
    _, second = generate_keypair(tmp_path, "second")
    trusted = TrustedKeys.from_keys([first, second])
    ids = sorted(key_id(load_public_key(path)) for path in (first, second))
    assert list(trusted) == ids
    assert len(trusted) == 2
    assert key_id(trusted[ids[0]]) == ids[0]
