"""The module level of a Molt source (MOLT-L-STMT-MODULE): what its names mean.

`read_module` walks the top level once: the allowed imports, the literal
constants (folded to values), the function signatures and the main guard, and
reports every other statement. Function bodies are checked afterwards, when
every module-level name is known, because functions may be used before the
line that defines them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from molt.compiler.frontend._annotations import AnnotationReader
from molt.compiler.frontend._records import RecordReader
from molt.compiler.frontend._report import Reporter
from molt.compiler.ir.nodes import Const
from molt.compiler.ir.types import (
    BOOL,
    BYTES,
    FLOAT,
    INT,
    INT64_MAX,
    INT64_MIN,
    NONE,
    STR,
    MoltType,
    RecordType,
    ScalarType,
)

__all__ = ["ERROR", "ModuleScope", "Signature", "literal_value", "read_module"]

ERROR: MoltType = ScalarType("<error>")  # type: ignore[arg-type]
"""The type of an expression that already has a reported problem: fits anywhere.

It never reaches the IR: the front end raises when it has reported a problem."""

ALLOWED_IMPORTS: dict[str, frozenset[str]] = {
    "molt": frozenset({"export"}),
    "dataclasses": frozenset({"dataclass"}),
    "typing": frozenset({"Optional"}),
    "__future__": frozenset({"annotations"}),
}
"""spec/language.yaml `imports`: module -> the names it may give."""


@dataclass
class Signature:
    """A function's name, typed parameters, return type and where it is defined."""

    name: str
    params: list[tuple[str, MoltType]]
    returns: MoltType
    export: bool
    node: ast.FunctionDef
    doc: str | None


@dataclass
class ModuleScope:
    """Every module-level name and what it is."""

    constants: dict[str, Const] = field(default_factory=dict)
    functions: dict[str, Signature] = field(default_factory=dict)
    imported: set[str] = field(default_factory=set)
    defined_at: dict[str, int] = field(default_factory=dict)
    """Every module-level name -> the line of its definition."""
    records: dict[str, RecordType] = field(default_factory=dict)
    record_reader: RecordReader | None = None
    """Resolves record names in annotations of function bodies."""

    def is_module_name(self, name: str) -> bool:
        return name in self.defined_at


def read_module(tree: ast.Module, report: Reporter) -> ModuleScope:
    """The module's scope; problems go to `report`."""
    reader = _ModuleReader(report)
    reader.run(tree)
    return reader.scope


def literal_value(node: ast.expr) -> object:
    """The value of a (signed) literal, or the `NotImplemented` sentinel for anything else."""
    if isinstance(node, ast.Constant):
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, (ast.USub, ast.UAdd))
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) in (int, float)
    ):
        value = node.operand.value
        return -value if isinstance(node.op, ast.USub) else value
    return NotImplemented


