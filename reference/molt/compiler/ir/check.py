"""The IR verifier: the invariants lowering relies on, checked between passes.

`verify(module)` returns a list of problems (empty when the IR is well formed),
in the spirit of mypyc's `analysis/ircheck.py`. The front end must never
produce a problem; the compiler runs the verifier after it and reports any
problem as an internal error, so a front-end bug stops the build instead of
becoming wrong code.
"""

from __future__ import annotations

from molt.compiler.ir.nodes import (
    Abs,
    Arith,
    ArithOp,
    Assert,
    Assign,
    BoolOp,
    BoolToInt,
    Break,
    BytesOp,
    Call,
    CmpOp,
    Compare,
    CompareChain,
    Const,
    Continue,
    DictGet,
    DictLookup,
    DictNew,
    DictPart,
    DictSet,
    Evaluate,
    Expr,
    ExprVisitor,
    FieldGet,
    FloatToInt,
    ForList,
    ForRange,
    Function,
    If,
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
    ListReplace,
    ListSet,
    LoadLocal,
    MinMax,
    MinMaxList,
    Module,
    Negate,
    Not,
    Raise,
    RecordNew,
    Return,
    Slice,
    Stmt,
    StmtVisitor,
    StrOp,
    StrOpKind,
    Unwrap,
    While,
    Wrap,
)
from molt.compiler.ir.types import (
    BOOL,
    BYTES,
    FLOAT,
    INT,
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

__all__ = ["verify"]


def verify(module: Module) -> list[str]:
    """Every invariant the module breaks, as `function: problem` lines."""
    problems: list[str] = []
    functions = {f.name: f for f in module.functions}
    if len(functions) != len(module.functions):
        problems.append("<module>: two functions share a name")
    for function in module.functions:
        _FunctionVerifier(function, functions, problems).run()
    return problems


class _FunctionVerifier(ExprVisitor[None], StmtVisitor[None]):
    def __init__(
        self, function: Function, functions: dict[str, Function], problems: list[str]
    ) -> None:
        self.function = function
        self.functions = functions
        self.problems = problems
        self.loop_depth = 0
        self.locals = set(map(id, function.locals))

    def run(self) -> None:
        function = self.function
        for slot, local in enumerate(function.locals):
            if local.slot != slot:
                self.problem(f"local {local.name!r} has slot {local.slot}, expected {slot}")
        if function.locals[: len(function.params)] != function.params:
            self.problem("the parameters are not the first locals")
        self.body(function.body)

    def problem(self, text: str) -> None:
        self.problems.append(f"{self.function.name}: {text}")

    def expect(self, expr: Expr, kind: MoltType, where: str) -> None:
        self.expr(expr)
        if expr.type != kind:
            self.problem(f"{where}: expected {kind}, got {expr.type}")

    def expr(self, expr: Expr) -> None:
        expr.accept(self)

    def body(self, statements: tuple[Stmt, ...]) -> None:
        for statement in statements:
            statement.accept(self)

    def local(self, local: object, where: str) -> None:
        if id(local) not in self.locals:
            self.problem(f"{where}: a local of another function")

    # -- expressions ------------------------------------------------------------------

    def visit_const(self, node: Const) -> None:
        value, kind = node.value, node.type
        ok = (
            (kind == INT and type(value) is int)
            or (kind == FLOAT and type(value) is float)
            or (kind == BOOL and type(value) is bool)
            or (kind == NONE and value is None)
            or (isinstance(kind, OptionalType) and value is None)
            or (kind == STR and type(value) is str)
            or (kind == BYTES and type(value) is bytes)
        )
        if not ok:
            self.problem(f"constant {value!r} does not have type {kind}")

    def visit_load_local(self, node: LoadLocal) -> None:
        self.local(node.local, f"load of {node.local.name!r}")

    def visit_arith(self, node: Arith) -> None:
        self.expr(node.left)
        self.expr(node.right)
        if node.left.type != node.right.type or not is_numeric(node.left.type):
            self.problem(f"'{node.op.value}' of {node.left.type} and {node.right.type}")
        if node.op is ArithOp.TRUEDIV and node.left.type != FLOAT:
            self.problem("'/' of ints: the front end converts them to float")

    def visit_negate(self, node: Negate) -> None:
        self.expr(node.operand)
        if not is_numeric(node.operand.type):
            self.problem(f"unary '-' of {node.operand.type}")

    def visit_abs(self, node: Abs) -> None:
        self.expr(node.operand)
        if not is_numeric(node.operand.type):
            self.problem(f"abs() of {node.operand.type}")

    def visit_not(self, node: Not) -> None:
        self.expect(node.operand, BOOL, "not")

    def _pair(self, op: CmpOp, left: Expr, right: Expr) -> None:
        numbers = is_numeric(left.type) and is_numeric(right.type)
        bools = left.type == BOOL == right.type and op in (CmpOp.EQ, CmpOp.NE)
        strings = left.type == right.type and left.type in (STR, BYTES)
        structures = op in (CmpOp.EQ, CmpOp.NE) and _structural_pair(left.type, right.type)
        if not (numbers or bools or strings or structures):
            self.problem(f"'{op.value}' of {left.type} and {right.type}")

    def visit_compare(self, node: Compare) -> None:
        self.expr(node.left)
        self.expr(node.right)
        self._pair(node.op, node.left, node.right)

    def visit_compare_chain(self, node: CompareChain) -> None:
        if len(node.ops) < 2 or len(node.items) != len(node.ops) + 1:
            self.problem("a comparison chain needs n >= 2 operators and n + 1 operands")
            return
        for item in node.items:
            self.expr(item)
        for index, op in enumerate(node.ops):
            self._pair(op, node.items[index], node.items[index + 1])

    def visit_bool_op(self, node: BoolOp) -> None:
        if len(node.values) < 2:
            self.problem("and/or with fewer than two operands")
        for value in node.values:
            self.expect(value, BOOL, "and/or operand")

    def visit_if_exp(self, node: IfExp) -> None:
        self.expect(node.cond, BOOL, "conditional expression condition")
        self.expr(node.then)
        self.expect(node.orelse, node.then.type, "conditional expression branch")

    def visit_int_to_float(self, node: IntToFloat) -> None:
        self.expect(node.operand, INT, "float()")

    def visit_float_to_int(self, node: FloatToInt) -> None:
        self.expect(node.operand, FLOAT, "int()")

    def visit_bool_to_int(self, node: BoolToInt) -> None:
        self.expect(node.operand, BOOL, "int()")

    def visit_min_max(self, node: MinMax) -> None:
        if len(node.args) < 2 or not (is_numeric(node.args[0].type) or node.args[0].type == STR):
            self.problem("min()/max() needs two or more numbers or str values")
        for arg in node.args:
            self.expect(arg, node.args[0].type, "min()/max() argument")

    def visit_call(self, node: Call) -> None:
        callee = self.functions.get(node.function)
        if callee is None:
            self.problem(f"call of unknown function {node.function!r}")
            return
        if len(node.args) != len(callee.params):
            self.problem(f"call of {node.function!r} with {len(node.args)} arguments")
        for arg, param in zip(node.args, callee.params, strict=False):
            self.expect(arg, param.type, f"argument {param.name!r} of {node.function!r}")
        if node.type != callee.returns:
            self.problem(f"call of {node.function!r} typed {node.type}, not {callee.returns}")

    def visit_list_new(self, node: ListNew) -> None:
        for item in node.items:
            self.expect(item, node.type.item, "list item")

    def visit_list_repeat(self, node: ListRepeat) -> None:
        self.expr(node.list)
        if not isinstance(node.list.type, ListType):
            self.problem(f"repetition of {node.list.type}")
        self.expect(node.count, INT, "repetition count")

    def visit_list_len(self, node: ListLen) -> None:
        self.expr(node.list)
        if not isinstance(node.list.type, ListType):
            self.problem(f"len() of {node.list.type}")

    def visit_list_get(self, node: ListGet) -> None:
        self.expr(node.list)
        if not isinstance(node.list.type, ListType):
            self.problem(f"indexing of {node.list.type}")
        self.expect(node.index, INT, "index")

    def visit_list_append(self, node: ListAppend) -> None:
        self.expr(node.list)
        kind = node.list.type
        if not isinstance(kind, ListType):
            self.problem(f"append to {kind}")
            return
        self.expect(node.value, kind.item, "appended value")

    def visit_record_new(self, node: RecordNew) -> None:
        if len(node.fields) != len(node.type.fields):
            self.problem(f"{node.type} built from {len(node.fields)} values")
        for value, (name, kind) in zip(node.fields, node.type.fields, strict=False):
            self.expect(value, kind, f"field {name!r} of {node.type}")
        if node.eval_order is not None and sorted(node.eval_order) != list(range(len(node.fields))):
            self.problem(f"{node.type} built in the order {node.eval_order}")

    def visit_field_get(self, node: FieldGet) -> None:
        self.expr(node.record)
        kind = node.record.type
        if not isinstance(kind, RecordType) or not 0 <= node.index < len(kind.fields):
            self.problem(f"field {node.index} of {kind}")

    def visit_dict_new(self, node: DictNew) -> None:
        if len(node.keys) != len(node.values):
            self.problem("a dict literal with unpaired keys and values")
        for key in node.keys:
            self.expect(key, STR, "dict key")
        for value in node.values:
            self.expect(value, node.type.value, "dict value")

    def visit_dict_part(self, node: DictPart) -> None:
        self.expr(node.dict)
        if not isinstance(node.dict.type, DictType):
            self.problem(f"the keys or values of {node.dict.type}")

    def visit_dict_get(self, node: DictGet) -> None:
        self.expr(node.dict)
        if not isinstance(node.dict.type, DictType):
            self.problem(f"key lookup in {node.dict.type}")
        self.expect(node.key, STR, "dict key")

    def visit_dict_lookup(self, node: DictLookup) -> None:
        self.expr(node.dict)
        kind = node.dict.type
        if not isinstance(kind, DictType):
            self.problem(f"get() of {kind}")
            return
        self.expect(node.key, STR, "dict key")
        if node.default is None:
            if node.type != optional(kind.value):
                self.problem(f"get() of {kind} typed {node.type}")
        else:
            self.expect(node.default, kind.value, "get() default")
            if node.type != kind.value:
                self.problem(f"get() of {kind} typed {node.type}")

    def visit_dict_set(self, node: DictSet) -> None:
        self.expr(node.dict)
        kind = node.dict.type
        if not isinstance(kind, DictType):
            self.problem(f"key assignment to {kind}")
            return
        self.expect(node.value, kind.value, "assigned value")
        self.expect(node.key, STR, "dict key")

    def visit_wrap(self, node: Wrap) -> None:
        item = node.type.item
        if item == NONE or isinstance(item, OptionalType):
            self.problem(f"the optional type {node.type}")
        self.expect(node.value, item, "wrapped value")

    def visit_unwrap(self, node: Unwrap) -> None:
        self.expr(node.value)
        if not isinstance(node.value.type, OptionalType):
            self.problem(f"unwrapping {node.value.type}")

    def visit_list_contains(self, node: ListContains) -> None:
        self.expr(node.list)
        kind = node.list.type
        if not isinstance(kind, ListType):
            self.problem(f"'in' of {kind}")
            return
        self.expr(node.item)
        if (
            not (is_numeric(kind.item) and is_numeric(node.item.type))
            and kind.item != node.item.type
            and not _structural_pair(kind.item, node.item.type)
        ):
            self.problem(f"'in' of {node.item.type} in {kind}")

    def visit_list_pop(self, node: ListPop) -> None:
        self.expr(node.list)
        if not isinstance(node.list.type, ListType):
            self.problem(f"pop from {node.list.type}")
        if node.index is not None:
            self.expect(node.index, INT, "pop index")

    def visit_str_op(self, node: StrOp) -> None:
        wanted = {
            StrOpKind.LEN: (STR,),
            StrOpKind.GET: (STR, INT),
            StrOpKind.FROM_INT: (INT,),
            StrOpKind.LOWER: (STR,),
            StrOpKind.UPPER: (STR,),
            StrOpKind.JOIN: (STR, ListType(STR)),
        }.get(node.kind, (STR, STR))
        if node.kind in (StrOpKind.STRIP, StrOpKind.SPLIT):
            wanted = (STR, STR)[: max(1, min(2, len(node.args)))]
        if len(node.args) != len(wanted):
            self.problem(f"str {node.kind.value} with {len(node.args)} operands")
        for arg, kind in zip(node.args, wanted, strict=False):
            self.expect(arg, kind, f"operand of str {node.kind.value}")

    def visit_list_concat(self, node: ListConcat) -> None:
        self.expr(node.left)
        self.expr(node.right)
        if not isinstance(node.left.type, ListType) or node.left.type != node.right.type:
            self.problem(f"'+' of {node.left.type} and {node.right.type}")

    def visit_list_replace(self, node: ListReplace) -> None:
        self.expr(node.target)
        self.expr(node.value)
        if not isinstance(node.target.type, ListType) or node.target.type != node.value.type:
            self.problem(f"in-place update of {node.target.type} with {node.value.type}")

    def visit_min_max_list(self, node: MinMaxList) -> None:
        self.expr(node.list)
        kind = node.list.type
        if not isinstance(kind, ListType) or kind.item not in (INT, FLOAT, STR):
            self.problem(f"min()/max() of {kind}")

    def visit_bytes_op(self, node: BytesOp) -> None:
        wanted = {
            StrOpKind.CONCAT: (BYTES, BYTES),
            StrOpKind.LEN: (BYTES,),
            StrOpKind.GET: (BYTES, INT),
        }.get(node.kind)
        if wanted is None or len(node.args) != len(wanted):
            self.problem(f"bytes {node.kind.value} with {len(node.args)} operands")
            return
        for arg, kind in zip(node.args, wanted, strict=True):
            self.expect(arg, kind, f"operand of bytes {node.kind.value}")

    def visit_slice(self, node: Slice) -> None:
        self.expr(node.value)
        if not isinstance(node.value.type, ListType) and node.value.type not in (STR, BYTES):
            self.problem(f"slice of {node.value.type}")
        for part in (node.start, node.stop, node.step):
            if part is not None:
                self.expect(part, INT, "slice bound")

    def visit_is_none(self, node: IsNone) -> None:
        self.expr(node.value)
        if not isinstance(node.value.type, OptionalType):
            self.problem(f"'is None' of {node.value.type}")

    # -- statements ---------------------------------------------------------------------

    def visit_assign(self, node: Assign) -> None:
        self.local(node.local, f"assignment to {node.local.name!r}")
        self.expect(node.value, node.local.type, f"assignment to {node.local.name!r}")

    def visit_list_set(self, node: ListSet) -> None:
        self.expr(node.list)
        kind = node.list.type
        if not isinstance(kind, ListType):
            self.problem(f"item assignment to {kind}")
            return
        self.expect(node.value, kind.item, "assigned item")
        self.expect(node.index, INT, "index")

    def visit_evaluate(self, node: Evaluate) -> None:
        self.expr(node.expr)

    def visit_if(self, node: If) -> None:
        self.expect(node.cond, BOOL, "if condition")
        self.body(node.body)
        self.body(node.orelse)

    def _loop(self, body: tuple[Stmt, ...]) -> None:
        self.loop_depth += 1
        self.body(body)
        self.loop_depth -= 1

    def visit_while(self, node: While) -> None:
        self.expect(node.cond, BOOL, "while condition")
        self._loop(node.body)

    def visit_for_range(self, node: ForRange) -> None:
        self.local(node.var, "for target")
        if node.var.type != INT:
            self.problem("the target of a for over range() is not an int")
        for bound in (node.start, node.stop, node.step):
            self.expect(bound, INT, "range() argument")
        self._loop(node.body)

    def visit_for_list(self, node: ForList) -> None:
        self.local(node.var, "for target")
        self.expr(node.list)
        kind = node.list.type
        if not isinstance(kind, ListType) or kind.item != node.var.type:
            self.problem(f"for target of type {node.var.type} over {kind}")
        self._loop(node.body)

    def visit_break(self, node: Break) -> None:
        if self.loop_depth == 0:
            self.problem("break outside a loop")

    def visit_continue(self, node: Continue) -> None:
        if self.loop_depth == 0:
            self.problem("continue outside a loop")

    def visit_return(self, node: Return) -> None:
        returns = self.function.returns
        if node.value is None:
            if returns != NONE:
                self.problem(f"bare return in a function returning {returns}")
            return
        self.expect(node.value, returns, "return value")

    def visit_raise(self, node: Raise) -> None:
        if not node.code.startswith("MOLT-E-"):
            self.problem(f"raise of {node.code!r}")
        if node.message is not None:
            self.expect(node.message, STR, "raise message")

    def visit_assert(self, node: Assert) -> None:
        self.expect(node.cond, BOOL, "assert condition")
        if node.message is not None:
            self.expect(node.message, STR, "assert message")


def _structural_pair(left: MoltType, right: MoltType) -> bool:
    """== of two lists, dicts, records or optionals of one type, or of T | None and T."""
    if isinstance(left, OptionalType) and left.item == right:
        return True
    if isinstance(right, OptionalType) and right.item == left:
        return True
    return left == right and isinstance(left, (ListType, DictType, RecordType, OptionalType))
