"""One IR function to LLVM IR: a `_codegen_<Node>` method per IR node.

Expressions return their LLVM value (None for a None value); statements return
nothing. Locals live in allocas of the entry block (O2's mem2reg turns them into
registers). A node that can fail branches, when it does, to an `.error` block
of its own that records the runtime error (a call of the cold `molt.fail`, see
`molt.compiler.core._runtime`) and returns at once. A function that can fail
returns `{value, i32 failed}` (`i32` for None; see `FunctionEmitter.ret`), and
its caller tests that flag after the call and returns through its `failure`
block when it is set; a recursive one returns its value alone and its caller
tests `molt.err.code` instead. So an error unwinds to the export, which renders
it from the `molt.err.*` globals.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from llvmlite import ir

from molt.compiler.core import (
    Core,
    field_pointer,
    is_pointer,
    item_size,
    item_type,
    llvm_type,
    record_size,
)
from molt.compiler.core._bytes import bytes_literal
from molt.compiler.core._dicts import part
from molt.compiler.core._equality import is_structural
from molt.compiler.core._llvm import (
    F64,
    I1,
    I8,
    I32,
    I64,
    PTR,
    Builder,
    const,
    intrinsic,
    memory_class,
)
from molt.compiler.core._messages import detail_template, text_template
from molt.compiler.core._pow import POW_NEGATIVE_FRACTIONAL, POW_OVERFLOW, POW_ZERO_NEGATIVE
from molt.compiler.core._runtime import LIST_ITEMS_MEMORY
from molt.compiler.diagnostics import StageError
from molt.compiler.ir import nodes
from molt.compiler.ir.nodes import ArithOp, CmpOp, Expr, SourceLoc, Stmt
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
    RecordType,
)
from molt.compiler.lower._inline import loop_copies

__all__ = ["FunctionEmitter", "LowerError"]

INT64_MIN = -(1 << 63)

_INT_PREDICATES = {
    CmpOp.EQ: "==",
    CmpOp.NE: "!=",
    CmpOp.LT: "<",
    CmpOp.LE: "<=",
    CmpOp.GT: ">",
    CmpOp.GE: ">=",
}
_SWAPPED = {
    CmpOp.EQ: CmpOp.EQ,
    CmpOp.NE: CmpOp.NE,
    CmpOp.LT: CmpOp.GT,
    CmpOp.LE: CmpOp.GE,
    CmpOp.GT: CmpOp.LT,
    CmpOp.GE: CmpOp.LE,
}
_POW_OVERFLOW = {
    "kind": text_template("float"),
    "operation": text_template("**"),
    "detail": detail_template("the result is too large for a float"),
}
_POW_ZERO = "0.0 cannot be raised to a negative power"
_POW_FRACTION = "a negative number cannot be raised to a non-integer power (the result is complex)"
_UNLIKELY = [1, 2000]
"""Branch weights for (error, normal) edges."""
_LIKELY = [2000, 1]
"""Branch weights for (normal, rare) edges."""


class LowerError(StageError):
    """Lowering failed: a bug in the compiler (MOLT-E-INTERNAL), never in the source."""

    stage = "lower"


class _Loop:
    def __init__(self, next_block: ir.Block, end: ir.Block) -> None:
        self.next_block = next_block
        self.end = end


class FunctionEmitter:
    """Emits the body of one function into its (declared) LLVM function."""

    def __init__(
        self,
        function: nodes.Function,
        llvm_function: ir.Function,
        functions: dict[str, ir.Function],
        fallible: frozenset[str],
        core: Core,
        filename: str,
        flagged: frozenset[str] | None = None,
        *,
        stable_lengths: frozenset[int] = frozenset(),
    ) -> None:
        self.function = function
        self.llvm_function = llvm_function
        self.functions = functions
        self.fallible = fallible
        self.flagged = fallible if flagged is None else flagged
        """The functions that can fail and return a failure flag (see `ret`); the
        other ones that can fail leave only `molt.err.code` set."""
        self.core = core
        self.rt = core.runtime
        self.filename = filename
        self.module = llvm_function.module
        self.b = Builder()
        self.slots: dict[int, ir.Value] = {}
        self.stable_lengths = stable_lengths
        """The slots of the list variables whose length cannot change while they hold
        a list (`molt.compiler.ir.stable_length_lists`)."""
        self.length_slots: dict[int, ir.Value] = {}
        """For those variables, the length of the list they hold, kept since it was
        assigned: read there, not from the list's header."""
        self.loop_slots: dict[int, ir.Value] = {}
        """The counter of each for loop, by id() of its node."""
        self.loops: list[_Loop] = []
        self._failure: ir.Block | None = None
        self._dispatch: dict[type, object] = {}

    # -- driver -------------------------------------------------------------------------

    def emit(self) -> None:
        function, f = self.function, self.llvm_function
        entry = f.append_basic_block("entry")
        self.b.position_at_end(entry)
        args = [p for p in function.params if p.type != NONE]
        for arg, param in zip(f.args, args, strict=True):
            arg.name = param.name
        parameters = {param.slot for param in args}
        for local in function.locals:
            if local.type != NONE:
                name = local.name.replace("$", "tmp.")
                name = f"{name}.addr" if local.slot in parameters else name
                self.slots[local.slot] = self.b.alloca(llvm_type(local.type), name=name)
                if local.slot in self.stable_lengths:
                    length = self.b.alloca(I32, name=f"{name}.length")
                    self.b.store(const(I32, 0), length)  # never read before an assignment
                    self.length_slots[local.slot] = length
        # every stack slot is made here, in the entry block, where mem2reg turns it into
        # a register (an alloca inside a loop would take stack space per iteration)
        for loop in _loops(function.body):
            kind, suffix = (I64, "next") if isinstance(loop, nodes.ForRange) else (I32, "position")
            self.loop_slots[id(loop)] = self.b.alloca(kind, name=f"{loop.var.name}.{suffix}")
        for arg, param in zip(f.args, args, strict=True):
            self.bind(param, arg)
        self.block(function.body)
        if not self.b.block.is_terminated:
            if function.returns == NONE:
                self.ret(self.b, None)
            else:
                self.b.unreachable()  # the front end proved that no path gets here

    def ret(self, b: ir.IRBuilder, value: ir.Value | None, *, failed: bool = False) -> None:
        """Return `value` (None: no value, or a filler when `failed`).

        A function that can fail returns whether it did beside its value, as
        `{value, i32 failed}` (`i32` alone for None; wasm multivalue returns both);
        the error's details are in the `molt.err.*` globals. The flag is what callers
        test after a call: a register, not a reload of memory, and once LLVM inlines
        the callee the test folds away on every path that cannot fail.
        """
        returns = self.function.returns
        if self.function.name not in self.flagged:
            if returns == NONE:
                b.ret_void()
            else:
                b.ret(ir.Constant(llvm_type(returns), None) if value is None else value)
            return
        flag = const(I32, int(failed))
        if returns == NONE:
            b.ret(flag)
            return
        if value is None:
            value = self.filler(b, llvm_type(returns))
        kind = self.llvm_function.function_type.return_type
        pair = b.insert_value(ir.Constant(kind, ir.Undefined), value, 0)
        b.ret(b.insert_value(pair, flag, 1))

    def filler(self, b: ir.IRBuilder, kind: ir.Type) -> ir.Value:
        """A value of `kind` for a failed return, which no caller reads.

        Not a constant: when LLVM inlines the function it joins the returns in a phi
        of `{value, failed}` pairs, and only when every one of them is an
        `insertvalue` instruction does it split that phi into a phi of the values
        and a phi of the flags, whose constants then decide the caller's test.
        """
        # error path only: read back the first recorded argument
        first = b.load(b.gep(self.rt.err_args, [const(I32, 0), const(I32, 0)]), name="filler")
        if kind == I64:
            return first
        if kind == F64:
            return b.bitcast(first, F64)
        if kind == I1:
            return b.trunc(first, I1)
        assert kind == PTR, kind
        return b.inttoptr(b.trunc(first, I32), PTR)

    def block(self, statements: tuple[Stmt, ...]) -> None:
        for statement in statements:
            if self.b.block.is_terminated:
                self.b.position_at_end(self.new_block("unreachable"))
            with self.context(statement):
                self.codegen(statement)

    @contextlib.contextmanager
    def context(self, node: Stmt) -> Iterator[None]:
        """Name the statement being lowered in any internal error."""
        try:
            yield
        except StageError:
            raise
        except Exception as exc:
            where = getattr(node, "loc", None) or self.function.loc
            raise LowerError.from_code(
                "MOLT-E-INTERNAL",
                name="the Molt compiler",
                detail=(
                    f"lowering {type(node).__name__} at {self.filename}:{where.line}:"
                    f"{where.column} in '{self.function.name}' failed: {exc!r}"
                ),
            ) from exc

    def codegen(self, node: Expr | Stmt) -> ir.Value | None:
        kind = type(node)
        method = self._dispatch.get(kind)
        if method is None:
            method = self._dispatch[kind] = getattr(self, f"_codegen_{kind.__name__}")
        return method(node)  # type: ignore[operator]

    def value(self, node: Expr) -> ir.Value:
        result = self.codegen(node)
        assert result is not None, f"{type(node).__name__} has no value"
        return result

    # -- helpers ------------------------------------------------------------------------

    def new_block(self, name: str) -> ir.Block:
        return self.llvm_function.append_basic_block(name)

    @property
    def failure(self) -> ir.Block:
        """The block that returns at once because an error is recorded."""
        if self._failure is None:
            self._failure = block = self.new_block("failure")
            self.ret(Builder(block), None, failed=True)
        return self._failure

    def fail_here(
        self, code: str, texts: dict[str, bytes], loc: SourceLoc, args: tuple[ir.Value, ...] = ()
    ) -> None:
        """End the current block: record runtime error `code` at `loc`, return failed.

        Each site has its own block with its own call of the cold `fail`, whose
        arguments but a0 and a1 are constants: a block shared by the sites of a
        function would take them through phis, and wasm sets a phi's inputs on the
        hot path, before the branch.
        """
        self.rt.raise_error(self.b, code, texts, loc.line, loc.column, args)
        self.ret(self.b, None, failed=True)

    def fail_if(
        self,
        condition: ir.Value,
        label: str,
        code: str,
        texts: dict[str, bytes],
        loc: SourceLoc,
        args: tuple[ir.Value, ...] = (),
    ) -> None:
        """If `condition`, record runtime error `code` at `loc` and return from the function."""
        # the error block first: LLVM keeps the order of blocks it has no reason to
        # change, and with the ok block first it laid out fib's returns so that
        # wasmtime's fuel metering ran it about 45% slower (measured)
        b = self.b
        error = self.new_block(f"{label}.error")
        ok = self.new_block(f"{label}.ok")
        b.cbranch(condition, error, ok).set_weights(_UNLIKELY)
        b.position_at_end(error)
        self.fail_here(code, texts, loc, args)
        b.position_at_end(ok)

    def check_failed(self, label: str) -> None:
        """After a call of a core helper that records an error in `molt.err.*` and
        returns no flag: return if it recorded one."""
        ok = self.new_block(f"{label}.ok")
        self.b.cbranch(self.rt.failed(self.b), self.failure, ok).set_weights(_UNLIKELY)
        self.b.position_at_end(ok)

    def check_allocated(self, pointer: ir.Value, label: str) -> None:
        """An allocation returned null: out of memory is recorded; return."""
        null = self.b.icmp_unsigned("==", pointer, ir.Constant(PTR, None), name=f"{label}.null")
        ok = self.new_block(f"{label}.ok")
        self.b.cbranch(null, self.failure, ok).set_weights(_UNLIKELY)
        self.b.position_at_end(ok)

    @staticmethod
    def overflow(operation: str, detail: str) -> dict[str, bytes]:
        return {
            "kind": text_template("integer"),
            "operation": text_template(operation),
            "detail": detail_template(detail),
        }

    @staticmethod
    def detail(text: str) -> dict[str, bytes]:
        return {"detail": detail_template(text)}

    # -- constants and locals -------------------------------------------------------------

    def _codegen_Const(self, node: nodes.Const) -> ir.Value | None:
        if node.type == NONE:
            return None
        if node.type == STR:
            assert isinstance(node.value, str)
            return self.core.text.literal(node.value)
        if node.type == BYTES:
            assert isinstance(node.value, bytes)
            return bytes_literal(self.core.text, node.value)
        return ir.Constant(llvm_type(node.type), node.value)

    def _codegen_LoadLocal(self, node: nodes.LoadLocal) -> ir.Value | None:
        if node.type == NONE:
            return None
        return self.b.load(self.slots[node.local.slot], name=node.local.name.replace("$", "tmp."))

    # -- arithmetic (MOLT-L-EXPR-ADD ... MOLT-L-EXPR-POW) --------------------------------

    def _codegen_Arith(self, node: nodes.Arith) -> ir.Value:
        left = self.value(node.left)
        right = self.value(node.right)
        if node.type == INT:
            return self._int_arith(node, left, right)
        return self._float_arith(node, left, right)

    def _int_arith(self, node: nodes.Arith, a: ir.Value, c: ir.Value) -> ir.Value:
        b, op, loc = self.b, node.op, node.loc
        symbol = op.value
        if op in (ArithOp.ADD, ArithOp.SUB):
            name = "sadd" if op is ArithOp.ADD else "ssub"
            pair = ir.LiteralStructType([I64, I1])
            checked = intrinsic(self.module, f"llvm.{name}.with.overflow.i64", pair, [I64, I64])
            result = b.call(checked, [a, c], name=f"{name}.pair")
            plain = b.add if op is ArithOp.ADD else b.sub
            value = plain(a, c, name="sum" if op is ArithOp.ADD else "difference", flags=["nsw"])
            overflow = b.extract_value(result, 1, name=f"{name}.overflow")
            self.fail_if(
                overflow,
                name,
                "MOLT-E-OVERFLOW",
                self.overflow(symbol, f"{{a0}} {symbol} {{a1}}"),
                loc,
                (a, c),
            )
            # the plain instruction with its no-overflow flag, not the pair's value:
            # when LLVM proves the check cannot fail it drops the check, and the flag
            # is then what still tells it the result did not wrap (a loop's index
            # stays non-negative, so its index checks go too)
            return value
        if op is ArithOp.MUL:
            overflow = b.call(self.rt.mul_overflows, [a, c], name="mul.overflow")
            self.fail_if(
                overflow, "mul", "MOLT-E-OVERFLOW", self.overflow("*", "{a0} * {a1}"), loc, (a, c)
            )
            return b.mul(a, c, name="product", flags=["nsw"])  # the check rules out overflow
        if op in (ArithOp.FLOORDIV, ArithOp.MOD):
            floor = op is ArithOp.FLOORDIV
            label = "floordiv" if floor else "mod"
            zero = b.icmp_signed("==", c, const(I64, 0), name=f"{label}.by_zero")
            words = "integer division or modulo by zero" if floor else "integer modulo by zero"
            self.fail_if(zero, f"{label}.zero", "MOLT-E-ZERO-DIVISION", self.detail(words), loc)
            minus_one = b.icmp_signed("==", c, const(I64, -1), name=f"{label}.minus_one")
            if floor:
                overflow = b.and_(b.icmp_signed("==", a, const(I64, INT64_MIN)), minus_one)
                self.fail_if(
                    overflow,
                    "floordiv",
                    "MOLT-E-OVERFLOW",
                    self.overflow("//", "{a0} // {a1}"),
                    loc,
                    (a, c),
                )
            # a % -1 is 0, and srem by -1 is undefined for INT64_MIN: divide by 1 instead
            divisor = b.select(minus_one, const(I64, 1), c) if not floor else c
            remainder = b.srem(a, divisor, name="remainder")
            # round toward negative infinity: fix up when the signs differ
            inexact = b.icmp_signed("!=", remainder, const(I64, 0))
            signs_differ = b.icmp_signed("<", b.xor(remainder, c), const(I64, 0))
            fix = b.and_(inexact, signs_differ, name="fix")
            if floor:
                quotient = b.sdiv(a, c, name="quotient")
                return b.sub(quotient, b.zext(fix, I64), name="floor_quotient")
            return b.select(fix, b.add(remainder, c), remainder, name="modulo")
        assert op is ArithOp.POW
        negative = b.icmp_signed("<", c, const(I64, 0), name="pow.negative_exponent")
        self.fail_if(
            negative,
            "pow.negative",
            "MOLT-E-VALUE",
            self.detail("{a0} ** {a1} has a negative exponent; int ** int needs an exponent >= 0"),
            loc,
            (a, c),
        )
        result = b.call(self.rt.int_pow, [a, c], name="pow.pair")
        self.fail_if(
            b.extract_value(result, 1),
            "pow",
            "MOLT-E-OVERFLOW",
            self.overflow("**", "{a0} ** {a1}"),
            loc,
            (a, c),
        )
        return b.extract_value(result, 0, name="power")

    def _float_arith(self, node: nodes.Arith, a: ir.Value, c: ir.Value) -> ir.Value:
        b, op, loc = self.b, node.op, node.loc
        if op is ArithOp.ADD:
            return b.fadd(a, c, name="sum")
        if op is ArithOp.SUB:
            return b.fsub(a, c, name="difference")
        if op is ArithOp.MUL:
            return b.fmul(a, c, name="product")
        if op is ArithOp.POW:
            return self._float_pow(node, a, c)
        zero = b.fcmp_ordered("==", c, ir.Constant(F64, 0.0), name="by_zero")
        if op is ArithOp.TRUEDIV:
            words = "division by zero" if node.from_ints else "float division by zero"
            self.fail_if(zero, "div.zero", "MOLT-E-ZERO-DIVISION", self.detail(words), loc)
            return b.fdiv(a, c, name="quotient")
        words = "float floor division by zero" if op is ArithOp.FLOORDIV else "float modulo"
        self.fail_if(zero, "divmod.zero", "MOLT-E-ZERO-DIVISION", self.detail(words), loc)
        pair = b.call(self.rt.float_divmod, [a, c], name="divmod")
        if op is ArithOp.FLOORDIV:
            return b.extract_value(pair, 0, name="floor_quotient")
        assert op is ArithOp.MOD
        return b.extract_value(pair, 1, name="modulo")

    def _float_pow(self, node: nodes.Arith, a: ir.Value, c: ir.Value) -> ir.Value:
        """MOLT-L-EXPR-POW with float operands: the core's pow and its three errors."""
        b = self.b
        pair = b.call(self.core.pow.function, [a, c], name="pow.pair")
        status = b.extract_value(pair, 1, name="pow.status")
        for value, code, label, texts in (
            (POW_OVERFLOW, "MOLT-E-OVERFLOW", "pow.overflow", _POW_OVERFLOW),
            (POW_ZERO_NEGATIVE, "MOLT-E-ZERO-DIVISION", "pow.zero", self.detail(_POW_ZERO)),
            (POW_NEGATIVE_FRACTIONAL, "MOLT-E-VALUE", "pow.fraction", self.detail(_POW_FRACTION)),
        ):
            failed = b.icmp_signed("==", status, const(I32, value), name=label)
            self.fail_if(failed, label, code, texts, node.loc)
        return b.extract_value(pair, 0, name="power")

    def _codegen_Negate(self, node: nodes.Negate) -> ir.Value:
        b = self.b
        value = self.value(node.operand)
        if node.type == FLOAT:
            return b.fneg(value, name="negated")
        is_min = b.icmp_signed("==", value, const(I64, INT64_MIN), name="neg.overflow")
        self.fail_if(
            is_min, "neg", "MOLT-E-OVERFLOW", self.overflow("-", "-({a0})"), node.loc, (value,)
        )
        return b.sub(const(I64, 0), value, name="negated")

    def _codegen_Abs(self, node: nodes.Abs) -> ir.Value:
        b = self.b
        value = self.value(node.operand)
        if node.type == FLOAT:
            fabs = intrinsic(self.module, "llvm.fabs.f64", F64, [F64])
            return b.call(fabs, [value], name="absolute")
        is_min = b.icmp_signed("==", value, const(I64, INT64_MIN), name="abs.overflow")
        self.fail_if(
            is_min,
            "abs",
            "MOLT-E-OVERFLOW",
            self.overflow("abs()", "abs({a0})"),
            node.loc,
            (value,),
        )
        negative = b.icmp_signed("<", value, const(I64, 0))
        return b.select(negative, b.sub(const(I64, 0), value), value, name="absolute")

    def _codegen_Not(self, node: nodes.Not) -> ir.Value:
        return self.b.not_(self.value(node.operand), name="not")

    # -- conversions (MOLT-L-BUILTIN-INT, MOLT-L-BUILTIN-FLOAT) ---------------------------

    def _codegen_IntToFloat(self, node: nodes.IntToFloat) -> ir.Value:
        return self.b.sitofp(self.value(node.operand), F64, name="as_float")

    def _codegen_BoolToInt(self, node: nodes.BoolToInt) -> ir.Value:
        return self.b.zext(self.value(node.operand), I64, name="as_int")

    def _codegen_FloatToInt(self, node: nodes.FloatToInt) -> ir.Value:
        b = self.b
        value = self.value(node.operand)
        is_nan = b.fcmp_unordered("uno", value, value, name="int.nan")
        self.fail_if(
            is_nan,
            "int.nan",
            "MOLT-E-VALUE",
            self.detail("cannot convert float NaN to integer"),
            node.loc,
        )
        trunc = intrinsic(self.module, "llvm.trunc.f64", F64, [F64])
        whole = b.call(trunc, [value], name="whole")
        inside = b.and_(
            b.fcmp_ordered(">=", whole, ir.Constant(F64, -(2.0**63))),
            b.fcmp_ordered("<", whole, ir.Constant(F64, 2.0**63)),
            name="int.inside",
        )
        fabs = intrinsic(self.module, "llvm.fabs.f64", F64, [F64])
        infinite = b.fcmp_ordered("==", b.call(fabs, [value]), ir.Constant(F64, float("inf")))
        self.fail_if(
            infinite,
            "int.infinite",
            "MOLT-E-OVERFLOW",
            self.overflow("int()", "cannot convert float infinity to integer"),
            node.loc,
        )
        self.fail_if(
            b.not_(inside),
            "int.range",
            "MOLT-E-OVERFLOW",
            self.overflow("int()", "the float's integer part is outside signed 64-bit"),
            node.loc,
        )
        return b.fptosi(whole, I64, name="as_int")

    # -- comparisons and logic ----------------------------------------------------------

    def compare(
        self, op: CmpOp, left: ir.Value, left_type: MoltType, right: ir.Value, right_type: MoltType
    ) -> ir.Value:
        b = self.b
        name = f"cmp.{op.name.lower()}"
        if is_structural(left_type) or is_structural(right_type):  # MOLT-L-EXPR-COMPARE-EQ
            equal = self.core.equality.emit(b, left, left_type, right, right_type)
            return equal if op is CmpOp.EQ else b.not_(equal, name=name)
        if left_type == right_type and left_type in (STR, BYTES):  # bytes: by byte, like str
            order = b.call(self.core.text.compare, [left, right], name="str.order")
            return b.icmp_signed(_INT_PREDICATES[op], order, const(I32, 0), name=name)
        if left_type == right_type and left_type in (INT, BOOL):
            return b.icmp_signed(_INT_PREDICATES[op], left, right, name=name)
        if left_type == right_type == FLOAT:
            if op is CmpOp.NE:
                return b.fcmp_unordered("!=", left, right, name=name)
            return b.fcmp_ordered(_INT_PREDICATES[op], left, right, name=name)
        # an int and a float: by exact value (MOLT-L-EXPR-COMPARE-ORDER)
        if left_type == FLOAT:
            left, right, op = right, left, _SWAPPED[op]
        order = b.call(self.rt.compare_int_float, [left, right], name="order")
        if op is CmpOp.EQ:
            return b.icmp_signed("==", order, const(I32, 0), name=name)
        if op is CmpOp.NE:
            return b.icmp_signed("!=", order, const(I32, 0), name=name)
        if op is CmpOp.LT:
            return b.icmp_signed("==", order, const(I32, -1), name=name)
        if op is CmpOp.GT:
            return b.icmp_signed("==", order, const(I32, 1), name=name)
        if op is CmpOp.LE:
            return b.icmp_unsigned("<", b.add(order, const(I32, 1)), const(I32, 2), name=name)
        return b.icmp_unsigned("<", order, const(I32, 2), name=name)

    def _codegen_Compare(self, node: nodes.Compare) -> ir.Value:
        left = self.value(node.left)
        right = self.value(node.right)
        return self.compare(node.op, left, node.left.type, right, node.right.type)

    def _codegen_CompareChain(self, node: nodes.CompareChain) -> ir.Value:
        # block layout: chain.<k> compares items k and k+1 and goes on to chain.<k+1>
        # while True; chain.end joins every False exit and the last comparison
        b = self.b
        end = self.new_block("chain.end")
        incoming: list[tuple[ir.Value, ir.Block]] = []
        left = self.value(node.items[0])
        for index, op in enumerate(node.ops):
            right = self.value(node.items[index + 1])
            result = self.compare(
                op, left, node.items[index].type, right, node.items[index + 1].type
            )
            incoming.append((result, b.block))
            if index + 1 < len(node.ops):
                following = self.new_block(f"chain.{index + 1}")
                b.cbranch(result, following, end)
                b.position_at_end(following)
            else:
                b.branch(end)
            left = right
        b.position_at_end(end)
        phi = b.phi(I1, name="chain")
        for index, (result, block) in enumerate(incoming):
            phi.add_incoming(result if index == len(incoming) - 1 else const(I1, 0), block)
        return phi

    def _codegen_BoolOp(self, node: nodes.BoolOp) -> ir.Value:
        # block layout: each operand in its own block; a deciding value (False for and,
        # True for or) jumps straight to bool.end, whose phi picks the result
        b = self.b
        word = "and" if node.is_and else "or"
        end = self.new_block(f"{word}.end")
        phi_inputs: list[tuple[ir.Value, ir.Block]] = []
        for index, operand in enumerate(node.values):
            value = self.value(operand)
            phi_inputs.append((value, b.block))
            if index + 1 < len(node.values):
                following = self.new_block(f"{word}.{index + 1}")
                if node.is_and:
                    b.cbranch(value, following, end)
                else:
                    b.cbranch(value, end, following)
                b.position_at_end(following)
            else:
                b.branch(end)
        b.position_at_end(end)
        phi = b.phi(I1, name=word)
        for value, block in phi_inputs:
            phi.add_incoming(value, block)
        return phi

    def _codegen_IfExp(self, node: nodes.IfExp) -> ir.Value | None:
        # block layout: ifexp.then / ifexp.else -> ifexp.end (phi)
        b = self.b
        cond = self.value(node.cond)
        then_block = self.new_block("ifexp.then")
        else_block = self.new_block("ifexp.else")
        end = self.new_block("ifexp.end")
        b.cbranch(cond, then_block, else_block)
        b.position_at_end(then_block)
        then_value = self.codegen(node.then)
        then_end = b.block
        b.branch(end)
        b.position_at_end(else_block)
        else_value = self.codegen(node.orelse)
        else_end = b.block
        b.branch(end)
        b.position_at_end(end)
        if node.type == NONE:
            return None
        phi = b.phi(llvm_type(node.type), name="ifexp")
        phi.add_incoming(then_value, then_end)
        phi.add_incoming(else_value, else_end)
        return phi

    def _codegen_MinMax(self, node: nodes.MinMax) -> ir.Value:
        """CPython's min/max: replace the current item by each later one strictly below (above)."""
        b = self.b
        values = [self.value(arg) for arg in node.args]
        current = values[0]
        op = CmpOp.GT if node.is_max else CmpOp.LT
        for value in values[1:]:
            better = self.compare(op, value, node.type, current, node.type)
            current = b.select(better, value, current, name="max" if node.is_max else "min")
        return current

    # -- calls ---------------------------------------------------------------------------

    def _codegen_Call(self, node: nodes.Call) -> ir.Value | None:
        order = node.eval_order or tuple(range(len(node.args)))
        evaluated: dict[int, ir.Value | None] = {}
        for position in order:
            evaluated[position] = self.codegen(node.args[position])
        args = [evaluated[i] for i in range(len(node.args)) if node.args[i].type != NONE]
        b = self.b
        result = b.call(self.functions[node.function], args)
        if node.function in self.fallible and node.function not in self.flagged:
            self.check_failed(f"call.{node.function}")
        elif node.function in self.fallible:
            # {value, failed} (or the flag alone): return at once when it failed
            flag = result if node.type == NONE else b.extract_value(result, 1)
            failed = b.icmp_unsigned("!=", flag, const(I32, 0), name=f"{node.function}.failed")
            ok = self.new_block(f"call.{node.function}.ok")
            b.cbranch(failed, self.failure, ok).set_weights(_UNLIKELY)
            b.position_at_end(ok)
            if node.type != NONE:
                result = b.extract_value(result, 0)
        if node.type == NONE:
            return None
        result.name = f"{node.function}.result"
        return result

    # -- lists (MOLT-L-TYPE-LIST) ------------------------------------------------------------

    def bind(self, local: nodes.Local, value: ir.Value | None, expr: Expr | None = None) -> None:
        """Store `value` in `local` (and, for a list of stable length, its length);
        `expr` is the expression that gave `value`, if any."""
        if value is None:
            return
        self.b.store(value, self.slots[local.slot])
        length = self.length_slots.get(local.slot)
        if length is not None:
            if expr is None:
                known = self.list_length(value, local.type)
            else:
                known = self.length_of(expr, value)
            self.b.store(known, length)

    def list_length(self, items: ir.Value, kind: MoltType) -> ir.Value:
        """The length (i32) of `items`, a list of type `kind`, read from its header.

        The load tells LLVM the length's range: a list's items live in linear
        memory, at most 4 GiB on wasm32, and lengths stay below 2**31, so a list of
        8-byte items has fewer than 2**29. Index arithmetic bounded by such lengths
        then provably fits in int64 (spectral norm's `(i + j) * (i + j + 1)`), and
        its overflow checks fold.
        """
        assert isinstance(kind, ListType)
        length = self.b.load(self.rt.list_field(self.b, items, 0, "length_field"), name="length")
        bound = min(1 << 31, (1 << 32) // item_size(kind.item))
        bound -= (1 << 32) if bound >= (1 << 31) else 0  # i32: [0, 2**31) is [0, -2**31)
        length.set_metadata("range", self.module.add_metadata([const(I32, 0), const(I32, bound)]))
        return length

    def length_of(self, expr: Expr, items: ir.Value) -> ir.Value:
        """The length (i32) of the list that `expr` evaluated to, `items`: kept in a
        register when `expr` reads a variable whose list cannot change length."""
        if isinstance(expr, nodes.LoadLocal):
            length = self.length_slots.get(expr.local.slot)
            if length is not None:
                return self.b.load(length, name=f"{expr.local.name}.length")
        return self.list_length(items, expr.type)

    def list_data(self, items: ir.Value) -> ir.Value:
        """The pointer to a list's first item (it moves when an append grows the list)."""
        return self.b.load(self.rt.list_field(self.b, items, 2, "items_field"), name="items")

    def list_item(
        self, items: ir.Value, index: ir.Value, kind: MoltType, data: ir.Value | None = None
    ) -> ir.Value:
        """The address of item `index` (i32) of `items`, `data` its items pointer if loaded."""
        if data is None:
            data = self.list_data(items)
        element = item_type(kind)
        item_at = self.b.gep(data, [index], source_etype=element, name="item_at")
        return memory_class(item_at, f"{LIST_ITEMS_MEMORY}/{element}")

    def load_item(self, at: ir.Value, kind: MoltType, name: str) -> ir.Value | None:
        """The list item or dict value of type `kind` stored at `at` (a bool is stored as
        a byte; a None item carries no data, so nothing is loaded)."""
        if kind == NONE:
            return None
        value = self.b.load(at, typ=item_type(kind), name=name)
        return self.b.trunc(value, I1) if kind == BOOL else value

    def store_item(self, value: ir.Value | None, at: ir.Value, kind: MoltType) -> None:
        """Store a list item or dict value of type `kind` at `at` (the converse of
        `load_item`: a None item's byte is never read, so nothing is stored)."""
        if value is None or kind == NONE:
            return
        self.b.store(self.b.zext(value, I8) if kind == BOOL else value, at)

    def checked_item(
        self,
        items: ir.Value,
        index: ir.Value,
        kind: MoltType,
        loc: SourceLoc,
        assignment: bool,
        length: ir.Value | None = None,
    ) -> ir.Value:
        """The address of item `index` (negative counts from the end), or MOLT-E-INDEX.

        Both header fields are loaded first, so that a loop can keep them in registers,
        and an index in [0, length) takes one comparison.
        """
        # block layout: index.negative (only when not 0 <= index < length) adds the
        # length and checks again -> index.found | the error; index.found joins the position
        b = self.b
        if length is None:
            length = self.list_length(items, ListType(kind))
        length = b.zext(length, I64, name="length64")
        data = self.list_data(items)
        inside = b.icmp_unsigned("<", index, length, name="index.inside")
        start = b.block
        from_end_block = self.new_block("index.negative")
        ok = self.new_block("index.found")
        b.cbranch(inside, ok, from_end_block).set_weights(_LIKELY)
        b.position_at_end(from_end_block)
        # -length <= index < 0, spelled so that LLVM learns the index's range from it
        negative = b.icmp_signed("<", index, const(I64, 0), name="index.negative")
        not_before = b.icmp_signed(">=", index, b.sub(const(I64, 0), length), name="index.from")
        outside = b.not_(b.and_(negative, not_before), name="index.outside")
        from_end = b.add(index, length, name="from_end")
        what = "list assignment index" if assignment else "list index"
        self.fail_if(
            outside,
            "index",
            "MOLT-E-INDEX",
            self.detail(f"{what} {{a0}} out of range for length {{a1}}"),
            loc,
            (index, length),
        )
        from_end_block = b.block
        b.branch(ok)
        b.position_at_end(ok)
        position = b.phi(I64, name="position")
        position.add_incoming(index, start)
        position.add_incoming(from_end, from_end_block)
        position32 = b.trunc(position, I32, name="position32")
        return self.list_item(items, position32, kind, data)

    def _codegen_ListNew(self, node: nodes.ListNew) -> ir.Value:
        b = self.b
        values = [self.codegen(item) for item in node.items]
        item = node.type.item
        size = const(I32, item_size(item))
        items = b.call(self.rt.list_new, [const(I32, len(values)), size], name="list")
        self.check_allocated(items, "list")
        for index, value in enumerate(values):
            self.store_item(value, self.list_item(items, const(I32, index), item), item)
        return items

    def _codegen_ListRepeat(self, node: nodes.ListRepeat) -> ir.Value:
        items = self.value(node.list)
        times = self.value(node.count)
        kind = node.type
        assert isinstance(kind, ListType)
        size = const(I32, item_size(kind.item))
        result = self.b.call(self.rt.list_repeat, [items, times, size], name="repeated")
        self.check_allocated(result, "repeat")
        return result

    def _codegen_ListLen(self, node: nodes.ListLen) -> ir.Value:
        length = self.length_of(node.list, self.value(node.list))
        return self.b.zext(length, I64, name="len")

    def _codegen_ListGet(self, node: nodes.ListGet) -> ir.Value | None:
        items = self.value(node.list)
        index = self.value(node.index)
        length = self.length_of(node.list, items)
        at = self.checked_item(items, index, node.type, node.loc, assignment=False, length=length)
        return self.load_item(at, node.type, "item")

    def _codegen_ListContains(self, node: nodes.ListContains) -> ir.Value:
        b = self.b
        items = self.value(node.list)
        item = self.codegen(node.item)
        kind = node.list.type
        assert isinstance(kind, ListType)
        if kind.item == NONE:  # every element is None, the item sought
            length = self.list_length(items, kind)
            return b.icmp_unsigned("!=", length, const(I32, 0), name="in.found")
        assert item is not None
        # block layout: in.loop checks the position against the current length, in.test
        # compares one element, in.end joins found (true) and exhausted (false)
        start = b.block
        loop, test, step, end = (self.new_block(f"in.{n}") for n in ("loop", "test", "step", "end"))
        b.branch(loop)
        b.position_at_end(loop)
        position = b.phi(I32, name="in.position")
        position.add_incoming(const(I32, 0), start)
        b.cbranch(b.icmp_unsigned("<", position, self.list_length(items, kind)), test, end)
        b.position_at_end(test)
        element = self.load_item(self.list_item(items, position, kind.item), kind.item, "element")
        assert element is not None
        equal = self.compare(CmpOp.EQ, element, kind.item, item, node.item.type)
        test_end = b.block
        b.cbranch(equal, end, step)
        b.position_at_end(step)
        position.add_incoming(b.add(position, const(I32, 1)), step)
        b.branch(loop)
        b.position_at_end(end)
        found = b.phi(I1, name="in.found")
        found.add_incoming(const(I1, 0), loop)
        found.add_incoming(const(I1, 1), test_end)
        return found

    def _codegen_ListPop(self, node: nodes.ListPop) -> ir.Value | None:
        b = self.b
        items = self.value(node.list)
        kind = node.list.type
        assert isinstance(kind, ListType)
        length = self.list_length(items, kind)
        wide = b.zext(length, I64, name="length64")
        if node.index is None:
            self.fail_if(
                b.icmp_unsigned("==", length, const(I32, 0)),
                "pop",
                "MOLT-E-INDEX",
                self.detail("pop from empty list"),
                node.loc,
            )
            position = b.sub(length, const(I32, 1), name="position32")
        else:
            index = self.value(node.index)
            negative = b.icmp_signed("<", index, const(I64, 0))
            position64 = b.select(negative, b.add(index, wide), index)
            self.fail_if(
                b.icmp_unsigned(">=", position64, wide),
                "pop",
                "MOLT-E-INDEX",
                self.detail("pop index {a0} out of range for length {a1}"),
                node.loc,
                (index, wide),
            )
            position = b.trunc(position64, I32, name="position32")
        at = self.list_item(items, position, kind.item)
        value = self.load_item(at, kind.item, "popped")
        following = b.add(position, const(I32, 1))
        moved = b.mul(b.sub(length, following), const(I32, item_size(kind.item)))
        self.rt.memcpy(b, at, self.list_item(items, following, kind.item), moved)
        b.store(b.sub(length, const(I32, 1)), self.rt.list_field(b, items, 0, "length_field"))
        return value

    def _codegen_ListAppend(self, node: nodes.ListAppend) -> None:
        b = self.b
        items = self.value(node.list)
        value = self.codegen(node.value)
        kind = node.list.type
        assert isinstance(kind, ListType)
        length = self.list_length(items, kind)
        capacity = b.load(self.rt.list_field(b, items, 1, "capacity_field"), name="capacity")
        grow = self.new_block("append.grow")
        store = self.new_block("append.store")
        b.cbranch(b.icmp_unsigned("<", length, capacity), store, grow)
        b.position_at_end(grow)
        needed = b.add(length, const(I32, 1))
        reserved = b.call(self.rt.list_reserve, [items, needed, const(I32, item_size(kind.item))])
        b.cbranch(reserved, store, self.failure)
        b.position_at_end(store)
        self.store_item(value, self.list_item(items, length, kind.item), kind.item)
        b.store(b.add(length, const(I32, 1)), self.rt.list_field(b, items, 0, "length_field"))
        return None

    # -- dicts (MOLT-L-TYPE-DICT) ---------------------------------------------------------

    def dict_find(self, dictionary: ir.Value, key: ir.Value) -> ir.Value:
        """The i32 position of `key` in `dictionary`, or -1."""
        b = self.b
        text = self.core.text
        return b.call(self.core.dicts.find, [dictionary, text.data(b, key), text.size(b, key)])

    def dict_value_at(
        self, dictionary: ir.Value, position: ir.Value, kind: MoltType
    ) -> ir.Value | None:
        values = part(self.b, dictionary, 1)
        return self.load_item(self.list_item(values, position, kind), kind, "value")

    def dict_store(
        self, dictionary: ir.Value, key: ir.Value, value: ir.Value | None, kind: MoltType
    ) -> None:
        """`dictionary[key] = value`: the existing position, else a new one at the end."""
        b = self.b
        size = const(I32, item_size(kind))
        position = b.call(self.core.dicts.slot, [dictionary, key, size], name="position")
        failed = b.icmp_signed("<", position, const(I32, 0))
        ok = self.new_block("dict.set.ok")
        b.cbranch(failed, self.failure, ok).set_weights(_UNLIKELY)
        b.position_at_end(ok)
        self.store_item(value, self.list_item(part(b, dictionary, 1), position, kind), kind)

    def _codegen_DictNew(self, node: nodes.DictNew) -> ir.Value:
        b = self.b
        pairs = [
            (self.value(k), self.codegen(v)) for k, v in zip(node.keys, node.values, strict=True)
        ]
        kind = node.type.value
        dictionary = b.call(self.core.dicts.new, [const(I32, item_size(kind))], name="dict")
        self.check_allocated(dictionary, "dict")
        for key, value in pairs:
            self.dict_store(dictionary, key, value, kind)
        return dictionary

    def _codegen_DictPart(self, node: nodes.DictPart) -> ir.Value:
        return part(self.b, self.value(node.dict), 1 if node.values else 0)

    def _codegen_DictGet(self, node: nodes.DictGet) -> ir.Value | None:
        b = self.b
        dictionary = self.value(node.dict)
        key = self.value(node.key)
        position = self.dict_find(dictionary, key)
        address = b.zext(b.ptrtoint(key, I32), I64, name="key.address")
        self.fail_if(
            b.icmp_signed("<", position, const(I32, 0)),
            "key",
            "MOLT-E-KEY",
            self.detail("key {repr0} not in dict"),
            node.loc,
            (address,),
        )
        if node.type == NONE:
            return None
        return self.dict_value_at(dictionary, position, node.type)

    def _codegen_DictLookup(self, node: nodes.DictLookup) -> ir.Value | None:
        b = self.b
        dictionary = self.value(node.dict)
        key = self.value(node.key)
        default = None if node.default is None else self.codegen(node.default)
        kind = node.dict.type
        assert isinstance(kind, DictType)
        if node.type == NONE:
            return None
        position = self.dict_find(dictionary, key)
        present = b.icmp_signed(">=", position, const(I32, 0), name="present")
        before = b.block
        hit = self.new_block("get.hit")
        end = self.new_block("get.end")
        b.cbranch(present, hit, end)
        b.position_at_end(hit)
        value = self.dict_value_at(dictionary, position, kind.value)
        if default is None and not is_pointer(kind.value):
            boxed = b.call(self.rt.alloc, [const(I64, 8)], name="box")
            self.check_allocated(boxed, "box")
            b.store(b.zext(value, I8) if kind.value == BOOL else value, boxed)
            value = boxed
        after = b.block
        b.branch(end)
        b.position_at_end(end)
        result = b.phi(llvm_type(node.type), name="get")
        result.add_incoming(value, after)
        result.add_incoming(ir.Constant(PTR, None) if default is None else default, before)
        return result

    def _codegen_DictSet(self, node: nodes.DictSet) -> None:
        value = self.codegen(node.value)
        dictionary = self.value(node.dict)
        key = self.value(node.key)
        kind = node.dict.type
        assert isinstance(kind, DictType)
        self.dict_store(dictionary, key, value, kind.value)

    # -- records (MOLT-L-TYPE-RECORD) -----------------------------------------------------

    def _codegen_RecordNew(self, node: nodes.RecordNew) -> ir.Value:
        b = self.b
        kind = node.type
        order = node.eval_order or tuple(range(len(node.fields)))
        values: dict[int, ir.Value | None] = {}
        for position in order:
            values[position] = self.codegen(node.fields[position])
        record = b.call(self.rt.alloc, [record_size(b, kind)], name=kind.name)
        self.check_allocated(record, "record")
        for position, (_, field) in enumerate(kind.fields):
            value = values[position]
            if value is None:
                continue
            if field == BOOL:
                value = b.zext(value, I8)
            b.store(value, field_pointer(b, record, kind, position))
        return record

    def _codegen_FieldGet(self, node: nodes.FieldGet) -> ir.Value | None:
        record = self.value(node.record)
        kind = node.record.type
        assert isinstance(kind, RecordType)
        field = node.type
        if field == NONE:
            return None
        at = field_pointer(self.b, record, kind, node.index)
        value = self.b.load(at, typ=item_type(field), name=kind.fields[node.index][0])
        return self.b.trunc(value, I1) if field == BOOL else value

    # -- optional values (MOLT-L-TYPE-OPTIONAL) -------------------------------------------

    def _codegen_Wrap(self, node: nodes.Wrap) -> ir.Value:
        value = self.value(node.value)
        item = node.type.item
        if is_pointer(item):
            return value
        b = self.b
        boxed = b.call(self.rt.alloc, [const(I64, 8)], name="box")
        self.check_allocated(boxed, "box")
        b.store(b.zext(value, I8) if item == BOOL else value, boxed)
        return boxed

    def _codegen_Unwrap(self, node: nodes.Unwrap) -> ir.Value:
        value = self.value(node.value)
        item = node.type
        if is_pointer(item):
            return value
        loaded = self.b.load(value, typ=item_type(item), name="unboxed")
        return self.b.trunc(loaded, I1) if item == BOOL else loaded

    def _codegen_StrOp(self, node: nodes.StrOp) -> ir.Value:
        b, text = self.b, self.core.text
        args = [self.value(arg) for arg in node.args]
        kind = node.kind
        if kind is nodes.StrOpKind.LEN:
            return b.zext(text.count(b, args[0]), I64, name="len")
        if kind is nodes.StrOpKind.CONTAINS:
            return b.call(text.contains, args, name="contains")
        if kind in (nodes.StrOpKind.STARTSWITH, nodes.StrOpKind.ENDSWITH):
            at_end = const(I1, int(kind is nodes.StrOpKind.ENDSWITH))
            return b.call(text.affix, [*args, at_end], name=kind.value)
        if kind is nodes.StrOpKind.GET:
            count = b.zext(text.count(b, args[0]), I64, name="count")
            index = args[1]
            position = b.select(
                b.icmp_signed("<", index, const(I64, 0)), b.add(index, count), index
            )
            outside = b.icmp_unsigned(">=", position, count, name="index.outside")
            self.fail_if(
                outside,
                "str_index",
                "MOLT-E-INDEX",
                self.detail("string index {a0} out of range for length {a1}"),
                node.loc,
                (index, count),
            )
            result = b.call(text.char_at, [args[0], b.trunc(position, I32)], name="char")
        elif kind is nodes.StrOpKind.CONCAT:
            result = b.call(text.concat, args, name="concat")
        elif kind in (nodes.StrOpKind.LOWER, nodes.StrOpKind.UPPER):
            upper = const(I1, int(kind is nodes.StrOpKind.UPPER))
            result = b.call(text.change_case, [*args, upper], name=kind.value)
        elif kind is nodes.StrOpKind.JOIN:
            result = b.call(text.join, args, name="joined")
        elif kind in (nodes.StrOpKind.STRIP, nodes.StrOpKind.SPLIT):
            second = args[1] if len(args) == 2 else ir.Constant(PTR, None)
            if kind is nodes.StrOpKind.SPLIT and len(args) == 2:
                empty = b.icmp_unsigned("==", text.size(b, second), const(I32, 0))
                self.fail_if(
                    empty, "split", "MOLT-E-VALUE", self.detail("empty separator"), node.loc
                )
            function = text.strip if kind is nodes.StrOpKind.STRIP else text.split
            result = b.call(function, [args[0], second], name=kind.value)
        else:
            result = b.call(text.from_int, args, name="str")
        self.check_allocated(result, f"str.{kind.name.lower()}")
        return result

    def _codegen_ListConcat(self, node: nodes.ListConcat) -> ir.Value:
        """MOLT-L-EXPR-CONCAT of lists: a new list, a shallow copy of both."""
        left, right = self.value(node.left), self.value(node.right)
        kind = node.type
        assert isinstance(kind, ListType)
        size = const(I32, item_size(kind.item))
        result = self.b.call(self.core.slices.list_concat, [left, right, size], name="concat")
        self.check_allocated(result, "list.concat")
        return result

    def _codegen_ListReplace(self, node: nodes.ListReplace) -> None:
        """The target list takes the new list's length, capacity and items in place."""
        b = self.b
        target = self.value(node.target)
        value = self.value(node.value)
        for field in range(3):
            b.store(
                b.load(self.rt.list_field(b, value, field, "from_field")),
                self.rt.list_field(b, target, field, "to_field"),
            )
        return None

    def _codegen_MinMaxList(self, node: nodes.MinMaxList) -> ir.Value:
        """min()/max() of a list: CPython's scan from the first item; empty: MOLT-E-VALUE."""
        b = self.b
        items = self.value(node.list)
        kind = node.type
        length = self.list_length(items, node.list.type)
        name = "max" if node.is_max else "min"
        empty = b.icmp_unsigned("==", length, const(I32, 0), name=f"{name}.empty")
        detail = self.detail(f"{name}() arg is an empty sequence")
        self.fail_if(empty, f"{name}.empty", "MOLT-E-VALUE", detail, node.loc)
        # block layout: scan.top tests the position, scan.step keeps the better item
        start = b.block
        first = b.load(self.list_item(items, const(I32, 0), kind), name="first")
        top, step, done = (self.new_block(f"{name}.{n}") for n in ("top", "step", "done"))
        b.branch(top)
        b.position_at_end(top)
        position = b.phi(I32, name=f"{name}.position")
        current = b.phi(first.type, name=f"{name}.current")
        position.add_incoming(const(I32, 1), start)
        current.add_incoming(first, start)
        b.cbranch(b.icmp_unsigned("<", position, length), step, done)
        b.position_at_end(step)
        item = b.load(self.list_item(items, position, kind), name="item")
        op = CmpOp.GT if node.is_max else CmpOp.LT
        better = self.compare(op, item, kind, current, kind)
        position.add_incoming(b.add(position, const(I32, 1)), b.block)
        current.add_incoming(b.select(better, item, current), b.block)
        b.branch(top)
        b.position_at_end(done)
        return current

    def _codegen_BytesOp(self, node: nodes.BytesOp) -> ir.Value:
        """MOLT-L-TYPE-BYTES: a bytes value is a str whose count is its size."""
        b, text = self.b, self.core.text
        args = [self.value(arg) for arg in node.args]
        if node.kind is nodes.StrOpKind.LEN:
            return b.zext(text.size(b, args[0]), I64, name="len")
        if node.kind is nodes.StrOpKind.CONCAT:
            result = b.call(text.concat, args, name="concat")
            self.check_allocated(result, "bytes.concat")
            return result
        size = b.zext(text.size(b, args[0]), I64, name="size")
        index = args[1]
        position = b.select(b.icmp_signed("<", index, const(I64, 0)), b.add(index, size), index)
        outside = b.icmp_unsigned(">=", position, size, name="index.outside")
        self.fail_if(
            outside,
            "bytes_index",
            "MOLT-E-INDEX",
            self.detail("bytes index {a0} out of range for length {a1}"),
            node.loc,
            (index, size),
        )
        at = b.gep(text.data(b, args[0]), [b.trunc(position, I32)], source_etype=I8)
        return b.zext(b.load(at, typ=I8), I64, name="byte")

    def _codegen_Slice(self, node: nodes.Slice) -> ir.Value:
        """MOLT-L-EXPR-SLICE: CPython's slice.indices(), then a copy of the selection."""
        b, slices = self.b, self.core.slices
        value = self.value(node.value)
        parts = [None if p is None else self.value(p) for p in (node.start, node.stop, node.step)]
        start, stop, step = (const(I64, 0) if p is None else p for p in parts)
        step = const(I64, 1) if parts[2] is None else step
        if parts[2] is not None:
            zero = b.icmp_signed("==", step, const(I64, 0), name="slice.zero_step")
            detail = self.detail("slice step cannot be zero")
            self.fail_if(zero, "slice.step", "MOLT-E-VALUE", detail, node.loc)
        is_list = isinstance(node.type, ListType)
        length = self.list_length(value, node.type) if is_list else self.core.text.count(b, value)
        flags = [const(I1, int(p is not None)) for p in parts[:2]]
        indices = b.call(slices.indices, [b.zext(length, I64), start, stop, step, *flags])
        first = b.extract_value(indices, 0, name="slice.first")
        count = b.extract_value(indices, 1, name="slice.count")
        if is_list:
            assert isinstance(node.type, ListType)
            size = const(I32, item_size(node.type.item))
            result = b.call(slices.list_slice, [value, first, count, step, size], name="slice")
        else:
            result = b.call(slices.text_slice, [value, first, count, step], name="slice")
        self.check_allocated(result, "slice")
        return result

    def _codegen_IsNone(self, node: nodes.IsNone) -> ir.Value:
        value = self.value(node.value)
        predicate = "!=" if node.negated else "=="
        return self.b.icmp_unsigned(predicate, value, ir.Constant(PTR, None), name="is_none")

    # -- statements -----------------------------------------------------------------------

    def _codegen_Assign(self, node: nodes.Assign) -> None:
        value = self.codegen(node.value)
        if node.local.type != NONE:
            self.bind(node.local, value, node.value)

    def _codegen_ListSet(self, node: nodes.ListSet) -> None:
        value = self.codegen(node.value)
        items = self.value(node.list)
        index = self.value(node.index)
        kind = node.list.type
        assert isinstance(kind, ListType)
        length = self.length_of(node.list, items)
        at = self.checked_item(items, index, kind.item, node.loc, assignment=True, length=length)
        self.store_item(value, at, kind.item)

    def _codegen_Evaluate(self, node: nodes.Evaluate) -> None:
        self.codegen(node.expr)

    def _codegen_If(self, node: nodes.If) -> None:
        # block layout: if.then / if.else -> if.end (when some branch reaches it)
        b = self.b
        cond = self.value(node.cond)
        then_block = self.new_block("if.then")
        else_block = self.new_block("if.else") if node.orelse else None
        end = self.new_block("if.end")
        b.cbranch(cond, then_block, else_block or end)
        b.position_at_end(then_block)
        self.block(node.body)
        if not b.block.is_terminated:
            b.branch(end)
        if else_block is not None:
            b.position_at_end(else_block)
            self.block(node.orelse)
            if not b.block.is_terminated:
                b.branch(end)
        b.position_at_end(end)

    def _codegen_While(self, node: nodes.While) -> None:
        # block layout: while.cond -> while.body -> while.cond | while.end, the test and
        # the body twice over for a small innermost loop (see `_unrolled`)
        b = self.b
        copies = loop_copies(node.body)
        tests = [self.new_block("while.cond") for _ in range(copies)]
        end = self.new_block("while.end")
        b.branch(tests[0])
        for copy, test in enumerate(tests):
            following = tests[(copy + 1) % copies]
            body = self.new_block("while.body")
            b.position_at_end(test)
            b.cbranch(self.value(node.cond), body, end)
            b.position_at_end(body)
            self.loop_body(node.body, following, end)
        b.position_at_end(end)

    def _codegen_ForRange(self, node: nodes.ForRange) -> None:
        # block layout: (step check) -> range.cond -> range.body -> range.next -> range.cond
        # | range.end; range.next stops when adding the step leaves signed 64-bit
        b = self.b
        start = self.value(node.start)
        stop = self.value(node.stop)
        step = self.value(node.step)
        constant_step = node.step.value if isinstance(node.step, nodes.Const) else None
        if constant_step is None:
            zero = b.icmp_signed("==", step, const(I64, 0), name="range.zero_step")
            self.fail_if(
                zero,
                "range.step",
                "MOLT-E-VALUE",
                self.detail("range() arg 3 must not be zero"),
                node.loc,
            )
        counter = self.loop_slots[id(node)]
        b.store(start, counter)
        copies = loop_copies(node.body) if constant_step in (1, -1) else 1
        tests = [self.new_block("range.cond") for _ in range(copies)]
        end = self.new_block("range.end")
        b.branch(tests[0])
        for copy, cond_block in enumerate(tests):
            following = tests[(copy + 1) % copies]
            body = self.new_block("range.body")
            next_block = self.new_block("range.next")
            b.position_at_end(cond_block)
            current = b.load(counter, name="current")
            if constant_step is not None:
                more = b.icmp_signed("<" if constant_step > 0 else ">", current, stop, name="more")
            else:
                upward = b.icmp_signed(">", step, const(I64, 0))
                more = b.select(
                    upward,
                    b.icmp_signed("<", current, stop),
                    b.icmp_signed(">", current, stop),
                    name="more",
                )
            b.cbranch(more, body, end)
            b.position_at_end(body)
            b.store(current, self.slots[node.var.slot])
            self.loop_body(node.body, next_block, end)
            b.position_at_end(next_block)
            if constant_step in (1, -1):
                # the counter passed `current < stop` (> for -1), so one more step stays
                # within signed 64-bit
                b.store(b.add(b.load(counter), step, name="range.step", flags=["nsw"]), counter)
                b.branch(following)
            else:
                pair_type = ir.LiteralStructType([I64, I1])
                add = intrinsic(self.module, "llvm.sadd.with.overflow.i64", pair_type, [I64, I64])
                pair = b.call(add, [b.load(counter), step], name="range.step_pair")
                b.store(b.extract_value(pair, 0), counter)
                b.cbranch(b.extract_value(pair, 1), end, following)
        b.position_at_end(end)

    def _codegen_ForList(self, node: nodes.ForList) -> None:
        # block layout: list.cond (position < current length) -> list.body -> list.cond
        # | list.end; items appended in the body are visited, as CPython's iterator does
        b = self.b
        items = self.value(node.list)
        kind = node.list.type
        assert isinstance(kind, ListType)
        position = self.loop_slots[id(node)]
        b.store(const(I32, 0), position)
        copies = loop_copies(node.body)
        tests = [self.new_block("list.cond") for _ in range(copies)]
        end = self.new_block("list.end")
        b.branch(tests[0])
        for copy, cond_block in enumerate(tests):
            following = tests[(copy + 1) % copies]
            body = self.new_block("list.body")
            b.position_at_end(cond_block)
            at = b.load(position, name="at")
            b.cbranch(b.icmp_unsigned("<", at, self.length_of(node.list, items)), body, end)
            b.position_at_end(body)
            item = self.list_item(items, at, kind.item)
            self.bind(node.var, self.load_item(item, kind.item, node.var.name))
            b.store(b.add(at, const(I32, 1)), position)
            self.loop_body(node.body, following, end)
        b.position_at_end(end)

    def loop_body(self, body: tuple[Stmt, ...], next_block: ir.Block, end: ir.Block) -> None:
        """A loop's body: `continue` and its end go to `next_block`, `break` to `end`."""
        self.loops.append(_Loop(next_block, end))
        self.block(body)
        self.loops.pop()
        if not self.b.block.is_terminated:
            self.b.branch(next_block)

    def _codegen_Break(self, node: nodes.Break) -> None:
        self.b.branch(self.loops[-1].end)

    def _codegen_Continue(self, node: nodes.Continue) -> None:
        self.b.branch(self.loops[-1].next_block)

    def _codegen_Return(self, node: nodes.Return) -> None:
        value = None if node.value is None else self.codegen(node.value)
        self.ret(self.b, value)

    def _codegen_Raise(self, node: nodes.Raise) -> None:
        if node.message is not None:
            self._raise_message(node.code, node.message, node.loc)
            return
        detail = {"detail": text_template(node.detail)}
        self.fail_here(node.code, detail, node.loc)

    def _raise_message(self, code: str, message: Expr, loc: SourceLoc) -> None:
        """Record `code` with the str `message`, computed now, as its detail."""
        b = self.b
        text = self.value(message)
        address = b.zext(b.ptrtoint(text, I32), I64, name="message")
        detail = {"detail": detail_template("{text0}")}
        self.fail_here(code, detail, loc, (address,))

    def _codegen_Assert(self, node: nodes.Assert) -> None:
        if node.message is not None:
            # block layout: assert.error computes the message only when cond is False
            cond = self.value(node.cond)
            error, ok = self.new_block("assert.error"), self.new_block("assert.ok")
            self.b.cbranch(cond, ok, error).set_weights(list(reversed(_UNLIKELY)))
            self.b.position_at_end(error)
            self._raise_message("MOLT-E-ASSERTION", node.message, node.loc)
            self.b.position_at_end(ok)
            return
        cond = self.value(node.cond)
        detail = {"detail": text_template(node.detail)}
        self.fail_if(self.b.not_(cond), "assert", "MOLT-E-ASSERTION", detail, node.loc)


def _loops(body: tuple[Stmt, ...]) -> Iterator[nodes.ForRange | nodes.ForList]:
    """Every for loop in `body`, nested ones included, in source order."""
    for statement in body:
        if isinstance(statement, (nodes.ForRange, nodes.ForList)):
            yield statement
        for nested in statement.bodies:
            yield from _loops(nested)
