"""MkDocs hook: generate the reference pages of the site from the spec.

Every file below is rendered from `molt.spec.load_spec()` at build time and is
never written by hand, so the site cannot drift from `spec/`:

    rules/index.md, rules/<ID>.md       spec/rules.yaml         reference_pages.py
    errors/index.md, errors/<CODE>.md   spec/errors.yaml        reference_pages.py
    abi.md                              spec/abi.yaml           reference_pages.py
    language.md                         spec/language.yaml      reference_pages.py
    formats.md, schemas/**.json         the manifest's `formats` and spec/schemas/
    lint/index.md, lint/<CODE>.md       spec/lint.yaml          lint_pages.py
    coverage.md, conformance/cases.md   spec/rules.yaml and the conformance cases
                                                                coverage_pages.py
    llms.txt, molt-spec.json            the whole spec, for agents (this file)

This file is the entry point `mkdocs.yml` names; mkdocs runs it with
docs/_hooks/ on `sys.path`, which is how it imports its sibling modules.
`spec_text.py` holds what every page shares: how spec text becomes Markdown
and how rule IDs, error codes, lint codes, language item IDs and conformance
case IDs become links.

An invalid spec stops the build (`PluginError`, with the problems); a reference
to an ID the spec does not define is logged as a warning, which `mkdocs build
--strict` turns into a failed build naming the page and the ID.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from coverage_pages import CoveragePages
from lint_pages import AGENTS, GUIDE, LintPages
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from reference_pages import ReferencePages
from spec_text import (
    CASES_PAGE,
    COVERAGE_PAGE,
    ERRORS_DIR,
    LINT_DIR,
    RULES_DIR,
    bullets,
    log,
    one_line,
    page,
)

# --------------------------------------------------------------------------- hook entry points


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add one generated file per spec page; refuse to shadow a hand-written one."""
    spec, cases = _load_spec()
    site_url = config.site_url or "https://molt.dev/"
    docs_url = spec.manifest.get("docs_url")
    if docs_url and docs_url != site_url:
        log.warning(
            "mkdocs.yml site_url %s differs from docs_url %s in spec/molt-spec.yaml; tools link "
            "every diagnostic to docs_url, so the two must agree",
            site_url,
            docs_url,
        )
    written = {file.dest_uri: file.src_uri for file in files}
    for src_uri, content, in_nav in Site(spec, site_url, cases).pages():
        inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
        generated = File.generated(config, src_uri, content=content, inclusion=inclusion)
        clash = written.get(generated.dest_uri)
        if clash is not None:
            raise PluginError(
                f"docs/{clash} would be published at {generated.dest_uri}, where the spec hook "
                f"publishes {src_uri}; rename or delete docs/{clash} and edit spec/ instead"
            )
        files.append(generated)
    return files


def _load_spec() -> tuple[Any, Any]:
    """The spec and its conformance cases by ID, validated together.

    The pages rely on the spec's shape and on the cases and rules naming each
    other both ways, so an invalid spec, a missing suite or a broken case stops here.
    """
    try:
        from molt.spec import SpecError, cases_root, discover_cases, load_spec, validate_spec
    except ImportError as exc:
        raise PluginError(
            f"cannot import molt.spec ({exc}); install the toolkit with "
            '`python -m pip install -e ".[dev]"` or set PYTHONPATH=reference'
        ) from None
    try:
        spec = load_spec()
    except SpecError as exc:
        raise PluginError(f"{exc.code}: {exc}") from None
    cases = discover_cases()
    if cases is None:
        raise PluginError(
            f"no conformance cases found (looked for {cases_root() or 'conformance/cases'}); "
            "the coverage pages need them: build from a source checkout or set MOLT_CASES_DIR"
        )
    report = validate_spec(spec, cases=cases)
    if not report.ok:
        problems = SpecError(report.errors)
        raise PluginError(f"{problems.code}: {problems} (run `molt spec validate`)")
    return spec, cases.cases


# --------------------------------------------------------------------------- the site


