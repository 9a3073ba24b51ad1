"""Reports of a run: JSON (the format of record), JUnit XML, Markdown and HTML.

The JSON report follows spec/schemas/conformance-report.json and is validated
before it is written; `read_report` checks one on the way in
(MOLT-E-REPORT-INVALID). JUnit XML puts one testsuite per case area and one
testcase per case, for CI systems. The Markdown and HTML summaries group the
results by case area and by spec rule (the rules each case lists), then list
every unexpected result with its message.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from jsonschema import Draft202012Validator

from molt.spec import Spec, load_spec
from molt_conformance._errors import ReportInvalid
from molt_conformance._outcomes import STATUSES, UNEXPECTED, Result
from molt_conformance._runner import Run
from molt_conformance._suite import Suite

__all__ = [
    "REPORT_VERSION",
    "Report",
    "html_summary",
    "junit_xml",
    "markdown_summary",
    "read_report",
    "report_json",
]

REPORT_VERSION = 1
_SCHEMA = "schemas/conformance-report.json"


def report_json(run: Run, spec: Spec | None = None) -> dict[str, Any]:
    """The run as a report document, checked against its schema."""
    results = [result.to_json() for result in run.results]
    document = {
        "report_version": REPORT_VERSION,
        "suite": {
            "version": run.suite.version,
            "sha256": run.suite.sha256,
            "cases": len(run.suite.cases),
        },
        "implementation": run.implementation.to_report(),
        "started": run.started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration_s": round(run.duration_s, 3),
        "results": results,
        "summary": _summary(run.results),
    }
    problem = _problem(document, spec or load_spec())
    if problem is not None:  # the runner built it, so this is a runner bug
        raise ValueError(f"molt-conformance built an invalid report: {problem}")
    return document


def _summary(results: Sequence[Result]) -> dict[str, Any]:
    by_status = dict.fromkeys(STATUSES, 0)
    for result in results:
        by_status[result.status] += 1
    return {
        "total": len(results),
        "by_status": by_status,
        "unexpected": sum(by_status[status] for status in UNEXPECTED),
    }


def _problem(document: Any, spec: Spec) -> str | None:
    from jsonschema.exceptions import best_match

    validator = Draft202012Validator(spec.schema(_SCHEMA), registry=spec.registry)
    error = best_match(validator.iter_errors(document))
    if error is None:
        return None
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return f"${where}: {error.message}"


@dataclass(frozen=True)
class Report:
    """A report read back from its JSON file."""

    document: Mapping[str, Any]

    @property
    def results(self) -> list[Result]:
        return [Result.from_json(item) for item in self.document["results"]]

    @property
    def unexpected(self) -> list[Result]:
        return [result for result in self.results if result.unexpected]


def read_report(path: Path | str) -> Report:
    """Read and check a JSON report (MOLT-E-REPORT-INVALID on any problem)."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReportInvalid(
            str(path), "$", f"cannot read the file: {exc.strerror or exc}"
        ) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReportInvalid(str(path), "$", f"not JSON: {exc}") from None
    if isinstance(document, dict) and document.get("report_version") != REPORT_VERSION:
        raise ReportInvalid(
            str(path),
            "$.report_version",
            f"report_version {document.get('report_version')!r} is not {REPORT_VERSION}, "
            "the version this molt-conformance reads",
        )
    problem = _problem(document, load_spec())
    if problem is not None:
        where, _, detail = problem.partition(": ")
        raise ReportInvalid(str(path), where, detail)
    return Report(document)


# -- JUnit XML ------------------------------------------------------------------------------


