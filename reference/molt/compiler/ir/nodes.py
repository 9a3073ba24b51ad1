"""Molt's typed IR: the checked program the front end hands to lowering.

The IR is a tree of small, immutable, `@final` node classes. Every expression
knows its result `type`, its `operands` (the child expressions, in evaluation
order) and whether it `can_fail` at run time (report a MOLT-E runtime error
instead of a value); every node has an `accept` method for visitors. A variant
of an operation is a field (`Arith.op`, `MinMax.is_max`), never a subclass.

The front end makes everything explicit that Python leaves implicit: an int
used where a float is expected is wrapped in `IntToFloat`, a chained
comparison is a `CompareChain`, an augmented assignment is an `Assign` (or a
`ListSet` through temporaries), and module-level constants are folded into
`Const` nodes. So lowering never infers anything: each node maps to one piece
of LLVM IR. `molt.compiler.ir.check.verify` states these invariants and checks
them.

Locations are 1-based (line, column in code points) in the module's source
file; runtime errors name them ("at stats.py:12:11").
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar, final

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
)

__all__ = [
    "Abs",
    "Arith",
    "ArithOp",
    "Assert",
    "Assign",
    "BoolOp",
    "BoolToInt",
    "Break",
    "BytesOp",
    "Call",
    "CmpOp",
    "Compare",
    "CompareChain",
    "Const",
    "Continue",
    "DictGet",
    "DictLookup",
    "DictNew",
    "DictPart",
    "DictSet",
    "Evaluate",
    "Expr",
    "ExprVisitor",
    "FieldGet",
    "FloatToInt",
    "ForList",
    "ForRange",
    "Function",
    "If",
    "IfExp",
    "IntToFloat",
    "IsNone",
    "ListAppend",
    "ListConcat",
    "ListContains",
    "ListGet",
    "ListLen",
    "ListNew",
    "ListPop",
    "ListRepeat",
    "ListReplace",
    "ListSet",
    "LoadLocal",
    "Local",
    "MinMax",
    "MinMaxList",
    "Module",
    "Negate",
    "Not",
    "Raise",
    "RecordNew",
    "Return",
    "Slice",
    "SourceLoc",
    "Stmt",
    "StmtVisitor",
    "StrOp",
    "StrOpKind",
    "Unwrap",
    "While",
    "Wrap",
    "walk_exprs",
    "walk_stmts",
]

T = TypeVar("T")


@final
@dataclass(frozen=True, slots=True)
class SourceLoc:
    """A position in the source: 1-based line and 1-based column in code points."""

    line: int
    column: int


@final
@dataclass(frozen=True, slots=True, eq=False)
class Local:
    """A parameter or local variable: one name with one type for the whole function.

    `slot` numbers the locals of a function from 0 (parameters first). Temporaries
    the front end introduces have names starting with `$`.
    """

    name: str
    type: MoltType
    slot: int


class ArithOp(enum.Enum):
    """The binary arithmetic operators (MOLT-L-EXPR-ADD ... MOLT-L-EXPR-POW)."""

    ADD = "+"
    SUB = "-"
    MUL = "*"
    TRUEDIV = "/"
    FLOORDIV = "//"
    MOD = "%"
    POW = "**"


class CmpOp(enum.Enum):
    """The comparison operators (MOLT-L-EXPR-COMPARE-EQ, MOLT-L-EXPR-COMPARE-ORDER)."""

    EQ = "=="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


class StrOpKind(enum.Enum):
    """The str operations (MOLT-L-TYPE-STR and the str builtins and methods)."""

    CONCAT = "+"
    LEN = "len"
    GET = "[]"
    CONTAINS = "in"
    STARTSWITH = "startswith"
    ENDSWITH = "endswith"
    FROM_INT = "str"
    LOWER = "lower"
    UPPER = "upper"
    JOIN = "join"
    STRIP = "strip"
    SPLIT = "split"


_STR_RESULTS = {
    StrOpKind.LEN: INT,
    StrOpKind.CONTAINS: BOOL,
    StrOpKind.STARTSWITH: BOOL,
    StrOpKind.ENDSWITH: BOOL,
    StrOpKind.SPLIT: ListType(STR),
}
_STR_FALLIBLE = frozenset(
    {
        StrOpKind.CONCAT,
        StrOpKind.GET,
        StrOpKind.FROM_INT,
        StrOpKind.LOWER,
        StrOpKind.UPPER,
        StrOpKind.JOIN,
        StrOpKind.STRIP,
        StrOpKind.SPLIT,
    }
)


# -- expressions ------------------------------------------------------------------------


class Expr(ABC):
    """An expression: a value of `type`, computed from `operands` left to right."""

    __slots__ = ()
    type: MoltType

    @property
    @abstractmethod
    def operands(self) -> tuple[Expr, ...]:
        """The child expressions, in evaluation order."""

    @property
    def can_fail(self) -> bool:
        """Whether evaluating this node itself may report a runtime error."""
        return False

    @abstractmethod
    def accept(self, visitor: ExprVisitor[T]) -> T: ...


@final
@dataclass(frozen=True, slots=True, eq=False)
class Const(Expr):
    """An int, float, bool or None literal (module-level constants are folded in); a
    None of type T | None where an optional value is expected."""

    value: int | float | bool | str | bytes | None
    type: MoltType

    @property
    def operands(self) -> tuple[Expr, ...]:
        return ()

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_const(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class LoadLocal(Expr):
    """The current value of a parameter or local variable."""

    local: Local

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        return self.local.type

    @property
    def operands(self) -> tuple[Expr, ...]:
        return ()

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_load_local(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Arith(Expr):
    """`left op right` on two ints or two floats (the front end widened any mix).

    `/` always has float operands; `from_ints` records that both were ints in the
    source, which only changes the wording of a zero-division error. Can fail:
    int overflow (+ - * // **), a zero divisor (/ // %), a negative int exponent.
    """

    op: ArithOp
    left: Expr
    right: Expr
    loc: SourceLoc
    from_ints: bool = False

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        return self.left.type

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.left, self.right)

    @property
    def can_fail(self) -> bool:
        if self.type == INT:
            return True
        return self.op in (ArithOp.TRUEDIV, ArithOp.FLOORDIV, ArithOp.MOD, ArithOp.POW)

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_arith(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Negate(Expr):
    """`-operand` for an int (overflow for -2**63) or a float."""

    operand: Expr
    loc: SourceLoc

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        return self.operand.type

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.operand,)

    @property
    def can_fail(self) -> bool:
        return self.type == INT

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_negate(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Abs(Expr):
    """`abs(operand)` for an int (overflow for -2**63) or a float."""

    operand: Expr
    loc: SourceLoc

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        return self.operand.type

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.operand,)

    @property
    def can_fail(self) -> bool:
        return self.type == INT

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_abs(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Not(Expr):
    """`not operand` for a bool."""

    operand: Expr
    type: MoltType = BOOL

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.operand,)

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_not(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Compare(Expr):
    """`left op right`: numbers (an int and a float compare by exact value) or bools (== !=)."""

    op: CmpOp
    left: Expr
    right: Expr
    type: MoltType = BOOL

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.left, self.right)

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_compare(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class CompareChain(Expr):
    """`a op1 b op2 c ...`: each middle operand evaluated once, stopping at the first False."""

    items: tuple[Expr, ...]
    ops: tuple[CmpOp, ...]
    type: MoltType = BOOL

    @property
    def operands(self) -> tuple[Expr, ...]:
        return self.items

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_compare_chain(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class BoolOp(Expr):
    """`a and b and ...` (`is_and`) or `a or b or ...`, short-circuit, on bools."""

    is_and: bool
    values: tuple[Expr, ...]
    type: MoltType = BOOL

    @property
    def operands(self) -> tuple[Expr, ...]:
        return self.values

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_bool_op(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class IfExp(Expr):
    """`then if cond else orelse`; only the chosen branch is evaluated."""

    cond: Expr
    then: Expr
    orelse: Expr

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        return self.then.type

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.cond, self.then, self.orelse)

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_if_exp(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class IntToFloat(Expr):
    """`float(operand)` of an int: the nearest double, ties to even (also implicit widening)."""

    operand: Expr
    type: MoltType = FLOAT

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.operand,)

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_int_to_float(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class FloatToInt(Expr):
    """`int(operand)` of a float: truncated; NaN is MOLT-E-VALUE, out of range MOLT-E-OVERFLOW."""

    operand: Expr
    loc: SourceLoc
    type: MoltType = INT

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.operand,)

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_float_to_int(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class BoolToInt(Expr):
    """`int(operand)` of a bool: 0 or 1."""

    operand: Expr
    type: MoltType = INT

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.operand,)

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_bool_to_int(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class MinMax(Expr):
    """`min(a, b, ...)` or `max(...)` (`is_max`) of ints, floats or str, CPython's algorithm.

    Start with the first argument and replace it with each later one that compares
    strictly less (min) or greater (max), so ties keep the first and NaN behaves as
    in CPython.
    """

    is_max: bool
    args: tuple[Expr, ...]

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        return self.args[0].type

    @property
    def operands(self) -> tuple[Expr, ...]:
        return self.args

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_min_max(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Call(Expr):
    """A call of a module-level function; `args` in parameter order.

    Any call can fail, since the callee may; `molt.compiler.ir.analysis` finds the
    functions that never do, and lowering skips the error check after those.
    """

    function: str
    args: tuple[Expr, ...]
    type: MoltType
    loc: SourceLoc
    eval_order: tuple[int, ...] | None = None
    """The order the arguments are evaluated in, when keywords are not in parameter order."""

    @property
    def operands(self) -> tuple[Expr, ...]:
        if self.eval_order is None:
            return self.args
        return tuple(self.args[i] for i in self.eval_order)

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_call(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class ListNew(Expr):
    """A list literal `[a, b, ...]` of `type` (may fail: out of memory)."""

    items: tuple[Expr, ...]
    type: ListType

    @property
    def operands(self) -> tuple[Expr, ...]:
        return self.items

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_list_new(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class ListRepeat(Expr):
    """`list * count`: a new list holding the items `count` times (empty when count <= 0)."""

    list: Expr
    count: Expr
    loc: SourceLoc

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        return self.list.type

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.list, self.count)

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_list_repeat(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class ListLen(Expr):
    """`len(list)`."""

    list: Expr
    type: MoltType = INT

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.list,)

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_list_len(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class ListGet(Expr):
    """`list[index]`; a negative index counts from the end; outside is MOLT-E-INDEX."""

    list: Expr
    index: Expr
    loc: SourceLoc

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        kind = self.list.type
        assert isinstance(kind, ListType)
        return kind.item

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.list, self.index)

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_list_get(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class ListAppend(Expr):
    """`list.append(value)`: None (may fail: out of memory)."""

    list: Expr
    value: Expr
    type: MoltType = NONE

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.list, self.value)

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_list_append(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class DictNew(Expr):
    """A dict literal `{k: v, ...}` of `type` (MOLT-L-EXPR-DICT-LITERAL): the pairs are
    evaluated in order and inserted as by `d[k] = v`, so a repeated key keeps its first
    position and its last value (may fail: out of memory)."""

    keys: tuple[Expr, ...]
    values: tuple[Expr, ...]
    type: DictType

    @property
    def operands(self) -> tuple[Expr, ...]:
        return tuple(e for pair in zip(self.keys, self.values, strict=True) for e in pair)

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_dict_new(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class DictPart(Expr):
    """The list of a dict's keys (or, with `values`, of its values) in insertion order:
    the dict's own storage, which the front end reads only (len, in, for loops)."""

    dict: Expr
    values: bool

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        kind = self.dict.type
        assert isinstance(kind, DictType)
        return ListType(kind.value if self.values else STR)

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.dict,)

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_dict_part(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class DictGet(Expr):
    """`dict[key]` (MOLT-L-EXPR-INDEX); a missing key is MOLT-E-KEY."""

    dict: Expr
    key: Expr
    loc: SourceLoc

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        kind = self.dict.type
        assert isinstance(kind, DictType)
        return kind.value

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.dict, self.key)

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_dict_get(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class DictLookup(Expr):
    """`dict.get(key, default)` (MOLT-L-METHOD-DICT-GET): `default` is None when the
    result is T | None (then a found value is wrapped, which may allocate)."""

    dict: Expr
    key: Expr
    default: Expr | None
    type: MoltType

    @property
    def operands(self) -> tuple[Expr, ...]:
        extra = () if self.default is None else (self.default,)
        return (self.dict, self.key, *extra)

    @property
    def can_fail(self) -> bool:
        return self.default is None

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_dict_lookup(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class RecordNew(Expr):
    """`Record(...)` (MOLT-L-EXPR-RECORD-NEW): `fields` in declaration order (may fail:
    out of memory)."""

    type: RecordType
    fields: tuple[Expr, ...]
    loc: SourceLoc
    eval_order: tuple[int, ...] | None = None
    """The order the fields are evaluated in, when keywords are not in field order."""

    @property
    def operands(self) -> tuple[Expr, ...]:
        if self.eval_order is None:
            return self.fields
        return tuple(self.fields[i] for i in self.eval_order)

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_record_new(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class FieldGet(Expr):
    """`record.field` (MOLT-L-EXPR-FIELD): the field at `index` in declaration order."""

    record: Expr
    index: int

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        kind = self.record.type
        assert isinstance(kind, RecordType)
        return kind.fields[self.index][1]

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.record,)

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_field_get(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class ListContains(Expr):
    """`item in list` (MOLT-L-EXPR-IN): some element == item, scanning from the start."""

    list: Expr
    item: Expr
    type: MoltType = BOOL

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.list, self.item)

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_list_contains(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class ListPop(Expr):
    """`list.pop()` or `list.pop(index)` (MOLT-L-METHOD-LIST-POP): removes and returns
    an element; an empty list or an index outside is MOLT-E-INDEX."""

    list: Expr
    index: Expr | None
    loc: SourceLoc

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        kind = self.list.type
        assert isinstance(kind, ListType)
        return kind.item

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.list,) if self.index is None else (self.list, self.index)

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_list_pop(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class StrOp(Expr):
    """A str operation on `args`: `a + b` (CONCAT), `len(s)`, `s[i]` (GET: MOLT-E-INDEX
    outside), `part in s` (CONTAINS: args are (s, part)), `s.startswith(p)`,
    `s.endswith(p)`, `str(n)` of an int (FROM_INT), `s.lower()`, `s.upper()`,
    `sep.join(items)`, `s.strip()` / `s.strip(chars)`, `s.split()` / `s.split(sep)`
    (SPLIT fails with MOLT-E-VALUE for an empty sep). Allocating ones may fail."""

    kind: StrOpKind
    args: tuple[Expr, ...]
    loc: SourceLoc

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        return _STR_RESULTS.get(self.kind, STR)

    @property
    def operands(self) -> tuple[Expr, ...]:
        return self.args

    @property
    def can_fail(self) -> bool:
        return self.kind in _STR_FALLIBLE

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_str_op(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class ListConcat(Expr):
    """`left + right` of two lists of one type (MOLT-L-EXPR-CONCAT): a new list with the
    items of both (a shallow copy). May fail: out of memory."""

    left: Expr
    right: Expr
    loc: SourceLoc

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        return self.left.type

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.left, self.right)

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_list_concat(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class ListReplace(Expr):
    """`target` takes the contents of the new list `value` in place, so every reference
    to `target` sees them: how `xs += ys` and `xs *= n` mutate a list
    (MOLT-L-STMT-AUGASSIGN). `value` is evaluated after `target`. None."""

    target: Expr
    value: Expr
    type: MoltType = NONE

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.target, self.value)

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_list_replace(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class MinMaxList(Expr):
    """`min(items)` / `max(items)` of a list of int, float or str (MOLT-L-BUILTIN-MIN,
    -MAX), CPython's algorithm as `MinMax`. Fails on an empty list (MOLT-E-VALUE)."""

    is_max: bool
    list: Expr
    loc: SourceLoc

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        kind = self.list.type
        return kind.item if isinstance(kind, ListType) else kind

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.list,)

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_min_max_list(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class BytesOp(Expr):
    """A bytes operation (MOLT-L-TYPE-BYTES): `a + b` (CONCAT: bytes), `len(b)` (LEN:
    int) or `b[i]` (GET: the int 0 to 255; MOLT-E-INDEX outside). A bytes value has the
    layout of a str whose count equals its size, so lowering reuses the str helpers."""

    kind: StrOpKind
    args: tuple[Expr, ...]
    loc: SourceLoc

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        return BYTES if self.kind is StrOpKind.CONCAT else INT

    @property
    def operands(self) -> tuple[Expr, ...]:
        return self.args

    @property
    def can_fail(self) -> bool:
        return self.kind is not StrOpKind.LEN

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_bytes_op(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Slice(Expr):
    """`value[start:stop:step]` of a list, str or bytes (MOLT-L-EXPR-SLICE): a new value
    of the same type; an omitted part is None. Fails on a zero step (MOLT-E-VALUE) and
    when memory runs out."""

    value: Expr
    start: Expr | None
    stop: Expr | None
    step: Expr | None
    loc: SourceLoc

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        return self.value.type

    @property
    def operands(self) -> tuple[Expr, ...]:
        parts = (self.start, self.stop, self.step)
        return (self.value, *(part for part in parts if part is not None))

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_slice(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Wrap(Expr):
    """A T value where T | None is expected (MOLT-L-TYPE-OPTIONAL). Boxing an int, float
    or bool allocates, so it may fail (out of memory); a list or record is its own
    non-null pointer."""

    value: Expr
    type: OptionalType

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.value,)

    @property
    def can_fail(self) -> bool:
        return self.type.item in (INT, FLOAT, BOOL)

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_wrap(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Unwrap(Expr):
    """The T inside a T | None that the front end proved is not None (a narrowed name)."""

    value: Expr

    @property
    def type(self) -> MoltType:  # type: ignore[override]
        kind = self.value.type
        assert isinstance(kind, OptionalType)
        return kind.item

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.value,)

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_unwrap(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class IsNone(Expr):
    """`value is None`, or `value is not None` when `negated` (MOLT-L-EXPR-IS-NONE)."""

    value: Expr
    negated: bool
    type: MoltType = BOOL

    @property
    def operands(self) -> tuple[Expr, ...]:
        return (self.value,)

    def accept(self, visitor: ExprVisitor[T]) -> T:
        return visitor.visit_is_none(self)


# -- statements -------------------------------------------------------------------------


class Stmt(ABC):
    """A statement of a function body."""

    __slots__ = ()

    @property
    def exprs(self) -> tuple[Expr, ...]:
        """The expressions the statement evaluates itself (not those of nested bodies)."""
        return ()

    @property
    def bodies(self) -> tuple[tuple[Stmt, ...], ...]:
        """The nested statement lists."""
        return ()

    @property
    def can_fail(self) -> bool:
        """Whether the statement itself (not its expressions) may report a runtime error."""
        return False

    @abstractmethod
    def accept(self, visitor: StmtVisitor[T]) -> T: ...


@final
@dataclass(frozen=True, slots=True, eq=False)
class Assign(Stmt):
    """`local = value` (MOLT-L-STMT-ASSIGN); value has the local's type."""

    local: Local
    value: Expr

    @property
    def exprs(self) -> tuple[Expr, ...]:
        return (self.value,)

    def accept(self, visitor: StmtVisitor[T]) -> T:
        return visitor.visit_assign(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class ListSet(Stmt):
    """`list[index] = value` (MOLT-L-STMT-ASSIGN-ITEM): value, then list, then index."""

    list: Expr
    index: Expr
    value: Expr
    loc: SourceLoc

    @property
    def exprs(self) -> tuple[Expr, ...]:
        return (self.value, self.list, self.index)

    @property
    def can_fail(self) -> bool:
        return True  # MOLT-E-INDEX

    def accept(self, visitor: StmtVisitor[T]) -> T:
        return visitor.visit_list_set(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class DictSet(Stmt):
    """`dict[key] = value` (MOLT-L-STMT-ASSIGN-ITEM): value, then dict, then key; an
    existing key keeps its position, a new one goes at the end (may fail: out of memory)."""

    dict: Expr
    key: Expr
    value: Expr

    @property
    def exprs(self) -> tuple[Expr, ...]:
        return (self.value, self.dict, self.key)

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: StmtVisitor[T]) -> T:
        return visitor.visit_dict_set(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Evaluate(Stmt):
    """An expression statement: evaluate and discard (MOLT-L-STMT-EXPR)."""

    expr: Expr

    @property
    def exprs(self) -> tuple[Expr, ...]:
        return (self.expr,)

    def accept(self, visitor: StmtVisitor[T]) -> T:
        return visitor.visit_evaluate(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class If(Stmt):
    """`if cond: body else: orelse` (elif is a nested If in orelse)."""

    cond: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...]

    @property
    def exprs(self) -> tuple[Expr, ...]:
        return (self.cond,)

    @property
    def bodies(self) -> tuple[tuple[Stmt, ...], ...]:
        return (self.body, self.orelse)

    def accept(self, visitor: StmtVisitor[T]) -> T:
        return visitor.visit_if(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class While(Stmt):
    """`while cond: body` (MOLT-L-STMT-WHILE)."""

    cond: Expr
    body: tuple[Stmt, ...]

    @property
    def exprs(self) -> tuple[Expr, ...]:
        return (self.cond,)

    @property
    def bodies(self) -> tuple[tuple[Stmt, ...], ...]:
        return (self.body,)

    def accept(self, visitor: StmtVisitor[T]) -> T:
        return visitor.visit_while(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class ForRange(Stmt):
    """`for var in range(start, stop, step): body` (MOLT-L-STMT-FOR-RANGE).

    The bounds are evaluated once, before the loop; step 0 is MOLT-E-VALUE.
    Assigning to `var` in the body does not change the iteration.
    """

    var: Local
    start: Expr
    stop: Expr
    step: Expr
    body: tuple[Stmt, ...]
    loc: SourceLoc

    @property
    def exprs(self) -> tuple[Expr, ...]:
        return (self.start, self.stop, self.step)

    @property
    def bodies(self) -> tuple[tuple[Stmt, ...], ...]:
        return (self.body,)

    @property
    def can_fail(self) -> bool:
        """Only a step that is not a non-zero constant can be 0 (MOLT-E-VALUE)."""
        return not (isinstance(self.step, Const) and self.step.value != 0)

    def accept(self, visitor: StmtVisitor[T]) -> T:
        return visitor.visit_for_range(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class ForList(Stmt):
    """`for var in list: body` (MOLT-L-STMT-FOR-LIST), CPython's list iterator.

    The position is checked against the current length before each step, so items
    appended in the body are visited.
    """

    var: Local
    list: Expr
    body: tuple[Stmt, ...]

    @property
    def exprs(self) -> tuple[Expr, ...]:
        return (self.list,)

    @property
    def bodies(self) -> tuple[tuple[Stmt, ...], ...]:
        return (self.body,)

    def accept(self, visitor: StmtVisitor[T]) -> T:
        return visitor.visit_for_list(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Break(Stmt):
    """`break`: leave the innermost loop."""

    def accept(self, visitor: StmtVisitor[T]) -> T:
        return visitor.visit_break(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Continue(Stmt):
    """`continue`: the next step of the innermost loop."""

    def accept(self, visitor: StmtVisitor[T]) -> T:
        return visitor.visit_continue(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Return(Stmt):
    """`return value`, or `return` (None) in a function returning None."""

    value: Expr | None

    @property
    def exprs(self) -> tuple[Expr, ...]:
        return () if self.value is None else (self.value,)

    def accept(self, visitor: StmtVisitor[T]) -> T:
        return visitor.visit_return(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Raise(Stmt):
    """`raise ValueError("detail")` and friends: end the call with `code` (MOLT-L-STMT-RAISE).
    A message that is not a literal is the str `message`, evaluated first (`detail` is
    then empty)."""

    code: str
    detail: str
    loc: SourceLoc
    message: Expr | None = None

    @property
    def exprs(self) -> tuple[Expr, ...]:
        return () if self.message is None else (self.message,)

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: StmtVisitor[T]) -> T:
        return visitor.visit_raise(self)


@final
@dataclass(frozen=True, slots=True, eq=False)
class Assert(Stmt):
    """`assert cond, "detail"`: MOLT-E-ASSERTION when cond is False (MOLT-L-STMT-ASSERT).
    A message that is not a literal is the str `message`, evaluated only when cond is
    False (`detail` is then empty)."""

    cond: Expr
    detail: str
    loc: SourceLoc
    message: Expr | None = None

    @property
    def exprs(self) -> tuple[Expr, ...]:
        return (self.cond,) if self.message is None else (self.cond, self.message)

    @property
    def can_fail(self) -> bool:
        return True

    def accept(self, visitor: StmtVisitor[T]) -> T:
        return visitor.visit_assert(self)


# -- functions and modules --------------------------------------------------------------


@final
@dataclass(frozen=True, slots=True, eq=False)
class Function:
    """A module-level function: typed parameters, return type and body.

    `locals` lists every local in slot order, the parameters first.
    """

    name: str
    params: tuple[Local, ...]
    returns: MoltType
    body: tuple[Stmt, ...]
    locals: tuple[Local, ...]
    export: bool
    doc: str | None
    loc: SourceLoc


@final
@dataclass(frozen=True, slots=True, eq=False)
class Module:
    """A checked source file: its functions in source order."""

    name: str
    filename: str
    functions: tuple[Function, ...]

    @property
    def exports(self) -> tuple[Function, ...]:
        """The exported functions, sorted by name (the interface's order)."""
        return tuple(sorted((f for f in self.functions if f.export), key=lambda f: f.name))

    def function(self, name: str) -> Function:
        for function in self.functions:
            if function.name == name:
                return function
        raise KeyError(name)


# -- visitors ---------------------------------------------------------------------------


class ExprVisitor(ABC, Generic[T]):
    """One method per expression node."""

    @abstractmethod
    def visit_const(self, node: Const) -> T: ...
    @abstractmethod
    def visit_load_local(self, node: LoadLocal) -> T: ...
    @abstractmethod
    def visit_arith(self, node: Arith) -> T: ...
    @abstractmethod
    def visit_negate(self, node: Negate) -> T: ...
    @abstractmethod
    def visit_abs(self, node: Abs) -> T: ...
    @abstractmethod
    def visit_not(self, node: Not) -> T: ...
    @abstractmethod
    def visit_compare(self, node: Compare) -> T: ...
    @abstractmethod
    def visit_compare_chain(self, node: CompareChain) -> T: ...
    @abstractmethod
    def visit_bool_op(self, node: BoolOp) -> T: ...
    @abstractmethod
    def visit_if_exp(self, node: IfExp) -> T: ...
    @abstractmethod
    def visit_int_to_float(self, node: IntToFloat) -> T: ...
    @abstractmethod
    def visit_float_to_int(self, node: FloatToInt) -> T: ...
    @abstractmethod
    def visit_bool_to_int(self, node: BoolToInt) -> T: ...
    @abstractmethod
    def visit_min_max(self, node: MinMax) -> T: ...
    @abstractmethod
    def visit_call(self, node: Call) -> T: ...
    @abstractmethod
    def visit_list_new(self, node: ListNew) -> T: ...
    @abstractmethod
    def visit_list_repeat(self, node: ListRepeat) -> T: ...
    @abstractmethod
    def visit_list_len(self, node: ListLen) -> T: ...
    @abstractmethod
    def visit_list_get(self, node: ListGet) -> T: ...
    @abstractmethod
    def visit_list_append(self, node: ListAppend) -> T: ...
    @abstractmethod
    def visit_record_new(self, node: RecordNew) -> T: ...
    @abstractmethod
    def visit_field_get(self, node: FieldGet) -> T: ...
    @abstractmethod
    def visit_wrap(self, node: Wrap) -> T: ...
    @abstractmethod
    def visit_unwrap(self, node: Unwrap) -> T: ...
    @abstractmethod
    def visit_is_none(self, node: IsNone) -> T: ...
    @abstractmethod
    def visit_str_op(self, node: StrOp) -> T: ...
    @abstractmethod
    def visit_slice(self, node: Slice) -> T: ...
    @abstractmethod
    def visit_bytes_op(self, node: BytesOp) -> T: ...
    @abstractmethod
    def visit_list_concat(self, node: ListConcat) -> T: ...
    @abstractmethod
    def visit_list_replace(self, node: ListReplace) -> T: ...
    @abstractmethod
    def visit_min_max_list(self, node: MinMaxList) -> T: ...
    @abstractmethod
    def visit_list_contains(self, node: ListContains) -> T: ...
    @abstractmethod
    def visit_list_pop(self, node: ListPop) -> T: ...
    @abstractmethod
    def visit_dict_new(self, node: DictNew) -> T: ...
    @abstractmethod
    def visit_dict_part(self, node: DictPart) -> T: ...
    @abstractmethod
    def visit_dict_get(self, node: DictGet) -> T: ...
    @abstractmethod
    def visit_dict_lookup(self, node: DictLookup) -> T: ...


class StmtVisitor(ABC, Generic[T]):
    """One method per statement node."""

    @abstractmethod
    def visit_assign(self, node: Assign) -> T: ...
    @abstractmethod
    def visit_list_set(self, node: ListSet) -> T: ...
    @abstractmethod
    def visit_dict_set(self, node: DictSet) -> T: ...
    @abstractmethod
    def visit_evaluate(self, node: Evaluate) -> T: ...
    @abstractmethod
    def visit_if(self, node: If) -> T: ...
    @abstractmethod
    def visit_while(self, node: While) -> T: ...
    @abstractmethod
    def visit_for_range(self, node: ForRange) -> T: ...
    @abstractmethod
    def visit_for_list(self, node: ForList) -> T: ...
    @abstractmethod
    def visit_break(self, node: Break) -> T: ...
    @abstractmethod
    def visit_continue(self, node: Continue) -> T: ...
    @abstractmethod
    def visit_return(self, node: Return) -> T: ...
    @abstractmethod
    def visit_raise(self, node: Raise) -> T: ...
    @abstractmethod
    def visit_assert(self, node: Assert) -> T: ...


def walk_exprs(body: tuple[Stmt, ...]) -> Iterator[Expr]:
    """Every expression of `body`, nested statements and operands included."""
    stack: list[Expr] = []
    statements = list(reversed(body))
    while statements:
        statement = statements.pop()
        stack.extend(statement.exprs)
        while stack:
            expr = stack.pop()
            yield expr
            stack.extend(expr.operands)
        for nested in reversed(statement.bodies):
            statements.extend(reversed(nested))


def walk_stmts(body: tuple[Stmt, ...]) -> Iterator[Stmt]:
    """Every statement of `body`, nested ones included."""
    pending = list(reversed(body))
    while pending:
        statement = pending.pop()
        yield statement
        for nested in reversed(statement.bodies):
            pending.extend(reversed(nested))
