"""The expectations file: the cases an implementation knows it fails, and why.

    # known-failures.toml
    [known-failures]
    MC-WIRE-006 = "our decoder accepts timestamps; issue #41"

Every key must be a case of the suite; a listed case that fails is XFAIL, one
that passes is XPASS (unexpected: take it off the list). Anything else in the
file is MOLT-E-EXPECTATIONS-INVALID, so a typo never silently hides a failure.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from molt_conformance._errors import ExpectationsInvalid
from molt_conformance._suite import Suite

__all__ = ["TABLE", "read_expectations"]

TABLE = "known-failures"


def read_expectations(path: Path | str, suite: Suite) -> dict[str, str]:
    """Case ID -> reason, checked against the suite."""
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExpectationsInvalid(
            str(path), f"cannot read the file: {exc.strerror or exc}"
        ) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ExpectationsInvalid(str(path), f"not valid TOML: {exc}") from None
    extra = sorted(set(document) - {TABLE})
    if extra:
        raise ExpectationsInvalid(str(path), f"unknown table or key {extra[0]!r}")
    table = document.get(TABLE, {})
    if not isinstance(table, dict):
        raise ExpectationsInvalid(str(path), f"[{TABLE}] must be a table")
    known: dict[str, str] = {}
    for case_id, reason in table.items():
        if case_id not in suite.by_id:
            raise ExpectationsInvalid(str(path), f"{case_id} is not a case of this suite")
        if not isinstance(reason, str) or not reason.strip():
            raise ExpectationsInvalid(
                str(path), f"{case_id}: the reason must be a non-empty string"
            )
        known[case_id] = reason.strip()
    return known
