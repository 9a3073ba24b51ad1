"""Fixtures shared by every test folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from molt.spec import spec_root

REPO_ROOT = Path(__file__).resolve().parent.parent

SpecMutator = Callable[[dict[str, Any]], None]


@pytest.fixture
def spec_copy(tmp_path: Path) -> Callable[..., Path]:
    """Copy the real spec into tmp_path and apply mutations to its documents.

    `spec_copy(rules=fn, errors=fn, ...)` calls each fn on the parsed YAML of
    that document and writes it back, so a test corrupts exactly one thing.
    """

    def make(**mutations: SpecMutator) -> Path:
        root = tmp_path / "spec"
        shutil.copytree(spec_root(), root)
        for document, mutate in mutations.items():
            path = root / f"{document}.yaml"
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            mutate(data)
            path.write_text(
                yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
            )
        return root

    return make
