"""Validate the spec: every document against its schema, then the cross-checks.

Schema validation catches shape errors (a missing field, an unknown level);
the cross-checks catch what a schema cannot see: a duplicated or reused ID, a
reference to an ID that does not exist, a statement that does not use its own
level keyword, a message template with positional fields. Rules that nothing
enforces yet are warnings, so the gap stays visible without blocking work.
"""

from __future__ import annotations

import difflib
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing.exceptions import Unresolvable

from molt.spec._cases import CaseIndex, discover_cases
from molt.spec._load import Spec, SpecItem, iter_language_items
from molt.spec._problems import Problem, json_path

_MANIFEST_SCHEMA = "schemas/spec-manifest.json"
_MANIFEST_FILE = "molt-spec.yaml"
_RUNTIME_PHASES = frozenset({"load", "boundary", "runtime"})
_ENFORCEMENT_KINDS = ("lint", "compiler", "runtime", "conformance")
_CASE_SCHEMA = "schemas/conformance-case.json"
_CASES_PREFIX = "conformance/cases/"


@dataclass
class ValidationReport:
    """Everything `validate_spec` found; errors make the spec invalid."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.ok,
            "errors": [p.as_dict() for p in sorted(self.errors, key=Problem.sort_key)],
            "warnings": [p.as_dict() for p in sorted(self.warnings, key=Problem.sort_key)],
        }


def validate_spec(
    spec: Spec, case_ids: frozenset[str] | None = None, *, cases: CaseIndex | None = None
) -> ValidationReport:
    """Check the whole spec, and its links with the conformance cases.

    With neither `case_ids` nor `cases`, the cases are discovered (`discover_cases`):
    each case is checked against its schema, its rules and feature tags must
    exist, and the links must hold both ways (a rule lists every case that names
    it under enforced_by.conformance, and every case listed there exists). When
    no cases are installed the links are not checked. `case_ids` alone checks
    only that the case IDs the rules list exist.
    """
    if case_ids is None and cases is None:
        cases = discover_cases()
    if case_ids is None and cases is not None:
        case_ids = cases.ids
    report = ValidationReport()
    report.errors += _check_schemas(spec)
    report.errors += _check_document(spec, _MANIFEST_FILE, spec.manifest, _MANIFEST_SCHEMA)
    for kind, entry in sorted(spec.manifest.get("documents", {}).items()):
        report.errors += _check_document(spec, entry["file"], spec.documents[kind], entry["schema"])
    if report.errors:
        # Cross-checks assume well-shaped documents; report shape errors first.
        report.errors.sort(key=Problem.sort_key)
        return report
    report.errors += list(_cross_check(spec, case_ids, cases))
    report.warnings += list(_unenforced_rules(spec, spec.manifest["documents"]["rules"]["file"]))
    report.errors.sort(key=Problem.sort_key)
    report.warnings.sort(key=Problem.sort_key)
    return report


def closest_ids(spec: Spec, query: str, limit: int = 5) -> list[str]:
    """The spec IDs nearest to a mistyped one, best first."""
    wanted = query.strip().upper()
    ids = spec.all_ids()
    close = difflib.get_close_matches(wanted, ids, n=limit, cutoff=0.5)
    containing = [identifier for identifier in ids if wanted and wanted in identifier]
    ordered = list(dict.fromkeys(close + containing))
    return ordered[:limit]


# -- schemas ------------------------------------------------------------------


def _check_schemas(spec: Spec) -> list[Problem]:
    problems: list[Problem] = []
    seen_ids: dict[str, str] = {}
    for relative, schema in sorted(spec.schemas.items()):
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as exc:  # SchemaError: report, keep checking the others
            message = getattr(exc, "message", str(exc))
            problems.append(Problem(relative, "$", f"not a valid JSON Schema: {message}"))
            continue
        schema_id = schema.get("$id") if isinstance(schema, dict) else None
        if not isinstance(schema_id, str):
            problems.append(Problem(relative, "$", "has no $id", field="$id"))
            continue
        if schema_id in seen_ids:
            problems.append(
                Problem(relative, "$.$id", f"$id {schema_id} is also used by {seen_ids[schema_id]}")
            )
        seen_ids[schema_id] = relative
        resolver = spec.registry.resolver(base_uri=schema_id)
        for where, ref in _refs(schema):
            try:
                resolver.lookup(ref)
            except Unresolvable:
                problems.append(Problem(relative, where, f"$ref {ref!r} does not resolve"))
    for fmt in spec.formats:
        if fmt.get("schema") not in spec.schemas:
            problems.append(
                Problem(
                    _MANIFEST_FILE,
                    "$.formats",
                    f"format {fmt.get('name')!r} names a missing schema {fmt.get('schema')!r}",
                    field="schema",
                )
            )
    return problems


def _refs(node: Any, path: tuple[object, ...] = ()) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield json_path(path), value
            else:
                yield from _refs(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _refs(value, (*path, index))


def _check_document(spec: Spec, file: str, data: Any, schema_path: str) -> list[Problem]:
    if schema_path not in spec.schemas:
        return [Problem(file, "$", f"its schema {schema_path} does not exist")]
    validator = Draft202012Validator(spec.schemas[schema_path], registry=spec.registry)
    return [_problem_from(file, data, error) for error in validator.iter_errors(data)]


def _problem_from(file: str, data: Any, error: ValidationError) -> Problem:
    path = list(error.absolute_path)
    field_name: str | None = None
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        field_name = ", ".join(missing) or None
        message = f"missing required field {field_name!r}"
    elif error.validator == "unevaluatedProperties" and isinstance(error.instance, dict):
        message = error.message
    else:
        field_name = next((p for p in reversed(path) if isinstance(p, str)), None)
        message = error.message
    return Problem(file, json_path(path), message, id=_owning_id(data, path), field=field_name)


def _owning_id(data: Any, path: list[object]) -> str | None:
    """The ID of the rule, error or item that contains `path`, if any."""
    node = data
    owner: str | None = None
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict):
            for key in ("id", "code"):
                if isinstance(node.get(key), str):
                    owner = node[key]
    return owner


# -- cross-checks -------------------------------------------------------------


def _cross_check(
    spec: Spec, case_ids: frozenset[str] | None, cases: CaseIndex | None
) -> Iterator[Problem]:
    files = {kind: entry["file"] for kind, entry in spec.manifest["documents"].items()}
    yield from _unique_ids(spec, files)
    rule_ids = {rule["id"] for rule in spec.rules}
    errors_by_code = {error["code"]: error for error in spec.errors}
    lint_codes = {code["code"] for code in spec.lint_codes}

    for index, rule in enumerate(spec.rules):
        where = f"$.rules[{index}]"
        yield from _check_level_keyword(files["rules"], where, rule)
        for related in rule.get("related", []):
            if related == rule["id"]:
                yield Problem(
                    files["rules"],
                    f"{where}.related",
                    "a rule cannot relate to itself",
                    id=rule["id"],
                    field="related",
                )
            elif related not in rule_ids:
                yield _dangling(
                    files["rules"], f"{where}.related", rule["id"], "related", related, rule_ids
                )
        enforced = rule["enforced_by"]
        for code in enforced["lint"]:
            if code not in lint_codes:
                yield _dangling(
                    files["rules"],
                    f"{where}.enforced_by.lint",
                    rule["id"],
                    "enforced_by.lint",
                    code,
                    lint_codes,
                )
        for kind, phases in (("compiler", {"compile"}), ("runtime", _RUNTIME_PHASES)):
            for code in enforced[kind]:
                error = errors_by_code.get(code)
                if error is None:
                    yield _dangling(
                        files["rules"],
                        f"{where}.enforced_by.{kind}",
                        rule["id"],
                        f"enforced_by.{kind}",
                        code,
                        set(errors_by_code),
                    )
                elif error["phase"] not in phases:
                    yield Problem(
                        files["rules"],
                        f"{where}.enforced_by.{kind}",
                        f"{code} is a {error['phase']}-phase error, not a {kind} check",
                        id=rule["id"],
                        field=f"enforced_by.{kind}",
                    )
                elif rule["id"] not in error["rules"]:
                    # the error's page lists the rules it upholds: keep both sides in step
                    yield Problem(
                        files["rules"],
                        f"{where}.enforced_by.{kind}",
                        f"{code} enforces {rule['id']} but its entry in errors.yaml does not "
                        f"list the rule under rules; add {rule['id']} there",
                        id=rule["id"],
                        field=f"enforced_by.{kind}",
                    )
        for case in enforced["conformance"] if case_ids is not None else ():
            if case not in case_ids:
                yield _dangling(
                    files["rules"],
                    f"{where}.enforced_by.conformance",
                    rule["id"],
                    "enforced_by.conformance",
                    case,
                    case_ids,
                )

    for index, error in enumerate(spec.errors):
        where = f"$.errors[{index}]"
        for rule_id in error["rules"]:
            if rule_id not in rule_ids:
                yield _dangling(
                    files["errors"], f"{where}.rules", error["code"], "rules", rule_id, rule_ids
                )
        yield from _check_template(files["errors"], where, error)

    for section in ("types", "statements", "expressions", "builtins", "rejected"):
        for index, item in enumerate(spec.language.get(section, [])):
            where = f"$.{section}[{index}]"
            codes = [*item.get("errors", []), *([item["code"]] if "code" in item else [])]
            for code in codes:
                if code not in errors_by_code:
                    yield _dangling(
                        files["language"],
                        where,
                        item["id"],
                        "errors/code",
                        code,
                        set(errors_by_code),
                    )

    yield from _check_abi(spec, files["abi"], errors_by_code)
    yield from _check_features(spec, files.get("features", "features.yaml"))
    if cases is not None:
        yield from _check_cases(spec, files["rules"], cases)

    for index, lint in enumerate(spec.lint_codes):
        for rule_id in lint.get("rules", []):
            if rule_id not in rule_ids:
                yield _dangling(
                    files.get("lint", "lint.yaml"),
                    f"$.codes[{index}].rules",
                    lint.get("code"),
                    "rules",
                    rule_id,
                    rule_ids,
                )


def _unique_ids(spec: Spec, files: Mapping[str, str]) -> Iterator[Problem]:
    first_seen: dict[str, str] = {}
    entries: list[tuple[str, str, str]] = []  # (file, path, id)
    entries += [(files["rules"], f"$.rules[{i}].id", r["id"]) for i, r in enumerate(spec.rules)]
    entries += [
        (files["errors"], f"$.errors[{i}].code", e["code"]) for i, e in enumerate(spec.errors)
    ]
    entries += [
        (files.get("lint", "lint.yaml"), f"$.codes[{i}].code", c["code"])
        for i, c in enumerate(spec.lint_codes)
    ]
    entries += [(files["language"], "$", item["id"]) for item in iter_language_items(spec.language)]
    for file, path, identifier in entries:
        if identifier in first_seen:
            yield Problem(
                file,
                path,
                f"duplicate ID {identifier} (first defined in {first_seen[identifier]})",
                id=identifier,
                field="id",
            )
        else:
            first_seen[identifier] = file
    retired = [(files["rules"], r["id"]) for r in spec.documents["rules"].get("retired", [])]
    retired += [(files["errors"], e["code"]) for e in spec.documents["errors"].get("retired", [])]
    for file, identifier in retired:
        if identifier in first_seen:
            yield Problem(
                file,
                "$.retired",
                f"{identifier} is retired and must never be reused",
                id=identifier,
                field="id",
            )


def _check_level_keyword(file: str, where: str, rule: SpecItem) -> Iterator[Problem]:
    level = rule["level"]
    statement = " ".join(rule["statement"].split())
    if level not in statement:
        yield Problem(
            file,
            f"{where}.statement",
            f"the statement of a {level} rule must use the keyword {level!r}",
            id=rule["id"],
            field="statement",
        )


def _check_template(file: str, where: str, error: SpecItem) -> Iterator[Problem]:
    try:
        fields = [
            name for _, name, _, _ in string.Formatter().parse(error["message"]) if name is not None
        ]
    except ValueError as exc:
        yield Problem(
            file,
            f"{where}.message",
            f"not a valid template: {exc}",
            id=error["code"],
            field="message",
        )
        return
    for name in fields:
        if not name.isidentifier():
            yield Problem(
                file,
                f"{where}.message",
                f"template field {{{name}}} must be a name, not a position or expression",
                id=error["code"],
                field="message",
            )


def _check_abi(spec: Spec, file: str, errors_by_code: Mapping[str, SpecItem]) -> Iterator[Problem]:
    abi = spec.abi
    version = abi["abi_version"]
    expected = (version["major"] << 16) | version["minor"]
    if abi["encoded_version"] != expected:
        yield Problem(
            file,
            "$.encoded_version",
            f"must be major << 16 | minor = {expected}",
            field="encoded_version",
        )
    section_schema = abi["interface_section"]["schema"]
    if section_schema not in spec.schemas:
        yield Problem(
            file,
            "$.interface_section.schema",
            f"schema {section_schema} does not exist",
            field="schema",
        )
    for section in ("host_checks", "limits"):
        for index, check in enumerate(abi[section]):
            if check["code"] not in errors_by_code:
                yield _dangling(
                    file,
                    f"$.{section}[{index}].code",
                    None,
                    "code",
                    check["code"],
                    set(errors_by_code),
                )


def _dangling(
    file: str,
    path: str,
    owner: str | None,
    field_name: str,
    target: str,
    known: set[str] | frozenset[str],
) -> Problem:
    hint = difflib.get_close_matches(target, sorted(known), n=1, cutoff=0.8)
    suggestion = f"; did you mean {hint[0]}?" if hint else ""
    return Problem(file, path, f"{target} does not exist{suggestion}", id=owner, field=field_name)


def _unenforced_rules(spec: Spec, file: str) -> Iterator[Problem]:
    for index, rule in enumerate(spec.rules):
        if not any(rule["enforced_by"][kind] for kind in _ENFORCEMENT_KINDS):
            yield Problem(
                file,
                f"$.rules[{index}].enforced_by",
                "nothing enforces this rule yet (no lint code, compiler check, "
                "runtime check or conformance case)",
                id=rule["id"],
                field="enforced_by",
            )


# -- feature tags and conformance cases ----------------------------------------


def _check_features(spec: Spec, file: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, feature in enumerate(spec.features):
        if feature["tag"] in seen:
            yield Problem(
                file,
                f"$.features[{index}].tag",
                f"duplicate feature tag {feature['tag']}",
                id=feature["tag"],
                field="tag",
            )
        seen.add(feature["tag"])
    for retired in (spec.documents.get("features") or {}).get("retired", []):
        if retired["tag"] in seen:
            yield Problem(
                file,
                "$.retired",
                f"{retired['tag']} is retired and must never be reused",
                id=retired["tag"],
                field="tag",
            )


def _check_cases(spec: Spec, rules_file: str, cases: CaseIndex) -> Iterator[Problem]:
    """Each case is valid and named by its folder; its rules and tags exist and link back."""
    for problem in cases.problems:
        yield Problem(_CASES_PREFIX + problem.file, problem.path, problem.message, problem.id)
    validator = Draft202012Validator(spec.schemas[_CASE_SCHEMA], registry=spec.registry)
    rules = {rule["id"]: (index, rule) for index, rule in enumerate(spec.rules)}
    tags = {feature["tag"] for feature in spec.features}
    for case in cases.cases.values():
        file = _CASES_PREFIX + case.file
        for error in validator.iter_errors(dict(case.document)):
            yield _problem_from(file, case.document, error)
        area, folder, _ = case.file.split("/")
        if folder != case.id or f"MC-{area.upper()}-" not in case.id:
            yield Problem(
                file,
                "$.id",
                f"case {case.id} must live in conformance/cases/<area>/{case.id}/ with the "
                f"area of its ID (found {area}/{folder}/)",
                id=case.id,
                field="id",
            )
        for position, rule_id in enumerate(case.rules):
            if rule_id not in rules:
                yield _dangling(file, f"$.rules[{position}]", case.id, "rules", rule_id, set(rules))
                continue
            index, rule = rules[rule_id]
            if case.id not in rule["enforced_by"]["conformance"]:
                yield Problem(
                    rules_file,
                    f"$.rules[{index}].enforced_by.conformance",
                    f"{case.id} checks this rule but is not listed under enforced_by.conformance",
                    id=rule_id,
                    field="enforced_by.conformance",
                )
        for position, tag in enumerate(case.features):
            if tag not in tags:
                yield _dangling(file, f"$.features[{position}]", case.id, "features", tag, tags)
    for index, rule in enumerate(spec.rules):
        for case_id in rule["enforced_by"]["conformance"]:
            case = cases.cases.get(case_id)
            if case is not None and rule["id"] not in case.rules:
                yield Problem(
                    rules_file,
                    f"$.rules[{index}].enforced_by.conformance",
                    f"{case_id} is listed here but does not list {rule['id']} in its rules",
                    id=rule["id"],
                    field="enforced_by.conformance",
                )
