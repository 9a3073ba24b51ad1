"""Where the spec's data files live.

An installed wheel carries the spec as package data in `molt/_spec`; a source
checkout (including an editable install) keeps it in the top-level `spec/`
folder. Both are found relative to this package, never relative to the working
directory, so the toolkit behaves the same from any folder.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_MANIFEST = "molt-spec.yaml"


def spec_root() -> Path:
    """Return the folder holding `molt-spec.yaml`.

    `MOLT_SPEC_DIR` overrides the search: tests use it to point the loader at a
    deliberately corrupted copy of the spec.
    """
    override = os.environ.get("MOLT_SPEC_DIR")
    if override:
        return Path(override)
    for candidate in (_PACKAGE_DIR / "_spec", _PACKAGE_DIR.parent.parent / "spec"):
        if (candidate / _MANIFEST).is_file():
            return candidate
    # Neither exists: return the packaged location so the error names it.
    return _PACKAGE_DIR / "_spec"


def manifest_path(root: Path) -> Path:
    """Path of the manifest inside a spec folder."""
    return root / _MANIFEST
