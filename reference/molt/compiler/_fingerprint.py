"""What the compiler's output depends on besides the source: its own code and spec data.

A cache of compiled modules keyed by the source and the package version alone
would hand back stale bytes after the compiler changes in a checkout (an
editable install keeps its version while its code moves), or after the spec's
error templates, which modules embed, are edited. The fingerprint hashes both,
so such a cache is never wrong; reading the few dozen files costs milliseconds.
"""

from __future__ import annotations

import functools
import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from molt.spec import spec_root

_PACKAGE = Path(__file__).resolve().parent
_SPEC_DOCUMENTS = ("errors.yaml", "abi.yaml", "language.yaml")


@functools.cache
def compiler_fingerprint() -> str:
    """SHA-256 (hex) of the compiler sources, the spec documents it reads, llvmlite's version."""
    digest = hashlib.sha256()
    try:
        digest.update(f"llvmlite {version('llvmlite')}\n".encode())
    except PackageNotFoundError:
        digest.update(b"llvmlite absent\n")
    files = sorted(_PACKAGE.rglob("*.py"))
    files += [spec_root() / name for name in _SPEC_DOCUMENTS]
    for path in files:
        name = path.relative_to(_PACKAGE).as_posix() if path.is_relative_to(_PACKAGE) else path.name
        digest.update(f"{name}\n".encode())
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()
