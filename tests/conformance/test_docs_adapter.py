"""The minimal adapter printed in docs/conformance.md connects and gets a report."""

from __future__ import annotations

import re
from pathlib import Path

from molt_conformance import Suite, report_json
from tests.conformance.conftest import PYTHON, run, statuses
from tests.conftest import REPO_ROOT

DOCS = REPO_ROOT / "docs" / "conformance.md"


def _minimal_adapter(tmp_path: Path) -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    (source,) = [block for block in blocks if block.startswith('"""my_adapter.py')]
    assert len(source.splitlines()) <= 60  # "a few dozen lines"
    path = tmp_path / "my_adapter.py"
    path.write_text(source, encoding="utf-8")
    return f"{PYTHON} {path}"


def test_minimal_adapter_from_the_docs_gets_an_honest_report(tmp_path: Path, suite: Suite) -> None:
    result = run(suite, _minimal_adapter(tmp_path), ["MC-SIGN-00*", "MC-LOAD-01*", "MC-CALL-00*"])
    assert result.implementation.name == "my-host"
    # What the docs say it lacks: the lock entry's schema and size checks.
    assert statuses(result) == {
        "MC-LOAD-010": "FAIL",
        "MC-LOAD-011": "FAIL",
        "MC-LOAD-012": "ERROR",
        "MC-LOAD-013": "FAIL",
        "MC-LOAD-014": "FAIL",
        "MC-LOAD-015": "FAIL",
        "MC-LOAD-019": "FAIL",  # a URL as the entry's file: only the lockfile schema refuses it
    }
    passed = [r.id for r in result.results if r.status == "PASS"]
    assert "MC-SIGN-001" in passed and "MC-CALL-001" in passed
    assert report_json(result)["implementation"]["features"] == []
