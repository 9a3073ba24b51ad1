"""Type-checking Molt expressions into typed IR (spec/language.yaml `expressions`, `builtins`).

`ExpressionChecker` holds the state of one function (its locals, which of them
are assigned on every path, the loops around the current statement) and has
one `_expr_<AstNode>` handler per accepted expression, each naming the spec
item it implements. A handler reports problems and returns an expression of
type ERROR so that one mistake does not cascade into more reports; anything
without a handler is rejected by `_expr_other` with the spec's code.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field

from molt.compiler.frontend._report import Reporter
from molt.compiler.frontend._scope import ERROR, ModuleScope, Signature
from molt.compiler.ir.nodes import (
    Abs,
    Arith,
    ArithOp,
    BoolOp,
    BoolToInt,
    Call,
    CmpOp,
    Compare,
    CompareChain,
    Const,
    Expr,
    FloatToInt,
    IfExp,
    IntToFloat,
    ListAppend,
    ListGet,
    ListLen,
    ListNew,
    ListRepeat,
    LoadLocal,
    Local,
    MinMax,
    Negate,
    Not,
    Stmt,
)
from molt.compiler.ir.types import (
    BOOL,
    FLOAT,
    INT,
    INT64_MAX,
    INT64_MIN,
    NONE,
    ListType,
    MoltType,
    is_numeric,
)

__all__ = ["ExpressionChecker"]

_ARITH = {
    ast.Add: ArithOp.ADD,
    ast.Sub: ArithOp.SUB,
    ast.Mult: ArithOp.MUL,
    ast.Div: ArithOp.TRUEDIV,
    ast.FloorDiv: ArithOp.FLOORDIV,
    ast.Mod: ArithOp.MOD,
    ast.Pow: ArithOp.POW,
}
_BITWISE = (ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift)
_COMPARE = {
    ast.Eq: CmpOp.EQ,
    ast.NotEq: CmpOp.NE,
    ast.Lt: CmpOp.LT,
    ast.LtE: CmpOp.LE,
    ast.Gt: CmpOp.GT,
    ast.GtE: CmpOp.GE,
}
_ACCEPTED_BUILTINS = frozenset({"len", "range", "abs", "min", "max", "int", "float", "str"})
_REJECTED_CALLS = {
    "print": "MOLT-L-REJECT-PRINT",
    "exec": "MOLT-L-REJECT-EVAL",
    "eval": "MOLT-L-REJECT-EVAL",
    "compile": "MOLT-L-REJECT-EVAL",
    "__import__": "MOLT-L-REJECT-EVAL",
    "open": "MOLT-L-REJECT-OPEN",
    "input": "MOLT-L-REJECT-OPEN",
    "set": "MOLT-L-REJECT-SET",
    "frozenset": "MOLT-L-REJECT-SET",
    "tuple": "MOLT-L-REJECT-TUPLE",
    "complex": "MOLT-L-REJECT-COMPLEX",
}
_EXPR_REJECTS = {
    ast.Lambda: "MOLT-L-REJECT-LAMBDA",
    ast.ListComp: "MOLT-L-REJECT-COMPREHENSION",
    ast.SetComp: "MOLT-L-REJECT-COMPREHENSION",
    ast.DictComp: "MOLT-L-REJECT-COMPREHENSION",
    ast.GeneratorExp: "MOLT-L-REJECT-COMPREHENSION",
    ast.Set: "MOLT-L-REJECT-SET",
    ast.Tuple: "MOLT-L-REJECT-TUPLE",
    ast.NamedExpr: "MOLT-L-REJECT-WALRUS",
    ast.Await: "MOLT-L-REJECT-ASYNC",
    ast.Yield: "MOLT-L-REJECT-GENERATOR",
    ast.YieldFrom: "MOLT-L-REJECT-GENERATOR",
    ast.Starred: "MOLT-L-REJECT-VARIADIC",
}
_LIST_METHODS_LATER = {"pop": "MOLT-L-METHOD-LIST-POP"}

_CONVERT = (
    "convert explicitly with int() or float(), or change the annotation so that the types agree"
)


def is_error(kind: MoltType) -> bool:
    return kind == ERROR


@dataclass
class Loop:
    """A loop around the current statement: the assigned names at each break."""

    breaks: list[set[str]] = field(default_factory=list)
    body: tuple[Stmt, ...] = ()


class ExpressionChecker:
    """The per-function state and the expression handlers."""

    def __init__(
        self, scope: ModuleScope, signature: Signature, report: Reporter, source: str
    ) -> None:
        self.scope = scope
        self.signature = signature
        self.report = report
        self.source = source
        self.locals: dict[str, Local] = {}
        self.local_list: list[Local] = []
        self.bound_names: set[str] = set()
        """Every name the function binds somewhere: locals of the whole body."""
        self.poisoned: set[str] = set()
        """Locals whose binding had a reported problem: reads report nothing more."""
        self.assigned: set[str] | None = set()
        """Names assigned on every path to here; None where no path reaches."""
        self.loops: list[Loop] = []
        self.temps = 0

    # -- locals -------------------------------------------------------------------------

    def new_local(self, name: str, kind: MoltType) -> Local:
        local = Local(name, kind, len(self.local_list))
        self.local_list.append(local)
        if not name.startswith("$"):
            self.locals[name] = local
        return local

    def new_temp(self, kind: MoltType) -> Local:
        self.temps += 1
        return self.new_local(f"${self.temps}", kind)

    def poison(self, target: ast.AST) -> None:
        """Names bound in a rejected construct: reads of them report nothing more."""
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                self.poisoned.add(node.id)

    def mark_assigned(self, name: str) -> None:
        if self.assigned is not None:
            self.assigned.add(name)

    # -- helpers ------------------------------------------------------------------------

    def expr(self, node: ast.expr, expected: MoltType | None = None) -> Expr:
        handler = getattr(self, f"_expr_{type(node).__name__}", None)
        if handler is None:
            return self._expr_other(node)
        return handler(node, expected)

    def error(self) -> Expr:
        return Const(None, ERROR)

    def value(self, node: ast.expr, target: MoltType, what: str) -> Expr:
        """`node` as a value of type `target` (an int widened to float), for `what`."""
        return self.convert(self.expr(node, target), target, node, what)

    def convert(self, expr: Expr, target: MoltType, node: ast.AST, what: str) -> Expr:
        if is_error(expr.type) or is_error(target) or expr.type == target:
            return expr
        if expr.type == INT and target == FLOAT:
            return IntToFloat(expr)
        self.report.type_error(node, f"{what} expects {target}, got {expr.type}", _CONVERT)
        return self.error()

    def condition(self, node: ast.expr, what: str) -> Expr:
        """A bool condition (MOLT-L-TYPE-BOOL, MOLT-L-REJECT-TRUTHINESS)."""
        expr = self.expr(node)
        if is_error(expr.type) or expr.type == BOOL:
            return expr
        self.report.reject(
            node, "MOLT-L-REJECT-TRUTHINESS", f"{what} has type {expr.type}, not bool"
        )
        return self.error()

    def int_value(self, node: ast.expr, what: str) -> Expr:
        expr = self.expr(node)
        if is_error(expr.type) or expr.type == INT:
            return expr
        self.report.type_error(node, f"{what} must be int, not {expr.type}", "pass an int")
        return self.error()

    def text(self, node: ast.AST) -> str:
        segment = ast.get_source_segment(self.source, node)
        return " ".join((segment or ast.unparse(node)).split())

    # -- literals and names (MOLT-L-EXPR-*-LITERAL) -------------------------------------

    def _expr_Constant(self, node: ast.Constant, expected: MoltType | None) -> Expr:
        value = node.value
        if type(value) is bool:
            return Const(value, BOOL)
        if type(value) is int:
            return self._int_literal(value, node)
        if type(value) is float:
            return Const(value, FLOAT)
        if value is None:
            return Const(None, NONE)
        if isinstance(value, str):
            self.report.not_yet(node, "a str value", "MOLT-L-TYPE-STR")
        elif isinstance(value, bytes):
            self.report.not_yet(node, "a bytes value", "MOLT-L-TYPE-BYTES")
        elif isinstance(value, complex):
            self.report.reject(node, "MOLT-L-REJECT-COMPLEX")
        else:
            self.report.unsupported(node, "the ... literal", "write the value you mean")
        return self.error()

    def _int_literal(self, value: int, node: ast.AST) -> Expr:
        if INT64_MIN <= value <= INT64_MAX:
            return Const(value, INT)
        self.report.type_error(
            node,
            f"the int literal {value} is outside signed 64-bit",
            "use a value from -9223372036854775808 to 9223372036854775807, or a float literal",
        )
        return self.error()

    def _expr_Name(self, node: ast.Name, expected: MoltType | None) -> Expr:
        name = node.id
        if name in self.bound_names or name in self.locals:
            local = self.locals.get(name)
            if name in self.poisoned:
                return self.error()
            if local is None or (self.assigned is not None and name not in self.assigned):
                self.report.name_error(node, name)
                return self.error() if local is None else LoadLocal(local)
            return LoadLocal(local)
        scope = self.scope
        if name in scope.constants:
            return scope.constants[name]
        if name in scope.later_constants:
            self.report.not_yet(node, f"the constant '{name}'", scope.later_constants[name])
        elif name in scope.functions or name in scope.imported or name in _ACCEPTED_BUILTINS:
            self.report.reject(
                node, "MOLT-L-REJECT-FUNCTION-VALUE", f"the function '{name}' used as a value"
            )
        elif name in scope.defined_at:
            pass  # defined with a problem that is already reported
        elif hasattr(builtins, name):
            self.report.reject(node, "MOLT-L-REJECT-OTHER-BUILTIN", f"the builtin '{name}'")
        else:
            self.report.name_error(node, name)
        return self.error()

    # -- operators ----------------------------------------------------------------------

    def _expr_UnaryOp(self, node: ast.UnaryOp, expected: MoltType | None) -> Expr:
        op = node.op
        if isinstance(op, ast.Invert):
            self.report.reject(node, "MOLT-L-REJECT-BITWISE", "the bitwise operator ~")
            return self.error()
        if isinstance(op, ast.Not):  # MOLT-L-EXPR-NOT
            operand = self.condition(node.operand, "the operand of not")
            return operand if is_error(operand.type) else Not(operand)
        literal = node.operand
        if isinstance(literal, ast.Constant) and type(literal.value) in (int, float):
            value = literal.value
            value = -value if isinstance(op, ast.USub) else value
            if type(value) is int:
                return self._int_literal(value, node)
            return Const(float(value), FLOAT)
        operand = self.expr(node.operand)  # MOLT-L-EXPR-UNARY
        kind = operand.type
        if is_error(kind):
            return operand
        if not is_numeric(kind):
            symbol = "-" if isinstance(op, ast.USub) else "+"
            if kind == BOOL:
                self.report.reject(
                    node, "MOLT-L-REJECT-BOOL-ARITHMETIC", f"unary '{symbol}' of a bool"
                )
            else:
                self.report.type_error(
                    node, f"unary '{symbol}' of {kind}", "apply it to an int or a float"
                )
            return self.error()
        if isinstance(op, ast.UAdd):
            return operand
        return Negate(operand, self.report.loc(node))

    def _expr_BinOp(self, node: ast.BinOp, expected: MoltType | None) -> Expr:
        if isinstance(node.op, _BITWISE):
            symbol = {"BitAnd": "&", "BitOr": "|", "BitXor": "^", "LShift": "<<", "RShift": ">>"}
            text = symbol[type(node.op).__name__]
            self.report.reject(node, "MOLT-L-REJECT-BITWISE", f"the bitwise operator {text}")
            return self.error()
        if isinstance(node.op, ast.MatMult):
            self.report.unsupported(node, "the operator @", "write the loop with * and +")
            return self.error()
        op = _ARITH[type(node.op)]
        list_expected = expected if isinstance(expected, ListType) else None
        left = self.expr(node.left, list_expected)
        right = self.expr(node.right, list_expected)
        return self.arith(op, left, right, node)

    def arith(self, op: ArithOp, left: Expr, right: Expr, node: ast.AST) -> Expr:
        """`left op right` (MOLT-L-EXPR-ADD ... POW, MIXED-NUMERIC, REPEAT)."""
        lt, rt = left.type, right.type
        if is_error(lt) or is_error(rt):
            return self.error()
        symbol = op.value
        loc = self.report.loc(node)
        if BOOL in (lt, rt):
            self.report.reject(
                node, "MOLT-L-REJECT-BOOL-ARITHMETIC", f"'{symbol}' of {lt} and {rt}"
            )
            return self.error()
        if isinstance(lt, ListType) or isinstance(rt, ListType):
            if op is ArithOp.MUL and isinstance(lt, ListType) and rt == INT:
                return ListRepeat(left, right, loc)  # MOLT-L-EXPR-REPEAT
            if op is ArithOp.MUL and lt == INT and isinstance(rt, ListType):
                return ListRepeat(right, left, loc)
            if op is ArithOp.ADD and lt == rt:
                self.report.not_yet(node, "list concatenation", "MOLT-L-EXPR-CONCAT")
                return self.error()
        if not (is_numeric(lt) and is_numeric(rt)):
            self.report.type_error(
                node,
                f"'{symbol}' cannot combine {lt} and {rt}",
                "use int or float operands (a list can be repeated by an int with *)",
            )
            return self.error()
        if op is ArithOp.TRUEDIV:  # MOLT-L-EXPR-TRUEDIV: always float
            both_ints = lt == INT and rt == INT
            return Arith(op, self._float(left), self._float(right), loc, from_ints=both_ints)
        if lt == rt == INT:
            return Arith(op, left, right, loc)
        if op is ArithOp.POW:
            self.report.not_yet(node, "'**' with a float operand", "MOLT-L-EXPR-POW")
            return self.error()
        return Arith(op, self._float(left), self._float(right), loc)

    def _float(self, expr: Expr) -> Expr:
        return IntToFloat(expr) if expr.type == INT else expr

    def _expr_BoolOp(self, node: ast.BoolOp, expected: MoltType | None) -> Expr:
        word = "and" if isinstance(node.op, ast.And) else "or"
        values = [self.condition(v, f"an operand of {word}") for v in node.values]
        if any(is_error(v.type) for v in values):
            return self.error()
        return BoolOp(isinstance(node.op, ast.And), tuple(values))

    def _expr_Compare(self, node: ast.Compare, expected: MoltType | None) -> Expr:
        ops = node.ops
        for index, op in enumerate(ops):
            right = node.comparators[index]
            left = node.left if index == 0 else node.comparators[index - 1]
            if isinstance(op, (ast.In, ast.NotIn, ast.Is, ast.IsNot)) and len(ops) > 1:
                self.report.unsupported(
                    node,
                    "in, not in, is or is not inside a comparison chain",
                    "split the chain into separate comparisons joined with and",
                )
                return self.error()
            if isinstance(op, (ast.In, ast.NotIn)):
                self.report.not_yet(node, "the in operator", "MOLT-L-EXPR-IN")
                return self.error()
            if isinstance(op, (ast.Is, ast.IsNot)):
                return self._identity(left, right, node)
            if _is_none(left) or _is_none(right):
                self.report.reject(
                    node,
                    "MOLT-L-REJECT-MIXED-COMPARE",
                    f"a comparison with None: {self.text(node)}",
                )
                return self.error()
        items = [self.expr(node.left), *(self.expr(c) for c in node.comparators)]
        if any(is_error(item.type) for item in items):
            return self.error()
        cmp_ops = tuple(_COMPARE[type(op)] for op in ops)
        ok = True
        for index, op in enumerate(cmp_ops):
            ok = self._comparable(op, items[index], items[index + 1], node) and ok
        if not ok:
            return self.error()
        if len(cmp_ops) == 1:
            return Compare(cmp_ops[0], items[0], items[1])
        return CompareChain(tuple(items), cmp_ops)

    def _comparable(self, op: CmpOp, left: Expr, right: Expr, node: ast.AST) -> bool:
        """MOLT-L-EXPR-COMPARE-EQ and -ORDER for one pair."""
        lt, rt = left.type, right.type
        if is_numeric(lt) and is_numeric(rt):
            return True
        equality = op in (CmpOp.EQ, CmpOp.NE)
        if lt == rt == BOOL:
            if equality:
                return True
            self.report.reject(
                node, "MOLT-L-REJECT-BOOL-ARITHMETIC", f"'{op.value}' ordering of bool values"
            )
            return False
        if isinstance(lt, ListType) and lt == rt and equality:
            self.report.not_yet(node, "== and != of lists", "MOLT-L-EXPR-COMPARE-EQ")
            return False
        if lt == rt:
            self.report.type_error(
                node,
                f"'{op.value}' cannot order {lt} values",
                "compare numbers, or compare lengths or elements",
            )
            return False
        self.report.reject(node, "MOLT-L-REJECT-MIXED-COMPARE", f"'{op.value}' of {lt} and {rt}")
        return False

    def _identity(self, left: ast.expr, right: ast.expr, node: ast.Compare) -> Expr:
        """MOLT-L-EXPR-IS-NONE: without optional types, nothing here can be None."""
        if not (_is_none(left) or _is_none(right)):
            self.report.reject(node, "MOLT-L-REJECT-IDENTITY")
            return self.error()
        tested = right if _is_none(left) else left
        value = self.expr(tested)
        if not is_error(value.type):
            self.report.type_error(
                node,
                f"'{self.text(tested)}' has type {value.type}, not an optional type (T | None)",
                "remove the test; optional values are not supported yet by this compiler "
                "version (MOLT-L-TYPE-OPTIONAL)",
            )
        return self.error()

    def _expr_IfExp(self, node: ast.IfExp, expected: MoltType | None) -> Expr:
        cond = self.condition(node.test, "the condition of a conditional expression")
        then = self.expr(node.body, expected)
        orelse = self.expr(node.orelse, expected)
        if any(is_error(e.type) for e in (cond, then, orelse)):
            return self.error()
        if then.type != orelse.type:
            if is_numeric(then.type) and is_numeric(orelse.type):
                then, orelse = self._float(then), self._float(orelse)
            else:
                self.report.type_error(
                    node,
                    f"the branches of a conditional expression have types {then.type} "
                    f"and {orelse.type}",
                    "make both branches the same type (int and float mix as float)",
                )
                return self.error()
        return IfExp(cond, then, orelse)

    # -- lists (MOLT-L-EXPR-LIST-LITERAL, MOLT-L-EXPR-INDEX) ----------------------------

    def _expr_List(self, node: ast.List, expected: MoltType | None) -> Expr:
        if any(isinstance(item, ast.Starred) for item in node.elts):
            self.report.reject(node, "MOLT-L-REJECT-VARIADIC")
            return self.error()
        if isinstance(expected, ListType):
            items = [self.value(item, expected.item, "a list item") for item in node.elts]
            if any(is_error(item.type) for item in items):
                return self.error()
            return ListNew(tuple(items), expected)
        if not node.elts:
            self.report.reject(
                node, "MOLT-L-REJECT-UNTYPED-EMPTY", "the empty list [] has no item type here"
            )
            return self.error()
        items = [self.expr(item) for item in node.elts]
        if any(is_error(item.type) for item in items):
            return self.error()
        kinds = {item.type for item in items}
        if kinds == {INT, FLOAT}:
            items = [self._float(item) for item in items]
            kinds = {FLOAT}
        if len(kinds) != 1:
            shown = ", ".join(sorted(map(str, kinds)))
            self.report.type_error(
                node,
                f"the list items have different types ({shown})",
                "give every item the same type, or annotate the variable with list[T]",
            )
            return self.error()
        return ListNew(tuple(items), ListType(items[0].type))

    def _expr_Subscript(self, node: ast.Subscript, expected: MoltType | None) -> Expr:
        if isinstance(node.slice, ast.Slice):
            self.report.not_yet(node, "slicing", "MOLT-L-EXPR-SLICE")
            return self.error()
        container = self.expr(node.value)
        index = self.expr(node.slice)
        if is_error(container.type) or is_error(index.type):
            return self.error()
        if not isinstance(container.type, ListType):
            self.report.type_error(
                node, f"a value of type {container.type} cannot be indexed", "index a list"
            )
            return self.error()
        if index.type != INT:
            self.report.type_error(
                node.slice, f"a list index must be int, not {index.type}", "index with an int"
            )
            return self.error()
        return ListGet(container, index, self.report.loc(node))

    # -- calls (MOLT-L-EXPR-CALL and the builtins) --------------------------------------

    def _expr_Call(self, node: ast.Call, expected: MoltType | None) -> Expr:
        if any(isinstance(a, ast.Starred) for a in node.args) or any(
            k.arg is None for k in node.keywords
        ):
            self.report.reject(node, "MOLT-L-REJECT-VARIADIC")
            return self.error()
        func = node.func
        if isinstance(func, ast.Attribute):
            return self._method_call(node, func)
        if not isinstance(func, ast.Name):
            self.report.reject(node, "MOLT-L-REJECT-FUNCTION-VALUE", f"a call of {self.text(func)}")
            return self.error()
        name = func.id
        if name in self.poisoned:
            return self.error()
        if name in self.bound_names or name in self.locals:
            self.report.reject(
                node, "MOLT-L-REJECT-FUNCTION-VALUE", f"a call of the local variable '{name}'"
            )
            return self.error()
        if name in self.scope.functions:
            return self._function_call(node, self.scope.functions[name])
        if name in self.scope.defined_at:
            if name in self.scope.imported:
                self.report.reject(
                    node, "MOLT-L-REJECT-FUNCTION-VALUE", f"a call of the imported '{name}'"
                )
            return self.error()
        builtin = getattr(self, f"_builtin_{name}", None)
        if builtin is not None:
            return builtin(node, expected)
        if name in _REJECTED_CALLS:
            self.report.reject(node, _REJECTED_CALLS[name])
        elif hasattr(builtins, name):
            self.report.reject(node, "MOLT-L-REJECT-OTHER-BUILTIN", f"the builtin {name}()")
        else:
            self.report.name_error(func, name)
        return self.error()

    def _function_call(self, node: ast.Call, signature: Signature) -> Expr:
        params = signature.params
        bound: list[Expr | None] = [None] * len(params)
        order: list[int] = []
        ok = True
        for position, arg in enumerate(node.args):
            if position >= len(params):
                self.report.type_error(
                    arg,
                    f"'{signature.name}' takes {len(params)} arguments, this call passes "
                    f"{len(node.args)} positionally",
                    "pass exactly one value per parameter",
                )
                return self.error()
            name, kind = params[position]
            bound[position] = self.value(arg, kind, f"parameter '{name}' of '{signature.name}'")
            order.append(position)
        names = [name for name, _ in params]
        for keyword in node.keywords:
            assert keyword.arg is not None
            if keyword.arg not in names:
                self.report.type_error(
                    keyword,
                    f"'{signature.name}' has no parameter '{keyword.arg}'",
                    f"use the parameter names {', '.join(names) or '(none)'}",
                )
                ok = False
                continue
            position = names.index(keyword.arg)
            if bound[position] is not None:
                self.report.type_error(
                    keyword,
                    f"parameter '{keyword.arg}' of '{signature.name}' is given twice",
                    "pass each argument once",
                )
                ok = False
                continue
            kind = params[position][1]
            what = f"parameter '{keyword.arg}' of '{signature.name}'"
            bound[position] = self.value(keyword.value, kind, what)
            order.append(position)
        missing = [names[i] for i, value in enumerate(bound) if value is None]
        if missing and ok:
            self.report.type_error(
                node,
                f"the call of '{signature.name}' passes no value for "
                + ", ".join(f"'{m}'" for m in missing),
                "pass every parameter exactly once",
            )
            return self.error()
        args = [a for a in bound if a is not None]
        if not ok or len(args) != len(params) or any(is_error(a.type) for a in args):
            return self.error()
        if is_error(signature.returns) or any(is_error(kind) for _, kind in params):
            return self.error()
        eval_order = None if order == sorted(order) else tuple(order)
        return Call(
            signature.name, tuple(args), signature.returns, self.report.loc(node), eval_order
        )

    def _method_call(self, node: ast.Call, func: ast.Attribute) -> Expr:
        receiver = self.expr(func.value)
        kind = receiver.type
        if is_error(kind):
            return self.error()
        method = func.attr
        if isinstance(kind, ListType):
            if method == "append":  # MOLT-L-METHOD-LIST-APPEND
                if len(node.args) != 1 or node.keywords:
                    self.report.type_error(
                        node, "list.append takes exactly one positional argument", "pass one value"
                    )
                    return self.error()
                value = self.value(node.args[0], kind.item, "list.append")
                if is_error(value.type):
                    return self.error()
                return ListAppend(receiver, value)
            if method in _LIST_METHODS_LATER:
                self.report.not_yet(node, f"list.{method}", _LIST_METHODS_LATER[method])
                return self.error()
        self.report.reject(node, "MOLT-L-REJECT-OTHER-METHOD", f"the method {kind}.{method}")
        return self.error()

    def _no_keywords(self, node: ast.Call, name: str) -> bool:
        if node.keywords:
            self.report.unsupported(
                node,
                f"keyword arguments to {name}()",
                f"pass the arguments of {name}() positionally",
            )
            return False
        return True

    def _arity(self, node: ast.Call, name: str, low: int, high: int) -> bool:
        if low <= len(node.args) <= high:
            return True
        wanted = str(low) if low == high else f"{low} to {high}"
        self.report.type_error(
            node,
            f"{name}() takes {wanted} arguments, not {len(node.args)}",
            f"call {name}() with {wanted} arguments",
        )
        return False

    def _builtin_len(self, node: ast.Call, expected: MoltType | None) -> Expr:
        """MOLT-L-BUILTIN-LEN."""
        if not (self._no_keywords(node, "len") and self._arity(node, "len", 1, 1)):
            return self.error()
        value = self.expr(node.args[0])
        if is_error(value.type):
            return value
        if not isinstance(value.type, ListType):
            self.report.type_error(node, f"len() of {value.type}", "take len() of a list")
            return self.error()
        return ListLen(value)

    def _builtin_abs(self, node: ast.Call, expected: MoltType | None) -> Expr:
        """MOLT-L-BUILTIN-ABS."""
        if not (self._no_keywords(node, "abs") and self._arity(node, "abs", 1, 1)):
            return self.error()
        value = self.expr(node.args[0])
        if is_error(value.type):
            return value
        if not is_numeric(value.type):
            self.report.type_error(node, f"abs() of {value.type}", "take abs() of an int or float")
            return self.error()
        return Abs(value, self.report.loc(node))

    def _builtin_min(self, node: ast.Call, expected: MoltType | None) -> Expr:
        """MOLT-L-BUILTIN-MIN."""
        return self._min_max(node, is_max=False)

    def _builtin_max(self, node: ast.Call, expected: MoltType | None) -> Expr:
        """MOLT-L-BUILTIN-MAX."""
        return self._min_max(node, is_max=True)

    def _min_max(self, node: ast.Call, *, is_max: bool) -> Expr:
        name = "max" if is_max else "min"
        if node.keywords:
            self.report.unsupported(
                node,
                f"{name}() with the key= or default= argument",
                f"write the loop yourself, or call {name}() with two or more values",
            )
            return self.error()
        if len(node.args) == 1:
            self.report.not_yet(node, f"{name}() of a list", f"MOLT-L-BUILTIN-{name.upper()}")
            return self.error()
        if not self._arity(node, name, 2, 1 << 16):
            return self.error()
        args = [self.expr(arg) for arg in node.args]
        if any(is_error(a.type) for a in args):
            return self.error()
        kinds = {a.type for a in args}
        if kinds == {INT, FLOAT}:
            self.report.type_error(
                node,
                f"{name}() of ints and floats",
                "convert the ints with float() so that all arguments are float",
            )
            return self.error()
        if len(kinds) != 1 or not is_numeric(args[0].type):
            shown = ", ".join(sorted(map(str, kinds)))
            self.report.type_error(
                node, f"{name}() of {shown}", f"pass ints only or floats only to {name}()"
            )
            return self.error()
        return MinMax(is_max, tuple(args))

    def _builtin_int(self, node: ast.Call, expected: MoltType | None) -> Expr:
        """MOLT-L-BUILTIN-INT."""
        if not self._no_keywords(node, "int"):
            return self.error()
        if len(node.args) == 2:
            self.report.unsupported(
                node, "int() with a base argument", "call int() with one argument (base 10)"
            )
            return self.error()
        if not self._arity(node, "int", 1, 1):
            return self.error()
        value = self.expr(node.args[0])
        kind = value.type
        if is_error(kind) or kind == INT:
            return value
        if kind == BOOL:
            return BoolToInt(value)
        if kind == FLOAT:
            return FloatToInt(value, self.report.loc(node))
        self.report.type_error(node, f"int() of {kind}", "convert an int, float or bool")
        return self.error()

    def _builtin_float(self, node: ast.Call, expected: MoltType | None) -> Expr:
        """MOLT-L-BUILTIN-FLOAT."""
        if not (self._no_keywords(node, "float") and self._arity(node, "float", 1, 1)):
            return self.error()
        arg = node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            self.report.reject(node, "MOLT-L-REJECT-FLOAT-PARSE")
            return self.error()
        value = self.expr(arg)
        kind = value.type
        if is_error(kind) or kind == FLOAT:
            return value
        if kind == INT:
            return IntToFloat(value)
        self.report.type_error(node, f"float() of {kind}", "convert an int or a float")
        return self.error()

    def _builtin_str(self, node: ast.Call, expected: MoltType | None) -> Expr:
        """MOLT-L-BUILTIN-STR."""
        self.report.not_yet(node, "str()", "MOLT-L-BUILTIN-STR")
        return self.error()

    def _builtin_range(self, node: ast.Call, expected: MoltType | None) -> Expr:
        """MOLT-L-BUILTIN-RANGE: only as the iterable of a for statement."""
        self.report.reject(node, "MOLT-L-REJECT-RANGE-VALUE")
        return self.error()

    # -- everything else ----------------------------------------------------------------

    def _expr_Attribute(self, node: ast.Attribute, expected: MoltType | None) -> Expr:
        value = self.expr(node.value)
        if not is_error(value.type):
            self.report.type_error(
                node,
                f"a value of type {value.type} has no attribute '{node.attr}'",
                "records and their fields are not supported yet by this compiler version; "
                "call list methods directly, as in xs.append(x)",
            )
        return self.error()

    def _expr_Dict(self, node: ast.Dict, expected: MoltType | None) -> Expr:
        self.report.not_yet(node, "a dict", "MOLT-L-EXPR-DICT-LITERAL")
        return self.error()

    def _expr_JoinedStr(self, node: ast.JoinedStr, expected: MoltType | None) -> Expr:
        self.report.not_yet(node, "an f-string", "MOLT-L-EXPR-FSTRING")
        return self.error()

    def _expr_other(self, node: ast.expr) -> Expr:
        if isinstance(node, ast.NamedExpr):
            self.poison(node.target)
        rejected = _EXPR_REJECTS.get(type(node))
        if rejected is not None:
            self.report.reject(node, rejected)
        else:
            self.report.unsupported(
                node,
                f"the expression {self.text(node)}",
                "write it with the expressions of the Molt language (spec/language.yaml)",
            )
        return self.error()


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
