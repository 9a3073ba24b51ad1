"""The host: load modules only through a lockfile entry, verified step by step.

`Host.load` runs the steps of spec/abi.yaml `host_checks` in order and stops
at the first failure with that step's code; nothing of a module runs before
its bytes are proven (hash, signature from a trusted key) and its ABI and
interface are checked:

    read              MOLT-E-LOCK-INVALID, -LOCK-ENTRY-MISSING, -ARTIFACT-UNREADABLE
    verify-hash       MOLT-E-HASH-MISMATCH
    verify-signature  MOLT-E-SIGNATURE-MISSING, -KEY-UNTRUSTED, -SIGNATURE-INVALID
    check-abi         MOLT-E-MODULE-INVALID, -INTERFACE-INVALID, -ABI-MISMATCH,
                      -FORBIDDEN-IMPORT, -INTERFACE-MISMATCH
    compile           MOLT-E-MODULE-INVALID (from the compiled-code cache when warm)
    instantiate       MOLT-E-ABI-MISMATCH, or a limit hit while instantiating
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import wasmtime

from molt import lockfile, signing
from molt.errors import MoltError
from molt.runtime import _checks
from molt.runtime._cache import CompiledCache, default_cache_dir
from molt.runtime._engine import EngineSettings, engine_for
from molt.runtime._instance import CallFailure, Instance, Limits
from molt.runtime._module import Module
from molt.runtime._progress import LoadProgress, ProgressCallback

HOST_ABI_MAJOR = 1
DEFAULT_FUEL = 10_000_000_000
DEFAULT_MEMORY_LIMIT = 256 * 1024 * 1024
DEFAULT_HIGH_WATER = 64 * 1024 * 1024
_READ_CHUNK = 1 << 20

TrustedKey = Any
"""An Ed25519 public key: a cryptography key object, a PEM/raw bytes value or a key file path."""


class Host:
    """Loads verified modules and runs them under fuel, memory and deadline limits."""

    def __init__(
        self,
        trusted_keys: Iterable[TrustedKey] = (),
        *,
        fuel: int | None = DEFAULT_FUEL,
        memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
        deadline: float | None = None,
        cache_dir: str | os.PathLike[str] | bool | None = True,
        high_water: int = DEFAULT_HIGH_WATER,
    ) -> None:
        """
        fuel: units per call (None turns metering off; on by default for determinism).
        memory_limit: bytes of linear memory per instance (None: no limit).
        deadline: wall-clock seconds per call through epoch interruption (None: off).
        cache_dir: compiled-code cache folder; True for the default, False/None for none.
        high_water: memory size past which an instance is recycled after a call.
        """
        if isinstance(trusted_keys, (str, bytes, os.PathLike)):
            raise TypeError("trusted_keys must be an iterable of keys, not a single key")
        self._trusted = {
            signing.key_id(key): key for key in (signing.load_public_key(k) for k in trusted_keys)
        }
        for name, value in (("fuel", fuel), ("memory_limit", memory_limit)):
            if value is not None and (not isinstance(value, int) or value <= 0):
                raise ValueError(f"{name} must be a positive int or None, not {value!r}")
        if deadline is not None and not deadline > 0:
            raise ValueError("deadline must be a positive number of seconds or None")
        self.limits = Limits(fuel=fuel, memory_limit=memory_limit, deadline=deadline)
        self.high_water = high_water
        self._settings = EngineSettings(
            consume_fuel=fuel is not None, epoch_interruption=deadline is not None
        )
        if cache_dir is True:
            cache_dir = default_cache_dir()
        self.cache = CompiledCache(Path(cache_dir)) if cache_dir else None

    @property
    def trusted_key_ids(self) -> list[str]:
        return sorted(self._trusted)

    def load(
        self,
        lockfile_path: str | os.PathLike[str],
        name: str,
        version: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Module:
        """Load `name` (highest version, or `version`) through the lockfile."""
        lock = lockfile.read_lockfile(Path(lockfile_path))
        entry = lock.entry(name, version)
        path = lock.artifact_path(entry)
        data = self._read(path, entry, on_progress)
        return self._load_verified(data, entry, on_progress)

    def load_bytes(
        self,
        data: bytes,
        entry: lockfile.LockEntry | Mapping[str, Any],
        on_progress: ProgressCallback | None = None,
    ) -> Module:
        """Load explicit bytes against a lockfile entry (its sha256 and signature)."""
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError(f"data must be bytes, not {type(data).__name__}")
        if not isinstance(entry, lockfile.LockEntry):
            entry = lockfile.LockEntry.from_json(entry)
        _emit(on_progress, "read", len(data), len(data), entry)
        return self._load_verified(bytes(data), entry, on_progress)

    # -- the steps ----------------------------------------------------------------

    def _read(
        self, path: Path, entry: lockfile.LockEntry, on_progress: ProgressCallback | None
    ) -> bytes:
        chunks: list[bytes] = []
        done = 0
        try:
            with path.open("rb") as stream:
                _emit(on_progress, "read", 0, entry.size, entry)
                while chunk := stream.read(_READ_CHUNK):
                    chunks.append(chunk)
                    done += len(chunk)
                    _emit(on_progress, "read", min(done, entry.size), entry.size, entry)
        except OSError as exc:
            raise _entry_error(
                "MOLT-E-ARTIFACT-UNREADABLE", entry, str(path), detail=exc.strerror or str(exc)
            ) from None
        if done != entry.size:
            raise _entry_error(
                "MOLT-E-ARTIFACT-UNREADABLE",
                entry,
                str(path),
                detail=f"it has {done} bytes but the lockfile says {entry.size}",
            )
        return b"".join(chunks)

    def _load_verified(
        self, data: bytes, entry: lockfile.LockEntry, on_progress: ProgressCallback | None
    ) -> Module:
        total = len(data)
        digest = hashlib.sha256(data).hexdigest()
        if digest != entry.sha256:
            raise _entry_error(
                "MOLT-E-HASH-MISMATCH", entry, entry.file, actual=digest, expected=entry.sha256
            )
        _emit(on_progress, "verify-hash", total, total, entry)

        signing.verify_artifact(entry.signature, entry.name, entry.version, digest, self._trusted)
        _emit(on_progress, "verify-signature", total, total, entry)

        _, interface = _checks.check_module(
            data,
            lock_exports=list(entry.exports),
            name=entry.name,
            version=entry.version,
            host_major=HOST_ABI_MAJOR,
        )
        _emit(on_progress, "check-abi", total, total, entry)

        engine = engine_for(self._settings)
        compiled = self._compile(engine, data, digest, entry)
        _emit(on_progress, "compile", total, total, entry)

        export_names = [export["name"] for export in interface["exports"]]
        try:
            instance = Instance(engine, compiled, export_names, self.limits)
            actual = instance.abi_version()
        except CallFailure as failure:
            raise MoltError.from_code(
                failure.code,
                export="(instantiate)",
                name=entry.name,
                version=entry.version,
                detail=failure.detail,
                limit=self.limits.memory_limit,
            ) from None
        _checks.check_reported_abi(actual, interface, name=entry.name, version=entry.version)
        _emit(on_progress, "instantiate", total, total, entry)
        return Module(
            name=entry.name,
            version=entry.version,
            sha256=digest,
            interface=interface,
            engine=engine,
            compiled=compiled,
            limits=self.limits,
            high_water=self.high_water,
            first_instance=instance,
        )

    def _compile(
        self, engine: wasmtime.Engine, data: bytes, digest: str, entry: lockfile.LockEntry
    ) -> wasmtime.Module:
        key = self.cache.key(digest, self._settings.fingerprint) if self.cache else None
        if self.cache is not None and key is not None:
            serialized = self.cache.get(key)
            if serialized is not None:
                try:
                    return wasmtime.Module.deserialize(engine, serialized)
                except wasmtime.WasmtimeError:
                    self.cache.discarded += 1  # authentic but stale: recompile below
        try:
            compiled = wasmtime.Module(engine, data)
        except wasmtime.WasmtimeError as exc:
            raise _entry_error(
                "MOLT-E-MODULE-INVALID", entry, entry.file, detail=" ".join(str(exc).split())[:300]
            ) from None
        if self.cache is not None and key is not None:
            self.cache.put(key, bytes(compiled.serialize()))
        return compiled


def _entry_error(code: str, entry: lockfile.LockEntry, file: str, **fields: Any) -> MoltError:
    return MoltError.from_code(code, file=file, name=entry.name, version=entry.version, **fields)


def _emit(
    callback: ProgressCallback | None, phase: str, done: int, total: int, entry: lockfile.LockEntry
) -> None:
    if callback is not None:
        callback(LoadProgress(phase, done, total, entry.name, entry.version))
