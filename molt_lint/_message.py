"""What a rule reports: a data-only message class per rule, and the record of one finding.

Each rule module declares one `Message` subclass named after the rule, holding
its code and two templates: `message` (one line about this occurrence) and
`hint` (what to change, in words). The checker reports by class and keyword
arguments; the runner formats the templates, so no rule ever builds a string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


class Message:
    """Base of the per-rule message classes; subclasses only set the class attributes."""

    code: ClassVar[str]
    """The lint code, MOLT followed by three digits, as in spec/lint.yaml."""
    message: ClassVar[str]
    """str.format template for one occurrence; its fields are the report's keyword arguments."""
    hint: ClassVar[str]
    """str.format template for the fix hint, with the same fields as `message`."""

    @classmethod
    def render(cls, args: dict[str, Any]) -> tuple[str, str]:
        """The message and hint for one occurrence."""
        return cls.message.format(**args), cls.hint.format(**args)


@dataclass(frozen=True, slots=True)
class Span:
    """A range in a file: 1-based lines, 1-based columns in code points, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Edit:
    """A mechanical fix: replace `span` with `content`."""

    span: Span
    content: str
    applicability: str
    """safe (keeps the program's meaning) or unsafe (needs review)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One occurrence found by the checker, before suppression comments are applied."""

    message: type[Message]
    args: dict[str, Any]
    span: Span
    edit: Edit | None = None

    @property
    def code(self) -> str:
        return self.message.code
