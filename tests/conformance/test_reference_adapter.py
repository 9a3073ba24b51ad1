"""The reference implementation passes every case, and the run's reports are well formed."""

from __future__ import annotations

import json
from collections import Counter
from xml.etree import ElementTree

import pytest
from jsonschema import Draft202012Validator

from molt.spec import load_spec
from molt_conformance import Run, Suite, html_summary, junit_xml, markdown_summary, report_json
from tests.conformance.conftest import REFERENCE, run


@pytest.fixture(scope="module")
def reference_run(suite: Suite) -> Run:
    return run(suite, REFERENCE, jobs=2)


def test_reference_adapter_passes_every_case(reference_run: Run, suite: Suite) -> None:
    assert [(r.id, r.status, r.message) for r in reference_run.results if r.status != "PASS"] == []
    assert [r.id for r in reference_run.results] == [case.id for case in suite.cases]


def test_reference_adapter_declares_both_roles_features_and_spec_version(
    reference_run: Run,
) -> None:
    implementation = reference_run.implementation
    assert (implementation.name, implementation.spec_version) == ("molt-reference", "0.1.0")
    assert implementation.roles == ("compiler", "host")
    assert set(implementation.features) == {"deadline", "fuel-wasmtime"}


def test_json_report_validates_against_its_schema(reference_run: Run, suite: Suite) -> None:
    document = report_json(reference_run)
    spec = load_spec()
    validator = Draft202012Validator(
        spec.schema("schemas/conformance-report.json"), registry=spec.registry
    )
    assert [error.message for error in validator.iter_errors(document)] == []
    assert document["suite"] == {
        "version": "0.1.0",
        "sha256": suite.sha256,
        "cases": len(suite.cases),
    }
    assert document["summary"]["by_status"]["PASS"] == len(suite.cases)
    assert document["summary"]["unexpected"] == 0
    json.dumps(document)  # plain JSON all the way down


def test_junit_report_has_one_testcase_per_case_grouped_by_area(
    reference_run: Run, suite: Suite
) -> None:
    root = ElementTree.fromstring(junit_xml(report_json(reference_run), suite))
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == len(suite.cases)
    assert root.get("failures") == root.get("errors") == "0"
    per_suite = {s.get("name"): int(s.get("tests")) for s in root.findall("testsuite")}
    expected = Counter(f"molt-conformance.{case.area.lower()}" for case in suite.cases)
    assert per_suite == dict(expected)
    assert cases[0].get("name").startswith(suite.cases[0].id + ": ")


def test_summaries_cover_every_area_and_every_rule_the_cases_check(
    reference_run: Run, suite: Suite
) -> None:
    document = report_json(reference_run)
    markdown = markdown_summary(document, suite)
    page = html_summary(document, suite)
    for area in {case.area for case in suite.cases}:
        assert f"| {area} |" in markdown
        assert f'<td class="text">{area}</td>' in page
    for rule in {rule for case in suite.cases for rule in case.rules}:
        assert f"| {rule} |" in markdown
    assert "## Unexpected results\n\nNone.\n" in markdown
