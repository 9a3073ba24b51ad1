"""MkDocs hook: generate the reference pages of the site from the spec.

Every file below is rendered from `molt.spec.load_spec()` at build time and is
never written by hand, so the site cannot drift from `spec/`:

    rules/index.md, rules/<ID>.md       spec/rules.yaml
    errors/index.md, errors/<CODE>.md   spec/errors.yaml
    abi.md                              spec/abi.yaml
    language.md                         spec/language.yaml
    formats.md, schemas/**.json         the manifest's `formats` and spec/schemas/
    llms.txt, molt-spec.json            the whole spec, for agents

Spec text is plain text with `code spans`: outside the spans every character
Markdown would act on is escaped (the spec writes `**`, `[0-9]` and `{export}`
meaning exactly that), rule IDs, error codes and language item IDs become
links, and paragraphs (blank-line separated) are kept.

An invalid spec stops the build (`PluginError`, with the problems); a reference
to an ID the spec does not define is logged as a warning, which `mkdocs build
--strict` turns into a failed build naming the page and the ID.
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

log = logging.getLogger("mkdocs.plugins.molt_spec_pages")

RULES_DIR = "rules"
ERRORS_DIR = "errors"
LEVEL_CLASSES = {
    "MUST": "must",
    "MUST NOT": "must-not",
    "SHOULD": "should",
    "SHOULD NOT": "should-not",
    "MAY": "may",
}
ENFORCERS = (
    ("lint", "molt-lint codes"),
    ("compiler", "Compiler errors"),
    ("runtime", "Host errors"),
    ("conformance", "Conformance cases"),
)
HEADINGS = {"abi": "ABI", "ux": "UX"}
"""Area and phase names whose heading is not just the capitalised name."""

_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_SPEC_ID = re.compile(r"(?<![\w/#-])MOLT-[REL]-[A-Z0-9]+(?:-[A-Z0-9]+)*(?![\w-])")
_MARKDOWN_CHARS = re.compile(r"([\\*_\[\]{}|])")
_BLOCK_START = re.compile(r"^([-+#])|^(\d+)([.)])")
_HTML = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


# --------------------------------------------------------------------------- hook entry points


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add one generated file per spec page; refuse to shadow a hand-written one."""
    spec = _load_spec()
    site_url = config.site_url or "https://molt.dev/"
    docs_url = spec.manifest.get("docs_url")
    if docs_url and docs_url != site_url:
        log.warning(
            "mkdocs.yml site_url %s differs from docs_url %s in spec/molt-spec.yaml; tools link "
            "every diagnostic to docs_url, so the two must agree",
            site_url,
            docs_url,
        )
    for src_uri, content, in_nav in Site(spec, site_url).pages():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(
                f"docs/{src_uri} exists, but the spec hook generates that page; delete the file "
                "and edit spec/ instead"
            )
        inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
    return files


def _load_spec() -> Any:
    """Load and validate the spec; the pages rely on its shape, so an invalid one stops here."""
    try:
        from molt.spec import SpecError, load_spec, validate_spec
    except ImportError as exc:
        raise PluginError(
            f"cannot import molt.spec ({exc}); install the toolkit with "
            '`python -m pip install -e ".[dev]"` or set PYTHONPATH=reference'
        ) from None
    try:
        spec = load_spec()
    except SpecError as exc:
        raise PluginError(f"{exc.code}: {exc}") from None
    report = validate_spec(spec)
    if not report.ok:
        problems = SpecError(report.errors)
        raise PluginError(f"{problems.code}: {problems} (run `molt spec validate`)")
    return spec


# --------------------------------------------------------------------------- markdown helpers


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


# --------------------------------------------------------------------------- the site


