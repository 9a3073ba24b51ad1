"""The rule coverage page and the conformance case list.

    coverage.md             every rule with what enforces it: molt-lint codes, compiler
                            errors, host errors and its number of conformance cases;
                            the MUST and MUST NOT rules no case checks, and those no
                            case can check (conformance/uncheckable-rules.toml); cases
                            per area
    conformance/cases.md    every conformance case by area, each at the anchor of its ID
                            (`conformance/cases.md#MC-LOAD-001`); the feature tags; the
                            cases of each rule, at the anchor of the rule's ID

The cases are the ones `Linker` holds (`molt.spec.discover_cases()`, which reads
`conformance/cases/<area>/<ID>/case.toml`); the other columns come from the
rules' `enforced_by`. `validate_spec` has checked before the build that a rule
lists exactly the cases that name it, so the two never disagree.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from spec_text import (
    CASES_PAGE,
    RULES_DIR,
    Linker,
    admonition,
    bullets,
    code,
    heading,
    level_badge,
    page,
    schema_enum,
    table,
)

CASE_AREAS = {
    "load": ("Loading", "The lockfile, the artifact's size and hash, module validity."),
    "sign": ("Signatures", "Signatures and trusted keys."),
    "abi": ("ABI", "The ABI version, imports, exports and the interface section."),
    "call": ("Calls", "Results, unknown exports, module errors, results a host must refuse."),
    "wire": ("Wire format", "Strict MessagePack."),
    "schema": ("Input schemas", "Input schema violations and their JSON paths."),
    "limit": ("Limits", "Fuel, memory, stack and deadline."),
    "det": ("Determinism", "The same call gives the same bytes and the same fuel."),
    "arith": (
        "Arithmetic",
        "Floor division and modulo toward negative infinity, overflow as an error (never a "
        "wrap), zero division, mixed int and float arithmetic.",
    ),
    "float": (
        "Floats",
        "The canonical NaN, infinities, float64 results, min and max, the special cases of `**`.",
    ),
    "conv": (
        "Conversions",
        "int() and float() between int and float, and the number formats an input may use.",
    ),
    "ctrl": (
        "Control flow",
        "Recursion, loops with break and continue, short-circuit logic, assert and raise, "
        "running out of fuel.",
    ),
    "list": (
        "Lists",
        "Literals, repetition, indexing and slicing, deep equality, the memory limit.",
    ),
    "module": (
        "Compiled modules",
        "What a compiler produces: no imports, no interpreter, exactly the declared "
        "exports, reproducible bytes.",
    ),
    "str": (
        "Strings",
        "Code points, not bytes or UTF-16 units: len, indexing, code point order, methods, "
        "f-strings, strict UTF-8 at its path, the smallest str format.",
    ),
    "dict": (
        "Dicts",
        "Maps in insertion order, lookups and loops, missing keys, wire errors at their path.",
    ),
    "record": (
        "Records",
        "Frozen dataclasses as plain maps of their fields in declaration order, nested records, "
        "wire errors at their path.",
    ),
    "opt": (
        "Optional values",
        "None as nil and any other value as itself, narrowing with `is None`, wire errors.",
    ),
    "input": (
        "Compiled input checks",
        "A compiled module's own decoding: missing, extra, wrong-typed and malformed input at "
        "its path; bytes as MessagePack bin.",
    ),
    "reject": (
        "Rejected sources",
        "Each construct outside the typed subset (eval, imports of the standard library, "
        "lambdas, classes, ...) is a compile error with its code and line.",
    ),
}
"""Case area -> (heading, what its cases check), in the order the suite presents them
(conformance/README.md). An area missing here is listed after them under its name."""
REQUIRED_LEVELS = ("MUST", "MUST NOT")
"""Levels whose rules every implementation must meet, so each should have a case."""
ENFORCED_COLUMNS = (
    ("lint", "molt-lint", "molt-lint codes"),
    ("compiler", "Compiler errors", "compiler errors"),
    ("runtime", "Host errors", "host errors"),
)
"""The `enforced_by` lists shown as columns of links: key, column heading, name in prose."""
UNCHECKABLE = Path(__file__).resolve().parents[2] / "conformance" / "uncheckable-rules.toml"
"""MUST and MUST NOT rules no conformance case can check, each with why and what enforces it."""


def uncheckable_rules() -> dict[str, dict[str, str]]:
    """conformance/uncheckable-rules.toml by rule ID (empty when the file is absent)."""
    if not UNCHECKABLE.is_file():
        return {}
    return tomllib.loads(UNCHECKABLE.read_text(encoding="utf-8"))


class CoveragePages(Linker):
    """Renders coverage.md and conformance/cases.md."""

    # -- what the pages share

    def case_area(self, case_id: str) -> str:
        """A case's area: the folder it lives in (`load` for load/MC-LOAD-001/case.toml)."""
        return self.cases[case_id].file.split("/", 1)[0]

    def case_area_heading(self, area: str) -> str:
        return CASE_AREAS[area][0] if area in CASE_AREAS else area

    def cases_by_area(self) -> dict[str, list[str]]:
        """Case IDs by area, areas in CASE_AREAS order and then by name."""
        by_area: dict[str, list[str]] = {}
        for case_id in self.cases:
            by_area.setdefault(self.case_area(case_id), []).append(case_id)
        order = [a for a in CASE_AREAS if a in by_area] + sorted(set(by_area) - set(CASE_AREAS))
        return {area: by_area[area] for area in order}

    def cases_of(self, rule_id: str) -> list[str]:
        """The cases that check a rule, by ID."""
        return [case_id for case_id, case in self.cases.items() if rule_id in case.rules]

    def rules_by_area(self) -> dict[str, list[Mapping[str, Any]]]:
        """Rules by area, in the order of the spec's area enum (as on the rules index)."""
        areas = schema_enum(self.spec, "schemas/spec-rules.json", "area")
        by_area: dict[str, list[Mapping[str, Any]]] = {}
        for rule in self.rules.values():
            by_area.setdefault(str(rule["area"]), []).append(rule)
        order = [a for a in areas if a in by_area] + sorted(set(by_area) - set(areas))
        return {area: by_area[area] for area in order}

    def uncovered(self) -> list[Mapping[str, Any]]:
        """MUST and MUST NOT rules that no conformance case checks although one could."""
        uncheckable = uncheckable_rules()
        return [
            rule
            for rules in self.rules_by_area().values()
            for rule in rules
            if rule["level"] in REQUIRED_LEVELS
            and not self.cases_of(str(rule["id"]))
            and str(rule["id"]) not in uncheckable
        ]

    # -- coverage.md

    def coverage_page(self) -> str:
        by_area = self.rules_by_area()
        ordered = [rule for rules in by_area.values() for rule in rules]
        uncovered = self.uncovered()
        return page(
            "# Rule coverage",
            f"How each of the {len(self.rules)} rules of spec {self.spec.version} is enforced: "
            "by `molt-lint` codes on Molt sources and the host code around them, by the "
            "errors the compiler and the host report, and by the conformance cases every "
            f"implementation runs ([{len(self.cases)} cases]({self.relative(CASES_PAGE)})). "
            "Generated from `enforced_by` in `spec/rules.yaml` and the rules each case names; "
            "`molt spec validate` checks that the two agree.",
            self._uncovered_note(uncovered),
            self._uncheckable_section(),
            "## Every rule { #rules }",
            "The case count links to the rule's cases on the case list.",
            table(
                ("Rule", "Level", "Title", *(h for _, h, _ in ENFORCED_COLUMNS), "Cases"),
                [*(self._coverage_row(rule) for rule in ordered), self._totals_row()],
            ),
            "## By area { #by-area }",
            "Rules by area, as on the [rules index]"
            f"({self.relative(f'{RULES_DIR}/index.md')}); a case that checks rules of several "
            "areas counts in each of them.",
            table(
                ("Area", "Rules", "Rules with a case", "MUST / MUST NOT without a case", "Cases"),
                (self._area_row(area, rules) for area, rules in by_area.items()),
            ),
        )

    def _uncovered_note(self, uncovered: list[Mapping[str, Any]]) -> str:
        if not uncovered:
            return admonition(
                "success",
                "Every MUST and MUST NOT rule an implementation can break has a conformance case",
                "Each rule a compiler or host must meet is checked by at least one case; "
                "the rules that bind only the spec and Molt's own tools are listed "
                "[below](#uncheckable).",
            )
        lines = []
        for rule in uncovered:
            enforced = rule["enforced_by"]
            others = [name for key, _, name in ENFORCED_COLUMNS if enforced.get(key)]
            checked = (
                f"checked only by: {', '.join(others)}" if others else "**nothing checks it yet**"
            )
            lines.append(f"{self.link(str(rule['id']), title=True)} ({rule['level']}; {checked})")
        return admonition(
            "warning",
            f"{len(uncovered)} MUST and MUST NOT rules without a conformance case",
            page(
                "No conformance case checks these rules, so another implementation can break "
                "them and still pass the suite:",
                bullets(lines),
            ),
        )

    def _uncheckable_section(self) -> str | None:
        uncheckable = uncheckable_rules()
        if not uncheckable:
            return None
        return page(
            "## Rules no case can check { #uncheckable }",
            "A conformance case judges what a compiler or host does through the adapter "
            "protocol. These MUST rules bind the spec itself or Molt's own tools, so no "
            "implementation under test could pass or fail them; "
            "`conformance/uncheckable-rules.toml` says why and what enforces them instead.",
            table(
                ("Rule", "Why no case", "Enforced by"),
                (
                    (
                        self.link(rule_id),
                        self.cell(entry["reason"]),
                        self.cell(entry["enforced_by"]),
                    )
                    for rule_id, entry in uncheckable.items()
                ),
            ),
        )

    def _coverage_row(self, rule: Mapping[str, Any]) -> tuple[str, ...]:
        rule_id = str(rule["id"])
        enforced = rule["enforced_by"]
        cases = len(self.cases_of(rule_id))
        if cases:
            count = f"[{cases}]({self.relative(f'{CASES_PAGE}#{rule_id}')})"
        elif rule_id in uncheckable_rules():
            count = "[none possible](#uncheckable)"
        else:
            count = "**0**" if rule["level"] in REQUIRED_LEVELS else "0"
        return (
            self.link(rule_id),
            level_badge(str(rule["level"])),
            self.cell(rule["title"]),
            *(self._links(enforced.get(key) or []) for key, _, _ in ENFORCED_COLUMNS),
            count,
        )

    def _links(self, identifiers: Iterable[object]) -> str:
        return ", ".join(self.link(str(i)) for i in identifiers) or "—"

    def _totals_row(self) -> tuple[str, ...]:
        rules = list(self.rules.values())
        columns = []
        for key, _, _ in ENFORCED_COLUMNS:
            lists = [rule["enforced_by"].get(key) or [] for rule in rules]
            distinct = {str(i) for ids in lists for i in ids}
            columns.append(_total(sum(1 for ids in lists if ids), len(distinct), "codes"))
        with_cases = sum(1 for rule_id in self.rules if self.cases_of(rule_id))
        checking = sum(1 for case in self.cases.values() if case.rules)
        return (
            "**Total**",
            "",
            f"{len(rules)} rules",
            *columns,
            _total(with_cases, checking, "cases"),
        )

    def _area_row(self, area: str, rules: list[Mapping[str, Any]]) -> tuple[str, ...]:
        ids = [str(rule["id"]) for rule in rules]
        cases = {case_id for rule_id in ids for case_id in self.cases_of(rule_id)}
        uncovered = {str(rule["id"]) for rule in self.uncovered()}
        return (
            f"[{heading(area)}]({self.relative(f'{RULES_DIR}/index.md#{area}')})",
            str(len(ids)),
            str(sum(1 for rule_id in ids if self.cases_of(rule_id))),
            str(sum(1 for rule_id in ids if rule_id in uncovered)),
            str(len(cases)),
        )

    # -- conformance/cases.md

    def cases_page(self) -> str:
        by_area = self.cases_by_area()
        sections = [
            page(
                f"## {self.case_area_heading(area)} {{ #{area} }}",
                CASE_AREAS[area][1] if area in CASE_AREAS else None,
                table(
                    ("ID", "Title", "Kind", "Roles", "Features", "Rules"),
                    (self._case_row(case_id) for case_id in case_ids),
                ),
            )
            for area, case_ids in by_area.items()
        ]
        return page(
            "# Conformance cases",
            f"The {len(self.cases)} cases of the conformance suite, grouped by area. Each "
            "case is a folder `conformance/cases/<area>/<ID>/` holding its `case.toml` and the "
            "exact bytes it sends, and this page is generated from those files: "
            "`molt-conformance list` prints the same list and `molt-conformance show ID` one "
            "case with its files. How to run the suite against your implementation: "
            f"[Testing your implementation]({self.relative('conformance.md')}); which rules "
            f"the cases cover: [Rule coverage]({self.relative('coverage.md')}).",
            table(
                ("Area", "Cases", "What they check"),
                (
                    (
                        f"[{self.case_area_heading(area)}](#{area})",
                        str(len(case_ids)),
                        CASE_AREAS[area][1] if area in CASE_AREAS else "",
                    )
                    for area, case_ids in by_area.items()
                ),
            )
            if by_area
            else "No conformance cases are installed.",
            *sections,
            "## Feature tags { #feature-tags }",
            "What a case needs beyond the core of the spec (`spec/features.yaml`). An "
            "implementation declares the tags it supports; a case that needs another one is "
            "skipped, not failed.",
            table(
                ("Tag", "Title", "Roles", "Cases"),
                (self._feature_row(feature) for feature in self.spec.features),
            ),
            "## Cases by rule { #by-rule }",
            "The cases that check each rule; every rule lists the same cases under "
            '"Enforced by" on its page. Rules no case checks: '
            f"[Rule coverage]({self.relative('coverage.md')}).",
            table(("Rule", "Level", "Cases"), self._by_rule_rows()),
        )

    def _by_rule_rows(self) -> list[tuple[str, ...]]:
        """One row per rule that has cases, at the anchor of the rule's ID, by area."""
        rows = []
        for rules in self.rules_by_area().values():
            for rule in rules:
                rule_id = str(rule["id"])
                cases = self.cases_of(rule_id)
                if cases:
                    rows.append(
                        (
                            f"{self.link(rule_id)}{{ #{rule_id} }}",
                            level_badge(str(rule["level"])),
                            ", ".join(self.link(case_id) for case_id in cases),
                        )
                    )
        return rows

    def _case_row(self, case_id: str) -> tuple[str, ...]:
        case = self.cases[case_id]
        document = case.document
        return (
            f"[{code(case_id)}](#{case_id}){{ #{case_id} }}",
            self.cell(document.get("title", "")),
            code(document.get("kind", "")),
            ", ".join(str(role) for role in document.get("roles") or []),
            ", ".join(f"[{code(tag)}](#feature-{tag})" for tag in case.features) or "—",
            ", ".join(self.link(rule_id) for rule_id in case.rules),
        )

    def _feature_row(self, feature: Mapping[str, Any]) -> tuple[str, ...]:
        tag = str(feature["tag"])
        cases = [case_id for case_id, case in self.cases.items() if tag in case.features]
        return (
            f"{code(tag)}{{ #feature-{tag} }}",
            self.cell(feature["title"]),
            ", ".join(str(role) for role in feature.get("roles") or []),
            ", ".join(self.link(case_id) for case_id in cases) or "—",
        )


def _total(rules: int, items: int, unit: str) -> str:
    return f"**{rules}** rules · **{items}** {unit}"