class Site(ReferencePages, LintPages, CoveragePages):
    """Every generated file of the site."""

    def pages(self) -> Iterator[tuple[str, str, bool]]:
        """(src_uri, content, listed in nav) for every generated file."""
        in_nav = {
            "rules/index.md",
            "errors/index.md",
            f"{LINT_DIR}/index.md",
            "abi.md",
            "language.md",
            "formats.md",
            COVERAGE_PAGE,
            CASES_PAGE,
        }
        renderers: list[tuple[str, Callable[[], str]]] = [
            ("rules/index.md", self.rules_index),
            *((f"{RULES_DIR}/{r}.md", partial(self.rule_page, r)) for r in self.rules),
            ("errors/index.md", self.errors_index),
            *((f"{ERRORS_DIR}/{c}.md", partial(self.error_page, c)) for c in self.errors),
            (f"{LINT_DIR}/index.md", self.lint_index),
            *((f"{LINT_DIR}/{c}.md", partial(self.lint_page, c)) for c in self.lint),
            ("abi.md", self.abi_page),
            ("language.md", self.language_page),
            ("formats.md", self.formats_page),
            (COVERAGE_PAGE, self.coverage_page),
            (CASES_PAGE, self.cases_page),
            ("llms.txt", self.llms_txt),
        ]
        for src_uri, render in renderers:
            self._page = src_uri
            yield src_uri, render(), src_uri in in_nav
        yield "molt-spec.json", _json(self.spec.export()), False
        for relative, schema in sorted(self.spec.schemas.items()):
            text = (self.spec.root / relative).read_text(encoding="utf-8")
            yield _served_at(schema, relative, self.site_url), text, False

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
        lint = [
            f"- {c} {item['name']} [{item['severity']}] {one_line(item['title'])}. "
            f"Enforces: {', '.join(str(r) for r in item['rules'])} "
            f"<{self.url(f'{LINT_DIR}/{c}.md')}>"
            for c, item in self.lint.items()
        ]
        cases = [
            f"- {case_id} [{case.document.get('kind')}] Rules: {', '.join(case.rules)}"
            for case_id, case in self.cases.items()
        ]
        return page(
            "# Molt",
            "> Molt compiles a typed subset of Python to small, self-contained WebAssembly "
            "modules. Every call crosses a schema boundary (MessagePack bytes matching a JSON "
            "Schema), modules are loaded explicitly from a lockfile checked by SHA-256 and an "
            "Ed25519 signature against a versioned ABI, execution is deterministic and bounded, "
            "and every failure carries a code from the list below.",
            f"Generated from the Molt spec, version {self.spec.version}: "
            f"{len(self.rules)} rules, {len(self.errors)} error codes, "
            f"{len(self.lint)} lint codes, {len(self.cases)} conformance cases.",
            "## Machine-readable spec",
            bullets(
                [
                    "`molt spec export --format json` prints the whole spec (rules, error codes, "
                    "lint codes, ABI, language subset, formats and their JSON Schemas) as one "
                    f"JSON document; the same document is at <{self.site_url}molt-spec.json>",
                    "`molt spec show ID --format json` prints one rule, error code, lint code or "
                    "language item",
                    "`molt spec rules --format json` and `molt spec errors --format json` list "
                    "the rules and the error codes",
                    "`molt-lint --output-format json PATH` prints a report whose diagnostics carry "
                    "the code, the spec rules, the location, a fix hint and the code's page; "
                    f"`molt-lint --schema` prints its JSON Schema, <{self.site_url}schemas/"
                    "lint-report.json>",
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
                    f"Lint codes: <{self.url(f'{LINT_DIR}/index.md')}>",
                    f"molt-lint (running it, configuration, suppressions): <{self.url(GUIDE)}>",
                    f"molt-lint for agents (the JSON report, fixing from it): <{self.url(AGENTS)}>",
                    "Rule coverage (what enforces each rule, MUST rules without a conformance "
                    f"case): <{self.url(COVERAGE_PAGE)}>",
                    f"Conformance cases: <{self.url(CASES_PAGE)}>",
                    f"Testing your implementation (the conformance runner and its adapter "
                    f"protocol): <{self.url('conformance.md')}>",
                ]
            ),
            "## Rules",
            "One line each: ID [LEVEL] title: statement <page>",
            "\n".join(rules),
            "## Error codes",
            "Errors print as `CODE: message` on stderr, carry `.code` on Python exceptions and "
            "`code` in JSON. One line each: CODE [phase] title. Fix: what to do <page>",
            "\n".join(errors),
            "## Lint codes",
            "Diagnostics of `molt-lint`, which checks Molt sources and the host code around "
            "them. Severity error fails the run, warning does not. A line is exempt only with "
            "`# molt: allow[CODE] reason` (a reason is required; `# noqa` does not count). One "
            "line each: CODE Name [severity] title. Enforces: spec rules <page>",
            "\n".join(lint),
            "## Conformance cases",
            "Cases any implementation runs with `molt-conformance run --adapter COMMAND`; "
            "`molt-conformance show ID` prints one with its files; on the site each case is at "
            f"<{self.url(CASES_PAGE)}#ID>. One line each: ID [kind] Rules: the rules it checks",
            "\n".join(cases),
        )


def _served_at(schema: Any, relative: str, site_url: str) -> str:
    """Where the site serves a schema: at its `$id` when that is on this site."""
    schema_id = schema.get("$id") if isinstance(schema, dict) else None
    if isinstance(schema_id, str) and schema_id.startswith(site_url):
        return schema_id.removeprefix(site_url)
    return relative


def _json(value: Any) -> str:
    """JSON exactly as `molt spec export` prints it."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
