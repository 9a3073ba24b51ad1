"""`molt-lock.json`: read, select from and write the list of loadable artifacts.

This is the small shared module through which both `molt.build` (which writes
lockfiles) and the host (which only reads them) see a lockfile; neither reaches
into the other. The format is `spec/schemas/lockfile.json`. Reading checks the
schema and the rules it cannot express (a name and version appear at most once;
export names are unique and sorted) and fails with MOLT-E-LOCK-INVALID naming
the JSON path of the first problem. Writing is atomic (a temporary file in the
same folder, fsync, rename, fsync of the folder), so a crash leaves either the
old lockfile or the new one, never half of one, and it is stable: the same
entries always give the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from molt import __version__
from molt.errors import MoltError
from molt.spec import json_path, load_schemas

__all__ = [
    "LOCK_VERSION",
    "LockEntry",
    "Lockfile",
    "lockfile_bytes",
    "read_lockfile",
    "semver_key",
    "with_entry",
    "write_lockfile",
]

LOCK_VERSION = 1
"""The lockfile format version this module reads and writes."""

_SCHEMA = "schemas/lockfile.json"
_SEMVER = re.compile(
    r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    r"(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?"
)
_MAX_DETAIL = 240


@dataclass(frozen=True)
class LockEntry:
    """One artifact of a lockfile: what it is, where it is and how to prove it."""

    name: str
    version: str
    file: str
    """Relative to the lockfile's folder, with '/' separators."""
    size: int
    sha256: str
    abi: tuple[int, int]
    """(major, minor)."""
    exports: tuple[dict[str, Any], ...]
    """Each {"name", "input", "output"}, sorted by name."""
    targets: tuple[str, ...] = ("wasm32-molt-v1",)
    signature: dict[str, str] | None = None
    """{"algorithm", "key_id", "value"}, or None for an unsigned build."""

    @property
    def key_id(self) -> str | None:
        """The id of the key that signed the entry, if it is signed."""
        return self.signature.get("key_id") if self.signature else None

    @property
    def export_names(self) -> tuple[str, ...]:
        return tuple(export["name"] for export in self.exports)

    def to_json(self) -> dict[str, Any]:
        """The entry as the lockfile stores it."""
        out: dict[str, Any] = {
            "name": self.name,
            "version": self.version,
            "file": self.file,
            "size": self.size,
            "sha256": self.sha256,
            "abi": {"major": self.abi[0], "minor": self.abi[1]},
            "exports": [dict(export) for export in self.exports],
            "targets": list(self.targets),
        }
        if self.signature is not None:
            out["signature"] = dict(self.signature)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LockEntry:
        """An entry from its (schema-valid) JSON form."""
        signature = data.get("signature")
        return cls(
            name=data["name"],
            version=data["version"],
            file=data["file"],
            size=data["size"],
            sha256=data["sha256"],
            abi=(data["abi"]["major"], data["abi"]["minor"]),
            exports=tuple(dict(export) for export in data["exports"]),
            targets=tuple(data["targets"]),
            signature=dict(signature) if signature is not None else None,
        )

    def label(self) -> str:
        """`name version`, as messages name an entry."""
        return f"{self.name} {self.version}"

    def __hash__(self) -> int:
        # The exports and signature are dicts; equal entries share these fields.
        return hash((self.name, self.version, self.sha256))


@dataclass(frozen=True)
class Lockfile:
    """A lockfile at `path` and its entries, sorted by name then version."""

    path: Path
    entries: tuple[LockEntry, ...] = ()
    generated_by: str = field(default=f"molt {__version__}", compare=False)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def entry(self, name: str, version: str | None = None) -> LockEntry:
        """The entry for `name` (and `version`), or MOLT-E-LOCK-ENTRY-MISSING.

        Without a version, the highest semantic version of `name` is chosen.
        """
        matches = [e for e in self.entries if e.name == name]
        if version is not None:
            matches = [e for e in matches if e.version == version]
        if not matches:
            available = ", ".join(e.label() for e in self.entries) or "none"
            raise MoltError.from_code(
                "MOLT-E-LOCK-ENTRY-MISSING",
                file=str(self.path),
                name=name,
                version=version if version is not None else "(any version)",
                available=available,
            )
        return max(matches, key=lambda e: (semver_key(e.version), e.version))

    def artifact_path(self, entry: LockEntry) -> Path:
        """Where the entry's file is; refuses a path that leaves the lockfile's folder."""
        relative = PurePosixPath(entry.file)
        if relative.is_absolute() or any(part in ("", ".", "..") for part in entry.file.split("/")):
            raise _lock_invalid(
                self.path,
                f"entry {entry.label()}: file {entry.file!r} is not a relative path "
                "inside the lockfile's folder",
            )
        folder = self.folder.resolve()
        candidate = (folder / Path(*relative.parts)).resolve()
        if not candidate.is_relative_to(folder):
            raise MoltError.from_code(
                "MOLT-E-ARTIFACT-UNREADABLE",
                file=entry.file,
                name=entry.name,
                version=entry.version,
                detail=f"the path resolves to {candidate}, outside the lockfile's folder",
            )
        return candidate

    def to_json(self) -> dict[str, Any]:
        """The whole lockfile document, entries sorted."""
        return {
            "lock_version": LOCK_VERSION,
            "generated_by": self.generated_by,
            "artifacts": [entry.to_json() for entry in _sorted(self.entries)],
        }


