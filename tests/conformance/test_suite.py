"""The suite on disk: cases are checked when loaded, hashed, selected, and follow from sources."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from molt_conformance import CaseInvalid, Suite, load_suite, suite_sha256
from molt_conformance._suite import matches
from tests.conftest import REPO_ROOT

CASES = REPO_ROOT / "conformance" / "cases"


@pytest.fixture
def cases_copy(tmp_path: Path) -> Path:
    root = tmp_path / "cases"
    shutil.copytree(CASES, root)
    return root


def test_suite_has_host_cases_in_every_host_area(suite: Suite) -> None:
    areas = Counter(case.area for case in suite.cases if case.kind.startswith("host-"))
    assert set(areas) == {"ABI", "CALL", "DET", "LIMIT", "LOAD", "SCHEMA", "SIGN", "WIRE"}
    assert sum(areas.values()) >= 60
    assert all(areas[area] >= 6 for area in areas)


def test_suite_has_compile_cases_in_every_compiler_area(suite: Suite) -> None:
    areas = Counter(case.area for case in suite.cases if case.kind.startswith("compile-"))
    assert set(areas) == {
        *("ARITH", "CONV", "CTRL", "DET", "DICT", "FLOAT", "INPUT", "LIST", "MODULE"),
        *("OPT", "RECORD", "REJECT", "STR"),
    }
    assert all(areas[area] >= 2 for area in areas)


def test_cases_are_sorted_by_area_then_number(suite: Suite) -> None:
    keys = [(case.area, int(case.id.split("-")[2])) for case in suite.cases]
    assert keys == sorted(keys)


def test_suite_hash_is_stable_and_changes_with_any_byte_or_name(cases_copy: Path) -> None:
    original = suite_sha256(CASES)
    assert suite_sha256(cases_copy) == original
    wasm = cases_copy / "load" / "MC-LOAD-001" / "stats.wasm"
    data = bytearray(wasm.read_bytes())
    data[100] ^= 1
    wasm.write_bytes(bytes(data))
    flipped = suite_sha256(cases_copy)
    assert flipped != original
    wasm.rename(wasm.with_name("other.wasm"))
    assert suite_sha256(cases_copy) not in (original, flipped)


def test_suite_hash_ignores_hidden_files_and_caches(cases_copy: Path) -> None:
    (cases_copy / ".DS_Store").write_bytes(b"x")
    (cases_copy / "load" / "__pycache__").mkdir()
    (cases_copy / "load" / "__pycache__" / "x.pyc").write_bytes(b"x")
    assert suite_sha256(cases_copy) == suite_sha256(CASES)


def _edit(root: Path, case_id: str, old: str, new: str) -> None:
    area = case_id.split("-")[1].lower()
    path = root / area / case_id / "case.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("case_id", "old", "new", "message"),
    [
        (
            "MC-LOAD-001",
            'roles = ["host"]',
            'roles = ["compiler"]',
            "load/MC-LOAD-001/case.toml: $.roles: ",
        ),
        (
            "MC-LOAD-001",
            "features = []",
            'features = ["fuel"]',
            "load/MC-LOAD-001/case.toml: $.features[0]: unknown feature tag 'fuel'; closest: "
            "fuel-wasmtime",
        ),
        (
            "MC-LOAD-001",
            'rules = ["',
            'rules = ["MOLT-R-NOPE", "',
            "load/MC-LOAD-001/case.toml: $.rules[0]: unknown rule MOLT-R-NOPE",
        ),
        (
            "MC-LOAD-001",
            'id = "MC-LOAD-001"',
            'id = "MC-LOAD-999"',
            "load/MC-LOAD-001/case.toml: $.id: case MC-LOAD-999 must be in load/MC-LOAD-999/",
        ),
        (
            "MC-LOAD-001",
            'artifact = "stats.wasm"',
            'artifact = "missing.wasm"',
            "load/MC-LOAD-001/case.toml: $.artifact: "
            "the file missing.wasm is not in the case's folder",
        ),
        (
            "MC-LOAD-001",
            'kind = "host-load"',
            'kind = "host-load"\nkind = "x"',
            "load/MC-LOAD-001/case.toml: $: cannot read the case: ",
        ),
    ],
)
def test_invalid_case_stops_loading_with_file_and_path(
    cases_copy: Path, case_id: str, old: str, new: str, message: str
) -> None:
    _edit(cases_copy, case_id, old, new)
    with pytest.raises(CaseInvalid) as caught:
        load_suite(cases_copy)
    assert str(caught.value).startswith(f"MOLT-E-CASE-INVALID: {message}")


def test_lockfile_with_two_entries_is_invalid(cases_copy: Path) -> None:
    lock = cases_copy / "load" / "MC-LOAD-001" / "molt-lock.json"
    lock.write_text('{"artifacts": [{}, {}]}')
    with pytest.raises(CaseInvalid) as caught:
        load_suite(cases_copy)
    assert "$.lock: the lockfile must be JSON with one entry under artifacts" in str(caught.value)


@pytest.mark.parametrize(
    ("pattern", "selects"),
    [
        ("MC-LOAD-001", True),
        ("mc-load-001", True),
        ("MC-LOAD", True),
        ("MC-LOAD-", True),
        ("MC-LOAD-00*", True),
        ("MC-LOAD-01*", False),
        ("MC-LOA", False),
        ("load", True),
        ("host-load", True),
        ("host-call", False),
        ("MOLT-R-SIGNED-ARTIFACTS", True),
        ("MOLT-R-DETERMINISM", False),
        ("fuel-wasmtime", False),
        ("MC-CALL", False),
    ],
)
def test_filter_matches_ids_prefixes_globs_areas_kinds_rules_and_tags(
    suite: Suite, pattern: str, selects: bool
) -> None:
    assert matches(suite.by_id["MC-LOAD-001"], pattern) is selects


def _generator():
    path = REPO_ROOT / "conformance" / "generate.py"
    spec = importlib.util.spec_from_file_location("conformance_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_committed_binaries_follow_from_their_sources(capsys) -> None:
    generator = _generator()
    assert generator.generate(check=True) == 0
    assert generator.link_rules(check=True) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{sum(len(generator.build_case(f)) for f in generator.case_folders())} generated files "
        f"in {len(generator.case_folders())} cases match their sources",
        "spec/rules.yaml: the conformance links are up to date",
    ]


def test_test_only_private_key_is_restored_to_mode_0600() -> None:
    generator = _generator()
    key = REPO_ROOT / "conformance" / "keys" / "test-only.key"
    key.chmod(0o644)  # as a fresh git checkout may leave it
    generator.private_key("test-only")
    assert key.stat().st_mode & 0o777 == 0o600
