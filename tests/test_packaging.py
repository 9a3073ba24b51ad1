"""The spec travels inside the wheel: a non-editable install works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(out),
            str(REPO_ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (built,) = out.glob("molt_toolkit-*.whl")
    return built


def test_wheel_carries_packages_spec_and_console_scripts(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "molt/__init__.py",
        "molt_lint/__init__.py",
        "molt_conformance/__init__.py",
        "molt/_spec/molt-spec.yaml",
        "molt/_spec/rules.yaml",
        "molt/_spec/errors.yaml",
        "molt/_spec/abi.yaml",
        "molt/_spec/language.yaml",
        "molt/_spec/schemas/lockfile.json",
    } <= names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    for script in (
        "molt = molt.cli:main",
        "molt-lint = molt_lint.cli:main",
        "molt-conformance = molt_conformance.cli:main",
    ):
        assert script in text


def test_installed_wheel_validates_its_spec_from_an_empty_folder(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("MOLT_SPEC_DIR", None)
    probe = subprocess.run(
        [sys.executable, "-c", "import molt.spec as s; print(s.spec_root())"],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(probe.stdout.strip()) == target / "molt" / "_spec"
    result = subprocess.run(
        [sys.executable, "-m", "molt.cli", "spec", "validate", "--format", "text"],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert " is valid: " in result.stdout
