"""The result of a run, and the reporter that prints it in each output format.

`Report` joins the per-file records with the paths and with the spec's data
for each code (severity, spec rules, docs URL). `Reporter` writes it as text,
JSON (spec/schemas/lint-report.json), SARIF 2.1.0, GitHub workflow commands
or JUnit XML, and writes statistics, the rule list and rule explanations.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from molt_lint import __version__
from molt_lint._catalogue import Catalogue
from molt_lint._engine import FileRecord

FORMATS = ("text", "json", "sarif", "github", "junit")


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    severity: str
    rules: tuple[str, ...]
    fix: dict[str, Any]
    url: str
    fingerprint: str
    """Hash of the code and the flagged line's text, for SARIF partialFingerprints."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "severity": self.severity,
            "rules": list(self.rules),
            "fix": self.fix,
            "url": self.url,
        }


@dataclass(frozen=True)
class FileError:
    code: str
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code}
        if self.path is not None:
            out["path"] = self.path
        out["message"] = self.message
        if self.line is not None:
            out["line"] = self.line
        if self.column is not None:
            out["column"] = self.column
        return out


@dataclass
class Report:
    catalogue: Catalogue
    files: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    suppressions: list[dict[str, Any]] = field(default_factory=list)
    suppressed: int = 0
    errors: list[FileError] = field(default_factory=list)

    @classmethod
    def build(cls, catalogue: Catalogue, files: list[tuple[str, FileRecord]]) -> Report:
        report = cls(catalogue, files=len(files))
        for path, record in files:
            report._add(path, record)
        report.diagnostics.sort(key=lambda d: (d.path, d.line, d.column, d.code, d.message))
        report.suppressions.sort(key=lambda s: (s["path"], s["line"], s["code"]))
        report.errors.sort(key=lambda e: (e.path or "", e.line or 0, e.code))
        return report

    def _add(self, path: str, record: FileRecord) -> None:
        error = record.get("error")
        if error:
            code, line, column, detail = error
            if code == "MOLT-E-LINT-PARSE":
                message = self.catalogue.error_message(
                    code, file=path, line=line, column=column, detail=detail
                )
            else:
                message = self.catalogue.error_message(code, file=path, detail=detail)
            self.errors.append(FileError(code, message, path, line, column))
        seen: Counter[str] = Counter()
        for code, message, hint, line, column, end_line, end_column, edit, context in record[
            "diagnostics"
        ]:
            entry = self.catalogue.entry(code)
            fix: dict[str, Any] = {"hint": hint}
            if edit is not None:
                e_line, e_column, e_end_line, e_end_column, content, applicability = edit
                fix["replacement"] = {
                    "start": {"line": e_line, "column": e_column},
                    "end": {"line": e_end_line, "column": e_end_column},
                    "content": content,
                }
                fix["applicability"] = applicability
            seen[context] += 1
            self.diagnostics.append(
                Diagnostic(
                    code,
                    message,
                    path,
                    line,
                    column,
                    end_line,
                    end_column,
                    entry["severity"],
                    tuple(entry["rules"]),
                    fix,
                    entry["url"],
                    f"{context}:{seen[context]}",
                )
            )
        self.suppressed += record.get("suppressed", 0)
        for code, line, reason, accepted, why in record.get("suppressions", []):
            entry = {
                "code": code,
                "path": path,
                "line": line,
                "reason": reason,
                "accepted": accepted,
            }
            if not accepted:
                entry["why_rejected"] = why
            self.suppressions.append(entry)

    def add_error(self, error: FileError) -> None:
        self.errors.append(error)

    @property
    def failed(self) -> bool:
        """Errors fail a run; warnings alone do not."""
        return bool(self.errors) or any(d.severity == "error" for d in self.diagnostics)

    def by_code(self) -> dict[str, int]:
        return dict(sorted(Counter(d.code for d in self.diagnostics).items()))

    def as_text(self) -> str:
        """The report as `molt-lint` prints it by default, for embedding in other tools."""
        return _text(self)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tool": {"name": "molt-lint", "version": __version__},
            "spec_version": self.catalogue.spec_version,
            "summary": {
                "files": self.files,
                "diagnostics": len(self.diagnostics),
                "suppressed": self.suppressed,
                "errors": len(self.errors),
                "by_code": self.by_code(),
            },
            "diagnostics": [d.as_dict() for d in self.diagnostics],
            "suppressions": self.suppressions,
            "errors": [e.as_dict() for e in self.errors],
        }


