"""Shared by the benchmark scripts: a private virtual environment for a peer tool.

Peers (Extism, Numba, ruff, flake8) are measured, never depended on: each script
installs them into its own venv under a cache folder on first use. A failure is
returned as a one-line reason for the table, never raised.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from collections.abc import Sequence
from pathlib import Path


def last_line(text: str) -> str:
    """The last non-empty line of a tool's output, shortened for a table cell."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(no output)"


def peer_python(
    folder: Path, requirements: Sequence[str], probe_import: str, *, timeout: float = 900
) -> Path | str:
    """The venv's python with `requirements` importable (`probe_import` checks), or why not."""
    python = folder / "bin" / "python"
    try:
        probe = (
            subprocess.run(
                [str(python), "-c", f"import {probe_import}"], capture_output=True, check=False
            )
            if python.exists()
            else None
        )
        if probe is None or probe.returncode != 0:
            print(
                f"[benchmark] installing {', '.join(requirements)} into {folder}",
                file=sys.stderr,
                flush=True,
            )
            if not python.exists():
                venv.EnvBuilder(with_pip=True).create(folder)
            installed = subprocess.run(
                [str(python), "-m", "pip", "install", "--quiet", *requirements],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            if installed.returncode != 0:
                return f"pip install failed: {last_line(installed.stderr)}"
    except Exception as exc:  # any failure becomes the table's reason, never a crash
        return f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
    return python
