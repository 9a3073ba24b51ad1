"""The Molt spec: loader, schemas and validation.

This is the ground floor of the toolkit: it imports nothing else of Molt, and
every other part (linter, compiler, runtime, conformance runner, docs hooks)
reads rules, error codes and formats through it instead of copying their text.

    >>> from molt.spec import load_spec
    >>> spec = load_spec()
    >>> spec.error("MOLT-E-OVERFLOW")["phase"]
    'runtime'
"""

from __future__ import annotations

from molt.spec._cases import CaseIndex, CaseLink, cases_root, discover_cases
from molt.spec._files import spec_root
from molt.spec._load import SchemaSet, Spec, SpecItem, iter_language_items, load_schemas, load_spec
from molt.spec._problems import Problem, SpecError, json_path
from molt.spec._validate import ValidationReport, closest_ids, validate_spec

__all__ = [
    "CaseIndex",
    "CaseLink",
    "Problem",
    "SchemaSet",
    "Spec",
    "SpecError",
    "SpecItem",
    "ValidationReport",
    "cases_root",
    "closest_ids",
    "discover_cases",
    "iter_language_items",
    "json_path",
    "load_schemas",
    "load_spec",
    "spec_root",
    "validate_spec",
]