class Reporter:
    """Writes reports, statistics, rule lists and explanations to one stream."""

    def __init__(self, stream: TextIO, output_format: str = "text") -> None:
        self.stream = stream
        self.format = output_format

    def write(self, text: str) -> None:
        self.stream.write(text)

    # -- runs

    def report(self, report: Report, *, sarif_root: Path | None = None) -> None:
        render = {
            "text": _text,
            "json": _json,
            "github": _github,
            "junit": _junit,
        }.get(self.format)
        if self.format == "sarif":
            self.write(_sarif(report, sarif_root or Path.cwd()))
        else:
            assert render is not None
            self.write(render(report))

    def statistics(self, report: Report) -> None:
        counts = Counter(d.code for d in report.diagnostics)
        rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        entries = [
            {
                "code": code,
                "name": report.catalogue.entry(code)["name"],
                "severity": report.catalogue.entry(code)["severity"],
                "count": count,
            }
            for code, count in rows
        ]
        if self.format == "json":
            self.write(_dumps(entries))
            return
        width = max((len(str(e["count"])) for e in entries), default=1)
        for e in entries:
            self.write(f"{e['count']:>{width}}  {e['code']}  {e['severity']:<7}  {e['name']}\n")
        for error in report.errors:
            self.write(f"{'-':>{width}}  {error.code}  {error.path}\n")

    # -- the catalogue

    def rules(self, catalogue: Catalogue, selected: set[str]) -> None:
        entries = [
            {
                "code": code,
                "name": entry["name"],
                "family": entry["family"],
                "title": entry["title"],
                "severity": entry["severity"],
                "status": entry["status"],
                "since": entry["since"],
                "rules": entry["rules"],
                "url": entry["url"],
                "selected": code in selected,
            }
            for code, entry in sorted(catalogue.codes.items())
        ]
        if self.format == "json":
            self.write(_dumps(entries))
            return
        for e in entries:
            mark = " " if e["selected"] else "-"
            self.write(f"{mark} {e['code']}  {e['name']:<26} {e['severity']:<7}  {e['title']}\n")

    def explain(self, catalogue: Catalogue, code: str) -> None:
        entry = catalogue.entry(code)
        if self.format == "json":
            self.write(_dumps(entry))
            return
        lines = [
            f"{code} {entry['name']} ({entry['severity']}, {entry['status']} since "
            f"{entry['since']})",
            entry["title"],
            "Enforces: " + ", ".join(entry["rules"]),
        ]
        for heading, key in (
            ("What it does", "what_it_does"),
            ("Why is this bad?", "why_bad"),
            ("Example", "example"),
            ("Use instead", "use_instead"),
            ("Fix safety", "fix_safety"),
            ("Known problems", "known_problems"),
        ):
            value = entry.get(key)
            if not value:
                continue
            lines += ["", heading]
            if key in ("example", "use_instead"):
                lines.append(textwrap.indent(value.rstrip("\n"), "    "))
            else:
                lines.append(
                    textwrap.fill(
                        " ".join(value.split()), 79, initial_indent="  ", subsequent_indent="  "
                    )
                )
        if entry.get("options"):
            lines += ["", "Options"]
            lines += [
                f"  {o['name']}: {' '.join(o['description'].split())}" for o in entry["options"]
            ]
        if entry.get("references"):
            lines += ["", "References"]
            lines += [f"  - {r['title']}: {r['url']}" for r in entry["references"]]
        lines += ["", f"Docs: {entry['url']}"]
        self.write("\n".join(lines) + "\n")


