"""The ABI value table, as the boundary rules (MOLT202-MOLT204) check export signatures.

spec/abi.yaml lists the types an export may take and return: int, float, bool,
str, bytes, None, list[T], dict[str, T], T | None (also Optional[T]) and frozen
dataclass records whose fields are value-table types. `problems()` walks the
annotations of every `@export` function once per file and classifies what is
wrong; each rule reports its own kind. A record's fields are checked the first
time an export uses the record.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from molt_lint._checker import Checker

OBJECT = "object"
"""Any, object or a callable: no wire form at all (MOLT202)."""
OUTSIDE = "outside"
"""Some other type the value table does not list (MOLT203)."""
RECORD = "record"
"""A class that is not a frozen dataclass (MOLT204)."""

_SCALARS = frozenset(
    {"builtins.int", "builtins.float", "builtins.bool", "builtins.str", "builtins.bytes"}
)
_OBJECTS = frozenset(
    {
        "typing.Any",
        "typing_extensions.Any",
        "builtins.object",
        "typing.Callable",
        "typing_extensions.Callable",
        "collections.abc.Callable",
    }
)
_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
_INSTEAD = {
    "builtins.list": "list[T] with an element type",
    "builtins.dict": "dict[str, T] with a value type",
    "builtins.tuple": "list[T], or a frozen dataclass for fixed fields",
    "builtins.set": "list[T]",
    "builtins.frozenset": "list[T]",
    "builtins.complex": "a frozen dataclass with two float fields",
    "typing.List": "list[T]",
    "typing.Dict": "dict[str, T]",
    "typing.Tuple": "list[T], or a frozen dataclass for fixed fields",
    "typing.Set": "list[T]",
    "typing.Union": "T | None, or one type",
    "typing.Sequence": "list[T]",
    "typing.Mapping": "dict[str, T]",
    "typing.Iterable": "list[T]",
}
_VALUE_TYPES = (
    "int, float, bool, str, bytes, None, list[T], dict[str, T], T | None or a frozen dataclass"
)
_NON_RECORD_BASES = {
    "typing.NamedTuple": "is a NamedTuple",
    "typing.TypedDict": "is a TypedDict",
    "typing_extensions.TypedDict": "is a TypedDict",
    "enum.Enum": "is an Enum",
    "enum.IntEnum": "is an Enum",
    "enum.StrEnum": "is an Enum",
}


@dataclass(frozen=True)
class TypeProblem:
    """One annotation (or part of one) that the value table does not accept."""

    kind: str
    node: ast.AST
    type: str
    """The type as written."""
    where: str
    """Where it is: the export's signature, or a record field used by the export."""
    detail: str
    """For OUTSIDE, what to use instead; for RECORD, what the class is."""


def problems(
    checker: Checker, function: ast.FunctionDef | ast.AsyncFunctionDef
) -> list[TypeProblem]:
    """Every value-table problem of one export (and of the records it is first to use)."""
    table = checker.memo.get(__name__)
    if table is None:
        table = {}
        seen: set[str] = set()
        for export in checker.exports:
            table[export] = list(_signature(checker, export, seen))
        checker.memo[__name__] = table
    return table.get(function, [])


def parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.arg]:
    """The named parameters of a function, in order."""
    args = function.args
    return [*args.posonlyargs, *args.args, *args.kwonlyargs]


def _signature(
    checker: Checker, function: ast.FunctionDef | ast.AsyncFunctionDef, seen: set[str]
) -> Iterator[TypeProblem]:
    where = f"the signature of export `{function.name}`"
    annotations = [arg.annotation for arg in parameters(function)]
    annotations += [arg.annotation for arg in (function.args.vararg, function.args.kwarg) if arg]
    annotations.append(function.returns)
    for annotation in annotations:
        if annotation is not None:
            yield from _walk(checker, annotation, None, where, function.name, seen)


