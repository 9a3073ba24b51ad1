"""The runner's compile kinds, driven through a stand-in compiler until the real one lands."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from molt_conformance import Suite, load_suite
from tests.conformance.conftest import REFERENCE, mutant, run, statuses

COMPILE_ERROR = """\
id = "MC-COMPILE-001"
title = "a bad source is rejected at its line"
kind = "compile-error"
rules = ["MOLT-R-TYPED-SUBSET"]
features = []
roles = ["compiler"]
source = "{source}"
expect = {{phase = "compile", code = "{code}", line = {line}}}
"""

COMPILE_RUN = """\
id = "MC-RUN-001"
title = "a compiled module is signed by the runner, loaded and called"
kind = "compile-run"
rules = ["MOLT-R-SCHEMA-BOUNDARY"]
features = []
roles = ["compiler", "host"]
source = "stats.py"
{module}

[[vectors]]
fn = "mean"
args = {{values = [1.0, 2.0, 4.5]}}
expect = {{msgpack_hex = "{mean}"}}

[[vectors]]
fn = "mean"
args_msgpack_hex = "81a676616c75657390"
expect = {{error = {{phase = "runtime", code = "MOLT-E-VALUE"}}}}
"""


def _suite(
    tmp_path: Path,
    source: str = "bad.py",
    code: str = "MOLT-E-SYNTAX",
    line: int = 3,
    mean: str = "cb4004000000000000",
    module: str = "",
) -> Suite:
    root = tmp_path / "cases"
    for area, case_id, text, files in [
        (
            "compile",
            "MC-COMPILE-001",
            COMPILE_ERROR.format(source=source, code=code, line=line),
            {"bad.py": "x = 1\n\nbad(\n", "good.py": "x = 1\n"},
        ),
        (
            "run",
            "MC-RUN-001",
            COMPILE_RUN.format(mean=mean, module=module),
            {"stats.py": "# any source\n"},
        ),
    ]:
        folder = root / area / case_id
        folder.mkdir(parents=True)
        (folder / "case.toml").write_text(textwrap.dedent(text))
        for name, content in files.items():
            (folder / name).write_text(content)
    return load_suite(root)


def test_compile_error_and_compile_run_pass_against_a_conforming_compiler(tmp_path: Path) -> None:
    result = run(_suite(tmp_path), mutant("fake_compiler"))
    assert statuses(result, hide=()) == {"MC-COMPILE-001": "PASS", "MC-RUN-001": "PASS"}


@pytest.mark.parametrize(
    ("options", "case_id", "message"),
    [
        (
            {"source": "good.py"},
            "MC-COMPILE-001",
            "the source compiled; expected MOLT-E-SYNTAX at line 3",
        ),
        (
            {"code": "MOLT-E-TYPE"},
            "MC-COMPILE-001",
            "compiling failed with MOLT-E-SYNTAX, expected MOLT-E-TYPE",
        ),
        ({"line": 4}, "MC-COMPILE-001", "MOLT-E-SYNTAX points at line 3, expected line 4"),
        ({"mean": "cb4000000000000000"}, "MC-RUN-001", "call 1 (mean): the result bytes differ"),
        (
            {"module": 'module = {exports = ["mean"]}'},
            "MC-RUN-001",
            "the compiled module's interface lists the exports ['mean', 'total']; the source "
            "declares ['mean']",
        ),
        (
            {"module": "module = {max_bytes = 100}"},
            "MC-RUN-001",
            "the compiled module is 6727 bytes, more than the 100 this source allows: a module "
            "carries its compiled code and the minimal core, never an interpreter or a bundled "
            "runtime",
        ),
    ],
)
def test_compile_case_fails_on_a_different_outcome(
    tmp_path: Path, options: dict, case_id: str, message: str
) -> None:
    result = run(_suite(tmp_path, **options), mutant("fake_compiler"))
    failed = next(r for r in result.results if r.id == case_id)
    assert (failed.status, failed.message) == ("FAIL", message)


def test_compile_cases_are_skipped_for_a_host_only_implementation_without_pairing(
    tmp_path: Path, host_only: None
) -> None:
    result = run(_suite(tmp_path), REFERENCE, reference_adapter=None)
    reasons = {r.id: r.skip_reason for r in result.results}
    assert reasons == dict.fromkeys(
        ["MC-COMPILE-001", "MC-RUN-001"],
        "needs the role compiler, which molt-reference does not declare",
    )