def junit_xml(document: Mapping[str, Any], suite: Suite) -> bytes:
    """JUnit XML: one testsuite per case area, one testcase per case."""
    implementation = document["implementation"]
    root = ElementTree.Element(
        "testsuites",
        name=f"molt-conformance {implementation['name']} {implementation['version']}",
        tests=str(document["summary"]["total"]),
        failures=str(_count(document, "FAIL", "XPASS")),
        errors=str(_count(document, "ERROR", "CRASH", "TIMEOUT")),
        skipped=str(_count(document, "SKIP", "XFAIL")),
        time=f"{document['duration_s']:.3f}",
    )
    by_area: dict[str, list[Mapping[str, Any]]] = {}
    for result in document["results"]:
        by_area.setdefault(result["id"].split("-")[1], []).append(result)
    for area, results in by_area.items():
        element = ElementTree.SubElement(
            root,
            "testsuite",
            name=f"molt-conformance.{area.lower()}",
            tests=str(len(results)),
            failures=str(sum(r["status"] in ("FAIL", "XPASS") for r in results)),
            errors=str(sum(r["status"] in ("ERROR", "CRASH", "TIMEOUT") for r in results)),
            skipped=str(sum(r["status"] in ("SKIP", "XFAIL") for r in results)),
            time=f"{sum(r['duration_ms'] for r in results) / 1000:.3f}",
        )
        for result in results:
            _testcase(element, result, suite)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _testcase(parent: ElementTree.Element, result: Mapping[str, Any], suite: Suite) -> None:
    case = suite.by_id.get(result["id"])
    title = f"{result['id']}: {case.title}" if case else result["id"]
    element = ElementTree.SubElement(
        parent,
        "testcase",
        classname=f"molt-conformance.{result['id'].split('-')[1].lower()}",
        name=title,
        time=f"{result['duration_ms'] / 1000:.3f}",
    )
    status, message = result["status"], result.get("message", "")
    detail = _detail(result)
    if status in ("FAIL", "XPASS"):
        ElementTree.SubElement(element, "failure", message=message, type=status).text = detail
    elif status in ("ERROR", "CRASH", "TIMEOUT"):
        ElementTree.SubElement(element, "error", message=message, type=status).text = detail
    elif status == "SKIP":
        ElementTree.SubElement(element, "skipped", message=result["skip_reason"])
    elif status == "XFAIL":
        ElementTree.SubElement(element, "skipped", message=f"XFAIL: {message}")
    if result.get("stderr"):
        ElementTree.SubElement(element, "system-err").text = result["stderr"]


def _detail(result: Mapping[str, Any]) -> str:
    lines = [result.get("message", "")]
    for key in ("expected", "actual"):
        if key in result:
            lines.append(f"{key}: {json.dumps(result[key], ensure_ascii=False)}")
    return "\n".join(line for line in lines if line)


def _count(document: Mapping[str, Any], *statuses: str) -> int:
    return sum(document["summary"]["by_status"][status] for status in statuses)


# -- Markdown and HTML ---------------------------------------------------------------------

_COLUMNS = ("PASS", "FAIL", "SKIP", "XFAIL", "XPASS", "ERROR", "CRASH", "TIMEOUT")


@dataclass(frozen=True)
class _Row:
    name: str
    detail: str
    counts: dict[str, int]

    @property
    def verdict(self) -> str:
        if any(self.counts[status] for status in UNEXPECTED):
            return "fails"
        if self.counts["PASS"] + self.counts["XFAIL"] == 0:
            return "not run"
        return "passes" if not self.counts["XFAIL"] else "passes (known failures)"


def _tables(document: Mapping[str, Any], suite: Suite, spec: Spec) -> tuple[list[_Row], list[_Row]]:
    by_area: dict[str, dict[str, int]] = {}
    by_rule: dict[str, dict[str, int]] = {
        rule["id"]: dict.fromkeys(_COLUMNS, 0) for rule in spec.rules
    }
    for result in document["results"]:
        area = result["id"].split("-")[1]
        by_area.setdefault(area, dict.fromkeys(_COLUMNS, 0))[result["status"]] += 1
        case = suite.by_id.get(result["id"])
        for rule in case.rules if case else ():
            by_rule.setdefault(rule, dict.fromkeys(_COLUMNS, 0))[result["status"]] += 1
    areas = [_Row(area, "", counts) for area, counts in sorted(by_area.items())]
    levels = {rule["id"]: f"{rule['level']} · {rule['area']}" for rule in spec.rules}
    rules = [
        _Row(rule, levels.get(rule, ""), counts)
        for rule, counts in by_rule.items()
        if sum(counts.values())
    ]
    return areas, rules