class _ModuleReader:
    def __init__(self, report: Reporter) -> None:
        self.report = report
        self.scope = ModuleScope()
        self.annotations = AnnotationReader(report)
        self.records = RecordReader(report, self.annotations)
        self.scope.record_reader = self.records

    def run(self, tree: ast.Module) -> None:
        # imports and record names first: annotations may name a record defined later
        for statement in tree.body:
            if isinstance(statement, ast.ImportFrom):
                self._top_ImportFrom(statement)
        for statement in tree.body:
            if isinstance(statement, ast.ClassDef):
                self.records.declare(statement, self.scope.imported)
        for index, statement in enumerate(tree.body):
            if isinstance(statement, ast.ImportFrom):
                continue
            if index == 0 and _is_docstring(statement):
                continue  # MOLT-L-STMT-DOCSTRING
            handler = getattr(self, f"_top_{type(statement).__name__}", self._top_other)
            handler(statement)

    def define(self, name: str, node: ast.AST) -> bool:
        """Record a module-level name; False (reported) when it is defined again."""
        if name in self.scope.defined_at:
            self.report.unsupported(
                node,
                f"a second definition of the module-level name '{name}'",
                f"give every constant, function and record its own name (the first "
                f"definition of '{name}' is on line {self.scope.defined_at[name]})",
            )
            return False
        self.scope.defined_at[name] = getattr(node, "lineno", 1)
        return True

    # -- imports (spec/language.yaml `imports`, MOLT-L-REJECT-IMPORT) ----------------

    def _top_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.report.import_error(node, alias.name)

    def _top_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * node.level + (node.module or "")
        allowed = ALLOWED_IMPORTS.get(module, frozenset()) if node.level == 0 else frozenset()
        for alias in node.names:
            if alias.name in allowed and alias.asname is None:
                if self.define(alias.name, node):
                    self.scope.imported.add(alias.name)
            else:
                shown = f"{module}.{alias.name}"
                if alias.asname is not None:
                    shown += f" as {alias.asname}"
                self.report.import_error(node, shown)

    # -- constants (MOLT-L-STMT-CONSTANT) --------------------------------------------

    def _top_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) != 1:
            self.report.reject(node, "MOLT-L-REJECT-CHAINED-ASSIGN")
            return
        target = node.targets[0]
        if not isinstance(target, ast.Name):
            if isinstance(target, (ast.Tuple, ast.List)):
                self.report.reject(target, "MOLT-L-REJECT-TUPLE")
            else:
                self.report.reject(node, "MOLT-L-REJECT-MODULE-CODE")
            return
        self._constant(target, node.value, None)

    def _top_AnnAssign(self, node: ast.AnnAssign) -> None:
        if not isinstance(node.target, ast.Name) or node.value is None:
            self.report.reject(node, "MOLT-L-REJECT-MODULE-CODE")
            return
        declared = self.annotations.read(node.annotation)
        if declared is None:
            self.define(node.target.id, node)
            return
        self._constant(node.target, node.value, declared)

    def _constant(self, target: ast.Name, value_node: ast.expr, declared: MoltType | None) -> None:
        if not self.define(target.id, target):
            return
        value = literal_value(value_node)
        if isinstance(value, complex):
            self.report.reject(value_node, "MOLT-L-REJECT-COMPLEX")
            return
        if isinstance(value, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            self.report.unsupported(
                value_node,
                "a str literal containing a surrogate code point",
                "every Molt str is valid UTF-8; write the character itself",
            )
            return
        if value is NotImplemented or value is Ellipsis:
            self.report.reject(value_node, "MOLT-L-REJECT-MODULE-STATE")
            return
        kind = _literal_type(value)
        if kind == INT and not INT64_MIN <= value <= INT64_MAX:  # type: ignore[operator]
            self.report.type_error(
                value_node,
                f"the int literal {value} is outside signed 64-bit",
                "use a value from -9223372036854775808 to 9223372036854775807, or a float",
            )
            return
        if declared is not None and declared != kind:
            if declared == FLOAT and kind == INT:
                value, kind = float(value), FLOAT  # type: ignore[arg-type]
            else:
                self.report.type_error(
                    value_node,
                    f"the constant '{target.id}' is declared {declared} but its value is {kind}",
                    "make the literal and the annotation agree",
                )
                return
        self.scope.constants[target.id] = Const(value, kind)  # type: ignore[arg-type]

    # -- functions (MOLT-L-STMT-FUNCTION, MOLT-L-STMT-EXPORT) ------------------------

    def _top_FunctionDef(self, node: ast.FunctionDef) -> None:
        if not self.define(node.name, node):
            return
        export = self._decorators(node)
        name = node.name
        if export and not (name.isascii() and name.isidentifier() and len(name) <= 128):
            self.report.export_error(
                node, name, "has a name that is not an ASCII identifier of at most 128 characters"
            )
        self._reject_variadic(node.args)
        params: list[tuple[str, MoltType]] = []
        seen: set[str] = set()
        for arg in node.args.args:
            if arg.arg in seen:
                self.report.syntax_error(
                    *self._start(arg), f"duplicate argument '{arg.arg}' in function definition"
                )
            seen.add(arg.arg)
            params.append((arg.arg, self._param_type(node, arg, export)))
        returns = self._return_type(node, export)
        doc = ast.get_docstring(node, clean=True) if export else None
        self.scope.functions[name] = Signature(name, params, returns, export, node, doc)

    def _decorators(self, node: ast.FunctionDef) -> bool:
        export = False
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Name) and decorator.id == "export":
                if "export" not in self.scope.imported:
                    self.report.name_error(decorator, "export")
                export = True
            else:
                self.report.reject(
                    decorator,
                    "MOLT-L-REJECT-DECORATOR",
                    f"the decorator @{ast.unparse(decorator)}",
                )
        return export

    def _reject_variadic(self, args: ast.arguments) -> None:
        extra = [*args.posonlyargs, *args.kwonlyargs]
        for arg in (args.vararg, args.kwarg, *extra):
            if arg is not None:
                self.report.reject(arg, "MOLT-L-REJECT-VARIADIC")
        for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            self.report.reject(default, "MOLT-L-REJECT-DEFAULT-ARG")

    def _param_type(self, node: ast.FunctionDef, arg: ast.arg, export: bool) -> MoltType:
        if export and not (arg.arg.isascii() and len(arg.arg) <= 128):
            self.report.export_error(
                arg, node.name, f"has the parameter '{arg.arg}', which is not an ASCII name"
            )
        if arg.annotation is None:
            if export:
                self.report.export_error(
                    arg, node.name, f"has no annotation on parameter '{arg.arg}'"
                )
            else:
                self.report.reject(
                    arg,
                    "MOLT-L-REJECT-UNANNOTATED",
                    f"parameter '{arg.arg}' of '{node.name}' has no annotation",
                )
            return ERROR
        kind = self.annotations.read(
            arg.annotation, export=node.name if export else None, what=f"parameter '{arg.arg}'"
        )
        return ERROR if kind is None else kind

    def _return_type(self, node: ast.FunctionDef, export: bool) -> MoltType:
        if node.returns is None:
            if export:
                self.report.export_error(node, node.name, "has no return annotation")
            else:
                self.report.reject(
                    node,
                    "MOLT-L-REJECT-UNANNOTATED",
                    f"the return of '{node.name}' has no annotation",
                )
            return ERROR
        kind = self.annotations.read(
            node.returns, export=node.name if export else None, what="the return"
        )
        return ERROR if kind is None else kind

    def _start(self, node: ast.AST) -> tuple[int, int]:
        where = self.report.loc(node)
        return where.line, where.column

    # -- everything else at the top level ---------------------------------------------

    def _top_If(self, node: ast.If) -> None:
        if _is_main_guard(node):
            return  # MOLT-L-STMT-MAIN-GUARD: neither checked nor compiled
        self.report.reject(node, "MOLT-L-REJECT-MODULE-CODE")

    def _top_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.define(node.name, node)
        self.report.reject(node, "MOLT-L-REJECT-ASYNC")

    def _top_ClassDef(self, node: ast.ClassDef) -> None:
        """A record (MOLT-L-STMT-RECORD), declared by `RecordReader` before this walk."""
        if not self.define(node.name, node) or not self.records.is_record(node.name):
            return
        record = self.records.resolve(node.name)
        if record is not None:
            self.scope.records[node.name] = record

    def _top_Return(self, node: ast.Return) -> None:
        self.report.syntax_error(*self._start(node), "'return' outside function")

    def _top_Break(self, node: ast.Break) -> None:
        self.report.syntax_error(*self._start(node), "'break' outside loop")

    def _top_Continue(self, node: ast.Continue) -> None:
        self.report.syntax_error(*self._start(node), "'continue' not properly in loop")

    def _top_other(self, node: ast.stmt) -> None:
        self.report.reject(node, "MOLT-L-REJECT-MODULE-CODE")


def _literal_type(value: object) -> MoltType:
    if type(value) is str:
        return STR
    if type(value) is bytes:
        return BYTES
    if type(value) is bool:
        return BOOL
    if type(value) is int:
        return INT
    if type(value) is float:
        return FLOAT
    return NONE


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _is_main_guard(node: ast.If) -> bool:
    test = node.test
    return (
        not node.orelse
        and isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Eq)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )
