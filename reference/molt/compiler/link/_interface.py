"""The molt.interface section (spec/schemas/interface.json) of a checked module."""

from __future__ import annotations

from typing import Any

import molt
from molt.compiler.core import ABI_VERSION
from molt.compiler.ir import Module
from molt.compiler.ir.types import json_schema

__all__ = ["build_interface"]


def build_interface(module: Module, *, version: str) -> dict[str, Any]:
    """The interface: ABI version, module identity and every export, sorted by name.

    Each export's input schema is the closed object of its parameters and its output
    schema the return type's, both from the ABI's value table.
    """
    exports = []
    for function in module.exports:
        export: dict[str, Any] = {
            "name": function.name,
            "params": [{"name": p.name, "type": str(p.type)} for p in function.params],
            "returns": str(function.returns),
            "input": {
                "type": "object",
                "properties": {p.name: json_schema(p.type) for p in function.params},
                "required": [p.name for p in function.params],
                "additionalProperties": False,
            },
            "output": json_schema(function.returns),
        }
        if function.doc:
            export["doc"] = function.doc
        exports.append(export)
    major, minor = ABI_VERSION
    return {
        "abi": {"major": major, "minor": minor},
        "module": {"name": module.name, "version": version},
        "exports": exports,
        "molt_version": molt.__version__,
    }