def _heading(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    implementation = document["implementation"]
    summary = document["summary"]
    return [
        (
            "Implementation",
            f"{implementation['name']} {implementation['version']} "
            f"(spec {implementation['spec_version']})",
        ),
        ("Roles", ", ".join(implementation["roles"])),
        ("Features", ", ".join(implementation["features"]) or "none"),
        *_pairing(document),
        (
            "Suite",
            f"{document['suite']['version']}, sha256 {document['suite']['sha256']}, "
            f"{document['suite']['cases']} cases",
        ),
        ("Run", f"{document['started']}, {document['duration_s']:.1f} s"),
        (
            "Verdict",
            f"{summary['unexpected']} unexpected of {summary['total']} "
            f"({', '.join(f'{n} {s}' for s, n in summary['by_status'].items() if n)})",
        ),
    ]


def _pairing(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A heading line for the cases run with the reference in a missing role, if any."""
    paired = [r["paired_with"] for r in document["results"] if "paired_with" in r]
    if not paired:
        return []
    first = paired[0]
    return [
        (
            "Paired with",
            f"{first['name']} {first['version']} as the {first['role']}, in {len(paired)} "
            f"compile-run case{'s' if len(paired) != 1 else ''}",
        )
    ]


def _unexpected(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [result for result in document["results"] if result["status"] in UNEXPECTED]


def markdown_summary(document: Mapping[str, Any], suite: Suite, spec: Spec | None = None) -> str:
    spec = spec or load_spec()
    areas, rules = _tables(document, suite, spec)
    lines = ["# Molt conformance report", ""]
    lines += [f"- **{label}:** {value}" for label, value in _heading(document)]
    lines += ["", "## By area", ""]
    lines += _markdown_table(("Area", *_COLUMNS, "Verdict"), _cells(areas, with_detail=False))
    lines += ["", "## By spec rule", ""]
    lines += _markdown_table(("Rule", "Level · area", *_COLUMNS, "Verdict"), _cells(rules))
    unexpected = _unexpected(document)
    lines += ["", "## Unexpected results", ""]
    if not unexpected:
        lines.append("None.")
    for result in unexpected:
        message = (result.get("message") or "").replace("|", "\\|")
        lines.append(f"- `{result['id']}` **{result['status']}**: {message}")
    return "\n".join(lines) + "\n"


def _cells(rows: Iterable[_Row], with_detail: bool = True) -> list[list[str]]:
    out = []
    for row in rows:
        cells = [row.name] + ([row.detail] if with_detail else [])
        cells += [str(row.counts[status]) for status in _COLUMNS]
        out.append([*cells, row.verdict])
    return out


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def html_summary(document: Mapping[str, Any], suite: Suite, spec: Spec | None = None) -> str:
    spec = spec or load_spec()
    areas, rules = _tables(document, suite, spec)
    escape = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Molt conformance report</title>",
        "<style>body{font:14px/1.5 system-ui,sans-serif;margin:2em;max-width:80em}"
        "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;"
        "padding:.25em .6em;text-align:right}th:first-child,td:first-child,td.text"
        "{text-align:left}.fails{background:#fdd}.passes{background:#dfd}"
        "code{font-size:95%}</style></head><body>",
        "<h1>Molt conformance report</h1><dl>",
    ]
    for label, value in _heading(document):
        parts.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
    parts.append("</dl><h2>By area</h2>")
    parts.append(_html_table(("Area", *_COLUMNS, "Verdict"), areas, with_detail=False))
    parts.append("<h2>By spec rule</h2>")
    parts.append(_html_table(("Rule", "Level · area", *_COLUMNS, "Verdict"), rules))
    parts.append("<h2>Unexpected results</h2>")
    unexpected = _unexpected(document)
    if not unexpected:
        parts.append("<p>None.</p>")
    else:
        parts.append("<ul>")
        for result in unexpected:
            parts.append(
                f"<li><code>{escape(result['id'])}</code> <strong>{escape(result['status'])}"
                f"</strong>: {escape(result.get('message') or '')}</li>"
            )
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_table(header: Sequence[str], rows: Sequence[_Row], with_detail: bool = True) -> str:
    escape = html.escape
    out = [
        "<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr></thead>"
    ]
    out.append("<tbody>")
    for row, cells in zip(rows, _cells(rows, with_detail), strict=True):
        css = row.verdict.split()[0].replace("not", "")
        tds = [f'<td class="text">{escape(cells[0])}</td>']
        if with_detail:
            tds.append(f'<td class="text">{escape(cells[1])}</td>')
        tds += [f"<td>{escape(cell)}</td>" for cell in cells[(2 if with_detail else 1) : -1]]
        tds.append(f'<td class="text">{escape(cells[-1])}</td>')
        out.append(f'<tr class="{css}">' + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)
