"""Spec text as Markdown, and the links between the generated pages.

`Linker` knows where every ID's page lives (rules, error codes, lint codes,
language items, retired IDs; conformance cases at their anchor on the cases
page) and turns spec text into Markdown that shows exactly that text: outside
`code spans` every character Markdown would act on is escaped (the spec writes
`**`, `[0-9]` and `{export}` meaning exactly that), IDs become links, and
paragraphs (blank-line separated) are kept. A reference
to an ID the spec does not define is logged as a warning, which `mkdocs build
--strict` turns into a failed build naming the page and the ID.

The functions below it are small Markdown builders shared by every page.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from molt.spec import CaseLink

log = logging.getLogger("mkdocs.plugins.molt_spec_pages")

RULES_DIR = "rules"
ERRORS_DIR = "errors"
LINT_DIR = "lint"
CASES_PAGE = "conformance/cases.md"
"""Every conformance case, each at the anchor of its ID (`conformance/cases.md#MC-LOAD-001`)."""
COVERAGE_PAGE = "coverage.md"
LEVEL_CLASSES = {
    "MUST": "must",
    "MUST NOT": "must-not",
    "SHOULD": "should",
    "SHOULD NOT": "should-not",
    "MAY": "may",
}
HEADINGS = {"abi": "ABI", "ux": "UX"}
"""Area and phase names whose heading is not just the capitalised name."""

_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_SPEC_ID = re.compile(
    r"(?<![\w/#-])(?:MOLT-[REL]-[A-Z0-9]+(?:-[A-Z0-9]+)*|MOLT[0-9]{3}|MC-[A-Z]+-[0-9]{3,})(?![\w-])"
)
"""Rule IDs, error codes, language item IDs, lint codes and conformance case IDs, not
inside a word or URL."""
_MARKDOWN_CHARS = re.compile(r"([\\*_\[\]{}|])")
_BLOCK_START = re.compile(r"^([-+#])|^(\d+)([.)])")
_HTML = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


class Linker:
    """Where each ID's page is, and spec text rendered with its IDs linked.

    `_page` is the docs path of the page being rendered: links are relative to it.
    `cases` are the conformance cases by ID; left out, they are discovered
    (`molt.spec.discover_cases()`), and none are known when no suite is installed.
    """

    def __init__(
        self, spec: Any, site_url: str, cases: Mapping[str, CaseLink] | None = None
    ) -> None:
        self.spec = spec
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self.rules: dict[str, Mapping[str, Any]] = {str(r["id"]): r for r in spec.rules}
        self.errors: dict[str, Mapping[str, Any]] = {str(e["code"]): e for e in spec.errors}
        self.lint: dict[str, Mapping[str, Any]] = {str(c["code"]): c for c in spec.lint_codes}
        self.language_ids = {
            str(item["id"]) for item in language_items(spec.language) if item.get("id")
        }
        self.formats_by_schema = {str(f["schema"]): f for f in spec.formats}
        if cases is None:
            from molt.spec import discover_cases

            found = discover_cases()
            cases = found.cases if found is not None else {}
        self.cases: dict[str, CaseLink] = dict(sorted(cases.items()))
        self.retired: dict[str, str] = {}
        """Retired ID -> the index page that lists it."""
        for document, key, index in (
            ("rules", "id", RULES_DIR),
            ("errors", "code", ERRORS_DIR),
            ("lint", "code", LINT_DIR),
        ):
            for entry in self.retired_entries(document):
                self.retired[str(entry[key])] = f"{index}/index.md#retired"
        self._page = ""

    def retired_entries(self, document: str) -> list[Mapping[str, Any]]:
        return list((self.spec.documents.get(document) or {}).get("retired") or [])

    def target(self, identifier: str) -> str | None:
        """The docs path of an ID's page (with an anchor for language items), if it has one."""
        if identifier in self.rules:
            return f"{RULES_DIR}/{identifier}.md"
        if identifier in self.errors:
            return f"{ERRORS_DIR}/{identifier}.md"
        if identifier in self.lint:
            return f"{LINT_DIR}/{identifier}.md"
        if identifier in self.language_ids:
            return f"language.md#{identifier}"
        if identifier in self.cases:
            return f"{CASES_PAGE}#{identifier}"
        return self.retired.get(identifier)

    def link(self, identifier: str, *, title: bool = False) -> str:
        """A link from the page being rendered to the page of a rule, code, item or case."""
        target = self.target(identifier)
        if target is None:
            unknown = (
                "is not a case of the conformance suite"
                if identifier.startswith("MC-")
                else "the spec does not define"
            )
            log.warning("%s refers to %s, which %s", self._page, identifier, unknown)
            return code(identifier)
        text = f"[{code(identifier)}]({self.relative(target)})"
        case = self.cases.get(identifier)
        item = (
            self.rules.get(identifier)
            or self.errors.get(identifier)
            or self.lint.get(identifier)
            or (case.document if case else None)
        )
        return f"{text}: {self.prose(item['title'], autolink=False)}" if title and item else text

    def relative(self, target: str) -> str:
        """`target` (a docs path, maybe with an #anchor) relative to the page being rendered."""
        path, _, anchor = target.partition("#")
        if path == self._page and anchor:
            return f"#{anchor}"
        rel = posixpath.relpath(path, posixpath.dirname(self._page) or ".")
        return f"{rel}#{anchor}" if anchor else rel

    def prose(self, text: object, *, in_cell: bool = False, autolink: bool = True) -> str:
        """Spec text as Markdown that shows exactly that text, with IDs linked."""
        paragraphs = [one_line(p) for p in str(text).strip().split("\n\n") if p.strip()]
        rendered = [self._paragraph(p, autolink) for p in paragraphs]
        return " ".join(rendered) if in_cell else "\n\n".join(rendered)

    def _paragraph(self, text: str, autolink: bool) -> str:
        parts, last = [], 0
        for span in _CODE_SPAN.finditer(text):
            parts.append(self._plain(text[last : span.start()], autolink))
            parts.append(span.group(0))
            last = span.end()
        parts.append(self._plain(text[last:], autolink))
        # A paragraph must not open a list or a heading.
        return _BLOCK_START.sub(
            lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", "".join(parts)
        )

    def _plain(self, text: str, autolink: bool) -> str:
        text = "".join(_HTML.get(char, char) for char in text)
        text = _MARKDOWN_CHARS.sub(r"\\\1", text)
        if autolink:
            text = _SPEC_ID.sub(lambda match: self.link(match.group(0)), text)
        return text

    def cell(self, text: object) -> str:
        return self.prose(text, in_cell=True)

    def url(self, target: str) -> str:
        """Absolute URL of a docs page, for llms.txt."""
        path = target.removesuffix(".md")
        if path == "index" or path.endswith("/index"):
            path = path.removesuffix("index")
        else:
            path += "/"
        return self.site_url + path

    def retired_section(self, document: str, key: str) -> str:
        """The `## Retired` section of an index page: IDs that must never be reused."""
        rows = [
            (
                code(entry[key]),
                str(entry["retired_in"]),
                self.link(str(entry["replaced_by"])) if entry.get("replaced_by") else "—",
                self.prose(entry["reason"], in_cell=True, autolink=False),
            )
            for entry in self.retired_entries(document)
        ]
        return page(
            "## Retired { #retired }",
            "IDs that were renamed or removed. They stay listed forever so that no new item "
            f"reuses them; see [IDs and status]({self.relative('concepts/ids.md')}).",
            table(("ID", "Retired in", "Replaced by", "Reason"), rows) if rows else "None yet.",
        )


