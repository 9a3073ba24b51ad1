"""Output helpers: one place decides between text and JSON, and prints them.

STYLE: pretty text on a terminal, JSON otherwise, so an agent piping the output
gets machine-readable data without asking for it.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

FORMATS = ("text", "json")


def resolve_format(requested: str | None, stream: TextIO | None = None) -> str:
    """`requested`, or text on a terminal and json otherwise."""
    if requested:
        return requested
    stream = stream or sys.stdout
    return "text" if stream.isatty() else "json"


def print_json(value: Any, stream: TextIO | None = None) -> None:
    """Stable JSON: sorted keys, two-space indent, UTF-8 kept readable."""
    stream = stream or sys.stdout
    stream.write(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def wrap(text: str, indent: str = "  ", width: int = 88) -> str:
    """Re-flow a YAML block scalar for the terminal, keeping blank-line paragraphs."""
    import textwrap

    paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
    return "\n\n".join(
        textwrap.fill(p, width=width, initial_indent=indent, subsequent_indent=indent)
        for p in paragraphs
    )


def indent_block(text: str, indent: str = "      ") -> str:
    """Indent a code example verbatim."""
    return "\n".join(indent + line if line else line for line in text.rstrip().splitlines())
