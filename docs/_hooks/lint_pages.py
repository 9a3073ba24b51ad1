"""The molt-lint code pages, from spec/lint.yaml.

    lint/index.md       every code, grouped by family
    lint/<CODE>.md      one code, in the sections of ruff's rule pages

A code's page lives at `lint/<CODE>/`, the address `Spec.docs_url(code)` gives
and every diagnostic carries as `url`. The hand-written pages about running
the linter are GUIDE and AGENTS below; the code pages link to their anchors,
so the strict build fails if one of those anchors goes away.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spec_text import LINT_DIR, Linker, bullets, code, facts, fence, page, status_note, table

GUIDE = "molt-lint.md"
"""How to run molt-lint: selection, configuration, suppressions, output formats."""
AGENTS = "lint-for-agents.md"
"""The JSON report and its fix hints, for agents."""
UNSUPPRESSIBLE_FAMILY = "suppression"
"""Codes about `# molt: allow` comments; molt-lint never lets such a comment silence them."""
SEVERITY_EFFECT = {
    "error": "error (fails the run)",
    "warning": "warning (reported; the exit status is unchanged)",
}


class LintPages(Linker):
    """Renders the lint code index and one page per lint code."""

    @property
    def lint_families(self) -> list[Mapping[str, Any]]:
        return list((self.spec.documents.get("lint") or {}).get("families") or [])

    def lint_index(self) -> str:
        by_family: dict[str, list[Mapping[str, Any]]] = {}
        for item in self.lint.values():
            by_family.setdefault(str(item["family"]), []).append(item)
        sections = [
            page(
                f"## {self.prose(family['title'], autolink=False)} {{ #{family['name']} }}",
                f"Codes {code(str(family['prefix']) + 'xx')}; `--select {family['prefix']}` "
                "selects them all. " + self.prose(family["description"]),
                table(
                    ("Code", "Name", "Severity", "Title"),
                    (
                        (
                            self.link(str(c["code"])),
                            str(c["name"]),
                            str(c["severity"]),
                            self.cell(c["title"]),
                        )
                        for c in by_family.get(str(family["name"]), [])
                    ),
                )
                if family["name"] in by_family
                else "No codes yet.",
            )
            for family in self.lint_families
        ]
        return page(
            "# Lint codes",
            f"The {len(self.lint)} codes `molt-lint` reports (spec {self.spec.version}), grouped "
            "by family. This page and every code page are generated from `spec/lint.yaml`; "
            "`molt-lint --list-rules` prints the same list and `molt-lint --explain CODE` prints "
            "a code's page as text.",
            "A diagnostic with severity **error** fails the run (exit status 1); a **warning** "
            "is reported without changing the exit status. How to run the linter, choose codes "
            f"and suppress one line: [molt-lint]({self.relative(GUIDE)}). The JSON report, with "
            f"a fix hint on every diagnostic: [molt-lint for agents]({self.relative(AGENTS)}).",
            *sections,
            self.retired_section("lint", "code"),
        )

    def lint_page(self, code_: str) -> str:
        item = self.lint[code_]
        family_name = str(item["family"])
        family = next((f for f in self.lint_families if f["name"] == family_name), None)
        family_title = self.prose(family["title"], autolink=False) if family else family_name
        options = item.get("options") or []
        references = item.get("references") or []
        return page(
            f"# {code_} — {item['name']}",
            f"**{self.prose(item['title'], autolink=False)}**",
            facts(
                ("Severity", SEVERITY_EFFECT.get(str(item["severity"]), str(item["severity"]))),
                (
                    "Family",
                    f"[{family_title}]({self.relative(f'{LINT_DIR}/index.md#{family_name}')})",
                ),
                ("Status", f"{item['status']} since {item['since']}"),
            ),
            status_note(item),
            "## Spec rules it enforces",
            bullets(self.link(str(rule), title=True) for rule in item["rules"]),
            "## What it does",
            self.prose(item["what_it_does"]),
            "## Why is this bad?",
            self.prose(item["why_bad"]),
            "## Example",
            fence(str(item["example"])),
            "## Use instead",
            fence(str(item["use_instead"])),
            "## Fix safety" if item.get("fix_safety") else None,
            self.prose(item["fix_safety"]) if item.get("fix_safety") else None,
            "## Options" if options else None,
            bullets(
                f"[{code(o['name'])}]({self.relative(GUIDE + '#configuration')}): "
                + self.prose(o["description"])
                for o in options
            )
            if options
            else None,
            "## Known problems" if item.get("known_problems") else None,
            self.prose(item["known_problems"]) if item.get("known_problems") else None,
            "## Selecting and suppressing",
            self._selecting(code_, family_name),
            "## References" if references else None,
            bullets(f"[{self.prose(r['title'], autolink=False)}]({r['url']})" for r in references)
            if references
            else None,
        )

    def _selecting(self, code_: str, family: str) -> str:
        guide = self.relative(GUIDE)
        select = (
            f"`molt-lint --select {code_} PATH` checks this code alone, and `--ignore {code_}` "
            f"turns it off ([choosing codes]({guide}#choosing-codes))."
        )
        if family == UNSUPPRESSIBLE_FAMILY:
            return page(
                select,
                "It reports on suppression comments themselves, so no `# molt: allow` comment "
                f"can silence it ([suppressions]({guide}#suppressions)).",
            )
        return page(
            select,
            "To accept one occurrence, say why on its line: "
            f"{code(f'# molt: allow[{code_}] reason')}. The comment is listed in the JSON report "
            "with its reason, and a project can forbid it by listing the code under "
            f"`unsuppressible` in `[tool.molt-lint]` ([suppressions]({guide}#suppressions)).",
        )