class Site:
    """Renders every generated file; knows where each ID's page lives."""

    def __init__(self, spec: Any, site_url: str) -> None:
        self.spec = spec
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self.rules: dict[str, Mapping[str, Any]] = {str(r["id"]): r for r in spec.rules}
        self.errors: dict[str, Mapping[str, Any]] = {str(e["code"]): e for e in spec.errors}
        self.language_ids = {
            str(item["id"]) for item in _language_items(spec.language) if item.get("id")
        }
        self.retired = {str(r["id"]) for r in spec.documents["rules"].get("retired") or []} | {
            str(e["code"]) for e in spec.documents["errors"].get("retired") or []
        }
        self.formats_by_schema = {str(f["schema"]): f for f in spec.formats}
        self._page = ""

    # -- links and text

    def target(self, identifier: str) -> str | None:
        """The docs path of an ID's page (with an anchor for language items), if it has one."""
        if identifier in self.rules:
            return f"{RULES_DIR}/{identifier}.md"
        if identifier in self.errors:
            return f"{ERRORS_DIR}/{identifier}.md"
        if identifier in self.language_ids:
            return f"language.md#{identifier}"
        if identifier in self.retired:
            index = RULES_DIR if identifier.startswith("MOLT-R-") else ERRORS_DIR
            return f"{index}/index.md#retired"
        return None

    def link(self, identifier: str, *, title: bool = False) -> str:
        """A link from the page being rendered to the page of a rule, error code or item."""
        target = self.target(identifier)
        if target is None:
            log.warning("%s refers to %s, which the spec does not define", self._page, identifier)
            return code(identifier)
        text = f"[{code(identifier)}]({self.relative(target)})"
        item = self.rules.get(identifier) or self.errors.get(identifier)
        return f"{text}: {self.prose(item['title'], autolink=False)}" if title and item else text

    def relative(self, target: str) -> str:
        """`target` (a docs path, maybe with an #anchor) relative to the page being rendered."""
        path, _, anchor = target.partition("#")
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

    # -- all files

    def pages(self) -> Iterator[tuple[str, str, bool]]:
        """(src_uri, content, listed in nav) for every generated file."""
        in_nav = {"rules/index.md", "errors/index.md", "abi.md", "language.md", "formats.md"}
        renderers: list[tuple[str, Callable[[], str]]] = [
            ("rules/index.md", self.rules_index),
            *((f"{RULES_DIR}/{r}.md", partial(self.rule_page, r)) for r in self.rules),
            ("errors/index.md", self.errors_index),
            *((f"{ERRORS_DIR}/{c}.md", partial(self.error_page, c)) for c in self.errors),
            ("abi.md", self.abi_page),
            ("language.md", self.language_page),
            ("formats.md", self.formats_page),
            ("llms.txt", self.llms_txt),
        ]
        for src_uri, render in renderers:
            self._page = src_uri
            yield src_uri, render(), src_uri in in_nav
        yield "molt-spec.json", _json(self.spec.export()), False
        for relative, schema in sorted(self.spec.schemas.items()):
            text = (self.spec.root / relative).read_text(encoding="utf-8")
            yield _served_at(schema, relative, self.site_url), text, False

    # -- rules

    def rules_index(self) -> str:
        areas = _schema_enum(self.spec, "schemas/spec-rules.json", "area")
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
            self._retired(self.spec.documents["rules"].get("retired") or [], "id"),
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
            _facts(
                ("Area", f"[{area}]({self.relative(f'{RULES_DIR}/index.md#{area}')})"),
                ("Status", f"{rule['status']} since {rule['since']}"),
            ),
            _status_note(rule),
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
                (label, ", ".join(self._enforcer(str(i)) for i in enforced[key]))
                for key, label in ENFORCERS
                if enforced.get(key)
            ),
        )

    def _enforcer(self, identifier: str) -> str:
        """Error codes link to their page; lint codes and case IDs have none yet."""
        return self.link(identifier) if identifier.startswith("MOLT-E-") else code(identifier)

    # -- errors

    def errors_index(self) -> str:
        phases = _schema_enum(self.spec, "schemas/spec-errors.json", "phase")
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
            self._retired(self.spec.documents["errors"].get("retired") or [], "code"),
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
            _facts(
                ("Phase", f"[{phase}]({self.relative(f'{ERRORS_DIR}/index.md#{phase}')})"),
                ("Status", f"{error['status']} since {error['since']}"),
                ("Location", location),
            ),
            _status_note(error),
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
        for item in _language_items(self.spec.language):
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

    def _retired(self, retired: list[Mapping[str, Any]], key: str) -> str:
        rows = [
            (
                code(entry[key]),
                str(entry["retired_in"]),
                self.link(str(entry["replaced_by"])) if entry.get("replaced_by") else "—",
                self.prose(entry["reason"], in_cell=True, autolink=False),
            )
            for entry in retired
        ]
        return page(
            "## Retired { #retired }",
            "IDs that were renamed or removed. They stay listed forever so that no new item "
            "reuses them; see [IDs and status](../concepts/ids.md).",
            table(("ID", "Retired in", "Replaced by", "Reason"), rows) if rows else "None yet.",
        )

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
            _facts(
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

    # -- llms.txt

    def llms_txt(self) -> str:
        rules = [
            f"- {rid} [{r['level']}] {one_line(r['title'])}: {one_line(r['statement'])} "
            f"<{self.url(f'{RULES_DIR}/{rid}.md')}>"
            for rid, r in self.rules.items()
        ]
        errors = [
            f"- {c} [{e['phase']}] {one_line(e['title'])}. Fix: {one_line(e['fix'])} "
            f"<{self.url(f'{ERRORS_DIR}/{c}.md')}>"
            for c, e in self.errors.items()
        ]
        return page(
            "# Molt",
            "> Molt compiles a typed subset of Python to small, self-contained WebAssembly "
            "modules. Every call crosses a schema boundary (MessagePack bytes matching a JSON "
            "Schema), modules are loaded explicitly from a lockfile checked by SHA-256 and an "
            "Ed25519 signature against a versioned ABI, execution is deterministic and bounded, "
            "and every failure carries a code from the list below.",
            f"Generated from the Molt spec, version {self.spec.version}: "
            f"{len(self.rules)} rules, {len(self.errors)} error codes.",
            "## Machine-readable spec",
            bullets(
                [
                    "`molt spec export --format json` prints the whole spec (rules, error codes, "
                    "ABI, language subset, formats and their JSON Schemas) as one JSON document; "
                    f"the same document is at <{self.site_url}molt-spec.json>",
                    "`molt spec show ID --format json` prints one rule, error code, lint code or "
                    "language item",
                    "`molt spec rules --format json` and `molt spec errors --format json` list "
                    "the rules and the error codes",
                    "the JSON Schema of every format is served at its `$id`, "
                    f"<{self.site_url}schemas/NAME.json>; list: <{self.url('formats.md')}>",
                ]
            ),
            "## Pages",
            bullets(
                [
                    f"Module ABI: <{self.url('abi.md')}>",
                    f"Language subset: <{self.url('language.md')}>",
                    f"Rules: <{self.url(f'{RULES_DIR}/index.md')}>",
                    f"Error codes: <{self.url(f'{ERRORS_DIR}/index.md')}>",
                ]
            ),
            "## Rules",
            "One line each: ID [LEVEL] title: statement <page>",
            "\n".join(rules),
            "## Error codes",
            "Errors print as `CODE: message` on stderr, carry `.code` on Python exceptions and "
            "`code` in JSON. One line each: CODE [phase] title. Fix: what to do <page>",
            "\n".join(errors),
        )


def _language_items(language: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    from molt.spec import iter_language_items

    return iter_language_items(language)


def _served_at(schema: Any, relative: str, site_url: str) -> str:
    """Where the site serves a schema: at its `$id` when that is on this site."""
    schema_id = schema.get("$id") if isinstance(schema, dict) else None
    if isinstance(schema_id, str) and schema_id.startswith(site_url):
        return schema_id.removeprefix(site_url)
    return relative


def _json(value: Any) -> str:
    """JSON exactly as `molt spec export` prints it."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _schema_enum(spec: Any, schema: str, name: str) -> list[str]:
    """The values of an enum in a spec schema's `$defs`, for example the rule areas in order."""
    definition = spec.schemas.get(schema, {}).get("$defs", {}).get(name, {})
    return [str(value) for value in definition.get("enum", [])]


def _facts(*fields: tuple[str, str]) -> str:
    return " · ".join(f"**{name}:** {value}" for name, value in fields)


def _status_note(item: Mapping[str, Any]) -> str | None:
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
