"""The rule coverage page and the conformance case list agree with the spec and the suite.

Both pages come from `docs/_hooks/coverage_pages.py`. The expected values are
computed here from `load_spec()` and `discover_cases()`, the same sources the
runner and `molt spec validate` use, so a page that drops, repeats or miscounts
a rule or a case fails.
"""

from __future__ import annotations

import html
import logging
import re
from collections import Counter
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from molt.spec import CaseLink, discover_cases, load_spec
from tests.docs.conftest import h2_section

SITE_URL = "https://molt.dev/"
REQUIRED_LEVELS = {"MUST", "MUST NOT"}
UNCHECKABLE = {"MOLT-R-DOCUMENT-CONSTRAINTS"}
"""conformance/uncheckable-rules.toml: MUST rules that bind only the spec and Molt's tools."""
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<td>(.*?)</td>", re.S)
_TAG = re.compile(r"<[^>]+>")


@cache
def _rules() -> list[Mapping[str, Any]]:
    return load_spec().rules


@cache
def _cases() -> Mapping[str, CaseLink]:
    index = discover_cases()
    assert index is not None, "the conformance suite is not installed"
    return index.cases


def _cases_of(rule_id: str) -> set[str]:
    return {case_id for case_id, case in _cases().items() if rule_id in case.rules}


def _page(built: Path, name: str) -> str:
    return (built / name / "index.html").read_text(encoding="utf-8")


def _rows(section: str) -> list[list[str]]:
    """The body rows of the tables in a piece of HTML, as lists of cell HTML."""
    return [_CELL.findall(row) for row in _ROW.findall(section) if "<td>" in row]


def _text(cell: str) -> str:
    return html.unescape(_TAG.sub("", cell)).strip()


def _coverage_rows(built: Path) -> dict[str, list[str]]:
    """Rule ID -> its row of the coverage table; fails if a rule has two rows."""
    rows = [
        row for row in _rows(h2_section(_page(built, "coverage"), "rules")) if "Total" not in row[0]
    ]
    ids = [
        re.fullmatch(r'<a href="../rules/(MOLT-R-[A-Z0-9-]+)/">.*</a>', row[0])[1] for row in rows
    ]
    repeated = [rule_id for rule_id, n in Counter(ids).items() if n > 1]
    assert repeated == []
    return dict(zip(ids, rows, strict=True))


def test_coverage_page_lists_every_rule_exactly_once(built: Path) -> None:
    assert set(_coverage_rows(built)) == {rule["id"] for rule in _rules()}


def test_coverage_page_counts_the_cases_of_each_rule_and_links_them(built: Path) -> None:
    shown = {rule_id: row[-1] for rule_id, row in _coverage_rows(built).items()}
    expected = {}
    for rule in _rules():
        count = len(_cases_of(rule["id"]))
        assert count == len(rule["enforced_by"]["conformance"]), rule["id"]
        expected[rule["id"]] = (
            f'<a href="../conformance/cases/#{rule["id"]}">{count}</a>'
            if count
            else '<a href="#uncheckable">none possible</a>'
            if rule["id"] in UNCHECKABLE
            else ("<strong>0</strong>" if rule["level"] in REQUIRED_LEVELS else "0")
        )
    assert shown == expected


@pytest.mark.parametrize(
    ("column", "key", "folder"),
    [(3, "lint", "lint"), (4, "compiler", "errors"), (5, "runtime", "errors")],
)
def test_coverage_page_links_the_codes_that_enforce_each_rule(
    built: Path, column: int, key: str, folder: str
) -> None:
    shown = {
        rule_id: re.findall(rf'href="../{folder}/([A-Z0-9-]+)/"', row[column])
        for rule_id, row in _coverage_rows(built).items()
    }
    assert shown == {rule["id"]: rule["enforced_by"][key] for rule in _rules()}


def test_coverage_page_totals_count_rules_and_distinct_codes_and_cases(built: Path) -> None:
    rules = _rules()
    totals = next(
        row for row in _rows(h2_section(_page(built, "coverage"), "rules")) if "Total" in row[0]
    )

    def total(key: str) -> str:
        lists = [rule["enforced_by"][key] for rule in rules]
        codes = {code for ids in lists for code in ids}
        return f"{sum(1 for ids in lists if ids)} rules · {len(codes)} codes"

    with_cases = sum(1 for rule in rules if _cases_of(rule["id"]))
    assert [_text(cell) for cell in totals] == [
        "Total",
        "",
        f"{len(rules)} rules",
        total("lint"),
        total("compiler"),
        total("runtime"),
        f"{with_cases} rules · {len(_cases())} cases",
    ]


def test_coverage_page_says_every_checkable_must_rule_has_a_case(built: Path) -> None:
    page = _page(built, "coverage")
    assert '<div class="admonition warning">' not in page
    assert "Every MUST and MUST NOT rule an implementation can break has a conformance case" in page
    without_case = {
        rule["id"]
        for rule in _rules()
        if rule["level"] in REQUIRED_LEVELS and not _cases_of(rule["id"])
    }
    assert without_case == UNCHECKABLE


def test_coverage_page_lists_the_rules_no_case_can_check_with_the_reason(built: Path) -> None:
    rows = _rows(h2_section(_page(built, "coverage"), "uncheckable"))
    listed = [re.search(r'href="../rules/(MOLT-R-[A-Z0-9-]+)/"', row[0])[1] for row in rows]
    assert listed == sorted(UNCHECKABLE)
    assert _text(rows[0][1]).startswith("It binds the spec and the toolkit generated from it")
    assert _text(rows[0][2]).startswith("molt spec validate (the spec files")


