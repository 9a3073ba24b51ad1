"""The file-format schemas accept real instances and reject near misses.

Each table row is (name, valid, instance) for one schema, as in bowtie's
`tests/test_schemas.py`: a realistic instance, then copies of it broken in one
way each (a wrong constant, a missing field, an extra field, a bad pattern).
Adapter responses are looked up by the naming rule `<command>.json#/$defs/response`.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC = Path(__file__).resolve().parents[2] / "spec"
SCHEMAS = SPEC / "schemas"
BASE = "https://molt.dev/schemas/"
COMMANDS = ("hello", "compile", "load", "call", "bye")

# The schemas this file pins, by path under spec/schemas.
FORMAT_SCHEMAS = (
    "lockfile.json",
    "recipe.json",
    "interface.json",
    "lint-report.json",
    "conformance-case.json",
    "conformance-report.json",
    "adapter/v1.json",
    *(f"adapter/commands/{command}.json" for command in COMMANDS),
)


def _all_schemas() -> dict[str, Any]:
    return {
        path.relative_to(SCHEMAS).as_posix(): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(SCHEMAS.rglob("*.json"))
    }


@cache
def registry() -> Registry:
    """The spec loader's registry, or one built here while the spec documents are unfinished."""
    try:
        from molt.spec import SpecError, load_spec
    except ImportError:
        pass
    else:
        try:
            return load_spec().registry
        except SpecError:
            pass
    resources = [
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT202012))
        for schema in _all_schemas().values()
    ]
    return Registry().with_resources(resources)


