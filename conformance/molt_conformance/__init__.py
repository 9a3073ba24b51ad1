"""molt-conformance: the Molt conformance suite's runner, adapter protocol and reports.

Any compiler or host proves it implements Molt by running the suite through an
adapter: a small program that speaks the adapter protocol (JSON lines on stdin
and stdout, spec/schemas/adapter/) and drives the implementation. This package
reaches an implementation only through that protocol, the reference one
included, and uses nothing else of Molt but `molt.spec` (schemas, rules, error
codes and the cases' location).

    from molt_conformance import RunOptions, load_suite, report_json, run_suite
    suite = load_suite()
    run = run_suite(suite, RunOptions(adapter="python -m molt.adapter", jobs=2))
    report = report_json(run)
"""

from __future__ import annotations

__version__ = "0.1.0"

from molt_conformance._errors import (
    AdapterCrashed,
    AdapterProtocolError,
    AdapterTimeout,
    CaseInvalid,
    ConformanceError,
    ExpectationsInvalid,
    ProtocolVersionMismatch,
    ReportInvalid,
)
from molt_conformance._expectations import read_expectations
from molt_conformance._outcomes import STATUSES, UNEXPECTED, Result
from molt_conformance._protocol import PROTOCOL_VERSION
from molt_conformance._report import (
    html_summary,
    junit_xml,
    markdown_summary,
    read_report,
    report_json,
)
from molt_conformance._runner import Run, RunOptions, run_suite
from molt_conformance._session import AdapterSession, Implementation
from molt_conformance._suite import Case, Suite, load_suite, suite_sha256
from molt_conformance._transport import Connection, SubprocessConnection

__all__ = [
    "PROTOCOL_VERSION",
    "STATUSES",
    "UNEXPECTED",
    "AdapterCrashed",
    "AdapterProtocolError",
    "AdapterSession",
    "AdapterTimeout",
    "Case",
    "CaseInvalid",
    "ConformanceError",
    "Connection",
    "ExpectationsInvalid",
    "Implementation",
    "ProtocolVersionMismatch",
    "ReportInvalid",
    "Result",
    "Run",
    "RunOptions",
    "SubprocessConnection",
    "Suite",
    "__version__",
    "html_summary",
    "junit_xml",
    "load_suite",
    "markdown_summary",
    "read_expectations",
    "read_report",
    "report_json",
    "run_suite",
    "suite_sha256",
]
