"""`molt spec validate` checks the links between rules and cases both ways."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from molt.spec import discover_cases, load_spec, validate_spec
from tests.conftest import REPO_ROOT

CASES = REPO_ROOT / "conformance" / "cases"


def test_real_spec_and_cases_link_both_ways() -> None:
    spec = load_spec()
    index = discover_cases()
    assert index is not None and index.root.resolve() == CASES.resolve()
    assert validate_spec(spec).errors == []
    listed = {case for rule in spec.rules for case in rule["enforced_by"]["conformance"]}
    assert listed == set(index.ids)


def _rule_index(spec, rule_id: str) -> int:
    return next(i for i, rule in enumerate(spec.rules) if rule["id"] == rule_id)


def test_case_missing_from_its_rules_list_is_an_error(spec_copy) -> None:
    def unlink(data: dict) -> None:
        rule = next(r for r in data["rules"] if r["id"] == "MOLT-R-NO-IMPORTS")
        rule["enforced_by"]["conformance"].remove("MC-ABI-005")

    spec = load_spec(spec_copy(rules=unlink), cached=False)
    (problem,) = validate_spec(spec).errors
    assert (problem.path, problem.id, problem.message) == (
        f"$.rules[{_rule_index(spec, 'MOLT-R-NO-IMPORTS')}].enforced_by.conformance",
        "MOLT-R-NO-IMPORTS",
        "MC-ABI-005 checks this rule but is not listed under enforced_by.conformance",
    )


def test_rule_listing_a_case_that_does_not_check_it_is_an_error(spec_copy) -> None:
    def overlink(data: dict) -> None:
        rule = next(r for r in data["rules"] if r["id"] == "MOLT-R-NO-IMPORTS")
        rule["enforced_by"]["conformance"].append("MC-LOAD-001")

    spec = load_spec(spec_copy(rules=overlink), cached=False)
    (problem,) = validate_spec(spec).errors
    assert problem.message == (
        "MC-LOAD-001 is listed here but does not list MOLT-R-NO-IMPORTS in its rules"
    )


def test_rule_listing_a_case_that_does_not_exist_is_an_error(spec_copy) -> None:
    def dangle(data: dict) -> None:
        rule = next(r for r in data["rules"] if r["id"] == "MOLT-R-NO-IMPORTS")
        rule["enforced_by"]["conformance"].append("MC-ABI-999")

    spec = load_spec(spec_copy(rules=dangle), cached=False)
    (problem,) = validate_spec(spec).errors
    assert problem.message.startswith("MC-ABI-999 does not exist")


@pytest.fixture
def cases_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cases"
    shutil.copytree(CASES, root)
    monkeypatch.setenv("MOLT_CASES_DIR", str(root))
    return root


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ("features = []", 'features = ["simd"]', "$.features[0]", "simd does not exist"),
        (
            'kind = "host-load"',
            'kind = "host-loading"',
            "$.kind",
            "'host-loading' is not one of "
            "['compile-run', 'compile-error', 'host-load', 'host-call']",
        ),
        (
            'id = "MC-LOAD-001"',
            'id = "MC-LOAD-901"',
            "$.id",
            "case MC-LOAD-901 must live in conformance/cases/<area>/MC-LOAD-901/ with the area of "
            "its ID (found load/MC-LOAD-001/)",
        ),
    ],
)
def test_invalid_case_is_reported_by_spec_validation(
    cases_copy: Path, old: str, new: str, path: str, message: str
) -> None:
    case_file = cases_copy / "load" / "MC-LOAD-001" / "case.toml"
    case_file.write_text(case_file.read_text().replace(old, new, 1))
    errors = [p for p in validate_spec(load_spec()).errors if p.file.startswith("conformance/")]
    assert (errors[0].file, errors[0].path, errors[0].message) == (
        "conformance/cases/load/MC-LOAD-001/case.toml",
        path,
        message,
    )


def test_links_are_not_checked_when_no_cases_are_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOLT_CASES_DIR", str(tmp_path / "none"))
    assert discover_cases() is None
    assert validate_spec(load_spec()).errors == []


UNCHECKABLE = REPO_ROOT / "conformance" / "uncheckable-rules.toml"


def test_every_must_rule_has_a_case_or_a_reason_why_none_can_check_it() -> None:
    spec = load_spec()
    uncheckable = tomllib.loads(UNCHECKABLE.read_text(encoding="utf-8"))
    required = [rule for rule in spec.rules if rule["level"] in ("MUST", "MUST NOT")]
    without_case = {rule["id"] for rule in required if not rule["enforced_by"]["conformance"]}
    assert without_case == set(uncheckable) == {"MOLT-R-DOCUMENT-CONSTRAINTS"}
    for rule_id, entry in uncheckable.items():
        assert set(entry) == {"reason", "enforced_by"}, rule_id
        rule = next(rule for rule in spec.rules if rule["id"] == rule_id)
        assert "conformance/uncheckable-rules.toml" in " ".join(rule["statement"].split())