# -- formats -----------------------------------------------------------------------


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _json(report: Report) -> str:
    return _dumps(report.as_dict())


def _text(report: Report) -> str:
    rows: list[tuple[str, int, int, str, str]] = []
    for d in report.diagnostics:
        text = f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}\n  help: {d.fix['hint']}\n"
        rows.append((d.path, d.line, d.column, d.code, text))
    for e in report.errors:
        where = e.path or "molt-lint"
        rows.append((where, e.line or 0, e.column or 0, e.code, f"{e.code}: {e.message}\n"))
    rows.sort(key=lambda row: row[:4])
    out = [row[4] for row in rows]
    out.append(_summary(report))
    return "".join(out)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _summary(report: Report) -> str:
    severities = Counter(d.severity for d in report.diagnostics)
    files = _plural(report.files, "file")
    parts = []
    if report.diagnostics:
        flagged = len({d.path for d in report.diagnostics})
        kinds = ", ".join(_plural(severities[s], s) for s in ("error", "warning") if severities[s])
        found = _plural(len(report.diagnostics), "diagnostic")
        parts.append(f"Found {found} ({kinds}) in {flagged} of {files}")
    else:
        parts.append(f"No diagnostics in {files}")
    if report.suppressed:
        parts.append(f"{report.suppressed} suppressed by # molt: allow comments")
    if report.errors:
        parts.append(f"{len(report.errors)} could not be checked")
    return "; ".join(parts) + ".\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(report: Report) -> str:
    out = []
    for d in report.diagnostics:
        level = "error" if d.severity == "error" else "warning"
        properties = (
            f"title={_escape_property(f'molt-lint ({d.code})')},file={_escape_property(d.path)},"
            f"line={d.line},col={d.column},endLine={d.end_line},endColumn={d.end_column}"
        )
        body = _escape_data(f"{d.code} {d.message}\nhelp: {d.fix['hint']}")
        out.append(f"::{level} {properties}::{body}\n")
    for e in report.errors:
        properties = f"title={_escape_property(f'molt-lint ({e.code})')}"
        if e.path:
            properties += f",file={_escape_property(e.path)}"
        if e.line:
            properties += f",line={e.line}"
        if e.column:
            properties += f",col={e.column}"
        out.append(f"::error {properties}::{_escape_data(f'{e.code}: {e.message}')}\n")
    return "".join(out)


def _junit(report: Report) -> str:
    from xml.etree import ElementTree as ET

    failures = len(report.diagnostics)
    suites = ET.Element(
        "testsuites",
        name="molt-lint",
        tests=str(max(failures + len(report.errors), 1)),
        failures=str(failures),
        errors=str(len(report.errors)),
    )
    by_path: dict[str, list[Any]] = {}
    for d in report.diagnostics:
        by_path.setdefault(d.path, []).append(d)
    for e in report.errors:
        by_path.setdefault(e.path or "molt-lint", []).append(e)
    if not by_path:
        suite = ET.SubElement(suites, "testsuite", name="molt-lint", tests="1", failures="0")
        ET.SubElement(suite, "testcase", name="molt-lint", classname="molt-lint")
    for path in sorted(by_path):
        items = by_path[path]
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=path,
            tests=str(len(items)),
            failures=str(sum(isinstance(i, Diagnostic) for i in items)),
            errors=str(sum(isinstance(i, FileError) for i in items)),
        )
        for item in items:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"molt-lint.{item.code}",
                classname=path,
                line=str(item.line or 1),
                column=str(item.column or 1),
            )
            tag = "failure" if isinstance(item, Diagnostic) else "error"
            element = ET.SubElement(case, tag, message=item.message, type=item.code)
            element.text = f"line {item.line or 1}, col {item.column or 1}, {item.message}"
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


# -- SARIF ---------------------------------------------------------------------------

_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_FULL_DESCRIPTION_LIMIT = 1000  # GitHub rejects fullDescription.text of 1,024 characters or more


