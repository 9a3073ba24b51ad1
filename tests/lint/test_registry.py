"""The registry table, the rule modules and spec/lint.yaml describe the same codes."""

from __future__ import annotations

import inspect
import re

import pytest

from molt.spec import load_spec, validate_spec
from molt_lint._registry import REGISTRY

SPEC = load_spec()
CODES = {entry["code"]: entry for entry in SPEC.lint_codes}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_registry_and_spec_list_the_same_codes() -> None:
    assert sorted(REGISTRY) == sorted(CODES)


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_rule_class_module_and_spec_entry_share_code_name_status_and_since(code: str) -> None:
    rule, entry = REGISTRY[code], CODES[code]
    assert rule.message.code == code
    assert rule.message.__name__ == entry["name"]
    assert rule.message.__module__ == f"molt_lint.rules.{_snake(entry['name'])}"
    assert (rule.status, rule.since) == (entry["status"], entry["since"])


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_rule_module_names_the_spec_rules_next_to_its_detector(code: str) -> None:
    source = inspect.getsource(inspect.getmodule(REGISTRY[code].message))
    for rule_id in CODES[code]["rules"]:
        assert f"# {rule_id}" in source or f", {rule_id}" in source


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_code_starts_with_its_family_prefix(code: str) -> None:
    families = {family["name"]: family["prefix"] for family in SPEC.documents["lint"]["families"]}
    assert code.startswith(families[CODES[code]["family"]])


def test_each_code_and_its_rules_point_at_each_other() -> None:
    listed = {(rule["id"], code) for rule in SPEC.rules for code in rule["enforced_by"]["lint"]}
    declared = {(rule_id, code) for code, entry in CODES.items() for rule_id in entry["rules"]}
    assert listed == declared


def test_spec_with_the_lint_catalogue_is_valid() -> None:
    report = validate_spec(SPEC)
    assert report.errors == []


def test_message_templates_only_use_fields_the_rule_passes() -> None:
    for code, rule in REGISTRY.items():
        fields = set(re.findall(r"{(\w+)}", rule.message.message + rule.message.hint))
        assert fields <= ARGUMENTS, code


ARGUMENTS = {
    "name", "what", "export", "type", "where", "instead", "shape", "stars", "param", "kind",
    "caught", "outcome", "codes", "code", "problem",
}  # fmt: skip
"""Every keyword argument some rule passes to checker.report()."""
