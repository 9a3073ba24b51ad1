"""The reference pages: rules, error codes, the module ABI, the language subset, formats.

    rules/index.md, rules/<ID>.md       spec/rules.yaml
    errors/index.md, errors/<CODE>.md   spec/errors.yaml
    abi.md                              spec/abi.yaml
    language.md                         spec/language.yaml
    formats.md                          the manifest's `formats` and spec/schemas/

Each page links every ID it names through `Linker` (spec_text.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from spec_text import (
    ERRORS_DIR,
    RULES_DIR,
    Linker,
    admonition,
    bullets,
    code,
    facts,
    fence,
    heading,
    language_items,
    level_badge,
    one_line,
    page,
    schema_enum,
    status_note,
    table,
)

ENFORCERS = (
    ("lint", "molt-lint codes"),
    ("compiler", "Compiler errors"),
    ("runtime", "Host errors"),
    ("conformance", "Conformance cases"),
)


class ReferencePages(Linker):
    """Renders the pages of rules.yaml, errors.yaml, abi.yaml, language.yaml and the formats."""

    # -- rules

    def rules_index(self) -> str:
        areas = schema_enum(self.spec, "schemas/spec-rules.json", "area")
        by_area: dict[str, list[Mapping[str, Any]]] = {}
        for rule in self.rules.values():
            by_area.setdefault(str(rule["area"]), []).append(rule)
        sections = [
            page(
                f"## {heading(area)} {{ #{area} }}",
                table(
                    ("ID", "Level", "Title"),
                    (
                        (
                            self.link(str(r["id"])),
                            level_badge(str(r["level"])),
                            self.cell(r["title"]),
                        )
                        for r in by_area[area]
                    ),
                ),
            )
            for area in [a for a in areas if a in by_area] + sorted(set(by_area) - set(areas))
        ]
        return page(
            "# Rules",
            f"The {len(self.rules)} normative rules of the Molt design (spec "
            f"{self.spec.version}), grouped by area. Levels are those of "
            "[RFC 2119](https://www.rfc-editor.org/rfc/rfc2119). This page and every rule page "
            "are generated from `spec/rules.yaml`; `molt spec rules` prints the same list.",
            *sections,
            self.retired_section("rules", "id"),
        )

    def rule_page(self, rule_id: str) -> str:
        rule = self.rules[rule_id]
        guidance = rule.get("guidance") or {}
        upheld_by = [c for c, e in self.errors.items() if rule_id in (e.get("rules") or [])]
        related = rule.get("related") or []
        references = rule.get("references") or []
        area = str(rule["area"])
        return page(
            f"# {rule_id}",
            f"{level_badge(str(rule['level']))} **{self.prose(rule['title'], autolink=False)}**",
            facts(
                ("Area", f"[{area}]({self.relative(f'{RULES_DIR}/index.md#{area}')})"),
                ("Status", f"{rule['status']} since {rule['since']}"),
            ),
            status_note(rule),
            "## Statement",
            self.prose(rule["statement"]),
            "## Rationale",
            self.prose(rule["rationale"]),
            "## Guidance",
            *(self._example("success", "Do", example) for example in guidance.get("do") or []),
            *(self._example("failure", "Don't", example) for example in guidance.get("dont") or []),
            "## Enforced by",
            self._enforced_by(rule),
            "## Error codes that uphold it" if upheld_by else None,
            bullets(self.link(c, title=True) for c in upheld_by) if upheld_by else None,
            "## Related rules" if related else None,
            bullets(self.link(str(r), title=True) for r in related) if related else None,
            "## References" if references else None,
            bullets(f"[{self.prose(r['title'], autolink=False)}]({r['url']})" for r in references)
            if references
            else None,
        )

    def _example(self, kind: str, label: str, example: Mapping[str, Any]) -> str:
        language = example.get("language") or "python"
        body = page(self.prose(example["text"]), fence(str(example["example"]), language))
        return admonition(kind, label, body)

    def _enforced_by(self, rule: Mapping[str, Any]) -> str:
        enforced = rule.get("enforced_by") or {}
        if not any(enforced.get(key) for key, _ in ENFORCERS):
            return admonition(
                "warning",
                "Not enforced yet",
                "No lint code, compiler error, host error or conformance case checks this rule "
                "yet. `molt spec validate` reports it as a warning, so the gap stays visible "
                "until a check lands.",
            )
        return table(
            ("Checked by", "IDs"),
            (
                (label, ", ".join(self.link(str(i)) for i in enforced[key]))
                for key, label in ENFORCERS
                if enforced.get(key)
            ),
        )

    # -- errors

    def errors_index(self) -> str:
        phases = schema_enum(self.spec, "schemas/spec-errors.json", "phase")
        phase_doc = (
            self.spec.schemas.get("schemas/spec-errors.json", {})
            .get("$defs", {})
            .get("phase", {})
            .get("description")
        )
        by_phase: dict[str, list[Mapping[str, Any]]] = {}
        for error in self.errors.values():
            by_phase.setdefault(str(error["phase"]), []).append(error)
        sections = [
            page(
                f"## {heading(phase)} {{ #{phase} }}",
                table(
                    ("Code", "Title"),
                    ((self.link(str(e["code"])), self.cell(e["title"])) for e in by_phase[phase]),
                ),
            )
            for phase in [p for p in phases if p in by_phase] + sorted(set(by_phase) - set(phases))
        ]
        return page(
            "# Error codes",
            f"Every failure of a Molt tool or module has one of these {len(self.errors)} codes "
            f"(spec {self.spec.version}), grouped by the phase that reports it. Python "
            "exceptions carry it as `.code`, JSON output as `code`, and the command-line tools "
            "print `CODE: message` on stderr; see [Errors](../concepts/errors.md). "
            "`molt spec errors` prints the same list.",
            self.prose(phase_doc) if phase_doc else None,
            *sections,
            self.retired_section("errors", "code"),
        )

    def error_page(self, code_: str) -> str:
        error = self.errors[code_]
        phase = str(error["phase"])
        location = "none"
        if error.get("has_path"):
            location = (
                "`file:line:col`"
                if phase in ("compile", "lint")
                else "a JSON path, for example `$.points[3].x`"
            )
        sources = self._error_sources(code_)
        upholds = error.get("rules") or []
        return page(
            f"# {code_}",
            f"**{self.prose(error['title'], autolink=False)}**",
            facts(
                ("Phase", f"[{phase}]({self.relative(f'{ERRORS_DIR}/index.md#{phase}')})"),
                ("Status", f"{error['status']} since {error['since']}"),
                ("Location", location),
            ),
            status_note(error),
            "## When",
            self.prose(error["when"]),
            "## Fix",
            self.prose(error["fix"]),
            "## Message",
            "The message template; tools fill in the `{fields}`:",
            fence(str(error["message"]), "text"),
            "## Example" if error.get("example") else None,
            fence(str(error["example"]), "text") if error.get("example") else None,
            "## Rules it upholds" if upholds else None,
            bullets(self.link(str(r), title=True) for r in upholds) if upholds else None,
            "## Where it comes from" if sources else None,
            bullets(sources) if sources else None,
        )

    def _error_sources(self, code_: str) -> list[str]:
        """Spec items that name this code: language items, ABI host checks and limits."""
        sources = []
        for item in language_items(self.spec.language):
            if code_ == item.get("code") or code_ in (item.get("errors") or []):
                name = self.prose(item.get("name") or item.get("construct"), autolink=False)
                sources.append(f"{self.link(str(item['id']))}: {name}")
        for section, label in (("host_checks", "host check"), ("limits", "limit")):
            anchor = section.replace("_", "-")
            for check in self.spec.abi.get(section) or []:
                if check.get("code") == code_:
                    where = self.relative(f"abi.md#{anchor}")
                    sources.append(
                        f"ABI {label} [{self.prose(check['check'], autolink=False)}]({where})"
                    )
        return sources

    # -- ABI

    def abi_page(self) -> str:
        abi = self.spec.abi
        version = f"{abi['abi_version']['major']}.{abi['abi_version']['minor']}"
        target = abi["target"]
        packing = abi["result_packing"]
        section = abi["interface_section"]
        messages = abi["messages"]
        schema_path = str(section["schema"])
        fmt = self.formats_by_schema.get(schema_path)
        schema_ref = code(schema_path)
        if fmt:
            schema_ref = f"[{schema_ref}]({self.relative('formats.md#' + str(fmt['name']))})"

        def wasm_types(values: list[str] | None) -> str:
            return ", ".join(code(v) for v in values or []) or "—"

        return page(
            f"# Module ABI {version}",
            "The exact contract between a compiled Molt module and a host, generated from "
            "`spec/abi.yaml`. A host accepts a module whose major ABI version equals its own.",
            facts(
                ("ABI version", version),
                ("`molt_abi_version()` returns", code(abi["encoded_version"])),
            ),
            "## Target { #target }",
            bullets(
                [
                    f"Triple: {code(target['triple'])}",
                    f"Features a module may use: {wasm_types(target.get('features'))}",
                    "Features a module must not use: "
                    + wasm_types(target.get("forbidden_features")),
                ]
            ),
            self.prose(target["notes"]) if target.get("notes") else None,
            "## Imports { #imports }",
            f"Allowed imports: {wasm_types(abi['imports']) if abi['imports'] else 'none'}.",
            self.prose(abi["imports_rule"]),
            "## Exports { #exports }",
            "A module exports exactly these, and nothing else; `{export}` stands for the name of "
            "an exported function.",
            table(
                ("Name", "Kind", "Params", "Results", "Semantics"),
                (
                    (
                        code(e["name"]),
                        str(e["kind"]),
                        wasm_types(e.get("params")),
                        wasm_types(e.get("results")),
                        self.cell(e["semantics"]),
                    )
                    for e in abi["exports"]
                ),
            ),
            "## Call sequence { #call-sequence }",
            "\n".join(
                f"{n}. **{self.prose(step['step'], autolink=False)}**: "
                + self.prose(one_line(step["detail"]))
                for n, step in enumerate(abi["call_sequence"], start=1)
            ),
            "## Result packing { #result-packing }",
            fence(str(packing["formula"]), "text"),
            table(
                ("Field", "Bits", "Meaning"),
                (
                    (code(f["name"]), str(f["bits"]), self.cell(f["meaning"]))
                    for f in packing["fields"]
                ),
            ),
            table(
                ("Status", "Meaning"),
                ((str(s["value"]), self.cell(s["meaning"])) for s in packing["statuses"]),
            ),
            "Reference decoders:",
            admonition("example", "Python", fence(str(packing["decode_python"]), "python")),
            admonition(
                "example", "JavaScript", fence(str(packing["decode_javascript"]), "javascript")
            ),
            "## Arena { #arena }",
            self.prose(abi["arena"]),
            "## Messages { #messages }",
            table(
                ("Message", "Contents"),
                (
                    (label, self.cell(messages[key]))
                    for key, label in (
                        ("input", "Input"),
                        ("output", "Output"),
                        ("error", "Error"),
                        ("wire_format", "Wire format"),
                    )
                ),
            ),
            "## The `molt.interface` custom section { #interface-section }",
            bullets(
                [
                    f"Name: {code(section['name'])}",
                    f"Encoding: {self.prose(one_line(section['encoding']))}",
                    f"Schema: {schema_ref}",
                ]
            ),
            "Rules:",
            bullets(self.prose(one_line(rule)) for rule in section["rules"]),
            "## Value table { #value-table }",
            "How each Molt type crosses the boundary: the MessagePack types on the wire and the "
            "JSON Schema the interface uses (`T` stands for the element type's schema).",
            table(
                ("Molt type", "MessagePack", "JSON Schema", "Notes"),
                (
                    (
                        code(v["molt"]),
                        self.cell(v["msgpack"]),
                        code(json.dumps(v["json_schema"], ensure_ascii=False)),
                        self.cell(v.get("notes", "")),
                    )
                    for v in abi["value_table"]
                ),
            ),
            "## Host checks { #host-checks }",
            "What a host checks before it runs any code of a module, in this order; each failure "
            "has its code. See [Explicit, signed loading](concepts/explicit-signed-loading.md).",
            self._checks(abi["host_checks"]),
            "## Limits { #limits }",
            "Resource limits and how a host reports hitting them. See "
            "[Determinism and limits](concepts/determinism-and-limits.md).",
            self._checks(abi["limits"]) if abi["limits"] else "No limits are defined.",
        )

    def _checks(self, checks: list[Mapping[str, Any]]) -> str:
        return table(
            ("#", "Check", "Detail", "Error"),
            (
                (str(n), self.cell(c["check"]), self.cell(c["detail"]), self.link(str(c["code"])))
                for n, c in enumerate(checks, start=1)
            ),
        )

    # -- language

    def language_page(self) -> str:
        lang = self.spec.language
        body: list[str] = []
        for key, title in (
            ("types", "Types"),
            ("statements", "Statements"),
            ("expressions", "Expressions"),
            ("builtins", "Built-in functions and methods"),
        ):
            body.append(f"## {title} {{ #{key} }}")
            body.extend(self._language_item(item) for item in lang.get(key) or [])
        body.append("## Rejected constructs { #rejected }")
        body.append(
            "The compiler rejects everything the lists above do not accept; these are the "
            "constructs people reach for most often, each with the code reported and what to "
            "write instead."
        )
        body.extend(self._rejected_item(item) for item in lang.get("rejected") or [])
        return page(
            "# Language subset",
            f"Language version {lang['language_version']}, generated from `spec/language.yaml`.",
            self.prose(lang["summary"]),
            "## Imports { #imports }",
            "A Molt source may import only these:",
            table(
                ("Module", "Names", "Why"),
                (
                    (code(i["module"]), ", ".join(code(n) for n in i["names"]), self.cell(i["why"]))
                    for i in lang["imports"]
                ),
            ),
            *body,
        )

    def _language_item(self, item: Mapping[str, Any]) -> str:
        errors = item.get("errors") or []
        return page(
            f"### {self.prose(item['name'], autolink=False)} {{ #{item['id']} }}",
            code(item["id"]),
            fence(str(item["syntax"])),
            self.prose(item["semantics"]),
            f"Errors: {', '.join(self.link(str(e)) for e in errors)}" if errors else None,
            admonition("example", "Example", fence(str(item["example"])))
            if item.get("example")
            else None,
        )

    def _rejected_item(self, item: Mapping[str, Any]) -> str:
        return page(
            f"### {self.prose(item['construct'], autolink=False)} {{ #{item['id']} }}",
            f"{code(item['id'])} · reported as {self.link(str(item['code']))}",
            fence(str(item["example"])),
            f"**Instead:** {self.prose(item['instead'])}",
        )

    # -- formats

    def formats_page(self) -> str:
        blocks = []
        for fmt in self.spec.formats:
            relative = str(fmt["schema"])
            schema = self.spec.schemas.get(relative)
            facts = [
                f"Name: {code(fmt['name'])}",
                f"File: {code(fmt['file'])}",
                f"Schema: {code(relative)}",
            ]
            if isinstance(schema, dict) and isinstance(schema.get("$id"), str):
                facts.append(f"`$id`: <{schema['$id']}>")
            if schema is None:
                shown = admonition(
                    "info", "Schema not published yet", f"`spec/{relative}` does not exist yet."
                )
            else:
                shown = admonition(
                    "abstract",
                    f"JSON Schema: {relative}",
                    fence(json.dumps(schema, indent=2, ensure_ascii=False), "json"),
                    collapsed=True,
                )
            description = schema.get("description") if isinstance(schema, dict) else None
            blocks.append(
                page(
                    f"## {self.prose(fmt['title'], autolink=False)} {{ #{fmt['name']} }}",
                    bullets(facts),
                    self.prose(description) if description else None,
                    shown,
                )
            )
        return page(
            "# Formats",
            "Every file and message format Molt defines, each with its JSON Schema "
            "(draft 2020-12), from the `formats` table of `spec/molt-spec.yaml`. Each schema's "
            "`$id` is permanent, and this site serves the schema at that address.",
            *blocks,
        )
