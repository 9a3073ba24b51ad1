"""Values between the wire and CPython for the differential tests of records and
optional values: dicts in, dataclass instances for the Python function, dicts out."""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from molt.errors import MoltError
from tests.compiler.conftest import INT64_MAX, INT64_MIN, Program, same


def to_python(value: Any, hint: Any, namespace: dict[str, Any]) -> Any:
    """A wire value as CPython's function takes it (records as dataclass instances)."""
    if isinstance(hint, str):
        hint = eval(hint, namespace)
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint, namespace)
        return hint(**{k: to_python(v, hints[k], namespace) for k, v in value.items()})
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        if value is None:
            return None
        (item,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return to_python(value, item, namespace)
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        return [to_python(v, item, namespace) for v in value]
    return value


def to_wire(value: Any) -> Any:
    """A CPython result as the wire carries it (records as dicts in field order)."""
    if dataclasses.is_dataclass(value):
        return {f.name: to_wire(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [to_wire(v) for v in value]
    return value


def cpython(program: Program, export: str, **args: Any) -> Any:
    function = program.namespace[export]
    hints = typing.get_type_hints(function, program.namespace)
    converted = {k: to_python(v, hints[k], program.namespace) for k, v in args.items()}
    try:
        return to_wire(function(**converted))
    except (ZeroDivisionError, IndexError, OverflowError) as error:
        code = {
            ZeroDivisionError: "MOLT-E-ZERO-DIVISION",
            IndexError: "MOLT-E-INDEX",
            OverflowError: "MOLT-E-OVERFLOW",
        }[type(error)]
        return ("error", code, str(error))


def same_wire(molt: Any, want: Any) -> bool:
    if isinstance(want, dict) and isinstance(molt, dict):
        return list(molt) == list(want) and all(same_wire(molt[k], want[k]) for k in want)
    if isinstance(want, list) and isinstance(molt, list):
        return len(molt) == len(want) and all(map(same_wire, molt, want))
    return same(molt, want)


def outside_int64(value: Any) -> bool:
    if isinstance(value, dict):
        return any(map(outside_int64, value.values()))
    if isinstance(value, list):
        return any(map(outside_int64, value))
    return type(value) is int and not INT64_MIN <= value <= INT64_MAX


def check(program: Program, export: str, **args: Any) -> None:
    want = cpython(program, export, **args)
    want = ("error", "MOLT-E-OVERFLOW", "") if outside_int64(want) else want
    got = program.molt(export, **args)
    assert same_wire(got, want), f"{export}({args}): molt {got!r}, cpython {want!r}"


def raw(program: Program, export: str, message: bytes) -> bytes | MoltError:
    try:
        return program.module.call_message(export, message, check=False)
    except MoltError as error:
        return error


def hosted(program: Program, export: str, message: bytes) -> bytes | MoltError:
    try:
        return program.module.call_message(export, message)
    except MoltError as error:
        return error
