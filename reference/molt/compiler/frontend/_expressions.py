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
    BytesOp,
    Call,
    CmpOp,
    Compare,
    CompareChain,
    Const,
    DictGet,
    DictLookup,
    DictNew,
    DictPart,
    Expr,
    FieldGet,
    FloatToInt,
    IfExp,
    IntToFloat,
    IsNone,
    ListAppend,
    ListConcat,
    ListContains,
    ListGet,
    ListLen,
    ListNew,
    ListPop,
    ListRepeat,
    LoadLocal,
    Local,
    MinMax,
    MinMaxList,
    Negate,
    Not,
    RecordNew,
    Slice,
    Stmt,
    StrOp,
    StrOpKind,
    Unwrap,
    Wrap,
)
from molt.compiler.ir.types import (
    BOOL,
    BYTES,
    FLOAT,
    INT,
    INT64_MAX,
    INT64_MIN,
    NONE,
    STR,
    DictType,
    ListType,
    MoltType,
    OptionalType,
    RecordType,
    is_numeric,
    optional,
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
        self.narrowed: set[str] = set()
        """Optional locals known not to be None here (MOLT-L-TYPE-OPTIONAL narrowing)."""

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
        converted = self.coerce(expr, target)
        if converted is not None:
            return converted
        hint = _CONVERT
        if isinstance(expr.type, OptionalType) and expr.type.item == target:
            hint = "test it first: inside `if NAME is not None:` a local NAME has type " + str(
                target
            )
        self.report.type_error(node, f"{what} expects {target}, got {expr.type}", hint)
        return self.error()

    def coerce(self, expr: Expr, target: MoltType) -> Expr | None:
        """`expr` as a `target` (an int widened to float, a T or None made T | None), or
        None when it is not assignable."""
        kind = expr.type
        if is_error(kind) or is_error(target) or kind == target:
            return expr
        if kind == INT and target == FLOAT:
            return IntToFloat(expr)
        if isinstance(target, OptionalType):
            if kind == NONE and isinstance(expr, Const):
                return Const(None, target)
            item = self.coerce(expr, target.item)
            return None if item is None else Wrap(item, target)
        return None

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
            return Const(None, expected if isinstance(expected, OptionalType) else NONE)
        if isinstance(value, str):  # MOLT-L-EXPR-STR-LITERAL
            return self._str_literal(value, node)
        if isinstance(value, bytes):  # MOLT-L-EXPR-BYTES-LITERAL
            return Const(value, BYTES)
        if isinstance(value, complex):
            self.report.reject(node, "MOLT-L-REJECT-COMPLEX")
        else:
            self.report.unsupported(node, "the ... literal", "write the value you mean")
        return self.error()

    def _str_literal(self, value: str, node: ast.AST) -> Expr:
        """A str literal; one holding a surrogate code point is not valid UTF-8."""
        surrogate = next((c for c in value if 0xD800 <= ord(c) <= 0xDFFF), None)
        if surrogate is not None:
            self.report.unsupported(
                node,
                f"a str literal containing the surrogate code point U+{ord(surrogate):04X}",
                "every Molt str is valid UTF-8; write the character itself, not half of a "
                "surrogate pair",
            )
            return self.error()
        return Const(value, STR)

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
            if name in self.narrowed and isinstance(local.type, OptionalType):
                return Unwrap(LoadLocal(local))
            return LoadLocal(local)
        scope = self.scope
        if name in scope.constants:
            return scope.constants[name]
        if name in scope.functions or name in scope.imported or name in _ACCEPTED_BUILTINS:
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
        if op is ArithOp.ADD and lt == rt == STR:
            return StrOp(StrOpKind.CONCAT, (left, right), loc)  # MOLT-L-EXPR-CONCAT
        if op is ArithOp.ADD and lt == rt == BYTES:
            return BytesOp(StrOpKind.CONCAT, (left, right), loc)
        if isinstance(lt, ListType) or isinstance(rt, ListType):
            if op is ArithOp.MUL and isinstance(lt, ListType) and rt == INT:
                return ListRepeat(left, right, loc)  # MOLT-L-EXPR-REPEAT
            if op is ArithOp.MUL and lt == INT and isinstance(rt, ListType):
                return ListRepeat(right, left, loc)
            if op is ArithOp.ADD and lt == rt:
                return ListConcat(left, right, loc)  # MOLT-L-EXPR-CONCAT
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
        return Arith(op, self._float(left), self._float(right), loc)

    def _float(self, expr: Expr) -> Expr:
        return IntToFloat(expr) if expr.type == INT else expr

    def _expr_BoolOp(self, node: ast.BoolOp, expected: MoltType | None) -> Expr:
        is_and = isinstance(node.op, ast.And)
        word = "and" if is_and else "or"
        values = []
        saved = self.narrowed
        try:
            for value in node.values:
                values.append(self.condition(value, f"an operand of {word}"))
                # `x is not None and E` / `x is None or E` narrow E
                self.narrowed = self.narrowed | self.narrowing(value)[0 if is_and else 1]
        finally:
            self.narrowed = saved
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
                return self._membership(node)
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

    def _membership(self, node: ast.Compare) -> Expr:
        """MOLT-L-EXPR-IN: `part in text` of two str (a substring test)."""
        item = self.expr(node.left)
        container = self.expr(node.comparators[0])
        if is_error(item.type) or is_error(container.type):
            return self.error()
        if container.type == STR and item.type == STR:
            test: Expr = StrOp(StrOpKind.CONTAINS, (container, item), self.report.loc(node))
            return Not(test) if isinstance(node.ops[0], ast.NotIn) else test
        if container.type == STR:
            self.report.type_error(
                node, f"'in <str>' needs a str on the left, not {item.type}", "test a str"
            )
            return self.error()
        kind = container.type
        if isinstance(kind, DictType):  # a key test
            if item.type != STR:
                self.report.type_error(
                    node, f"'in {kind}' tests a str key, not a {item.type}", "test a str key"
                )
                return self.error()
            test = ListContains(DictPart(container, False), item)
            return Not(test) if isinstance(node.ops[0], ast.NotIn) else test
        if isinstance(kind, ListType):
            element = kind.item
            numbers = is_numeric(element) and is_numeric(item.type)
            nones = element == item.type == NONE  # every element is the None sought
            if numbers or nones or _equal_types(element, item.type):  # each element == item
                test = ListContains(container, item)
                return Not(test) if isinstance(node.ops[0], ast.NotIn) else test
            self.report.type_error(
                node,
                f"'in {kind}' tests a {element}, not a {item.type}",
                "test a value of the item type",
            )
            return self.error()
        self.report.type_error(
            node, f"the in operator on a value of type {kind}", "test membership in a list or a str"
        )
        return self.error()

    def _comparable(self, op: CmpOp, left: Expr, right: Expr, node: ast.AST) -> bool:
        """MOLT-L-EXPR-COMPARE-EQ and -ORDER for one pair."""
        lt, rt = left.type, right.type
        if is_numeric(lt) and is_numeric(rt):
            return True
        if lt == rt == STR:
            return True  # by code point, as in CPython
        if lt == rt == BYTES:
            return True  # by byte value, as in CPython
        equality = op in (CmpOp.EQ, CmpOp.NE)
        if lt == rt == BOOL:
            if equality:
                return True
            self.report.reject(
                node, "MOLT-L-REJECT-BOOL-ARITHMETIC", f"'{op.value}' ordering of bool values"
            )
            return False
        if equality and _equal_types(lt, rt):  # deep, structural (MOLT-L-EXPR-COMPARE-EQ)
            return True
        if equality and lt == rt == NONE:  # e.g. two items of a list[None]
            self.report.type_error(
                node,
                f"'{op.value}' of two values of type None, which are always equal",
                "remove the comparison: a value of type None is always None",
            )
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
        """MOLT-L-EXPR-IS-NONE: `A is None` / `A is not None` of an optional A."""
        if not (_is_none(left) or _is_none(right)) or (_is_none(left) and _is_none(right)):
            self.report.reject(node, "MOLT-L-REJECT-IDENTITY")
            return self.error()
        tested = right if _is_none(left) else left
        value = self.expr(tested)
        if is_error(value.type):
            return self.error()
        if not isinstance(value.type, OptionalType):
            narrowed = isinstance(value, Unwrap)
            self.report.type_error(
                node,
                f"'{self.text(tested)}' has type {value.type}"
                + (" here (an earlier test narrowed it)" if narrowed else "")
                + (", so it is always None" if value.type == NONE else ", so it is never None"),
                "remove the test, or give the value an optional type (T | None)",
            )
            return self.error()
        return IsNone(value, isinstance(node.ops[0], ast.IsNot))

    def narrowing(self, node: ast.expr) -> tuple[set[str], set[str]]:
        """The optional locals a condition proves not None when it is true, and when it
        is false (MOLT-L-TYPE-OPTIONAL)."""
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            when_true, when_false = self.narrowing(node.operand)
            return when_false, when_true
        if isinstance(node, ast.BoolOp):
            parts = [self.narrowing(value) for value in node.values]
            if isinstance(node.op, ast.And):
                return set().union(*(p[0] for p in parts)), set()
            return set(), set().union(*(p[1] for p in parts))
        if (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.Is, ast.IsNot))
            and isinstance(node.left, ast.Name)
            and _is_none(node.comparators[0])
        ):
            local = self.locals.get(node.left.id)
            if local is None or not isinstance(local.type, OptionalType):
                return set(), set()
            names = {node.left.id}
            return (names, set()) if isinstance(node.ops[0], ast.IsNot) else (set(), names)
        return set(), set()

    def with_narrowed(self, names: set[str], node: ast.expr, expected: MoltType | None) -> Expr:
        """`node` checked with `names` narrowed."""
        saved = self.narrowed
        self.narrowed = saved | names
        try:
            return self.expr(node, expected)
        finally:
            self.narrowed = saved

    def _expr_IfExp(self, node: ast.IfExp, expected: MoltType | None) -> Expr:
        cond = self.condition(node.test, "the condition of a conditional expression")
        when_true, when_false = self.narrowing(node.test)
        then = self.with_narrowed(when_true, node.body, expected)
        orelse = self.with_narrowed(when_false, node.orelse, expected)
        if any(is_error(e.type) for e in (cond, then, orelse)):
            return self.error()
        if then.type != orelse.type:
            target = expected
            if target is None and NONE in (then.type, orelse.type):
                other = orelse.type if then.type == NONE else then.type
                target = optional(other) if other != NONE else None
            both = (
                (self.coerce(then, target), self.coerce(orelse, target))
                if target is not None
                else (None, None)
            )
            if both[0] is not None and both[1] is not None:
                then, orelse = both
            elif is_numeric(then.type) and is_numeric(orelse.type):
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
            return self._slice(node, node.slice)
        container = self.expr(node.value)
        index = self.expr(node.slice)
        if is_error(container.type) or is_error(index.type):
            return self.error()
        kind = container.type
        if isinstance(kind, DictType):  # MOLT-L-EXPR-INDEX of a dict: a key
            if index.type != STR:
                self.report.type_error(
                    node.slice, f"a dict key must be str, not {index.type}", "index with a str"
                )
                return self.error()
            return DictGet(container, index, self.report.loc(node))
        if not isinstance(kind, ListType) and kind not in (STR, BYTES):
            self.report.type_error(
                node,
                f"a value of type {kind} cannot be indexed",
                "index a list, a str, bytes or a dict",
            )
            return self.error()
        if index.type != INT:
            what = "list" if isinstance(kind, ListType) else str(kind)
            self.report.type_error(
                node.slice, f"a {what} index must be int, not {index.type}", "index with an int"
            )
            return self.error()
        if kind == BYTES:  # MOLT-L-EXPR-INDEX of bytes: an int 0 to 255
            return BytesOp(StrOpKind.GET, (container, index), self.report.loc(node))
        if kind == STR:  # MOLT-L-EXPR-INDEX of a str: one code point
            return StrOp(StrOpKind.GET, (container, index), self.report.loc(node))
        return ListGet(container, index, self.report.loc(node))

    def _slice(self, node: ast.Subscript, bounds: ast.Slice) -> Expr:
        """MOLT-L-EXPR-SLICE: `seq[start:stop:step]` of a list, str or bytes."""
        container = self.expr(node.value)
        parts: list[Expr | None] = []
        for part in (bounds.lower, bounds.upper, bounds.step):
            if part is None or (isinstance(part, ast.Constant) and part.value is None):
                parts.append(None)  # omitted, or None as CPython allows
                continue
            value = self.expr(part)
            if not is_error(value.type) and value.type != INT:
                self.report.type_error(
                    part, f"a slice bound must be int, not {value.type}", "slice with int bounds"
                )
                return self.error()
            parts.append(value)
        if is_error(container.type) or any(p is not None and is_error(p.type) for p in parts):
            return self.error()
        kind = container.type
        if not isinstance(kind, ListType) and kind not in (STR, BYTES):
            self.report.type_error(
                node, f"a value of type {kind} cannot be sliced", "slice a list, a str or bytes"
            )
            return self.error()
        start, stop, step = parts
        return Slice(container, start, stop, step, self.report.loc(node))

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
        if name in self.scope.records:
            return self._record_new(node, self.scope.records[name])
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

    def _record_new(self, node: ast.Call, record: RecordType) -> Expr:
        """MOLT-L-EXPR-RECORD-NEW: fields filled like the parameters of a call."""
        fields = list(record.fields)
        signature = Signature(record.name, fields, record, False, None, None)  # type: ignore[arg-type]
        call = self._function_call(node, signature, what="field")
        if not isinstance(call, Call):
            return call
        return RecordNew(record, call.args, call.loc, call.eval_order)

    def _function_call(self, node: ast.Call, signature: Signature, what: str = "parameter") -> Expr:
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
                    f"pass exactly one value per {what}",
                )
                return self.error()
            name, field_kind = params[position]
            bound[position] = self.value(arg, field_kind, f"{what} '{name}' of '{signature.name}'")
            order.append(position)
        names = [name for name, _ in params]
        for keyword in node.keywords:
            assert keyword.arg is not None
            if keyword.arg not in names:
                self.report.type_error(
                    keyword,
                    f"'{signature.name}' has no {what} '{keyword.arg}'",
                    f"use the {what} names {', '.join(names) or '(none)'}",
                )
                ok = False
                continue
            position = names.index(keyword.arg)
            if bound[position] is not None:
                self.report.type_error(
                    keyword,
                    f"{what} '{keyword.arg}' of '{signature.name}' is given twice",
                    "pass each argument once",
                )
                ok = False
                continue
            field_kind = params[position][1]
            role = f"{what} '{keyword.arg}' of '{signature.name}'"
            bound[position] = self.value(keyword.value, field_kind, role)
            order.append(position)
        missing = [names[i] for i, value in enumerate(bound) if value is None]
        if missing and ok:
            self.report.type_error(
                node,
                f"the call of '{signature.name}' passes no value for "
                + ", ".join(f"'{m}'" for m in missing),
                f"pass every {what} exactly once",
            )
            return self.error()
        args = [a for a in bound if a is not None]
        if not ok or len(args) != len(params) or any(is_error(a.type) for a in args):
            return self.error()
        if is_error(signature.returns) or any(is_error(k) for _, k in params):
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
        if kind == STR and method in ("lower", "upper"):  # MOLT-L-METHOD-STR-LOWER, -UPPER
            if node.args or node.keywords:
                self.report.type_error(
                    node, f"str.{method} takes no arguments", f"call s.{method}()"
                )
                return self.error()
            op = StrOpKind.LOWER if method == "lower" else StrOpKind.UPPER
            return StrOp(op, (receiver,), self.report.loc(node))
        if kind == STR and method in ("strip", "split"):  # MOLT-L-METHOD-STR-STRIP, -SPLIT
            if len(node.args) > 1 or node.keywords:
                self.report.unsupported(
                    node,
                    f"str.{method} with more than one argument or a keyword",
                    f"call s.{method}() or s.{method}(TEXT)",
                )
                return self.error()
            args = [self.value(arg, STR, f"str.{method}") for arg in node.args]
            if any(is_error(arg.type) for arg in args):
                return self.error()
            op = StrOpKind.STRIP if method == "strip" else StrOpKind.SPLIT
            return StrOp(op, (receiver, *args), self.report.loc(node))
        if kind == STR and method == "join":  # MOLT-L-METHOD-STR-JOIN
            if len(node.args) != 1 or node.keywords:
                self.report.type_error(
                    node, "str.join takes exactly one list[str]", "pass one list of str"
                )
                return self.error()
            items = self.value(node.args[0], ListType(STR), "str.join")
            if is_error(items.type):
                return self.error()
            return StrOp(StrOpKind.JOIN, (receiver, items), self.report.loc(node))
        if kind == STR and method in ("startswith", "endswith"):  # MOLT-L-METHOD-STR-*
            if len(node.args) != 1 or node.keywords:
                self.report.type_error(
                    node, f"str.{method} takes exactly one str argument", "pass one str"
                )
                return self.error()
            part = self.value(node.args[0], STR, f"str.{method}")
            if is_error(part.type):
                return self.error()
            op = StrOpKind.STARTSWITH if method == "startswith" else StrOpKind.ENDSWITH
            return StrOp(op, (receiver, part), self.report.loc(node))
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
            if method == "pop":  # MOLT-L-METHOD-LIST-POP
                if len(node.args) > 1 or node.keywords:
                    self.report.type_error(
                        node, "list.pop takes at most one int index", "call xs.pop() or xs.pop(i)"
                    )
                    return self.error()
                index = self.int_value(node.args[0], "a pop index") if node.args else None
                if index is not None and is_error(index.type):
                    return self.error()
                return ListPop(receiver, index, self.report.loc(node))
        if isinstance(kind, DictType) and method == "get":  # MOLT-L-METHOD-DICT-GET
            return self._dict_get(node, receiver, kind)
        if isinstance(kind, DictType) and method in ("keys", "values", "items"):
            self.report.unsupported(
                node,
                f"dict.{method}() outside the iterable of a for loop",
                f"use d.{method}() only as `for ... in d.{method}():`",
            )
            return self.error()
        self.report.reject(node, "MOLT-L-REJECT-OTHER-METHOD", f"the method {kind}.{method}")
        return self.error()

    def _dict_get(self, node: ast.Call, receiver: Expr, kind: DictType) -> Expr:
        if not 1 <= len(node.args) <= 2 or node.keywords:
            self.report.type_error(
                node, "dict.get takes a str key and an optional default", "call d.get(key, default)"
            )
            return self.error()
        key = self.value(node.args[0], STR, "a dict key")
        if len(node.args) == 1 or _is_none(node.args[1]):
            if len(node.args) == 2:
                self.expr(node.args[1])
            if is_error(key.type):
                return self.error()
            return DictLookup(receiver, key, None, optional(kind.value))
        default = self.value(node.args[1], kind.value, "the default of dict.get")
        if is_error(key.type) or is_error(default.type):
            return self.error()
        return DictLookup(receiver, key, default, kind.value)

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
        if value.type == STR:  # code points, as in CPython
            return StrOp(StrOpKind.LEN, (value,), self.report.loc(node))
        if value.type == BYTES:
            return BytesOp(StrOpKind.LEN, (value,), self.report.loc(node))
        if isinstance(value.type, DictType):  # the number of keys
            return ListLen(DictPart(value, False))
        if not isinstance(value.type, ListType):
            self.report.type_error(
                node, f"len() of {value.type}", "take len() of a list, a str, bytes or a dict"
            )
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
            return self._min_max_list(node, is_max)
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
        if len(kinds) != 1 or args[0].type not in (INT, FLOAT, STR):
            shown = ", ".join(sorted(map(str, kinds)))
            self.report.type_error(
                node,
                f"{name}() of {shown}",
                f"pass ints only, floats only or str values only to {name}()",
            )
            return self.error()
        return MinMax(is_max, tuple(args))

    def _min_max_list(self, node: ast.Call, is_max: bool) -> Expr:
        """min(items) / max(items) of a list[int], list[float] or list[str]."""
        name = "max" if is_max else "min"
        items = self.expr(node.args[0])
        if is_error(items.type):
            return self.error()
        kind = items.type
        if not isinstance(kind, ListType) or kind.item not in (INT, FLOAT, STR):
            self.report.type_error(
                node,
                f"{name}() of one {kind}",
                f"pass a list[int], list[float] or list[str], or two or more values to {name}()",
            )
            return self.error()
        return MinMaxList(is_max, items, self.report.loc(node))

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
        """MOLT-L-BUILTIN-STR: str() of an int (or of a str, which is itself)."""
        if not (self._no_keywords(node, "str") and self._arity(node, "str", 1, 1)):
            return self.error()
        value = self.expr(node.args[0])
        if is_error(value.type) or value.type == STR:
            return value
        return self._to_str(value, node, "str()")

    def _to_str(self, value: Expr, node: ast.AST, where: str) -> Expr:
        """An int or str as a str (MOLT-L-BUILTIN-STR, MOLT-L-EXPR-FSTRING)."""
        if value.type == STR:
            return value
        if value.type == INT:
            return StrOp(StrOpKind.FROM_INT, (value,), self.report.loc(node))
        if value.type == FLOAT:
            self.report.reject(node, "MOLT-L-REJECT-FLOAT-TO-STR", f"a float in {where}")
        else:
            self.report.type_error(
                node, f"{where} of {value.type}", "convert an int or a str, or use a field"
            )
        return self.error()

    def _builtin_range(self, node: ast.Call, expected: MoltType | None) -> Expr:
        """MOLT-L-BUILTIN-RANGE: only as the iterable of a for statement."""
        self.report.reject(node, "MOLT-L-REJECT-RANGE-VALUE")
        return self.error()

    # -- everything else ----------------------------------------------------------------

    def _expr_Attribute(self, node: ast.Attribute, expected: MoltType | None) -> Expr:
        """MOLT-L-EXPR-FIELD."""
        value = self.expr(node.value)
        kind = value.type
        if is_error(kind):
            return self.error()
        if isinstance(kind, RecordType):
            index = kind.field_index(node.attr)
            if index is not None:
                return FieldGet(value, index)
            names = ", ".join(name for name, _ in kind.fields)
            self.report.type_error(
                node,
                f"the record {kind} has no field '{node.attr}'",
                f"use one of its fields: {names}",
            )
            return self.error()
        self.report.type_error(
            node,
            f"a value of type {kind} has no attribute '{node.attr}'",
            "only records have fields; call list methods directly, as in xs.append(x)",
        )
        return self.error()

    def _expr_Dict(self, node: ast.Dict, expected: MoltType | None) -> Expr:
        """MOLT-L-EXPR-DICT-LITERAL: str keys; values typed like list items."""
        if any(key is None for key in node.keys):
            self.report.reject(node, "MOLT-L-REJECT-VARIADIC")
            return self.error()
        keys = [self.value(key, STR, "a dict key") for key in node.keys if key is not None]
        if isinstance(expected, DictType):
            values = [self.value(v, expected.value, "a dict value") for v in node.values]
            if any(is_error(e.type) for e in (*keys, *values)):
                return self.error()
            return DictNew(tuple(keys), tuple(values), expected)
        if not node.keys:
            self.report.reject(
                node, "MOLT-L-REJECT-UNTYPED-EMPTY", "the empty dict {} has no value type here"
            )
            return self.error()
        values = [self.expr(value) for value in node.values]
        if any(is_error(e.type) for e in (*keys, *values)):
            return self.error()
        kinds = {value.type for value in values}
        if kinds == {INT, FLOAT}:
            values = [self._float(value) for value in values]
            kinds = {FLOAT}
        if len(kinds) != 1:
            shown = ", ".join(sorted(map(str, kinds)))
            self.report.type_error(
                node,
                f"the dict values have different types ({shown})",
                "give every value the same type, or annotate the variable with dict[str, T]",
            )
            return self.error()
        return DictNew(tuple(keys), tuple(values), DictType(values[0].type))

    def _expr_JoinedStr(self, node: ast.JoinedStr, expected: MoltType | None) -> Expr:
        """MOLT-L-EXPR-FSTRING: literal parts and {int} or {str} values, concatenated."""
        loc = self.report.loc(node)
        parts: list[Expr] = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(self._str_literal(part.value, part))
                continue
            assert isinstance(part, ast.FormattedValue)
            if part.conversion != -1 or part.format_spec is not None:
                self.report.reject(part, "MOLT-L-REJECT-FORMATTING")
                return self.error()
            value = self.expr(part.value)
            if is_error(value.type):
                return self.error()
            value = self._to_str(value, part, "an f-string field")
            if is_error(value.type):
                return self.error()
            parts.append(value)
        if not parts:
            return Const("", STR)
        result = parts[0]
        for part_value in parts[1:]:
            result = StrOp(StrOpKind.CONCAT, (result, part_value), loc)
        return result

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


def _equal_types(left: MoltType, right: MoltType) -> bool:
    """== applies: one type (not None, whose only value is reached with `is None`), or
    T | None and T (MOLT-L-EXPR-COMPARE-EQ)."""
    if left == right:
        return left != NONE
    if isinstance(left, OptionalType):
        return left.item == right
    return isinstance(right, OptionalType) and right.item == left


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
