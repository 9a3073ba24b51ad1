"""Ed25519 keys and artifact signatures, shared by `molt.build` and the host.

A signature covers the UTF-8 bytes of

    molt-artifact-v1\\n{name}\\n{version}\\n{sha256}\\n

so a signed artifact cannot be swapped in under another name or version
(MOLT-R-SIGNED-ARTIFACTS). Key files are PEM: the private key is unencrypted
PKCS#8 and must be readable by its owner only (mode 0600); the public key is a
SubjectPublicKeyInfo. A key is named by its key id, `ed25519:` and the first 16
hex digits of the SHA-256 of the raw 32-byte public key.

Every failure is a coded error: MOLT-E-KEY-FILE for key files, MOLT-E-IO when a
key cannot be written, and the load codes MOLT-E-SIGNATURE-MISSING,
MOLT-E-KEY-UNTRUSTED and MOLT-E-SIGNATURE-INVALID (checked in that order) when a
signature does not prove an artifact.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from molt.errors import MoltError

__all__ = [
    "ALGORITHM",
    "PAYLOAD_PREFIX",
    "Ed25519PrivateKey",
    "Ed25519PublicKey",
    "PublicKeySource",
    "TrustedKeys",
    "generate_keypair",
    "key_id",
    "load_private_key",
    "load_public_key",
    "sign_artifact",
    "signed_payload",
    "verify_artifact",
]

ALGORITHM = "ed25519"
"""The only signature algorithm of lock_version 1."""

PAYLOAD_PREFIX = "molt-artifact-v1"
"""The first line of every signed payload: the signing scheme and its version."""

PublicKeySource = Ed25519PublicKey | str | os.PathLike | bytes
"""A public key, a path to its PEM file, PEM bytes, or the raw 32 bytes."""

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_RAW_KEY_BYTES = 32
_SIGNATURE_BYTES = 64


# -- key files ------------------------------------------------------------------


def generate_keypair(out_dir: Path | str, name: str = "molt") -> tuple[Path, Path]:
    """Write a new key pair as `<name>.key` (mode 0600) and `<name>.pub` in `out_dir`.

    Never overwrites: if either file exists, nothing is written and MOLT-E-IO
    is raised. The folder is created if needed. Returns (private, public).
    """
    if not name or "/" in name or os.sep in name or name in (".", ".."):
        raise ValueError(f"key name must be a plain file name, not {name!r}")
    folder = Path(out_dir)
    private_path = folder / f"{name}.key"
    public_path = folder / f"{name}.pub"
    for path in (private_path, public_path):
        if path.exists() or path.is_symlink():
            raise MoltError.from_code(
                "MOLT-E-IO",
                operation="create",
                file=str(path),
                detail="the file already exists and molt never overwrites a key; "
                "choose another --out folder or --name",
            )
    private_key = Ed25519PrivateKey.generate()
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise _io_error("create", folder, exc) from None
    _write_new_file(private_path, private_pem, 0o600)
    try:
        _write_new_file(public_path, public_pem, 0o644)
    except MoltError:
        private_path.unlink(missing_ok=True)
        raise
    return private_path, public_path


def _write_new_file(path: Path, data: bytes, mode: int) -> None:
    """Create `path` exclusively with `mode` (never wider), write and fsync it."""
    try:
        fd = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode
        )
    except FileExistsError:
        raise MoltError.from_code(
            "MOLT-E-IO",
            operation="create",
            file=str(path),
            detail="the file already exists and molt never overwrites a key; "
            "choose another --out folder or --name",
        ) from None
    except OSError as exc:
        raise _io_error("create", path, exc) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            if os.name == "posix":
                os.fchmod(stream.fileno(), mode)  # the umask may only narrow it; be exact
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise _io_error("write", path, exc) from None


def load_private_key(path: Path | str) -> Ed25519PrivateKey:
    """Read an unencrypted PKCS#8 PEM Ed25519 private key readable by its owner only."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
        if os.name == "posix" and stat.S_IMODE(mode) & 0o077:
            access = "readable" if stat.S_IMODE(mode) & 0o044 else "writable"
            raise _key_file_error(
                path,
                f"private key file is {access} by other users (mode {stat.S_IMODE(mode):04o})",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise _key_file_error(path, f"cannot read the key file: {_reason(exc)}") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise _key_file_error(
            path, "the private key is encrypted; molt reads unencrypted PKCS#8 PEM keys"
        ) from None
    except (ValueError, UnsupportedAlgorithm):
        raise _key_file_error(
            path, "not a PEM private key (expected '-----BEGIN PRIVATE KEY-----', PKCS#8)"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise _key_file_error(path, f"{_key_kind(key)} private key, not Ed25519")
    return key


def load_public_key(source: PublicKeySource) -> Ed25519PublicKey:
    """A public key from a key object, a PEM file path, PEM bytes or the raw 32 bytes.

    A `str` is a path unless it is PEM text itself.
    """
    if isinstance(source, Ed25519PublicKey):
        return source
    if isinstance(source, str) and source.lstrip().startswith("-----BEGIN"):
        source = source.encode("ascii", errors="replace")
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        label = "<public key bytes>"
        if len(data) == _RAW_KEY_BYTES and not data.startswith(b"-----"):
            return Ed25519PublicKey.from_public_bytes(data)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        label = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _key_file_error(path, f"cannot read the key file: {_reason(exc)}") from None
    else:
        raise TypeError(
            "a public key is an Ed25519PublicKey, a path, PEM bytes or 32 raw bytes, "
            f"not {type(source).__name__}"
        )
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise _key_file_error(
            label, "not a PEM public key (expected '-----BEGIN PUBLIC KEY-----')"
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise _key_file_error(label, f"{_key_kind(key)} public key, not Ed25519")
    return key


def key_id(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """`ed25519:` and the first 16 hex digits of the SHA-256 of the raw public key."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    if not isinstance(public, Ed25519PublicKey):
        raise TypeError(f"key_id needs an Ed25519 key, not {type(key).__name__}")
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return f"{ALGORITHM}:{hashlib.sha256(raw).hexdigest()[:16]}"


class TrustedKeys(Mapping[str, Ed25519PublicKey]):
    """The public keys a host trusts, by key id."""

    def __init__(self, keys: Mapping[str, Ed25519PublicKey] | None = None) -> None:
        self._keys: dict[str, Ed25519PublicKey] = {}
        for identifier, key in (keys or {}).items():
            if key_id(key) != identifier:
                raise ValueError(f"{identifier} is not the key id of the key stored under it")
            self._keys[identifier] = key

    @classmethod
    def from_keys(cls, keys: Iterable[PublicKeySource]) -> TrustedKeys:
        """Load every key (objects, PEM paths, PEM bytes or raw bytes) and index it."""
        if isinstance(keys, (str, bytes, os.PathLike, Ed25519PublicKey)):
            keys = [keys]
        loaded = (load_public_key(source) for source in keys)
        return cls({key_id(key): key for key in loaded})

    def __getitem__(self, identifier: str) -> Ed25519PublicKey:
        return self._keys[identifier]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._keys))

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"TrustedKeys({', '.join(self)})"


# -- signatures -----------------------------------------------------------------


def signed_payload(name: str, version: str, sha256_hex: str) -> bytes:
    """The exact bytes a signature covers."""
    if not _SHA256_HEX.fullmatch(sha256_hex):
        raise ValueError(f"sha256 must be 64 lower-case hex digits, not {sha256_hex!r}")
    for label, value in (("name", name), ("version", version)):
        if not value or "\n" in value:
            raise ValueError(f"{label} must be a non-empty single line, not {value!r}")
    return f"{PAYLOAD_PREFIX}\n{name}\n{version}\n{sha256_hex}\n".encode()


def sign_artifact(
    private_key: Ed25519PrivateKey, name: str, version: str, sha256_hex: str
) -> dict[str, str]:
    """The lockfile `signature` object for an artifact: algorithm, key_id, value."""
    if not isinstance(private_key, Ed25519PrivateKey):
        raise TypeError(
            f"sign_artifact needs an Ed25519PrivateKey, not {type(private_key).__name__}"
        )
    signature = private_key.sign(signed_payload(name, version, sha256_hex))
    return {
        "algorithm": ALGORITHM,
        "key_id": key_id(private_key),
        "value": base64.b64encode(signature).decode("ascii"),
    }


def verify_artifact(
    signature: Mapping[str, Any] | None,
    name: str,
    version: str,
    sha256_hex: str,
    trusted: Mapping[str, Ed25519PublicKey],
) -> None:
    """Prove that a trusted key signed this name, version and SHA-256, or raise.

    The checks run in the ABI's order, each with its own code:
    MOLT-E-SIGNATURE-MISSING, MOLT-E-KEY-UNTRUSTED, MOLT-E-SIGNATURE-INVALID.
    """
    if signature is None:
        raise MoltError.from_code("MOLT-E-SIGNATURE-MISSING", name=name, version=version)
    identifier = signature.get("key_id") if isinstance(signature, Mapping) else None
    shown = identifier if isinstance(identifier, str) else repr(identifier)
    if not isinstance(identifier, str) or identifier not in trusted:
        raise MoltError.from_code("MOLT-E-KEY-UNTRUSTED", name=name, version=version, key_id=shown)

    def invalid() -> MoltError:
        return MoltError.from_code(
            "MOLT-E-SIGNATURE-INVALID", name=name, version=version, key_id=identifier
        )

    value = signature.get("value")
    if signature.get("algorithm") != ALGORITHM or not isinstance(value, str):
        raise invalid()
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise invalid() from None
    if len(raw) != _SIGNATURE_BYTES:
        raise invalid()
    try:
        payload = signed_payload(name, version, sha256_hex)
        trusted[identifier].verify(raw, payload)
    except (InvalidSignature, ValueError):
        raise invalid() from None


# -- helpers --------------------------------------------------------------------


def _key_file_error(file: Path | str, detail: str) -> MoltError:
    return MoltError.from_code("MOLT-E-KEY-FILE", file=str(file), detail=detail)


def _io_error(operation: str, file: Path, exc: OSError) -> MoltError:
    return MoltError.from_code(
        "MOLT-E-IO", operation=operation, file=str(file), detail=_reason(exc)
    )


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _key_kind(key: object) -> str:
    """'an RSA', 'an ECDSA', ...: what a key that is not Ed25519 is instead."""
    for types, label in (
        ((rsa.RSAPrivateKey, rsa.RSAPublicKey), "an RSA"),
        ((ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey), "an ECDSA"),
        ((dsa.DSAPrivateKey, dsa.DSAPublicKey), "a DSA"),
        ((ed448.Ed448PrivateKey, ed448.Ed448PublicKey), "an Ed448"),
    ):
        if isinstance(key, types):
            return label
    return "a non-Ed25519"
