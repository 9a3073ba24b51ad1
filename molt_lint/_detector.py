"""How a rule tells the checker what to look at.

A rule module builds one `Detector`. Most rules are tables: `references` maps
a qualified name (`js`, `time.time`, `builtins.eval`) to the rule's message,
and the checker reports any import, name or attribute chain that resolves to
that name or to something under it; the longest matching name wins, so
`js.eval` can belong to a different rule than `js`. Rules that need more than
a name register hooks that the checker calls at fixed points of its traversal.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from molt_lint._message import Message

if TYPE_CHECKING:
    from molt_lint._checker import Checker

CallHook = Callable[["Checker", ast.Call], None]
"""Called for a call whose callee resolves to a registered name, or has a registered method name."""
IterationHook = Callable[["Checker", ast.expr, ast.AST], None]
"""Called with the iterated expression and its for-loop or comprehension."""
HandlerHook = Callable[["Checker", ast.ExceptHandler], None]
"""Called for every except clause."""
StoreHook = Callable[["Checker", ast.expr, ast.stmt], None]
"""Called for each target of an assignment, augmented assignment or del statement."""
ExportHook = Callable[["Checker", ast.FunctionDef | ast.AsyncFunctionDef], None]
"""Called once per `@export` function, after the whole module is read."""


@dataclass(frozen=True)
class Detector:
    """The checks one rule registers."""

    references: Mapping[str, type[Message]] = field(default_factory=dict)
    calls: Mapping[str, CallHook] = field(default_factory=dict)
    """Exact qualified name of the callee -> hook."""
    methods: Mapping[str, CallHook] = field(default_factory=dict)
    """Attribute name of the callee (`x.join(...)` -> "join"), whatever the receiver -> hook."""
    iteration: IterationHook | None = None
    handler: HandlerHook | None = None
    store: StoreHook | None = None
    export: ExportHook | None = None


@dataclass
class Detectors:
    """The detectors of the selected rules, merged into the tables the checker consults."""

    references: dict[str, type[Message]] = field(default_factory=dict)
    calls: dict[str, list[CallHook]] = field(default_factory=dict)
    methods: dict[str, list[CallHook]] = field(default_factory=dict)
    iteration: list[IterationHook] = field(default_factory=list)
    handler: list[HandlerHook] = field(default_factory=list)
    store: list[StoreHook] = field(default_factory=list)
    export: list[ExportHook] = field(default_factory=list)

    @classmethod
    def merge(cls, detectors: list[Detector]) -> Detectors:
        merged = cls()
        for detector in detectors:
            for name, message in detector.references.items():
                if name in merged.references:
                    raise ValueError(f"{name} is claimed by two rules")
                merged.references[name] = message
            for name, hook in detector.calls.items():
                merged.calls.setdefault(name, []).append(hook)
            for name, hook in detector.methods.items():
                merged.methods.setdefault(name, []).append(hook)
            for kind in ("iteration", "handler", "store", "export"):
                hook = getattr(detector, kind)
                if hook is not None:
                    getattr(merged, kind).append(hook)
        return merged

    @property
    def roots(self) -> frozenset[str]:
        """First components of every name a reference or call rule cares about."""
        return frozenset(name.partition(".")[0] for name in (*self.references, *self.calls))

    @property
    def builtin_names(self) -> frozenset[str]:
        """Built-in names (eval, id, hash...) some rule resolves."""
        return frozenset(
            name.removeprefix("builtins.")
            for name in (*self.references, *self.calls)
            if name.startswith("builtins.")
        )
