"""A private cache of compiled code, so a warm load deserialises in ~1 ms.

Deserialising a `.cwasm` runs native code, so this cache only ever hands back
what this host compiled itself:

- the folder is created with mode 0700 and refused if others can write to it;
- each entry is keyed by the module's sha256, the wasmtime version and every
  engine setting (`EngineSettings.fingerprint`);
- each file carries an HMAC-SHA256 of its payload under a random secret kept
  in the folder (mode 0600). A corrupted entry, or one copied from another
  cache, fails the check and is deleted and rebuilt — never deserialised.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

_MAGIC = b"MOLT-CWASM-1\n"
_SECRET_FILE = "cache-secret"
_DIGEST_SIZE = 32


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/molt/compiled`, or `~/.cache/molt/compiled`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "molt" / "compiled"


class CompiledCache:
    """Compiled modules on disk, integrity-checked before every use."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._secret: bytes | None = None
        self.discarded = 0
        """Entries found corrupted or foreign and deleted (for tests and stats)."""
        self.hits = 0
        """Entries found intact and handed back."""

    def key(self, sha256_hex: str, fingerprint: str) -> str:
        return hashlib.sha256(f"{sha256_hex}\n{fingerprint}".encode()).hexdigest()

    def get(self, key: str) -> bytes | None:
        """The serialized module for `key`, or None if absent or untrustworthy."""
        if not self._usable():
            return None
        path = self._path(key)
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        header = len(_MAGIC) + _DIGEST_SIZE
        payload = blob[header:]
        expected = hmac.new(self._load_secret(), key.encode() + payload, "sha256").digest()
        if blob[: len(_MAGIC)] != _MAGIC or not hmac.compare_digest(
            blob[len(_MAGIC) : header], expected
        ):
            self._discard(path)
            return None
        self.hits += 1
        return payload

    def put(self, key: str, payload: bytes) -> None:
        """Store a serialized module atomically; failures only cost a recompile."""
        if not self._usable(create=True):
            return
        digest = hmac.new(self._load_secret(), key.encode() + payload, "sha256").digest()
        path = self._path(key)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as stream:
                stream.write(_MAGIC + digest + payload)
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.cwasm"

    def _discard(self, path: Path) -> None:
        self.discarded += 1
        path.unlink(missing_ok=True)

    def _usable(self, create: bool = False) -> bool:
        """True when the folder exists (or was made) private to this user."""
        try:
            if create:
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = self.folder.stat()
        except OSError:
            return False
        private = stat.S_IMODE(info.st_mode) & 0o077 == 0
        return stat.S_ISDIR(info.st_mode) and private and info.st_uid == os.getuid()

    def _load_secret(self) -> bytes:
        if self._secret is not None:
            return self._secret
        path = self.folder / _SECRET_FILE
        try:
            secret = path.read_bytes()
        except FileNotFoundError:
            secret = b""
        if len(secret) != 32:
            secret = secrets.token_bytes(32)
            temporary = path.with_name(f".{_SECRET_FILE}.{secrets.token_hex(4)}.tmp")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as stream:
                stream.write(secret)
            os.replace(temporary, path)
            # A new secret invalidates every older entry, which is what we want.
        self._secret = secret
        return secret
