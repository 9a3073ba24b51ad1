"""Fixtures for the runtime tests: the ABI 1 conformance modules, built once."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import REPO_ROOT

FIXTURE_SOURCES = REPO_ROOT / "conformance" / "fixtures" / "abi1"


def load_fixture_builder() -> ModuleType:
    """conformance/fixtures/build_fixtures.py, imported by path (it is a script)."""
    path = REPO_ROOT / "conformance" / "fixtures" / "build_fixtures.py"
    spec = importlib.util.spec_from_file_location("molt_abi1_fixture_builder", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fixture_interface(name: str) -> dict[str, Any]:
    """The interface JSON of fixture `name`, as written in the repository."""
    return json.loads((FIXTURE_SOURCES / f"{name}.interface.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def fixture_builder() -> ModuleType:
    return load_fixture_builder()


@pytest.fixture(scope="session")
def abi1_fixture_paths(
    fixture_builder: ModuleType, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Every ABI 1 fixture built into a session folder: name -> .wasm path."""
    return fixture_builder.build_all(tmp_path_factory.mktemp("abi1"))


@pytest.fixture(scope="session")
def abi1_wasm(abi1_fixture_paths: dict[str, Path]) -> dict[str, bytes]:
    """Every ABI 1 fixture's bytes: name -> bytes."""
    return {name: path.read_bytes() for name, path in abi1_fixture_paths.items()}