def validator(uri: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": uri}, registry=registry())


# -- helpers to derive near misses ---------------------------------------------


def _steps(path: str) -> list[str | int]:
    return [int(step) if step.isdigit() else step for step in path.split(".")]


def changed(instance: Any, path: str, value: Any) -> Any:
    """A deep copy of `instance` with the value at dotted `path` set to `value`."""
    result = copy.deepcopy(instance)
    *parents, last = _steps(path)
    node = result
    for step in parents:
        node = node[step]
    node[last] = value
    return result


def without(instance: Any, path: str) -> Any:
    """A deep copy of `instance` with the value at dotted `path` removed."""
    result = copy.deepcopy(instance)
    *parents, last = _steps(path)
    node = result
    for step in parents:
        node = node[step]
    del node[last]
    return result


SHA = "4b5af442229cf356a6868a3b8791ffaa70e0135ef8af2eb4898bddbeb0e0b0b0"
SIGNATURE = base64.b64encode(bytes(range(64))).decode()  # 64 bytes, like an Ed25519 signature
PUBLIC_KEY = base64.b64encode(bytes(range(100, 132))).decode()  # 32 bytes, like a public key
INT64 = {"type": "integer", "minimum": -9223372036854775808, "maximum": 9223372036854775807}
MEAN_INPUT = {
    "type": "object",
    "properties": {"xs": {"type": "array", "items": {"type": "number"}}},
    "required": ["xs"],
    "additionalProperties": False,
}

# -- lockfile.json ---------------------------------------------------------------

LOCK = {
    "lock_version": 1,
    "generated_by": "molt 0.1.0",
    "artifacts": [
        {
            "name": "stats",
            "version": "1.2.0",
            "file": "stats-1.2.0.wasm",
            "size": 18342,
            "sha256": SHA,
            "abi": {"major": 1, "minor": 0},
            "exports": [{"name": "mean", "input": MEAN_INPUT, "output": {"type": "number"}}],
            "targets": ["wasm32-molt-v1"],
            "signature": {
                "algorithm": "ed25519",
                "key_id": "ed25519:3f9a0c2e7b1d4e55",
                "value": SIGNATURE,
            },
        }
    ],
}
UNSIGNED = changed(without(LOCK["artifacts"][0], "signature"), "file", "build/geo/geo.wasm")
UNSIGNED = changed(changed(UNSIGNED, "name", "geo_tools"), "version", "0.3.0-rc.1+build.7")

LOCKFILE_ROWS = [
    ("one signed artifact", True, LOCK),
    ("no artifacts yet", True, changed(LOCK, "artifacts", [])),
    (
        "unsigned entry in a subfolder",
        True,
        changed(LOCK, "artifacts", [LOCK["artifacts"][0], UNSIGNED]),
    ),
    ("unknown lock_version", False, changed(LOCK, "lock_version", 2)),
    ("entry without sha256", False, without(LOCK, "artifacts.0.sha256")),
    ("entry with an extra field", False, changed(LOCK, "artifacts.0.url", "https://x.test/a")),
    ("sha256 in capitals", False, changed(LOCK, "artifacts.0.sha256", SHA.upper())),
    ("file escaping the folder", False, changed(LOCK, "artifacts.0.file", "../stats.wasm")),
    ("file with an inner '..'", False, changed(LOCK, "artifacts.0.file", "a/../stats.wasm")),
    ("absolute file", False, changed(LOCK, "artifacts.0.file", "/srv/stats.wasm")),
    ("file that is not .wasm", False, changed(LOCK, "artifacts.0.file", "stats.so")),
    ("size below the wasm header", False, changed(LOCK, "artifacts.0.size", 7)),
    ("unknown target", False, changed(LOCK, "artifacts.0.targets", ["wasm32-wasi"])),
    ("no targets", False, changed(LOCK, "artifacts.0.targets", [])),
    ("no exports", False, changed(LOCK, "artifacts.0.exports", [])),
    ("export with an extra field", False, changed(LOCK, "artifacts.0.exports.0.doc", "x")),
    (
        "signature by another algorithm",
        False,
        changed(LOCK, "artifacts.0.signature.algorithm", "rsa"),
    ),
    ("key id too short", False, changed(LOCK, "artifacts.0.signature.key_id", "ed25519:3f9a")),
    ("signature of 63 bytes", False, changed(LOCK, "artifacts.0.signature.value", SIGNATURE[:84])),
    (
        "signature with stray trailing bits",
        False,
        changed(LOCK, "artifacts.0.signature.value", SIGNATURE[:85] + "x=="),
    ),
    ("missing generated_by", False, without(LOCK, "generated_by")),
]

# -- recipe.json -----------------------------------------------------------------

RECIPE = {
    "recipe_version": 1,
    "module": {"name": "stats", "version": "1.2.0", "description": "Mean and median of floats."},
    "source": {"files": ["src/stats.py"]},
    "build": {"exports": ["mean", "median"], "opt_level": 2, "targets": ["wasm32-molt-v1"]},
    "limits": {"fuel": 1_000_000, "memory_bytes": 1_048_576},
}

RECIPE_ROWS = [
    ("sources with limits", True, RECIPE),
    (
        "prebuilt module, no limits",
        True,
        without(changed(RECIPE, "source", {"prebuilt": "prebuilt/stats.wasm"}), "limits"),
    ),
    (
        "several files at -O0",
        True,
        changed(
            changed(RECIPE, "source.files", ["stats.py", "src/_util.py"]), "build.opt_level", 0
        ),
    ),
    ("unknown recipe_version", False, changed(RECIPE, "recipe_version", 2)),
    ("both files and prebuilt", False, changed(RECIPE, "source.prebuilt", "prebuilt/stats.wasm")),
    ("neither files nor prebuilt", False, changed(RECIPE, "source", {})),
    ("no targets", False, without(RECIPE, "build.targets")),
    ("opt_level 4", False, changed(RECIPE, "build.opt_level", 4)),
    ("source outside the folder", False, changed(RECIPE, "source.files", ["../stats.py"])),
    ("source that is not .py", False, changed(RECIPE, "source.files", ["stats.pyx"])),
    ("extra table", False, changed(RECIPE, "tool", {"x": 1})),
    ("duplicate exports", False, changed(RECIPE, "build.exports", ["mean", "mean"])),
    ("memory below one page", False, changed(RECIPE, "limits.memory_bytes", 1000)),
]

# -- interface.json --------------------------------------------------------------

INTERFACE = {
    "abi": {"major": 1, "minor": 0},
    "module": {"name": "stats", "version": "1.2.0"},
    "exports": [
        {
            "name": "mean",
            "params": [{"name": "xs", "type": "list[float]"}],
            "returns": "float",
            "input": MEAN_INPUT,
            "output": {"type": "number"},
        }
    ],
}
POINT = {
    "type": "object",
    "title": "Point",
    "properties": {"x": INT64, "y": INT64},
    "required": ["x", "y"],
    "additionalProperties": False,
}
SHIFT = {
    "name": "shift",
    "params": [{"name": "p", "type": "Point"}, {"name": "by", "type": "dict[str, int] | None"}],
    "returns": "Point",
    "input": {
        "type": "object",
        "properties": {
            "p": POINT,
            "by": {"anyOf": [{"type": "object", "additionalProperties": INT64}, {"type": "null"}]},
        },
        "required": ["p", "by"],
        "additionalProperties": False,
    },
    "output": POINT,
    "doc": "Move a point.",
}
NO_PARAMS = {
    "name": "version_tag",
    "params": [],
    "returns": "str",
    "input": {"type": "object", "properties": {}, "required": [], "additionalProperties": False},
    "output": {"type": "string"},
}

INTERFACE_ROWS = [
    ("one export", True, INTERFACE),
    (
        "records, optional types and molt_version",
        True,
        changed(changed(INTERFACE, "exports", [SHIFT]), "molt_version", "0.1.0"),
    ),
    (
        "export without parameters",
        True,
        changed(INTERFACE, "exports", [INTERFACE["exports"][0], NO_PARAMS]),
    ),
    ("missing abi", False, without(INTERFACE, "abi")),
    ("abi without minor", False, without(INTERFACE, "abi.minor")),
    ("no exports", False, changed(INTERFACE, "exports", [])),
    ("parameter name with a hyphen", False, changed(INTERFACE, "exports.0.params.0.name", "x-s")),
    ("type in another syntax", False, changed(INTERFACE, "exports.0.returns", "list<float>")),
    ("extra top-level field", False, changed(INTERFACE, "imports", [])),
    ("module name in capitals", False, changed(INTERFACE, "module.name", "Stats")),
]

# -- lint-report.json ------------------------------------------------------------

CLEAN_REPORT = {
    "tool": {"name": "molt-lint", "version": "0.1.0"},
    "spec_version": "0.1.0",
    "summary": {"files": 2, "diagnostics": 0, "suppressed": 0, "errors": 0, "by_code": {}},
    "diagnostics": [],
    "suppressions": [],
    "errors": [],
}
DIAGNOSTIC = {
    "code": "MOLT101",
    "message": "`import os` imports a module Molt cannot load",
    "path": "src/stats.py",
    "line": 3,
    "column": 1,
    "end_line": 3,
    "end_column": 10,
    "severity": "error",
    "rules": ["MOLT-R-NO-IMPORTS", "MOLT-R-TYPED-SUBSET"],
    "fix": {
        "hint": "Remove the import and pass the data in as an argument.",
        "replacement": {
            "start": {"line": 3, "column": 1},
            "end": {"line": 4, "column": 1},
            "content": "",
        },
        "applicability": "unsafe",
    },
    "url": "https://molt.dev/lint/MOLT101/",
}
ACCEPTED = {
    "code": "MOLT203",
    "path": "src/stats.py",
    "line": 9,
    "reason": "checked by hand: the list is never empty",
    "accepted": True,
}
REJECTED = {
    "code": "MOLT101",
    "path": "src/stats.py",
    "line": 12,
    "reason": None,
    "accepted": False,
    "why_rejected": "a suppression needs a reason after the code",
}
PARSE_ERROR = {
    "code": "MOLT-E-LINT-PARSE",
    "path": "src/broken.py",
    "message": "invalid syntax; fix the file so Python can parse it",
    "line": 4,
    "column": 8,
}
REPORT = changed(
    changed(
        changed(changed(CLEAN_REPORT, "diagnostics", [DIAGNOSTIC]), "suppressions", [ACCEPTED]),
        "summary",
        {"files": 2, "diagnostics": 1, "suppressed": 1, "errors": 0, "by_code": {"MOLT101": 1}},
    ),
    "errors",
    [],
)
HINT_ONLY = changed(
    changed(DIAGNOSTIC, "fix", {"hint": "Annotate the parameter."}), "severity", "warning"
)
WITH_ERRORS = changed(
    changed(changed(CLEAN_REPORT, "diagnostics", [HINT_ONLY]), "suppressions", [REJECTED]),
    "errors",
    [
        PARSE_ERROR,
        {
            "code": "MOLT-E-LINT-UNKNOWN-CODE",
            "message": "--select names MOLT999, which does not exist",
        },
    ],
)

LINT_REPORT_ROWS = [
    ("clean run", True, CLEAN_REPORT),
    ("diagnostic with an edit, accepted suppression", True, REPORT),
    ("hint-only warning, rejected suppression, errors", True, WITH_ERRORS),
    ("another tool", False, changed(CLEAN_REPORT, "tool.name", "ruff")),
    ("diagnostic without rules", False, without(REPORT, "diagnostics.0.rules")),
    ("diagnostic with empty rules", False, changed(REPORT, "diagnostics.0.rules", [])),
    ("edit without applicability", False, without(REPORT, "diagnostics.0.fix.applicability")),
    ("applicability without an edit", False, without(REPORT, "diagnostics.0.fix.replacement")),
    ("accepted suppression without reason", False, changed(REPORT, "suppressions.0.reason", None)),
    (
        "accepted suppression saying why rejected",
        False,
        changed(REPORT, "suppressions.0.why_rejected", "no"),
    ),
    (
        "rejected suppression without why",
        False,
        without(WITH_ERRORS, "suppressions.0.why_rejected"),
    ),
    ("error with a non-lint code", False, changed(WITH_ERRORS, "errors.0.code", "MOLT-E-IO")),
    ("absolute path", False, changed(REPORT, "diagnostics.0.path", "/src/stats.py")),
    (
        "by_code keyed by another linter's code",
        False,
        changed(REPORT, "summary.by_code", {"E501": 1}),
    ),
    ("column 0", False, changed(REPORT, "diagnostics.0.column", 0)),
    ("extra diagnostic field", False, changed(REPORT, "diagnostics.0.noqa", False)),
]

# -- conformance-case.json ---------------------------------------------------------

COMPILE_RUN = {
    "id": "MC-RUN-001",
    "title": "mean of a list of floats round-trips through the boundary",
    "rules": ["MOLT-R-SCHEMA-BOUNDARY", "MOLT-R-MSGPACK-WIRE"],
    "features": [],
    "roles": ["compiler", "host"],
    "kind": "compile-run",
    "source": "stats.py",
    "vectors": [
        {"fn": "mean", "args": {"xs": [1.0, 2.0, 4.5]}, "expect": {"value": 2.5}},
        {
            "fn": "mean",
            "args_msgpack_hex": "81a27873c1",
            "expect": {"error": {"phase": "boundary", "code": "MOLT-E-MALFORMED-MESSAGE"}},
        },
        {
            "fn": "mean",
            "args": {"xs": [1.0]},
            "expect": {"msgpack_hex": "cb3ff0000000000000"},
            "fuel": 50_000,
        },
    ],
}
COMPILE_ERROR = {
    "id": "MC-COMPILE-004",
    "title": "a while loop over an untyped name is rejected",
    "rules": ["MOLT-R-TYPED-SUBSET"],
    "features": ["loops"],
    "roles": ["compiler"],
    "kind": "compile-error",
    "source": "untyped.py",
    "expect": {"phase": "compile", "code": "MOLT-E-NAME", "line": 5},
}
HOST_LOAD = {
    "id": "MC-LOAD-001",
    "title": "an artifact whose bytes differ from the lock is refused",
    "rules": ["MOLT-R-SIGNED-ARTIFACTS"],
    "features": [],
    "roles": ["host"],
    "kind": "host-load",
    "artifact": "module.wasm",
    "lock": "molt-lock.json",
    "trusted_keys": ["keys/trusted.pub"],
    "expect": {"error": {"phase": "load", "code": "MOLT-E-HASH-MISMATCH"}},
    "limits": {"memory_bytes": 1_048_576},
}
HOST_CALL = {
    "id": "MC-CALL-012",
    "title": "integer overflow is an error, never a wrap",
    "rules": ["MOLT-R-DETERMINISM", "MOLT-R-CLEAR-ERRORS"],
    "features": ["int64"],
    "roles": ["host", "compiler"],
    "kind": "host-call",
    "artifact": "add.wasm",
    "lock": "molt-lock.json",
    "trusted_keys": ["trusted.pub"],
    "calls": [
        {
            "fn": "add",
            "message_hex": "82a161cf7fffffffffffffffa16201",
            "expect": {"error": {"phase": "runtime", "code": "MOLT-E-OVERFLOW"}},
            "fuel_used": 412,
        },
        {"fn": "add", "args": {"a": 1, "b": 2}, "expect": {"value": 3}},
    ],
    "repeat": 3,
    "limits": {"fuel": 100_000, "deadline_ms": 2000},
}

CONFORMANCE_CASE_ROWS = [
    ("compile-run", True, COMPILE_RUN),
    ("compile-error", True, COMPILE_ERROR),
    ("host-load expecting an error", True, HOST_LOAD),
    (
        "host-load expecting success, no keys",
        True,
        changed(changed(HOST_LOAD, "expect", {"ok": True}), "trusted_keys", []),
    ),
    ("host-call", True, HOST_CALL),
    ("compile-run without vectors", False, without(COMPILE_RUN, "vectors")),
    ("compile-run without the host role", False, changed(COMPILE_RUN, "roles", ["compiler"])),
    ("compile-error for a host only", False, changed(COMPILE_ERROR, "roles", ["host"])),
    ("compile-error without a line", False, without(COMPILE_ERROR, "expect.line")),
    (
        "host-load error in the runtime phase",
        False,
        changed(HOST_LOAD, "expect.error.phase", "runtime"),
    ),
    ("host-load expecting ok and an error", False, changed(HOST_LOAD, "expect.ok", True)),
    (
        "vector with args and raw bytes",
        False,
        changed(COMPILE_RUN, "vectors.0.args_msgpack_hex", "80"),
    ),
    (
        "expectation with a value and an error",
        False,
        changed(
            COMPILE_RUN, "vectors.0.expect.error", {"phase": "runtime", "code": "MOLT-E-VALUE"}
        ),
    ),
    ("unknown kind", False, changed(COMPILE_RUN, "kind", "compile-only")),
    ("field of another kind", False, changed(HOST_CALL, "source", "add.py")),
    ("hex in capitals", False, changed(HOST_CALL, "calls.0.message_hex", "82A1")),
    ("hex of odd length", False, changed(HOST_CALL, "calls.0.message_hex", "82a")),
    (
        "key outside the case folder",
        False,
        changed(HOST_LOAD, "trusted_keys", ["../keys/trusted.pub"]),
    ),
    ("malformed case id", False, changed(HOST_LOAD, "id", "MC-load-1")),
    ("feature tag in capitals", False, changed(COMPILE_ERROR, "features", ["Loops"])),
    ("no rules", False, changed(COMPILE_ERROR, "rules", [])),
    ("repeat of zero", False, changed(HOST_CALL, "repeat", 0)),
]

# -- conformance-report.json -------------------------------------------------------

BY_STATUS = {
    "PASS": 40,
    "FAIL": 0,
    "SKIP": 2,
    "XFAIL": 1,
    "XPASS": 0,
    "ERROR": 0,
    "CRASH": 0,
    "TIMEOUT": 0,
}
CONFORMANCE_REPORT = {
    "report_version": 1,
    "suite": {"version": "0.1.0", "sha256": SHA, "cases": 43},
    "implementation": {
        "name": "molt-reference",
        "version": "0.1.0",
        "spec_version": "0.1.0",
        "roles": ["compiler", "host"],
        "features": ["int64", "records"],
    },
    "started": "2025-01-31T12:00:00Z",
    "duration_s": 12.75,
    "results": [
        {"id": "MC-LOAD-001", "status": "PASS", "duration_ms": 14.2},
        {
            "id": "MC-RUN-001",
            "status": "SKIP",
            "duration_ms": 0,
            "skip_reason": "needs the compiler role",
        },
        {
            "id": "MC-CALL-012",
            "status": "XFAIL",
            "duration_ms": 31,
            "message": "known bug",
            "expected": {"phase": "runtime", "code": "MOLT-E-OVERFLOW"},
            "actual": -2,
        },
    ],
    "summary": {"total": 43, "by_status": BY_STATUS, "unexpected": 0},
}
FAILED = changed(
    changed(
        CONFORMANCE_REPORT,
        "results",
        [
            {
                "id": "MC-CALL-012",
                "status": "CRASH",
                "duration_ms": 120.5,
                "message": "the adapter exited with status 139",
                "stderr": "Segmentation fault\n",
            },
            {
                "id": "MC-LOAD-001",
                "status": "FAIL",
                "duration_ms": 3,
                "expected": {"ok": True},
                "actual": {"phase": "load", "code": "MOLT-E-KEY-UNTRUSTED"},
            },
        ],
    ),
    "summary",
    {
        "total": 2,
        "by_status": dict(BY_STATUS, PASS=0, SKIP=0, XFAIL=0, FAIL=1, CRASH=1),
        "unexpected": 2,
    },
)

CONFORMANCE_REPORT_ROWS = [
    ("mixed statuses", True, CONFORMANCE_REPORT),
    ("failures with stderr", True, FAILED),
    (
        "host-only implementation, fractional start",
        True,
        changed(
            changed(CONFORMANCE_REPORT, "implementation.roles", ["host"]),
            "started",
            "2025-01-31T12:00:00.125Z",
        ),
    ),
    ("unknown report_version", False, changed(CONFORMANCE_REPORT, "report_version", 2)),
    ("skip without a reason", False, without(CONFORMANCE_REPORT, "results.1.skip_reason")),
    ("pass with a skip reason", False, changed(CONFORMANCE_REPORT, "results.0.skip_reason", "x")),
    ("unknown status", False, changed(CONFORMANCE_REPORT, "results.0.status", "OK")),
    ("summary missing a status", False, without(CONFORMANCE_REPORT, "summary.by_status.TIMEOUT")),
    ("local start time", False, changed(CONFORMANCE_REPORT, "started", "2025-01-31 12:00:00")),
    ("suite hash in capitals", False, changed(CONFORMANCE_REPORT, "suite.sha256", SHA.upper())),
    ("extra result field", False, changed(CONFORMANCE_REPORT, "results.0.retries", 1)),
]

# -- adapter protocol ---------------------------------------------------------------

HELLO = {"cmd": "hello", "protocol_version": 1, "suite_spec_version": "0.1.0"}
STARTED = {
    "protocol_version": 1,
    "implementation": {
        "name": "molt-reference",
        "version": "0.1.0",
        "language": "python",
        "homepage": "https://molt.dev",
    },
    "spec_version": "0.1.0",
    "roles": ["compiler", "host"],
    "features": ["int64", "records"],
}
COMPILE = {
    "cmd": "compile",
    "seq": 7,
    "source_name": "stats.py",
    "source": "from molt import export\n\n@export\ndef mean(xs: list[float]) -> float:\n"
    "    return sum(xs) / len(xs)\n",
    "module": {"name": "stats", "version": "1.2.0"},
    "opt_level": 2,
}
LOAD = {
    "cmd": "load",
    "seq": 8,
    "handle": "stats-1",
    "artifact_base64": "AGFzbQEAAAA=",
    "lock_entry": LOCK["artifacts"][0],
    "trusted_keys": [PUBLIC_KEY],
    "limits": {"fuel": 1_000_000, "memory_bytes": 1_048_576, "deadline_ms": 1000},
}
CALL = {
    "cmd": "call",
    "seq": 9,
    "handle": "stats-1",
    "fn": "mean",
    "message_base64": "gaJ4c5LLP/AAAAAAAADLQAAAAAAAAAA=",
    "limits": {"fuel": 5000},
}
ERRORED = {
    "seq": 9,
    "errored": True,
    "message": "no module is loaded under handle 'stats-2'",
    "traceback": "Traceback (most recent call last):\n  ...\nKeyError: 'stats-2'\n",
}

V1 = BASE + "adapter/v1.json"
V1_COMMAND_ROWS = [
    ("hello", True, HELLO),
    ("compile", True, COMPILE),
    ("bye", True, {"cmd": "bye"}),
    ("unknown command", False, {"cmd": "run", "seq": 1}),
    ("hello in protocol 2", False, changed(HELLO, "protocol_version", 2)),
    ("no cmd", False, without(CALL, "cmd")),
    ("not an object", False, ["hello"]),
]
V1_ERRORED_ROWS = [
    ("with a traceback", True, ERRORED),
    ("without seq", True, {"errored": True, "message": "cannot parse the request as JSON"}),
    ("message only", True, without(ERRORED, "traceback")),
    ("errored false", False, changed(ERRORED, "errored", False)),
    ("no message", False, without(ERRORED, "message")),
    ("stderr is not a field", False, changed(ERRORED, "stderr", "x")),
    ("negative seq", False, changed(ERRORED, "seq", -1)),
]

HELLO_ROWS = [
    ("hello", True, HELLO),
    ("pre-release suite", True, changed(HELLO, "suite_spec_version", "0.2.0-dev.3")),
    (
        "suite version with build metadata",
        True,
        changed(HELLO, "suite_spec_version", "0.1.0+git.5f2c1e"),
    ),
    ("protocol 2", False, changed(HELLO, "protocol_version", 2)),
    ("protocol version as text", False, changed(HELLO, "protocol_version", "1")),
    ("no suite version", False, without(HELLO, "suite_spec_version")),
    ("extra field", False, changed(HELLO, "seq", 1)),
    ("wrong command", False, changed(HELLO, "cmd", "start")),
]
HELLO_RESPONSE_ROWS = [
    ("full description", True, STARTED),
    ("minimal host", True, changed(without(STARTED, "implementation.homepage"), "roles", ["host"])),
    ("errored", True, without(ERRORED, "seq")),
    ("other protocol", False, changed(STARTED, "protocol_version", 2)),
    ("no roles", False, changed(STARTED, "roles", [])),
    ("unknown role", False, changed(STARTED, "roles", ["linter"])),
    ("feature tag with a space", False, changed(STARTED, "features", ["int 64"])),
    ("implementation without version", False, without(STARTED, "implementation.version")),
]

COMPILE_ROWS = [
    ("with opt_level", True, COMPILE),
    ("default opt_level", True, without(COMPILE, "opt_level")),
    ("empty source", True, changed(COMPILE, "source", "")),
    ("no seq", False, without(COMPILE, "seq")),
    ("source name with a folder", False, changed(COMPILE, "source_name", "src/stats.py")),
    ("opt_level 9", False, changed(COMPILE, "opt_level", 9)),
    ("module without version", False, without(COMPILE, "module.version")),
    ("extra field", False, changed(COMPILE, "targets", ["wasm32-molt-v1"])),
]
COMPILE_RESPONSE_ROWS = [
    ("compiled", True, {"seq": 7, "ok": True, "wasm_base64": "AGFzbQEAAAA="}),
    (
        "rejected with a location",
        True,
        {
            "seq": 7,
            "ok": False,
            "error": {
                "phase": "compile",
                "code": "MOLT-E-UNSUPPORTED",
                "message": "generators are not part of the subset; return a list instead",
                "line": 4,
                "column": 9,
            },
        },
    ),
    (
        "skipped with an issue",
        True,
        {
            "seq": 7,
            "skipped": "records are not implemented yet",
            "issue_url": "https://example.org/molt-js/issues/12",
        },
    ),
    ("errored", True, changed(ERRORED, "seq", 7)),
    ("errored without seq", False, without(ERRORED, "seq")),
    (
        "compiled with an error too",
        False,
        {
            "seq": 7,
            "ok": True,
            "wasm_base64": "AGFzbQEAAAA=",
            "error": {"phase": "compile", "code": "MOLT-E-TYPE", "message": "x"},
        },
    ),
    (
        "rejected in the load phase",
        False,
        {
            "seq": 7,
            "ok": False,
            "error": {"phase": "load", "code": "MOLT-E-MODULE-INVALID", "message": "x"},
        },
    ),
    ("wasm that is not base64", False, {"seq": 7, "ok": True, "wasm_base64": "AGFzbQEAAAA"}),
    ("skipped as a boolean", False, {"seq": 7, "skipped": True}),
]

LOAD_ROWS = [
    ("with limits", True, LOAD),
    ("no keys, no limits", True, changed(without(LOAD, "limits"), "trusted_keys", [])),
    (
        "deliberately broken lock entry",
        True,
        changed(LOAD, "lock_entry", {"name": "stats", "sha256": "not-a-hash"}),
    ),
    ("key of 31 bytes", False, changed(LOAD, "trusted_keys", [PUBLIC_KEY[:40] + "gg=="])),
    ("handle with a space", False, changed(LOAD, "handle", "stats 1")),
    ("no artifact", False, without(LOAD, "artifact_base64")),
    ("unknown limit", False, changed(LOAD, "limits.stack_bytes", 65536)),
    ("lock entry as text", False, changed(LOAD, "lock_entry", "stats@1.2.0")),
]
LOAD_RESPONSE_ROWS = [
    ("loaded", True, {"seq": 8, "ok": True}),
    (
        "rejected",
        True,
        {
            "seq": 8,
            "ok": False,
            "error": {
                "phase": "load",
                "code": "MOLT-E-KEY-UNTRUSTED",
                "message": "key ed25519:3f9a0c2e7b1d4e55 is not trusted; pass its public key",
            },
        },
    ),
    ("errored", True, changed(ERRORED, "seq", 8)),
    (
        "rejected in the runtime phase",
        False,
        {
            "seq": 8,
            "ok": False,
            "error": {"phase": "runtime", "code": "MOLT-E-TRAP", "message": "x"},
        },
    ),
    (
        "rejected without a message",
        False,
        {"seq": 8, "ok": False, "error": {"phase": "load", "code": "MOLT-E-HASH-MISMATCH"}},
    ),
    ("loaded without seq", False, {"ok": True}),
    ("loaded with extra data", False, {"seq": 8, "ok": True, "exports": ["mean"]}),
]

CALL_ROWS = [
    ("with fuel", True, CALL),
    ("without limits", True, without(CALL, "limits")),
    ("empty message", True, changed(CALL, "message_base64", "")),
    ("function name with a dot", False, changed(CALL, "fn", "stats.mean")),
    ("message that is not base64", False, changed(CALL, "message_base64", "gaJ4c5L")),
    ("memory limit per call", False, changed(CALL, "limits.memory_bytes", 65536)),
    ("no handle", False, without(CALL, "handle")),
    ("seq as text", False, changed(CALL, "seq", "9")),
]
CALL_RESPONSE_ROWS = [
    ("returned", True, {"seq": 9, "ok": True, "result_base64": "y0AEAAAAAAAA", "fuel_used": 311}),
    (
        "boundary error with a path",
        True,
        {
            "seq": 9,
            "ok": False,
            "error": {
                "phase": "boundary",
                "code": "MOLT-E-SCHEMA-VIOLATION",
                "message": "expected a number, got a string",
                "path": "$.xs[1]",
            },
        },
    ),
    (
        "runtime error with fuel",
        True,
        {
            "seq": 9,
            "ok": False,
            "fuel_used": 5000,
            "error": {
                "phase": "runtime",
                "code": "MOLT-E-OUT-OF-FUEL",
                "message": "the call ran out of fuel",
            },
        },
    ),
    ("errored", True, ERRORED),
    (
        "error in the load phase",
        False,
        {
            "seq": 9,
            "ok": False,
            "error": {"phase": "load", "code": "MOLT-E-ABI-MISMATCH", "message": "x"},
        },
    ),
    (
        "path that is not a JSON path",
        False,
        {
            "seq": 9,
            "ok": False,
            "error": {
                "phase": "boundary",
                "code": "MOLT-E-SCHEMA-VIOLATION",
                "message": "x",
                "path": "xs/1",
            },
        },
    ),
    ("returned without the result", False, {"seq": 9, "ok": True}),
    ("negative fuel", False, {"seq": 9, "ok": True, "result_base64": "wA==", "fuel_used": -1}),
    (
        "lower-case error code",
        False,
        {
            "seq": 9,
            "ok": False,
            "error": {"phase": "runtime", "code": "molt-e-overflow", "message": "x"},
        },
    ),
]

BYE_ROWS = [
    ("bye", True, {"cmd": "bye"}),
    ("wrong command", False, {"cmd": "exit"}),
    ("with seq", False, {"cmd": "bye", "seq": 3}),
    ("no cmd", False, {}),
    ("not an object", False, "bye"),
]
BYE_RESPONSE_ROWS = [
    ("stopped", True, {"ok": True}),
    ("errored without seq", True, {"errored": True, "message": "a module failed to close"}),
    (
        "errored with a traceback",
        True,
        {"errored": True, "message": "x", "traceback": "at close (adapter.js:12)"},
    ),
    ("ok false", False, {"ok": False}),
    ("with seq", False, {"ok": True, "seq": 4}),
    ("empty", False, {}),
    ("errored without message", False, {"errored": True}),
]

TABLES = {
    "lockfile.json": LOCKFILE_ROWS,
    "recipe.json": RECIPE_ROWS,
    "interface.json": INTERFACE_ROWS,
    "lint-report.json": LINT_REPORT_ROWS,
    "conformance-case.json": CONFORMANCE_CASE_ROWS,
    "conformance-report.json": CONFORMANCE_REPORT_ROWS,
    "adapter/v1.json#/$defs/command": V1_COMMAND_ROWS,
    "adapter/v1.json#/$defs/errored": V1_ERRORED_ROWS,
    "adapter/commands/hello.json": HELLO_ROWS,
    "adapter/commands/hello.json#/$defs/response": HELLO_RESPONSE_ROWS,
    "adapter/commands/compile.json": COMPILE_ROWS,
    "adapter/commands/compile.json#/$defs/response": COMPILE_RESPONSE_ROWS,
    "adapter/commands/load.json": LOAD_ROWS,
    "adapter/commands/load.json#/$defs/response": LOAD_RESPONSE_ROWS,
    "adapter/commands/call.json": CALL_ROWS,
    "adapter/commands/call.json#/$defs/response": CALL_RESPONSE_ROWS,
    "adapter/commands/bye.json": BYE_ROWS,
    "adapter/commands/bye.json#/$defs/response": BYE_RESPONSE_ROWS,
}


# The bye request has exactly one valid form.
ONE_VALID_FORM = {"adapter/commands/bye.json"}


def _rows() -> Iterator[Any]:
    for target, rows in TABLES.items():
        for name, valid, instance in rows:
            yield pytest.param(BASE + target, valid, instance, id=f"{target} | {name}")


@pytest.mark.parametrize(("uri", "valid", "instance"), list(_rows()))
def test_schema_accepts_exactly_the_valid_instances(uri: str, valid: bool, instance: Any) -> None:
    errors = [error.message for error in validator(uri).iter_errors(instance)]
    assert (errors == []) is valid, errors or "expected the instance to be rejected"


@pytest.mark.parametrize(
    ("path", "value", "at_fault"),
    [
        ("vectors.0.fn", "mean-value", ["vectors", 0, "fn"]),
        ("roles", ["compiler"], ["roles"]),
        ("vectors.0.expect", {"value": 1, "msgpack_hex": "01"}, ["vectors", 0, "expect"]),
    ],
)
def test_case_error_names_only_the_field_at_fault(
    path: str, value: Any, at_fault: list[str | int]
) -> None:
    # Kind schemas close the case themselves, so a bad field does not also
    # report every other field of the kind as unexpected.
    case = changed(COMPILE_RUN, path, value)
    errors = list(validator(BASE + "conformance-case.json").iter_errors(case))
    assert [list(error.absolute_path) for error in errors] == [at_fault]


@pytest.mark.parametrize("target", sorted(TABLES))
def test_every_table_has_three_valid_and_four_invalid_rows(target: str) -> None:
    valid = [name for name, is_valid, _ in TABLES[target] if is_valid]
    invalid = [name for name, is_valid, _ in TABLES[target] if not is_valid]
    assert len(valid) >= (1 if target in ONE_VALID_FORM else 3), valid
    assert len(invalid) >= 4, invalid


def test_every_format_schema_has_a_table() -> None:
    tested = {target.partition("#")[0] for target in TABLES}
    assert tested == set(FORMAT_SCHEMAS)


# -- the schemas themselves ---------------------------------------------------------


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif key not in ("const", "enum", "default", "examples"):
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


@pytest.mark.parametrize("relative", sorted(_all_schemas()))
def test_schema_is_valid_and_every_ref_resolves(relative: str) -> None:
    schema = _all_schemas()[relative]
    Draft202012Validator.check_schema(schema)
    resolver = registry().resolver(base_uri=schema["$id"])
    for ref in _refs(schema):
        resolver.lookup(ref)  # raises Unresolvable naming the ref


def test_schema_ids_are_unique_and_permanent() -> None:
    ids = {relative: schema["$id"] for relative, schema in _all_schemas().items()}
    assert len(set(ids.values())) == len(ids)
    for relative in FORMAT_SCHEMAS:
        assert ids[relative] == BASE + relative


def test_manifest_formats_name_existing_schemas() -> None:
    manifest = yaml.safe_load((SPEC / "molt-spec.yaml").read_text(encoding="utf-8"))
    named = {fmt["schema"].removeprefix("schemas/") for fmt in manifest["formats"]}
    assert named <= set(_all_schemas())
    assert {
        "lockfile.json",
        "recipe.json",
        "interface.json",
        "lint-report.json",
        "conformance-case.json",
        "conformance-report.json",
        "adapter/v1.json",
    } <= named


def _property_schemas(node: Any, where: str = "$") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name, subschema in value.items():
                    yield f"{where}.properties.{name}", subschema
            if key not in ("const", "enum", "default", "examples"):
                yield from _property_schemas(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _property_schemas(value, f"{where}[{index}]")


def _is_narrowing(where: str) -> bool:
    # Properties under if/then/else narrow a field that is described, and its
    # object closed, where it is declared.
    return re.search(r"\.(if|then|else)(\.|$)", where) is not None


@pytest.mark.parametrize("relative", FORMAT_SCHEMAS)
def test_every_declared_property_has_a_description(relative: str) -> None:
    schema = _all_schemas()[relative]
    undescribed = [
        where
        for where, subschema in _property_schemas(schema)
        if not _is_narrowing(where)
        and isinstance(subschema, dict)
        and "description" not in subschema
    ]
    assert undescribed == []


def _objects(node: Any, where: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            yield where, node
        for key, value in node.items():
            if key not in ("const", "enum", "default", "examples"):
                yield from _objects(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects(value, f"{where}[{index}]")


@pytest.mark.parametrize("relative", FORMAT_SCHEMAS)
def test_every_object_is_closed_or_says_why_not(relative: str) -> None:
    schema = _all_schemas()[relative]
    open_objects = [
        where
        for where, node in _objects(schema)
        if not _is_narrowing(where)
        and "unevaluatedProperties" not in node
        and "$comment" not in node
        and "$ref" not in node
    ]
    assert open_objects == []


def test_protocol_version_is_declared_once_in_v1() -> None:
    assert _all_schemas()["adapter/v1.json"]["$defs"]["protocol_version"]["const"] == 1
    hello = _all_schemas()["adapter/commands/hello.json"]
    for version in (
        hello["properties"]["protocol_version"],
        hello["$defs"]["started"]["properties"]["protocol_version"],
    ):
        assert version["$ref"] == "../v1.json#/$defs/protocol_version"
        assert "const" not in version


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_keeps_its_response_next_to_it(command: str) -> None:
    schema = _all_schemas()[f"adapter/commands/{command}.json"]
    assert schema["properties"]["cmd"] == {"description": "The command name.", "const": command}
    assert "response" in schema["$defs"]
    listed = {ref for ref in _refs(_all_schemas()["adapter/v1.json"]["$defs"]["command"])}
    assert f"commands/{command}.json" in listed
