"""The documentation site builds strictly, with a generated page for every spec ID.

One `mkdocs build --strict` runs per module (a few seconds); each test reads the
built site. The pages come from `docs/_hooks/spec_pages.py`, so these tests pin
that the site and `load_spec()` list exactly the same rules and error codes.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import molt
from molt.spec import load_spec

REPO_ROOT = Path(__file__).resolve().parents[2]
SITE_URL = "https://molt.dev/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Build the site once; the build imports the same `molt` as this test process."""
    site_dir = tmp_path_factory.mktemp("site")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=REPO_ROOT,
        env=_build_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return build, site_dir


def _build_env() -> dict[str, str]:
    """The environment of a build: it must import the same `molt` as this process."""
    molt_parent = str(Path(molt.__file__).resolve().parent.parent)
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [molt_parent, os.environ.get("PYTHONPATH")])),
        "NO_MKDOCS_2_WARNING": "1",  # material's banner about MkDocs 2.0
    }


@pytest.fixture(scope="module")
def built(site: tuple[subprocess.CompletedProcess[str], Path]) -> Path:
    build, site_dir = site
    if build.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{build.stderr}")
    return site_dir


def _page_names(section: Path) -> set[str]:
    """Names of the per-item pages under rules/ or errors/ (each is NAME/index.html)."""
    return {page.parent.name for page in section.glob("*/index.html")}


def test_strict_build_exits_0_without_warnings(site) -> None:
    build, _ = site
    assert build.returncode == 0, build.stderr
    warnings = [line for line in build.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == []


def test_site_has_one_page_per_rule_and_nothing_else(built: Path) -> None:
    assert _page_names(built / "rules") == {rule["id"] for rule in load_spec().rules}


def test_site_has_one_page_per_error_code_and_nothing_else(built: Path) -> None:
    assert _page_names(built / "errors") == {error["code"] for error in load_spec().errors}


def test_abi_page_documents_the_call_exports(built: Path) -> None:
    assert "molt_call_" in (built / "abi" / "index.html").read_text(encoding="utf-8")


def test_llms_txt_lists_every_rule_and_error_code(built: Path) -> None:
    spec = load_spec()
    listed = set(re.findall(r"^- (MOLT-[RE]-[A-Z0-9-]+) ", (built / "llms.txt").read_text(), re.M))
    assert listed == {rule["id"] for rule in spec.rules} | {error["code"] for error in spec.errors}


def test_rules_index_links_every_rule(built: Path) -> None:
    index = (built / "rules" / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="(MOLT-R-[A-Z0-9-]+)/"', index))
    assert linked == {rule["id"] for rule in load_spec().rules}


def test_errors_index_links_every_error_code(built: Path) -> None:
    index = (built / "errors" / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="(MOLT-E-[A-Z0-9-]+)/"', index))
    assert linked == {error["code"] for error in load_spec().errors}


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
        env={**_build_env(), "MOLT_SPEC_DIR": str(root)},
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
    ],
)
def test_table_cells_escape_pipes_and_tags_and_link_ids_outside_code(text, expected) -> None:
    site = _hook().Site(load_spec(), SITE_URL)
    site._page = "rules/index.md"
    assert site.cell(text) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = 1", "```python\nx = 1\n```"),
        ("s = '```'", "````python\ns = '```'\n````"),
    ],
)
def test_code_fence_is_longer_than_any_backtick_run_inside(source, expected) -> None:
    assert _hook().fence(source) == expected


def _hook():
    spec = importlib.util.spec_from_file_location(
        "molt_docs_spec_pages", REPO_ROOT / "docs" / "_hooks" / "spec_pages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
