"""`load_schemas`: the JSON Schemas alone, for the host's per-load document checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from molt.spec import SpecError, _load, load_schemas, load_spec


@pytest.fixture(autouse=True)
def _fresh_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_load, "_SCHEMA_SETS", {})
    monkeypatch.setattr(_load, "_DEFAULT", {})


def test_schema_set_holds_the_same_schemas_as_the_whole_spec() -> None:
    schemas = load_schemas()
    spec = load_spec(cached=False)
    assert dict(schemas.schemas) == dict(spec.schemas)
    lockfile = schemas.schema("schemas/lockfile.json")
    assert schemas.registry.contents(lockfile["$id"]) == lockfile


def test_schema_set_does_not_parse_the_yaml_documents(spec_copy, monkeypatch) -> None:
    root: Path = spec_copy()
    (root / "errors.yaml").write_text("codes: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("MOLT_SPEC_DIR", str(root))
    assert "schemas/interface.json" in load_schemas().schemas
    with pytest.raises(SpecError) as caught:
        load_spec()
    assert [problem.file for problem in caught.value.problems] == ["errors.yaml"]


def test_schema_set_without_a_spec_names_the_missing_manifest(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MOLT_SPEC_DIR", str(tmp_path))
    with pytest.raises(SpecError) as caught:
        load_schemas()
    problem = caught.value.problems[0]
    assert (problem.file, problem.path) == ("molt-spec.yaml", "$")
    assert problem.message == f"no spec manifest in {tmp_path}; reinstall molt-toolkit"