# -- reading ----------------------------------------------------------------------


def read_lockfile(path: Path | str, *, missing_ok: bool = False) -> Lockfile:
    """Read and check a lockfile; MOLT-E-LOCK-INVALID on any problem.

    With `missing_ok`, a file that does not exist reads as an empty lockfile
    (the tools that write lockfiles start from one).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return Lockfile(path)
        raise _lock_invalid(path, "the file does not exist") from None
    except OSError as exc:
        raise _lock_invalid(path, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        data = json.loads(
            raw.decode("utf-8"),
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constant,
        )
    except UnicodeDecodeError as exc:
        raise _lock_invalid(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except (json.JSONDecodeError, ValueError) as exc:
        raise _lock_invalid(path, f"not valid JSON: {exc}") from None
    _check_document(path, data)
    entries = tuple(LockEntry.from_json(item) for item in data["artifacts"])
    return Lockfile(path, _sorted(entries), data["generated_by"])


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _check_document(path: Path, data: Any) -> None:
    """The schema, then the checks the schema cannot express."""
    if isinstance(data, dict) and "lock_version" in data and data["lock_version"] != LOCK_VERSION:
        raise _lock_invalid(
            path,
            f"$.lock_version: lock_version {data['lock_version']!r} is not supported; "
            f"molt {__version__} reads lock_version {LOCK_VERSION}",
        )
    schemas = load_schemas()
    validator = Draft202012Validator(schemas.schema(_SCHEMA), registry=schemas.registry)
    errors = sorted(validator.iter_errors(data), key=_error_order)
    if errors:
        first = errors[0]
        raise _lock_invalid(path, f"{json_path(first.absolute_path)}: {_describe(first)}")
    seen: dict[tuple[str, str], int] = {}
    for index, artifact in enumerate(data["artifacts"]):
        key = (artifact["name"], artifact["version"])
        if key in seen:
            raise _lock_invalid(
                path,
                f"$.artifacts[{index}]: a second entry for {key[0]} {key[1]} "
                f"(the first is $.artifacts[{seen[key]}])",
            )
        seen[key] = index
        names = [export["name"] for export in artifact["exports"]]
        for position, name in enumerate(names):
            if name in names[:position]:
                raise _lock_invalid(
                    path,
                    f"$.artifacts[{index}].exports[{position}].name: export {name!r} appears twice",
                )
        if names != sorted(names):
            raise _lock_invalid(
                path, f"$.artifacts[{index}].exports: exports are not sorted by name"
            )


def _error_order(error: ValidationError) -> tuple[Any, ...]:
    return (
        tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path),
        error.message,
    )


def _describe(error: ValidationError) -> str:
    if error.validator == "uniqueItems":
        return "the same item appears twice"
    return _shorten(error.message)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 3] + "..."


def _lock_invalid(path: Path, detail: str) -> MoltError:
    return MoltError.from_code("MOLT-E-LOCK-INVALID", file=str(path), detail=detail)


# -- writing ----------------------------------------------------------------------


def lockfile_bytes(lock: Lockfile) -> bytes:
    """The exact bytes `write_lockfile` writes: sorted keys and entries, 2-space indent."""
    document = lock.to_json()
    _check_document(lock.path, document)
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def write_lockfile(lock: Lockfile) -> Path:
    """Write the lockfile atomically and return its path.

    The document is checked and serialised before anything touches the disk;
    then a temporary file in the same folder is written, flushed and fsynced,
    renamed over the lockfile, and the folder is fsynced so the rename itself
    survives a crash. On any failure the temporary file is removed and the old
    lockfile is left as it was.
    """
    path = lock.path
    data = lockfile_bytes(replace(lock, generated_by=f"molt {__version__}"))
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except OSError as exc:
        raise _io_error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _io_error(path, exc) from None
        raise
    _fsync_folder(path.parent)
    return path


def _fsync_folder(folder: Path) -> None:
    """Persist a rename in `folder` (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _io_error(path: Path, exc: OSError) -> MoltError:
    return MoltError.from_code(
        "MOLT-E-IO", operation="write", file=str(path), detail=exc.strerror or str(exc)
    )


# -- editing and ordering -----------------------------------------------------------


def with_entry(lock: Lockfile, entry: LockEntry) -> Lockfile:
    """A copy of `lock` with `entry` added, replacing any entry of the same name and version."""
    kept = [e for e in lock.entries if (e.name, e.version) != (entry.name, entry.version)]
    return replace(lock, entries=_sorted([*kept, entry]))


def _sorted(entries: Sequence[LockEntry]) -> tuple[LockEntry, ...]:
    return tuple(sorted(entries, key=lambda e: (e.name, semver_key(e.version), e.version)))


def semver_key(version: str) -> tuple[Any, ...]:
    """A sort key with semantic-version precedence (build metadata ignored).

    A pre-release sorts before its release; pre-release identifiers compare
    numerically when numeric, else as text, and numeric ones sort first.
    """
    match = _SEMVER.fullmatch(version)
    if match is None:
        return ((-1, -1, -1), (0,), version)
    major, minor, patch, pre, _build = match.groups()
    core = (int(major), int(minor), int(patch))
    if pre is None:
        return (core, (1,))
    identifiers = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in pre.split(".")
    )
    return (core, (0, identifiers))