def repository_root(start: Path) -> Path:
    """The nearest folder with a .git entry, else `start`: SARIF URIs are relative to it."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def _sarif_rule(entry: dict[str, Any]) -> dict[str, Any]:
    full = " ".join(entry["what_it_does"].split())
    if len(full) > _FULL_DESCRIPTION_LIMIT:
        full = full[: _FULL_DESCRIPTION_LIMIT - 1].rstrip() + "\u2026"
    why = " ".join(entry["why_bad"].split())
    text = (
        f"{full}\n\nWhy is this bad? {why}\n\nExample:\n{entry['example']}\n"
        f"Use instead:\n{entry['use_instead']}\nSpec rules: {', '.join(entry['rules'])}.\n"
        f"Docs: {entry['url']}"
    )
    markdown = (
        f"{full}\n\n**Why is this bad?** {why}\n\n**Example**\n\n```python\n{entry['example']}```"
        f"\n\n**Use instead**\n\n```python\n{entry['use_instead']}```\n\n"
        f"Spec rules: {', '.join(entry['rules'])}. [Documentation]({entry['url']})"
    )
    return {
        "id": entry["code"],
        "name": entry["name"],
        "shortDescription": {"text": entry["title"]},
        "fullDescription": {"text": full},
        "help": {"text": text, "markdown": markdown},
        "helpUri": entry["url"],
        "defaultConfiguration": {"level": entry["severity"]},
        "properties": {
            "tags": [entry["family"], *entry["rules"]],
            "precision": "high",
        },
    }


def _sarif(report: Report, root: Path) -> str:
    cwd = Path.cwd()
    codes = sorted(report.catalogue.codes)
    index = {code: position for position, code in enumerate(codes)}

    def uri(path: str) -> str:
        absolute = (cwd / path).resolve() if path != "-" else cwd / path
        try:
            relative = absolute.relative_to(root).as_posix()
        except ValueError:
            relative = Path(os.path.relpath(absolute, root)).as_posix()
        return quote(relative)

    results = []
    for d in report.diagnostics:
        location = {
            "physicalLocation": {
                "artifactLocation": {"uri": uri(d.path), "uriBaseId": "%SRCROOT%"},
                "region": {
                    "startLine": d.line,
                    "startColumn": d.column,
                    "endLine": d.end_line,
                    "endColumn": d.end_column,
                },
            }
        }
        result: dict[str, Any] = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": "error" if d.severity == "error" else "warning",
            "message": {"text": f"{d.message}. Fix: {d.fix['hint']}"},
            "locations": [location],
            "partialFingerprints": {"moltLintContextHash/v1": d.fingerprint},
        }
        replacement = d.fix.get("replacement")
        if replacement is not None:
            result["fixes"] = [
                {
                    "description": {"text": d.fix["hint"]},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": uri(d.path), "uriBaseId": "%SRCROOT%"},
                            "replacements": [
                                {
                                    "deletedRegion": {
                                        "startLine": replacement["start"]["line"],
                                        "startColumn": replacement["start"]["column"],
                                        "endLine": replacement["end"]["line"],
                                        "endColumn": replacement["end"]["column"],
                                    },
                                    "insertedContent": {"text": replacement["content"]},
                                }
                            ],
                        }
                    ],
                }
            ]
        results.append(result)
    notifications = []
    for e in report.errors:
        notification: dict[str, Any] = {
            "descriptor": {"id": e.code},
            "level": "error",
            "message": {"text": e.message},
        }
        if e.path:
            region = {"startLine": e.line} if e.line else {}
            if e.line and e.column:
                region["startColumn"] = e.column
            physical: dict[str, Any] = {
                "artifactLocation": {"uri": uri(e.path), "uriBaseId": "%SRCROOT%"}
            }
            if region:
                physical["region"] = region
            notification["locations"] = [{"physicalLocation": physical}]
        notifications.append(notification)
    document = {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "molt-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://molt.dev/",
                        "rules": [_sarif_rule(report.catalogue.entry(code)) for code in codes],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
                "properties": {"specVersion": report.catalogue.spec_version},
            }
        ],
    }
    return _dumps(document)
