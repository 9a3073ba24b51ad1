"""Every lint code in one flat table: code -> rule class, detector, status and since.

spec/lint.yaml documents the same codes (a test checks that the two lists
agree). A code is never reused: a removed rule keeps its row with the status
`removed`, as ruff's `codes.rs` keeps its history.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from molt_lint._detector import Detector, Detectors
from molt_lint._message import Message
from molt_lint.rules import (
    bare_except,
    bridge_eval,
    clock_read,
    code_from_text,
    code_object_mutation,
    ctypes_use,
    dynamic_import,
    frame_introspection,
    gc_introspection,
    js_interop,
    non_frozen_record,
    non_schema_export_type,
    object_identity,
    object_typed_export,
    pyodide_ffi,
    randomness,
    runtime_package_install,
    set_iteration,
    string_hash,
    suppression_without_reason,
    swallowed_exception,
    sys_modules_patch,
    sys_path_mutation,
    trace_hook,
    unannotated_export,
    unused_suppression,
    unverified_module_load,
    variadic_export,
)

STABLE = "stable"
PREVIEW = "preview"
DEPRECATED = "deprecated"
REMOVED = "removed"


@dataclass(frozen=True)
class Rule:
    message: type[Message]
    detector: Detector
    status: str
    since: str


def _rule(module: object, status: str, since: str) -> Rule:
    detector = module.DETECTOR  # type: ignore[attr-defined]
    message = next(
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, Message) and value is not Message
    )
    return Rule(message, detector, status, since)


# fmt: off
REGISTRY: dict[str, Rule] = {
    # suppression comments
    "MOLT001": _rule(suppression_without_reason, STABLE, "0.1.0"),
    "MOLT002": _rule(unused_suppression, STABLE, "0.1.0"),
    # object-level interop
    "MOLT101": _rule(js_interop, STABLE, "0.1.0"),
    "MOLT102": _rule(pyodide_ffi, STABLE, "0.1.0"),
    "MOLT103": _rule(bridge_eval, STABLE, "0.1.0"),
    # boundary signatures
    "MOLT201": _rule(unannotated_export, STABLE, "0.1.0"),
    "MOLT202": _rule(object_typed_export, STABLE, "0.1.0"),
    "MOLT203": _rule(non_schema_export_type, STABLE, "0.1.0"),
    "MOLT204": _rule(non_frozen_record, STABLE, "0.1.0"),
    "MOLT205": _rule(variadic_export, STABLE, "0.1.0"),
    # implicit loading
    "MOLT301": _rule(runtime_package_install, STABLE, "0.1.0"),
    "MOLT302": _rule(dynamic_import, STABLE, "0.1.0"),
    "MOLT303": _rule(code_from_text, STABLE, "0.1.0"),
    "MOLT304": _rule(sys_path_mutation, STABLE, "0.1.0"),
    "MOLT305": _rule(unverified_module_load, STABLE, "0.1.0"),
    # determinism
    "MOLT401": _rule(randomness, STABLE, "0.1.0"),
    "MOLT402": _rule(clock_read, STABLE, "0.1.0"),
    "MOLT403": _rule(string_hash, STABLE, "0.1.0"),
    "MOLT404": _rule(object_identity, STABLE, "0.1.0"),
    "MOLT405": _rule(set_iteration, STABLE, "0.1.0"),
    # clear errors
    "MOLT501": _rule(bare_except, STABLE, "0.1.0"),
    "MOLT502": _rule(swallowed_exception, STABLE, "0.1.0"),
    # CPython emulation
    "MOLT601": _rule(ctypes_use, STABLE, "0.1.0"),
    "MOLT602": _rule(frame_introspection, STABLE, "0.1.0"),
    "MOLT603": _rule(gc_introspection, STABLE, "0.1.0"),
    "MOLT604": _rule(trace_hook, STABLE, "0.1.0"),
    "MOLT605": _rule(code_object_mutation, STABLE, "0.1.0"),
    "MOLT606": _rule(sys_modules_patch, STABLE, "0.1.0"),
}
# fmt: on

DEFAULT_SELECTION = ("MOLT",)
ALL = "ALL"


class UnknownSelector(ValueError):
    """A --select/--ignore entry that is neither a code nor a prefix of one."""

    def __init__(self, name: str, option: str, closest: list[str]) -> None:
        super().__init__(name, option, closest)
        self.name = name
        self.option = option
        self.closest = closest


def check_selectors(selectors: Iterable[str], option: str) -> list[str]:
    """Normalise (upper-case) selectors and reject unknown ones."""
    normalised = []
    for selector in selectors:
        name = selector.strip().upper()
        if not name or (name != ALL and not any(code.startswith(name) for code in REGISTRY)):
            raise UnknownSelector(selector.strip(), option, closest_codes(name))
        normalised.append(name)
    return normalised


def closest_codes(name: str, limit: int = 3) -> list[str]:
    """The codes nearest to a mistyped one, best first."""
    wanted = name.upper()
    scored = sorted(
        (-difflib.SequenceMatcher(None, wanted, code).ratio(), code) for code in REGISTRY
    )
    return [code for _, code in scored[:limit]]


def _specificity(code: str, selectors: Iterable[str]) -> int:
    """Length of the longest selector matching `code`, -1 if none; ALL counts as 0."""
    best = -1
    for selector in selectors:
        if selector == ALL:
            best = max(best, 0)
        elif code.startswith(selector):
            best = max(best, len(selector))
    return best


def resolve(
    select: Iterable[str], extend_select: Iterable[str], ignore: Iterable[str]
) -> list[str]:
    """The selected codes. As in ruff, the more specific of a select and an ignore wins."""
    chosen = [*select, *extend_select]
    ignored = list(ignore)
    selected = []
    for code, rule in REGISTRY.items():
        if rule.status == REMOVED:
            continue
        selected_by = _specificity(code, chosen)
        if selected_by >= 0 and selected_by > _specificity(code, ignored):
            selected.append(code)
    return selected


def matching(selectors: Iterable[str]) -> list[str]:
    """Every code any of the selectors names (for unsuppressible)."""
    names = list(selectors)
    return [code for code in REGISTRY if _specificity(code, names) >= 0]


def detectors(selected: Iterable[str]) -> Detectors:
    return Detectors.merge([REGISTRY[code].detector for code in selected])
