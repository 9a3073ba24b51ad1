"""The JSON view of boundary values, for CLIs and conformance cases.

JSON has no bytes type: the value table writes `bytes` as base64 text under a
schema with `contentEncoding: base64`. These two functions convert between
that view and native values, guided by the export's schema, so `molt run
--args` and JSON outputs can carry every Molt type.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from molt.errors import MoltError


def from_json_view(value: Any, schema: Any, *, export: str, path: str = "$") -> Any:
    """Native values from their JSON view: base64 text becomes bytes where the schema says."""
    if not isinstance(schema, Mapping):
        return value
    if schema.get("contentEncoding") == "base64" and isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise MoltError.from_code(
                "MOLT-E-SCHEMA-VIOLATION",
                path=path,
                export=export,
                expected="base64 text for bytes",
                actual=repr(value)[:40],
            ) from None
    if "anyOf" in schema:
        if value is None:
            return None
        branches = [
            b for b in schema["anyOf"] if not (isinstance(b, Mapping) and b.get("type") == "null")
        ]
        return from_json_view(value, branches[0], export=export, path=path) if branches else value
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        return {
            key: from_json_view(
                item,
                properties.get(key, extra),
                export=export,
                path=f"{path}.{key}" if key.isidentifier() else f'{path}["{key}"]',
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        items = schema.get("items")
        return [
            from_json_view(item, items, export=export, path=f"{path}[{index}]")
            for index, item in enumerate(value)
        ]
    return value


def to_json_view(value: Any) -> Any:
    """The JSON view of a native value: bytes become base64 text."""
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {key: to_json_view(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json_view(item) for item in value]
    return value