def test_coverage_page_counts_the_cases_of_each_rule_area(built: Path) -> None:
    rows = _rows(h2_section(_page(built, "coverage"), "by-area"))
    shown = {
        re.search(r'href="../rules/#([a-z]+)"', row[0])[1]: int(_text(row[-1])) for row in rows
    }
    expected: dict[str, set[str]] = {}
    for rule in _rules():
        expected.setdefault(rule["area"], set()).update(_cases_of(rule["id"]))
    assert shown == {area: len(cases) for area, cases in expected.items()}


def test_cases_page_has_one_anchor_per_case(built: Path) -> None:
    anchors = re.findall(r'id="(MC-[A-Z]+-[0-9]+)"', _page(built, "conformance/cases"))
    assert sorted(anchors) == sorted(_cases())


def test_cases_page_lists_each_case_under_its_area(built: Path) -> None:
    page = _page(built, "conformance/cases")
    expected: dict[str, set[str]] = {}
    for case_id, case in _cases().items():
        expected.setdefault(case.file.split("/")[0], set()).add(case_id)
    shown = {
        area: set(re.findall(r'id="(MC-[A-Z]+-[0-9]+)"', h2_section(page, area)))
        for area in expected
    }
    assert shown == expected


def test_cases_page_shows_each_cases_kind_roles_features_and_rules(built: Path) -> None:
    shown = {}
    for row in _rows(_page(built, "conformance/cases")):
        case_id = re.match(r'<a href="#(MC-[A-Z]+-[0-9]+)" id="\1">', row[0])
        if case_id:
            shown[case_id[1]] = (
                _text(row[2]),
                _text(row[3]),
                re.findall(r'href="#feature-([a-z0-9-]+)"', row[4]),
                re.findall(r'href="../../rules/(MOLT-R-[A-Z0-9-]+)/"', row[5]),
            )
    assert shown == {
        case_id: (
            case.document["kind"],
            ", ".join(case.document["roles"]),
            list(case.features),
            list(case.rules),
        )
        for case_id, case in _cases().items()
    }


def test_cases_page_lists_the_cases_of_each_rule_at_the_rules_anchor(built: Path) -> None:
    section = h2_section(_page(built, "conformance/cases"), "by-rule")
    shown = {}
    for row in _rows(section):
        rule_id = re.search(r'id="(MOLT-R-[A-Z0-9-]+)"', row[0])[1]
        shown[rule_id] = set(re.findall(r'href="#(MC-[A-Z]+-[0-9]+)"', row[-1]))
    expected = {rule["id"]: _cases_of(rule["id"]) for rule in _rules()}
    assert shown == {rule_id: cases for rule_id, cases in expected.items() if cases}


def test_rule_page_enforced_by_links_exactly_its_cases(built: Path) -> None:
    for rule in _rules():
        page = _page(built, f"rules/{rule['id']}")
        enforced_by = h2_section(page, "enforced-by")
        linked = re.findall(r'href="../../conformance/cases/#(MC-[A-Z]+-[0-9]+)"', enforced_by)
        assert linked == rule["enforced_by"]["conformance"], rule["id"]
        assert set(linked) == _cases_of(rule["id"]), rule["id"]


def test_llms_txt_lists_every_case_with_its_kind_and_rules(built: Path) -> None:
    text = (built / "llms.txt").read_text(encoding="utf-8")
    listed = re.findall(r"^- (MC-[A-Z]+-[0-9]+) \[([a-z-]+)\] Rules: (.*)$", text, re.M)
    assert sorted(listed) == sorted(
        (case_id, case.document["kind"], ", ".join(case.rules))
        for case_id, case in _cases().items()
    )


def test_llms_txt_links_the_coverage_and_cases_pages(built: Path) -> None:
    text = (built / "llms.txt").read_text(encoding="utf-8")
    assert f"<{SITE_URL}coverage/>" in text
    assert f"<{SITE_URL}conformance/cases/>" in text


@pytest.mark.parametrize(
    ("page", "text", "expected"),
    [
        (
            "rules/index.md",
            "checked by MC-LOAD-001.",
            "checked by [`MC-LOAD-001`](../conformance/cases.md#MC-LOAD-001).",
        ),
        (
            "conformance/cases.md",
            "see MC-WIRE-001",
            "see [`MC-WIRE-001`](#MC-WIRE-001)",
        ),
        ("abi.md", "see MC-ABI-001", "see [`MC-ABI-001`](conformance/cases.md#MC-ABI-001)"),
        ("rules/index.md", "`MC-LOAD-001` in code", "`MC-LOAD-001` in code"),
        ("rules/index.md", "MC-LOAD-01 has two digits", "MC-LOAD-01 has two digits"),
        ("rules/index.md", "cases/load/MC-LOAD-001/", "cases/load/MC-LOAD-001/"),
    ],
)
def test_spec_text_links_case_ids_to_their_anchor_on_the_cases_page(
    hook, page, text, expected
) -> None:
    site = hook.Site(load_spec(), SITE_URL)
    site._page = page
    assert site.cell(text) == expected


def test_link_to_an_unknown_case_is_a_warning_naming_page_and_case(hook, caplog) -> None:
    site = hook.Site(load_spec(), SITE_URL)
    site._page = "rules/MOLT-R-FAIL-FAST.md"
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.molt_spec_pages"):
        assert site.prose("see MC-LOAD-999") == "see `MC-LOAD-999`"
    assert caplog.messages == [
        "rules/MOLT-R-FAIL-FAST.md refers to MC-LOAD-999, which is not a case of the "
        "conformance suite"
    ]
