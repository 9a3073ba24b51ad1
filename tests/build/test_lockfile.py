"""molt-lock.json: reading, entry selection and atomic, stable writing (molt.lockfile)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from molt import __version__
from molt.errors import LoadError, MoltError
from molt.lockfile import (
    LockEntry,
    Lockfile,
    read_lockfile,
    semver_key,
    with_entry,
    write_lockfile,
)

SHA = "ab" * 32
INPUT = {"type": "object", "properties": {"x": {"type": "integer"}}}


def entry(name: str = "geometry", version: str = "1.2.0", **changes: Any) -> LockEntry:
    fields: dict[str, Any] = {
        "name": name,
        "version": version,
        "file": f"dist/{name}-{version}.wasm",
        "size": 1024,
        "sha256": SHA,
        "abi": (1, 0),
        "exports": ({"name": "area", "input": INPUT, "output": {"type": "number"}},),
        "targets": ("wasm32-molt-v1",),
        "signature": None,
    }
    fields.update(changes)
    return LockEntry(**fields)


def document(*entries: LockEntry) -> dict[str, Any]:
    return {
        "lock_version": 1,
        "generated_by": "molt 0.1.0",
        "artifacts": [e.to_json() for e in entries],
    }


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def lock_error(path: Path, detail: str) -> str:
    return (
        f"MOLT-E-LOCK-INVALID: {path}: invalid lockfile: {detail}; restore it from version "
        "control, or rebuild and re-lock the modules with molt build"
    )


# -- reading --------------------------------------------------------------------------


def test_written_lockfile_reads_back_equal(tmp_path: Path) -> None:
    signature = {
        "algorithm": "ed25519",
        "key_id": "ed25519:0123456789abcdef",
        "value": "A" * 86 + "==",
    }
    lock = Lockfile(
        tmp_path / "molt-lock.json", (entry(), entry("stats", "0.4.1", signature=signature))
    )
    write_lockfile(lock)
    assert read_lockfile(lock.path).entries == lock.entries


def test_missing_lockfile_reads_as_empty_only_when_allowed(tmp_path: Path) -> None:
    path = tmp_path / "molt-lock.json"
    assert read_lockfile(path, missing_ok=True) == Lockfile(path)
    with pytest.raises(LoadError) as caught:
        read_lockfile(path)
    assert str(caught.value) == lock_error(path, "the file does not exist")


def _bad_sha(data: dict) -> None:
    data["artifacts"][0]["sha256"] = "abc"


def _extra_key(data: dict) -> None:
    data["artifacts"][0]["extra"] = 1


def _no_exports(data: dict) -> None:
    del data["artifacts"][0]["exports"]


def _escaping_file(data: dict) -> None:
    data["artifacts"][0]["file"] = "../elsewhere/x.wasm"


def _future_version(data: dict) -> None:
    data["lock_version"] = 2


def _duplicate_entry(data: dict) -> None:
    data["artifacts"].append(dict(data["artifacts"][0]))


def _duplicate_export(data: dict) -> None:
    exports = data["artifacts"][0]["exports"]
    exports.append({**exports[0], "output": {"type": "string"}})


def _repeated_export(data: dict) -> None:
    exports = data["artifacts"][0]["exports"]
    exports.append(dict(exports[0]))


def _unsorted_exports(data: dict) -> None:
    exports = data["artifacts"][0]["exports"]
    exports.insert(0, {**exports[0], "name": "zeta"})


@pytest.mark.parametrize(
    ("mutate", "detail"),
    [
        (_bad_sha, "$.artifacts[0].sha256: 'abc' does not match '^[0-9a-f]{64}$'"),
        (
            _extra_key,
            "$.artifacts[0]: Unevaluated properties are not allowed ('extra' was unexpected)",
        ),
        (_no_exports, "$.artifacts[0]: 'exports' is a required property"),
        (
            _escaping_file,
            "$.artifacts[0].file: '../elsewhere/x.wasm' does not match "
            "'^(?!(.*/)?\\\\.\\\\.?(/|$))[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*\\\\.wasm$'",
        ),
        (
            _future_version,
            f"$.lock_version: lock_version 2 is not supported; molt {__version__} reads "
            "lock_version 1",
        ),
        (
            _duplicate_entry,
            "$.artifacts[1]: a second entry for geometry 1.2.0 (the first is $.artifacts[0])",
        ),
        (_duplicate_export, "$.artifacts[0].exports[1].name: export 'area' appears twice"),
        (_repeated_export, "$.artifacts[0].exports: the same item appears twice"),
        (_unsorted_exports, "$.artifacts[0].exports: exports are not sorted by name"),
    ],
    ids=lambda value: getattr(value, "__name__", "")[1:] or None,
)
def test_invalid_lockfile_names_the_first_problem(tmp_path: Path, mutate, detail: str) -> None:
    data = document(entry())
    mutate(data)
    path = write_json(tmp_path / "molt-lock.json", data)
    with pytest.raises(LoadError) as caught:
        read_lockfile(path)
    assert str(caught.value) == lock_error(path, detail)


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (
            b"{",
            "not valid JSON: Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1)",
        ),
        (b'{"a": 1, "a": 2}', "not valid JSON: duplicate key 'a'"),
        (b'{"a": NaN}', "not valid JSON: NaN is not JSON"),
        (b"\xff", "not UTF-8 text (invalid start byte at byte 0)"),
        (b"[]", "$: [] is not of type 'object'"),
    ],
    ids=["truncated", "duplicate-key", "nan", "not-utf8", "not-an-object"],
)
def test_unparseable_lockfile_is_lock_invalid(tmp_path: Path, content: bytes, detail: str) -> None:
    path = tmp_path / "molt-lock.json"
    path.write_bytes(content)
    with pytest.raises(LoadError) as caught:
        read_lockfile(path)
    assert str(caught.value) == lock_error(path, detail)


# -- entry selection --------------------------------------------------------------------


def test_entry_without_version_picks_the_highest_semver(tmp_path: Path) -> None:
    versions = ["1.9.0", "1.10.0", "1.10.0-rc.1", "0.99.99"]
    lock = Lockfile(tmp_path / "molt-lock.json", tuple(entry(version=v) for v in versions))
    assert lock.entry("geometry").version == "1.10.0"
    assert lock.entry("geometry", "1.9.0").version == "1.9.0"


def test_semver_precedence_follows_the_spec() -> None:
    ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1",
        "1.1.0",
        "2.0.0",
    ]
    assert sorted(reversed(ordered), key=semver_key) == ordered


def test_missing_entry_names_what_the_lockfile_has(tmp_path: Path) -> None:
    path = tmp_path / "molt-lock.json"
    lock = Lockfile(path, (entry(), entry("stats", "0.4.1")))
    with pytest.raises(LoadError) as caught:
        lock.entry("geometry", "1.3.0")
    assert str(caught.value) == (
        f"MOLT-E-LOCK-ENTRY-MISSING: {path} has no entry for geometry 1.3.0; build, sign and "
        "lock that module, or load one the lockfile lists (geometry 1.2.0, stats 0.4.1)"
    )
    with pytest.raises(LoadError) as caught:
        Lockfile(path).entry("geometry")
    assert caught.value.message.startswith(f"{path} has no entry for geometry (any version);")
    assert caught.value.message.endswith("(none)")


def test_artifact_path_is_relative_to_the_lockfile_folder(tmp_path: Path) -> None:
    lock = Lockfile(tmp_path / "sub" / "molt-lock.json")
    assert lock.artifact_path(entry()) == (tmp_path / "sub" / "dist" / "geometry-1.2.0.wasm")


def test_artifact_path_refuses_to_leave_the_folder(tmp_path: Path) -> None:
    lock = Lockfile(tmp_path / "molt-lock.json")
    with pytest.raises(LoadError) as caught:
        lock.artifact_path(entry(file="../x.wasm"))
    assert caught.value.code == "MOLT-E-LOCK-INVALID"
    (tmp_path / "dist").symlink_to(tmp_path.parent)
    with pytest.raises(LoadError) as caught:
        lock.artifact_path(entry())
    assert caught.value.code == "MOLT-E-ARTIFACT-UNREADABLE"


# -- writing ----------------------------------------------------------------------------


def test_write_is_stable_sorted_and_ends_in_a_newline(tmp_path: Path) -> None:
    path = tmp_path / "molt-lock.json"
    entries = (entry("stats", "0.4.1"), entry(version="1.10.0"), entry(version="1.9.0"))
    write_lockfile(Lockfile(path, entries))
    first = path.read_bytes()
    write_lockfile(Lockfile(path, tuple(reversed(entries))))
    assert path.read_bytes() == first
    assert first.endswith(b"}\n")
    assert first.startswith(b'{\n  "artifacts": [\n    {\n      "abi": {\n')
    data = json.loads(first)
    assert [(a["name"], a["version"]) for a in data["artifacts"]] == [
        ("geometry", "1.9.0"),
        ("geometry", "1.10.0"),
        ("stats", "0.4.1"),
    ]
    assert data["generated_by"] == f"molt {__version__}"
    assert first == (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()


def test_with_entry_replaces_the_same_name_and_version(tmp_path: Path) -> None:
    lock = Lockfile(tmp_path / "molt-lock.json", (entry(), entry("stats", "0.4.1")))
    updated = with_entry(lock, entry(size=2048))
    assert [(e.name, e.size) for e in updated.entries] == [("geometry", 2048), ("stats", 1024)]
    added = with_entry(lock, entry(version="1.3.0"))
    assert [e.label() for e in added.entries] == ["geometry 1.2.0", "geometry 1.3.0", "stats 0.4.1"]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_failed_rename_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "molt-lock.json"
    write_lockfile(Lockfile(path, (entry(),)))
    before = path.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(MoltError) as caught:
        write_lockfile(Lockfile(path, (entry(), entry("stats", "0.4.1"))))
    assert str(caught.value) == (
        f"MOLT-E-IO: cannot write {path}: No space left on device; check that the path "
        "exists, that you have permission, and that there is space to write"
    )
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == ["molt-lock.json"]


def test_interrupted_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "molt-lock.json"
    write_lockfile(Lockfile(path, (entry(),)))
    before = path.read_bytes()

    def crash(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        write_lockfile(Lockfile(path, (entry(), entry("stats", "0.4.1"))))
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == ["molt-lock.json"]


def test_invalid_lockfile_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "molt-lock.json"
    with pytest.raises(LoadError) as caught:
        write_lockfile(Lockfile(path, (entry(sha256="nope"),)))
    assert caught.value.code == "MOLT-E-LOCK-INVALID"
    assert _leftovers(tmp_path) == []


def test_write_keeps_the_existing_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "molt-lock.json"
    write_lockfile(Lockfile(path, (entry(),)))
    path.chmod(0o640)
    write_lockfile(Lockfile(path, (entry(size=9),)))
    assert path.stat().st_mode & 0o777 == 0o640
