"""Every lint code against its fixtures: exact codes and lines, violating and clean.

Each row is (fixture, expected (code, line) pairs); fixtures are named by code,
`MOLTnnn.py` breaks the rule (through aliases, attribute chains and dynamic
imports where the rule resolves names) and `MOLTnnn_clean.py` is the code to
write instead, plus near misses, and must give no diagnostic at all. Line 1 of
every fixture is `# ruff: noqa`, so lines start at 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from molt_lint._registry import REGISTRY
from tests.lint.harness import FIXTURES, assert_diagnostics, lint_fixture


def at(code: str, *lines: int) -> list[tuple[str, int]]:
    """(code, line) pairs: one diagnostic of `code` on each line (repeat a line for two)."""
    return [(code, line) for line in lines]


ROWS = [
    ("MOLT001.py", at("MOLT001", 2, 3) + at("MOLT401", 2, 3)),
    ("MOLT001_clean.py", []),
    ("MOLT002.py", at("MOLT002", 2, 3, 4)),
    ("MOLT002_clean.py", []),
    ("MOLT101.py", at("MOLT101", 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 18, 19)),
    ("MOLT101_clean.py", []),
    ("MOLT102.py", at("MOLT102", 3, 4, 5, 5, 7, 8, 9, 10, 11)),
    ("MOLT102_clean.py", []),
    ("MOLT103.py", at("MOLT101", 2, 3) + at("MOLT103", 4, 6, 7, 8)),
    ("MOLT103_clean.py", []),
    ("MOLT201.py", at("MOLT201", 8, 8, 13, 18)),
    ("MOLT201_clean.py", []),
    ("MOLT202.py", at("MOLT202", 10, 10, 10, 15, 15)),
    ("MOLT202_clean.py", []),
    ("MOLT203.py", at("MOLT203", 11, 11, 16, 16, 16, 16, 16, 21, 21, 27)),
    ("MOLT203_clean.py", []),
    ("MOLT204.py", at("MOLT204", 34, 34, 34, 39, 39)),
    ("MOLT204_clean.py", []),
    ("MOLT205.py", at("MOLT205", 6, 6)),
    ("MOLT205_clean.py", []),
    ("MOLT301.py", at("MOLT101", 7) + at("MOLT301", 8, 12, 13, 14, 15, 16)),
    ("MOLT301_clean.py", []),
    ("MOLT302.py", at("MOLT302", 9, 13, 17, 20, 21)),
    ("MOLT302_clean.py", []),
    ("MOLT303.py", at("MOLT303", 5, 6, 7, 8, 9)),
    ("MOLT303_clean.py", []),
    ("MOLT304.py", at("MOLT304", 6, 7, 8, 9, 10, 11, 12, 13)),
    ("MOLT304_clean.py", []),
    ("MOLT305.py", at("MOLT305", 3, 8, 9, 10)),
    ("MOLT305_clean.py", []),
    ("MOLT401.py", at("MOLT401", 2, 3, 5, 6, 10, 11, 12, 13, 14, 15)),
    ("MOLT401_clean.py", []),
    ("MOLT402.py", at("MOLT402", 5, 7, 8, 9, 10, 11, 12, 13, 14)),
    ("MOLT402_clean.py", []),
    ("MOLT403.py", at("MOLT403", 3, 6, 7, 8, 10, 11)),
    ("MOLT403_clean.py", []),
    ("MOLT404.py", at("MOLT404", 3, 6)),
    ("MOLT404_clean.py", []),
    ("MOLT405.py", at("MOLT405", 3, 7, 11, 12, 13, 17)),
    ("MOLT405_clean.py", []),
    ("MOLT501.py", at("MOLT501", 4, 9)),
    ("MOLT501_clean.py", []),
    ("MOLT502.py", at("MOLT502", 5, 11, 16, 22)),
    ("MOLT502_clean.py", []),
    ("MOLT601.py", at("MOLT601", 2, 3, 4, 6, 7)),
    ("MOLT601_clean.py", []),
    ("MOLT602.py", at("MOLT602", 4, 6, 7, 8, 9)),
    ("MOLT602_clean.py", []),
    ("MOLT603.py", at("MOLT603", 2, 3, 5, 6)),
    ("MOLT603_clean.py", []),
    ("MOLT604.py", at("MOLT604", 10, 11, 12)),
    ("MOLT604_clean.py", []),
    ("MOLT605.py", at("MOLT605", 13, 14, 14, 15, 16)),
    ("MOLT605_clean.py", []),
    ("MOLT606.py", at("MOLT606", 5, 6, 7, 8, 9, 11)),
    ("MOLT606_clean.py", []),
    ("clean_module.py", []),
]


@pytest.mark.parametrize(("fixture", "expected"), ROWS, ids=[row[0] for row in ROWS])
def test_fixture_gives_exactly_the_expected_diagnostics(
    fixture: str, expected: list[tuple[str, int]], tmp_path: Path
) -> None:
    assert_diagnostics(lint_fixture(fixture, tmp_path), expected)


def test_every_code_has_a_violating_and_a_clean_fixture_in_the_table() -> None:
    tabled = {row[0] for row in ROWS}
    for code in REGISTRY:
        assert f"{code}.py" in tabled
        assert f"{code}_clean.py" in tabled
        violating = dict(ROWS)[f"{code}.py"]
        assert code in {found for found, _ in violating}


def test_every_fixture_file_is_in_the_table() -> None:
    assert {path.name for path in FIXTURES.glob("*.py")} == {row[0] for row in ROWS}
