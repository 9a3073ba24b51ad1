"""One strict build of the documentation site, shared by every test in this folder.

The build runs once per session (a few seconds) with the same `molt` as the
test process; tests read the built site. `hook` imports the hook's entry
module the way mkdocs runs it, for tests of the page renderers themselves.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import molt
from tests.conftest import REPO_ROOT

HOOKS = REPO_ROOT / "docs" / "_hooks"


def build_env() -> dict[str, str]:
    """The environment of a build: it must import the same `molt` as this process."""
    molt_parent = str(Path(molt.__file__).resolve().parent.parent)
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [molt_parent, os.environ.get("PYTHONPATH")])),
        "NO_MKDOCS_2_WARNING": "1",  # material's banner about MkDocs 2.0
    }


def h2_section(html: str, heading_id: str) -> str:
    """The HTML of one h2 section of a page: from its heading to the next h2."""
    start = html.index(f'<h2 id="{heading_id}"')
    end = html.find("<h2 ", start + 1)
    return html[start : end if end != -1 else len(html)]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Build the site once; the build imports the same `molt` as this test process."""
    site_dir = tmp_path_factory.mktemp("site")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=REPO_ROOT,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return build, site_dir


@pytest.fixture(scope="session")
def built(site: tuple[subprocess.CompletedProcess[str], Path]) -> Path:
    build, site_dir = site
    if build.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{build.stderr}")
    return site_dir


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The hook's entry module, imported the way mkdocs runs it: its folder on sys.path."""
    monkeypatch.syspath_prepend(str(HOOKS))
    return importlib.import_module("spec_pages")
