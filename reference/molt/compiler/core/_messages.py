"""Error message templates, compiled from the spec's registry for rendering in wasm.

A module renders its error messages itself, from NUL-terminated templates in its
data section. The registry's message for a code (spec/errors.yaml) is turned
into a template once, at compile time: each `{field}` becomes a *hole*, the byte
0xFF (never part of UTF-8) followed by a selector byte:

    01-04  argument 1-4 as a signed decimal     11-14  the same, unsigned
    20     the JSON path of the input value      21     the export's name
    22     the source file name                  23/24  the source line / column
    25     the last name on the JSON path (a key)
    26     the str argument 1 points to, quoted like Python's repr()
    27     the str argument 1 points to, as it is
    30-32  text slot 0-2: a template of its own, rendered in place
    00     a NUL byte (so texts may contain one)

The registry's fields `path`, `export`, `file`, `line` and `column` have fixed
holes; the others (`detail`, `kind`, `expected`...) take text slots in the order
they appear, and each error site passes the slot texts. Detail texts written
here use `{a0}`-`{a3}` (signed) and `{u0}`-`{u3}` (unsigned) for the arguments,
and `{slot1}`/`{slot2}` for a text slot the registry template leaves free;
`{repr0}` is the str whose address is argument 1 (a dict key), quoted; `{text0}`
is that str as it is (a raise message computed at run time).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import final

from molt.spec import load_spec

__all__ = ["HOLE", "RegistryTemplate", "detail_template", "registry_template", "text_template"]

HOLE = 0xFF
_FIXED = {"path": 0x20, "export": 0x21, "file": 0x22, "line": 0x23, "column": 0x24}
_ARGS = (
    {f"a{i}": 0x01 + i for i in range(4)}
    | {f"u{i}": 0x11 + i for i in range(4)}
    | {f"slot{i}": 0x30 + i for i in range(1, 3)}
    | {"last_key": 0x25, "repr0": 0x26, "text0": 0x27}
)
TEXT_SLOTS = 3


@final
@dataclass(frozen=True, slots=True)
class RegistryTemplate:
    """A registry code's message as a template, and the fields its text slots stand for."""

    code: str
    template: bytes
    slots: tuple[str, ...]


def registry_template(code: str, **fixed: str) -> RegistryTemplate:
    """The template of `code`'s registry message; `fixed` fields are filled in now."""
    entry = load_spec().error(code)
    assert entry is not None, code
    out = bytearray()
    slots: list[str] = []
    for literal, field, _spec, _conversion in string.Formatter().parse(entry["message"]):
        out += text_template(literal)
        if field is None:
            continue
        if field in fixed:
            out += text_template(fixed[field])
        elif field in _FIXED:
            out += bytes((HOLE, _FIXED[field]))
        else:
            assert len(slots) < TEXT_SLOTS, f"{code} has more than {TEXT_SLOTS} text fields"
            out += bytes((HOLE, 0x30 + len(slots)))
            slots.append(field)
    return RegistryTemplate(code, bytes(out), tuple(slots))


def detail_template(text: str) -> bytes:
    """A detail text with `{a0}`/`{u0}`-style argument fields, as a template."""
    out = bytearray()
    for literal, field, _spec, _conversion in string.Formatter().parse(text):
        out += text_template(literal)
        if field is not None:
            out += bytes((HOLE, _ARGS[field]))
    return bytes(out)


def text_template(text: str) -> bytes:
    """Plain text as a template: UTF-8, with NUL bytes escaped."""
    return text.encode("utf-8").replace(b"\x00", bytes((HOLE, 0x00)))