def _walk(
    checker: Checker,
    node: ast.AST,
    report_at: ast.AST | None,
    where: str,
    export: str,
    seen: set[str],
) -> Iterator[TypeProblem]:
    """Problems in the annotation `node`; inside a string annotation, report at the string."""
    here = report_at if report_at is not None else node

    def problem(kind: str, detail: str = "") -> TypeProblem:
        return TypeProblem(kind, here, ast.unparse(node), where, detail)

    if isinstance(node, ast.Constant):
        if node.value is None:
            return
        if isinstance(node.value, str):
            try:
                parsed = ast.parse(node.value.strip(), mode="eval").body
            except SyntaxError:
                yield problem(OUTSIDE, _VALUE_TYPES)
                return
            yield from _walk(checker, parsed, here, where, export, seen)
            return
        yield problem(OUTSIDE, _VALUE_TYPES)
        return
    if isinstance(node, ast.Name | ast.Attribute):
        binding = checker.lookup(node.id) if isinstance(node, ast.Name) else None
        if binding is not None and isinstance(binding.node, ast.ClassDef):
            yield from _record(checker, binding.node, problem, export, seen)
            return
        name = checker.qualname(node)
        if name in _SCALARS:
            return
        if name in _OBJECTS:
            yield problem(OBJECT)
            return
        yield problem(OUTSIDE, _INSTEAD.get(name or "", _VALUE_TYPES))
        return
    if isinstance(node, ast.Subscript):
        base = checker.qualname(node.value)
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if base == "builtins.list" and len(items) == 1:
            yield from _walk(checker, items[0], report_at, where, export, seen)
        elif base == "builtins.dict" and len(items) == 2:
            if checker.qualname(items[0]) != "builtins.str":
                yield problem(OUTSIDE, "dict[str, T]: map keys are always str")
            yield from _walk(checker, items[1], report_at, where, export, seen)
        elif base in _OPTIONAL and len(items) == 1:
            yield from _walk(checker, items[0], report_at, where, export, seen)
        elif base in _OBJECTS:
            yield problem(OBJECT)
        else:
            yield problem(OUTSIDE, _INSTEAD.get(base or "", _VALUE_TYPES))
        return
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        members = _union_members(node)
        others = [m for m in members if not (isinstance(m, ast.Constant) and m.value is None)]
        if len(others) == 1 and len(others) < len(members):
            yield from _walk(checker, others[0], report_at, where, export, seen)
        else:
            yield problem(OUTSIDE, "T | None; unions of other types have no schema in v1")
        return
    yield problem(OUTSIDE, _VALUE_TYPES)


def _union_members(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return [*_union_members(node.left), *_union_members(node.right)]
    return [node]


def _record(
    checker: Checker,
    cls: ast.ClassDef,
    problem: Callable[[str, str], TypeProblem],
    export: str,
    seen: set[str],
) -> Iterator[TypeProblem]:
    what = _record_shape(checker, cls)
    if what is not None:
        yield problem(RECORD, what)
        return
    if cls.name in seen:
        return
    seen.add(cls.name)
    where = f"field `{{field}}` of record `{cls.name}` (used by export `{export}`)"
    for statement in cls.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            if checker.qualname(_strip_subscript(statement.annotation)) in (
                "typing.ClassVar",
                "dataclasses.InitVar",
            ):
                continue
            field_where = where.format(field=statement.target.id)
            yield from _walk(checker, statement.annotation, None, field_where, export, seen)


def _strip_subscript(node: ast.AST) -> ast.AST:
    return node.value if isinstance(node, ast.Subscript) else node


def _record_shape(checker: Checker, cls: ast.ClassDef) -> str | None:
    """None for a frozen dataclass, else what the class is instead."""
    for base in cls.bases:
        shape = _NON_RECORD_BASES.get(checker.qualname(_strip_subscript(base)) or "")
        if shape:
            return shape
    for decorator in cls.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if checker.qualname(target) != "dataclasses.dataclass":
            continue
        if isinstance(decorator, ast.Call):
            for keyword in decorator.keywords:
                frozen = keyword.value
                if keyword.arg == "frozen" and isinstance(frozen, ast.Constant) and frozen.value:
                    return None
        return "is a dataclass without frozen=True"
    return "is not a dataclass"
