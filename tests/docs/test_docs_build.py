"""The documentation site builds strictly, with a generated page for every spec ID.

One `mkdocs build --strict` runs per session (conftest.py: a few seconds); each
test reads the built site. The pages come from the hook
`docs/_hooks/spec_pages.py` (and its sibling modules), so these tests pin that
the site and `load_spec()` list exactly the same rules, error codes and lint
codes, and that the pages link them to one another.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from molt.spec import load_spec
from molt_lint._suppress import ALWAYS_UNSUPPRESSIBLE
from tests.conftest import REPO_ROOT
from tests.docs.conftest import build_env, h2_section

SITE_URL = "https://molt.dev/"


def _page_names(section: Path) -> set[str]:
    """Names of the per-item pages under rules/, errors/ or lint/ (each is NAME/index.html)."""
    return {page.parent.name for page in section.glob("*/index.html")}


def _lint_codes() -> set[str]:
    return {code["code"] for code in load_spec().lint_codes}


def test_strict_build_exits_0_without_warnings(site) -> None:
    build, _ = site
    assert build.returncode == 0, build.stderr
    warnings = [line for line in build.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == []


def test_site_has_one_page_per_rule_and_nothing_else(built: Path) -> None:
    assert _page_names(built / "rules") == {rule["id"] for rule in load_spec().rules}


def test_site_has_one_page_per_error_code_and_nothing_else(built: Path) -> None:
    assert _page_names(built / "errors") == {error["code"] for error in load_spec().errors}


def test_site_has_one_page_per_lint_code_and_nothing_else(built: Path) -> None:
    assert _page_names(built / "lint") == _lint_codes()


def test_every_lint_code_page_is_at_the_url_its_diagnostics_carry(built: Path) -> None:
    spec = load_spec()
    missing = [
        code
        for code in _lint_codes()
        if not (built / spec.docs_url(code).removeprefix(SITE_URL) / "index.html").is_file()
    ]
    assert missing == []


def test_abi_page_documents_the_call_exports(built: Path) -> None:
    assert "molt_call_" in (built / "abi" / "index.html").read_text(encoding="utf-8")


def test_llms_txt_lists_every_rule_and_error_code(built: Path) -> None:
    spec = load_spec()
    listed = set(re.findall(r"^- (MOLT-[RE]-[A-Z0-9-]+) ", (built / "llms.txt").read_text(), re.M))
    assert listed == {rule["id"] for rule in spec.rules} | {error["code"] for error in spec.errors}


def test_llms_txt_lists_every_lint_code(built: Path) -> None:
    listed = set(re.findall(r"^- (MOLT[0-9]{3}) ", (built / "llms.txt").read_text(), re.M))
    assert listed == _lint_codes()


def test_llms_txt_gives_each_lint_code_its_name_severity_title_and_rules(built: Path) -> None:
    lines = (built / "llms.txt").read_text(encoding="utf-8").splitlines()
    assert (
        "- MOLT401 Randomness [error] Random values in code that must be deterministic. "
        "Enforces: MOLT-R-DETERMINISM <https://molt.dev/lint/MOLT401/>"
    ) in lines


def test_rules_index_links_every_rule(built: Path) -> None:
    index = (built / "rules" / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="(MOLT-R-[A-Z0-9-]+)/"', index))
    assert linked == {rule["id"] for rule in load_spec().rules}


def test_errors_index_links_every_error_code(built: Path) -> None:
    index = (built / "errors" / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="(MOLT-E-[A-Z0-9-]+)/"', index))
    assert linked == {error["code"] for error in load_spec().errors}


def test_lint_index_links_every_lint_code(built: Path) -> None:
    index = (built / "lint" / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="(MOLT[0-9]{3})/"', index)) == _lint_codes()


def test_rule_page_enforced_by_links_exactly_its_lint_codes(built: Path) -> None:
    for rule in load_spec().rules:
        page = (built / "rules" / rule["id"] / "index.html").read_text(encoding="utf-8")
        enforced_by = h2_section(page, "enforced-by")
        linked = set(re.findall(r'href="../../lint/(MOLT[0-9]{3})/"', enforced_by))
        assert linked == set(rule["enforced_by"]["lint"]), rule["id"]


def test_lint_code_page_links_exactly_the_rules_it_enforces(built: Path) -> None:
    for code in load_spec().lint_codes:
        page = (built / "lint" / code["code"] / "index.html").read_text(encoding="utf-8")
        rules = h2_section(page, "spec-rules-it-enforces")
        linked = re.findall(r'href="../../rules/(MOLT-R-[A-Z0-9-]+)/"', rules)
        assert linked == code["rules"], code["code"]


def test_lint_code_page_offers_a_suppression_comment_unless_the_code_is_unsuppressible(
    built: Path,
) -> None:
    offered = {
        code
        for code in _lint_codes()
        if "To accept one occurrence, say why on its line"
        in (built / "lint" / code / "index.html").read_text(encoding="utf-8")
    }
    assert offered == _lint_codes() - ALWAYS_UNSUPPRESSIBLE


def test_site_serves_the_json_export_of_the_whole_spec(built: Path) -> None:
    exported = json.loads((built / "molt-spec.json").read_text(encoding="utf-8"))
    assert exported == json.loads(json.dumps(load_spec().export()))


def test_every_schema_is_served_at_its_id(built: Path) -> None:
    schemas = load_spec().schemas.values()
    served = {
        schema["$id"]: json.loads((built / schema["$id"].removeprefix(SITE_URL)).read_text())
        for schema in schemas
    }
    assert served == {schema["$id"]: schema for schema in schemas}


def test_rule_page_shows_not_enforced_yet_exactly_when_nothing_enforces_it(built: Path) -> None:
    for rule in load_spec().rules:
        page = (built / "rules" / rule["id"] / "index.html").read_text(encoding="utf-8")
        unenforced = not any(rule["enforced_by"].values())
        assert ("Not enforced yet" in page) == unenforced, rule["id"]


def test_strict_build_fails_when_spec_text_names_an_unknown_id(spec_copy, tmp_path: Path) -> None:
    def mention_unknown_code(rules: dict) -> None:
        rules["rules"][0]["rationale"] += " See MOLT-E-NO-SUCH-CODE."

    root = spec_copy(rules=mention_unknown_code)
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO_ROOT,
        env={**build_env(), "MOLT_SPEC_DIR": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert build.returncode == 1
    rule_id = load_spec(root).rules[0]["id"]
    assert f"rules/{rule_id}.md refers to MOLT-E-NO-SUCH-CODE" in build.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a | b", "a \\| b"),
        ("`a | b` stays code", "`a | b` stays code"),
        (
            "see MOLT-R-SCHEMA-BOUNDARY.",
            "see [`MOLT-R-SCHEMA-BOUNDARY`](MOLT-R-SCHEMA-BOUNDARY.md).",
        ),
        ("`MOLT-R-SCHEMA-BOUNDARY` in code", "`MOLT-R-SCHEMA-BOUNDARY` in code"),
        ("at <docs_url>rules/<ID>/", "at &lt;docs\\_url&gt;rules/&lt;ID&gt;/"),
        ("[0-9](_?[0-9])* and {export}", "\\[0-9\\](\\_?\\[0-9\\])\\* and \\{export\\}"),
        ("- not a list", "\\- not a list"),
        ("1. not a list", "1\\. not a list"),
        ("see MOLT-E-OVERFLOW", "see [`MOLT-E-OVERFLOW`](../errors/MOLT-E-OVERFLOW.md)"),
        (
            "https://molt.dev/rules/MOLT-R-SCHEMA-BOUNDARY/",
            "https://molt.dev/rules/MOLT-R-SCHEMA-BOUNDARY/",
        ),
        ("two\n  lines", "two lines"),
        (
            "reported by MOLT101 and MOLT102.",
            "reported by [`MOLT101`](../lint/MOLT101.md) and [`MOLT102`](../lint/MOLT102.md).",
        ),
        ("`# molt: allow[MOLT305] <reason>`", "`# molt: allow[MOLT305] <reason>`"),
        ("MOLT3 for the family, MOLT1010 is no code", "MOLT3 for the family, MOLT1010 is no code"),
        ("https://molt.dev/lint/MOLT101/", "https://molt.dev/lint/MOLT101/"),
    ],
)
def test_table_cells_escape_pipes_and_tags_and_link_ids_outside_code(hook, text, expected) -> None:
    site = hook.Site(load_spec(), SITE_URL)
    site._page = "rules/index.md"
    assert site.cell(text) == expected


def test_link_to_an_undefined_lint_code_is_a_warning_naming_page_and_code(hook, caplog) -> None:
    site = hook.Site(load_spec(), SITE_URL)
    site._page = "lint/MOLT101.md"
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.molt_spec_pages"):
        assert site.prose("see MOLT999") == "see `MOLT999`"
    assert caplog.messages == ["lint/MOLT101.md refers to MOLT999, which the spec does not define"]


def test_hook_refuses_a_docs_page_published_where_a_generated_page_is() -> None:
    config = load_config(str(REPO_ROOT / "mkdocs.yml"))
    files = Files([File("lint.md", config.docs_dir, config.site_dir, config.use_directory_urls)])
    with pytest.raises(PluginError, match=r"^docs/lint\.md would be published at lint/index\.html"):
        config.plugins.on_files(files, config=config)


def test_worked_example_for_agents_shows_the_real_molt_lint_output(tmp_path: Path) -> None:
    """The example on lint-for-agents.md: its bad file gives its JSON, its fixed file none."""
    page = (REPO_ROOT / "docs" / "lint-for-agents.md").read_text(encoding="utf-8")
    example = page[page.index("## Worked example") :]
    before, after = re.findall(r"^```python\n(.*?)^```$", example, re.M | re.S)
    shown_report = re.findall(r"^```json\n(.*?)^```$", example, re.M | re.S)[0]
    # The command appears twice: before the report of the bad file and before the clean one.
    shown_clean = re.findall(
        r"^\$ molt-lint --output-format json app\.py\n(.*?)^```$", example, re.M | re.S
    )[-1]

    def lint(source: str) -> subprocess.CompletedProcess[str]:
        (tmp_path / "app.py").write_text(source, encoding="utf-8")
        command = [sys.executable, "-m", "molt_lint", "--no-cache", "--output-format", "json"]
        return subprocess.run(
            [*command, "app.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )

    bad, fixed = lint(before), lint(after)
    assert (bad.returncode, bad.stdout) == (1, shown_report)
    assert (fixed.returncode, fixed.stdout) == (0, shown_clean)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = 1", "```python\nx = 1\n```"),
        ("s = '```'", "````python\ns = '```'\n````"),
    ],
)
def test_code_fence_is_longer_than_any_backtick_run_inside(hook, source, expected) -> None:
    assert importlib.import_module("spec_text").fence(source) == expected
