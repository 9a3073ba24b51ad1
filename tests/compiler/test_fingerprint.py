"""compiler_fingerprint: caches of compiled modules follow the compiler and the spec data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from molt.compiler import _fingerprint, compiler_fingerprint


@pytest.fixture(autouse=True)
def _fresh() -> None:
    compiler_fingerprint.cache_clear()
    yield
    compiler_fingerprint.cache_clear()


def test_the_fingerprint_is_a_stable_sha256() -> None:
    first = compiler_fingerprint()
    compiler_fingerprint.cache_clear()
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert compiler_fingerprint() == first


def test_editing_an_error_template_changes_the_fingerprint(spec_copy, monkeypatch) -> None:
    before = compiler_fingerprint()
    root: Path = spec_copy()
    errors = root / "errors.yaml"
    errors.write_text(errors.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    monkeypatch.setenv("MOLT_SPEC_DIR", str(root))
    compiler_fingerprint.cache_clear()
    assert compiler_fingerprint() != before


def test_editing_the_compiler_changes_the_fingerprint(tmp_path, monkeypatch) -> None:
    copy = tmp_path / "compiler"
    (copy / "core").mkdir(parents=True)
    (copy / "core" / "_x.py").write_text("A = 1\n", encoding="utf-8")
    monkeypatch.setattr(_fingerprint, "_PACKAGE", copy)
    before = compiler_fingerprint()
    (copy / "core" / "_x.py").write_text("A = 2\n", encoding="utf-8")
    compiler_fingerprint.cache_clear()
    assert compiler_fingerprint() != before