# --------------------------------------------------------------------------- Markdown builders


def one_line(text: object) -> str:
    return " ".join(str(text).split())


def code(text: object) -> str:
    """`text` as one inline code span, whatever backticks it contains."""
    text = one_line(text)
    ticks = "`"
    while ticks in text:
        ticks += "`"
    pad = " " if text.startswith("`") or text.endswith("`") or len(ticks) > 1 else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fence(source: str, language: str = "python") -> str:
    """A fenced code block whose fence is longer than any backtick run inside it."""
    ticks = "```"
    while ticks in source:
        ticks += "`"
    return f"{ticks}{language}\n{source.rstrip()}\n{ticks}"


def indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line.strip() else "" for line in text.splitlines())


def admonition(kind: str, title: str, body: str, *, collapsed: bool = False) -> str:
    marker = "???" if collapsed else "!!!"
    return f'{marker} {kind} "{title}"\n\n{indent(body)}\n'


def table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def bullets(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def level_badge(level: str) -> str:
    css = LEVEL_CLASSES.get(level, "may")
    return f'<span class="molt-level molt-level-{css}">{level}</span>'


def heading(name: str) -> str:
    return HEADINGS.get(name, name.capitalize())


def page(*blocks: str | None) -> str:
    return "\n\n".join(block.strip("\n") for block in blocks if block) + "\n"


def facts(*fields: tuple[str, str]) -> str:
    return " · ".join(f"**{name}:** {value}" for name, value in fields)


def status_note(item: Mapping[str, Any]) -> str | None:
    status = item.get("status")
    if status == "preview":
        return admonition("info", "Preview", "This may still change before it becomes stable.")
    if status == "deprecated":
        return admonition(
            "warning", "Deprecated", "Still valid, but it will be removed; do not build on it."
        )
    if status == "removed":
        return admonition("danger", "Removed", "Kept only so that the ID is never reused.")
    return None


def schema_enum(spec: Any, schema: str, name: str) -> list[str]:
    """The values of an enum in a spec schema's `$defs`, for example the rule areas in order."""
    definition = spec.schemas.get(schema, {}).get("$defs", {}).get(name, {})
    return [str(value) for value in definition.get("enum", [])]


def language_items(language: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    from molt.spec import iter_language_items

    return iter_language_items(language)
