"""Type-checking a function body into typed IR (spec/language.yaml `statements`).

`FunctionChecker.check()` turns one function into an `ir.Function`. Each
accepted statement has a `_stmt_<AstNode>` handler naming its spec item; every
other statement is rejected by `_stmt_other` with the spec's code.

Alongside types, the checker tracks which locals are assigned on every path
(`self.assigned`, None where no path reaches), so that a read of a name that
some path leaves unassigned is MOLT-E-NAME (CPython's UnboundLocalError), and a
function that must return a value cannot fall off its end
(MOLT-L-REJECT-MISSING-RETURN).
"""

from __future__ import annotations

import ast

from molt.compiler.frontend._annotations import AnnotationReader
from molt.compiler.frontend._expressions import _ARITH, _BITWISE, ExpressionChecker, Loop, is_error
from molt.compiler.ir.nodes import (
    Arith,
    ArithOp,
    Assert,
    Assign,
    Break,
    CmpOp,
    Compare,
    Const,
    Continue,
    DictGet,
    DictPart,
    DictSet,
    Evaluate,
    Expr,
    ForList,
    ForRange,
    Function,
    If,
    IntToFloat,
    ListGet,
    ListLen,
    ListReplace,
    ListSet,
    LoadLocal,
    Local,
    Raise,
    Return,
    SourceLoc,
    Stmt,
    StrOp,
    StrOpKind,
    While,
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
)

__all__ = ["FunctionChecker"]

RAISE_CODES = {
    "ValueError": "MOLT-E-VALUE",
    "TypeError": "MOLT-E-RUNTIME-TYPE",
    "IndexError": "MOLT-E-INDEX",
    "KeyError": "MOLT-E-KEY",
    "ZeroDivisionError": "MOLT-E-ZERO-DIVISION",
}
"""MOLT-L-STMT-RAISE: the exception classes a source may raise, and their codes."""

_STMT_REJECTS = {
    ast.Try: "MOLT-L-REJECT-TRY",
    ast.With: "MOLT-L-REJECT-WITH",
    ast.AsyncWith: "MOLT-L-REJECT-ASYNC",
    ast.AsyncFor: "MOLT-L-REJECT-ASYNC",
    ast.AsyncFunctionDef: "MOLT-L-REJECT-ASYNC",
    ast.Global: "MOLT-L-REJECT-GLOBAL",
    ast.Nonlocal: "MOLT-L-REJECT-GLOBAL",
    ast.Delete: "MOLT-L-REJECT-DEL",
    ast.Match: "MOLT-L-REJECT-MATCH",
    ast.FunctionDef: "MOLT-L-REJECT-NESTED-FUNCTION",
    ast.ClassDef: "MOLT-L-REJECT-CLASS",
}
if hasattr(ast, "TryStar"):
    _STMT_REJECTS[ast.TryStar] = "MOLT-L-REJECT-TRY"


class FunctionChecker(ExpressionChecker):
    """Checks one function; `check()` returns its IR, or None after reporting problems."""

    def check(self) -> Function | None:
        signature = self.signature
        node = signature.node
        errors_before = len(self.report.errors)
        for name, kind in signature.params:
            if self.scope.is_module_name(name):
                arg = next(a for a in node.args.args if a.arg == name)
                self.report.reject(
                    arg,
                    "MOLT-L-REJECT-GLOBAL-REBIND",
                    f"the parameter '{name}', which is also a module-level name",
                )
                self.poisoned.add(name)
            self.new_local(name, kind)
            self.bound_names.add(name)
            self.mark_assigned(name)
            if is_error(kind):
                self.poisoned.add(name)
        params = tuple(self.local_list)
        self.bound_names |= _bound_names(node.body)
        body = node.body[1:] if _is_docstring(node.body[0]) else node.body
        statements = self.block(body)
        if (
            self.assigned is not None
            and signature.returns != NONE
            and not is_error(signature.returns)
        ):
            self.report.reject(
                node,
                "MOLT-L-REJECT-MISSING-RETURN",
                f"'{node.name}' returns {signature.returns} but a path reaches the end of its body",
            )
        if len(self.report.errors) != errors_before:
            return None
        return Function(
            name=node.name,
            params=params,
            returns=signature.returns,
            body=statements,
            locals=tuple(self.local_list),
            export=signature.export,
            doc=signature.doc,
            loc=self.report.loc(node),
        )

    # -- blocks and flow ----------------------------------------------------------------

    def block(self, statements: list[ast.stmt]) -> tuple[Stmt, ...]:
        out: list[Stmt] = []
        for statement in statements:
            handler = getattr(self, f"_stmt_{type(statement).__name__}", None)
            if handler is None:
                self._stmt_other(statement)
            else:
                out.extend(handler(statement))
        return tuple(out)

    def branch(self, statements: list[ast.stmt], entry: set[str] | None) -> tuple[Stmt, ...]:
        self.assigned = None if entry is None else set(entry)
        return self.block(statements)

    def loop_body(self, statements: list[ast.stmt], entry: set[str] | None) -> Loop:
        loop = Loop()
        self.loops.append(loop)
        self.assigned = None if entry is None else set(entry)
        loop.body = self.block(statements)
        self.loops.pop()
        return loop

    # -- assignment (MOLT-L-STMT-ASSIGN, -ASSIGN-ANNOTATED, -ASSIGN-ITEM, -AUGASSIGN) ----

    def _stmt_Assign(self, node: ast.Assign) -> list[Stmt]:
        if len(node.targets) != 1:
            self.report.reject(node, "MOLT-L-REJECT-CHAINED-ASSIGN")
            for target in node.targets:
                self.poison(target)
            return []
        target = node.targets[0]
        if isinstance(target, ast.Name):
            return self.assign_name(target, node.value)
        if isinstance(target, ast.Subscript):
            return self.assign_item(target, node.value)
        self._reject_target(target)
        return []

    def _reject_target(self, target: ast.expr) -> None:
        self.poison(target)
        if isinstance(target, (ast.Tuple, ast.List)):
            self.report.reject(target, "MOLT-L-REJECT-TUPLE")
        elif isinstance(target, ast.Attribute):
            self.report.reject(
                target, "MOLT-L-REJECT-RECORD-FIELD-ASSIGN", f"assignment to {self.text(target)}"
            )
        elif isinstance(target, ast.Starred):
            self.report.reject(target, "MOLT-L-REJECT-VARIADIC")
        else:
            self.report.unsupported(
                target, f"assignment to {self.text(target)}", "assign to a name or a list item"
            )

    def rebinds_module_name(self, target: ast.Name) -> bool:
        if self.scope.is_module_name(target.id):
            self.report.reject(
                target,
                "MOLT-L-REJECT-GLOBAL-REBIND",
                f"binding the module-level name '{target.id}' inside a function",
            )
            return True
        return False

    def assign_name(self, target: ast.Name, value_node: ast.expr) -> list[Stmt]:
        statements = self._assign_name(target, value_node)
        self.narrowed.discard(target.id)  # narrowing ends at the next assignment
        return statements

    def _assign_name(self, target: ast.Name, value_node: ast.expr) -> list[Stmt]:
        name = target.id
        if self.rebinds_module_name(target):
            self.expr(value_node)
            return []
        local = self.locals.get(name)
        if local is None:
            value = self.expr(value_node)
            if is_error(value.type):
                self.poisoned.add(name)
                self.mark_assigned(name)
                return []
            if isinstance(value, Const) and value.type == NONE:
                self.report.reject(
                    target,
                    "MOLT-L-REJECT-UNTYPED-EMPTY",
                    f"'{name}' is assigned None, so its type cannot be inferred",
                )
                self.poisoned.add(name)
                return []
            local = self.new_local(name, value.type)
        else:
            value = self.expr(value_node, local.type)
            value = self.rebind_value(local, value, target)
        self.mark_assigned(name)
        if is_error(value.type) or name in self.poisoned:
            return []
        return [Assign(local, value)]

    def rebind_value(self, local: Local, value: Expr, node: ast.AST) -> Expr:
        """`value` for another binding of `local` (MOLT-L-REJECT-TYPE-CHANGE)."""
        converted = self.coerce(value, local.type)
        if converted is not None:
            return converted
        self.report.reject(
            node,
            "MOLT-L-REJECT-TYPE-CHANGE",
            f"'{local.name}' has type {local.type} but is assigned a {value.type}",
        )
        return self.error()

    def assign_item(self, target: ast.Subscript, value_node: ast.expr) -> list[Stmt]:
        if isinstance(target.slice, ast.Slice):
            self.report.reject(target, "MOLT-L-REJECT-SLICE-ASSIGN")
            return []
        container = self.expr(target.value)
        kind = container.type
        if isinstance(kind, DictType):  # a new key goes at the end
            key = self.value(target.slice, STR, "a dict key")
            value = self.value(value_node, kind.value, "a value of " + str(kind))
            if is_error(key.type) or is_error(value.type):
                return []
            return [DictSet(container, key, value)]
        if is_error(kind):
            self.expr(target.slice)
            self.expr(value_node)
            return []
        index = self.int_value(target.slice, "a list index")
        if not isinstance(kind, ListType):
            self.report.type_error(
                target,
                f"item assignment to a value of type {kind}",
                "assign items of a list; other values are immutable",
            )
            return []
        value = self.value(value_node, kind.item, "an item of " + str(kind))
        if is_error(index.type) or is_error(value.type):
            return []
        return [ListSet(container, index, value, self.report.loc(target))]

    def _stmt_AnnAssign(self, node: ast.AnnAssign) -> list[Stmt]:
        target = node.target
        if not isinstance(target, ast.Name):
            self._reject_target(target)
            return []
        name = target.id
        if self.rebinds_module_name(target):
            return []
        reader = AnnotationReader(self.report)
        reader.records = self.scope.record_reader
        declared = reader.read(node.annotation)
        if name in self.locals:
            what = (
                "a parameter"
                if self.locals[name] in self.local_list[: self._param_count()]
                else ("a variable that already has a type")
            )
            self.report.type_error(
                node,
                f"'{name}' is annotated again: it is {what}",
                "annotate a variable once, at or before its first assignment",
            )
            return []
        if declared is None:
            self.poisoned.add(name)
            self.mark_assigned(name)
            return []
        local = self.new_local(name, declared)
        if node.value is None:
            return []
        value = self.value(node.value, declared, f"the annotated variable '{name}'")
        self.mark_assigned(name)
        if is_error(value.type):
            return []
        return [Assign(local, value)]

    def _param_count(self) -> int:
        return len(self.signature.params)

    def _stmt_AugAssign(self, node: ast.AugAssign) -> list[Stmt]:
        if isinstance(node.op, _BITWISE):
            self.report.reject(node, "MOLT-L-REJECT-BITWISE", "a bitwise augmented assignment")
            return []
        if isinstance(node.op, ast.MatMult):
            self.report.unsupported(node, "the operator @=", "write the loop with * and +")
            return []
        op = _ARITH[type(node.op)]
        target = node.target
        if isinstance(target, ast.Name):
            if self.rebinds_module_name(target):
                return []
            current = self.expr(ast.Name(target.id, ast.Load(), **_position(target)))
            result = self.arith(op, current, self.expr(node.value), node)
            if is_error(result.type) or target.id in self.poisoned:
                return []
            local = self.locals[target.id]
            if _in_place(op, current, result):  # xs += ys, xs *= n: the same list, changed
                return [Evaluate(ListReplace(current, result))]
            if result.type != local.type and not (result.type == INT and local.type == FLOAT):
                self.report.type_error(
                    node,
                    f"'{target.id} {op.value}= ...' gives {result.type}, but '{target.id}' "
                    f"holds {local.type}",
                    f"write {target.id} = {target.id} {op.value} ... with a new variable, or "
                    "convert explicitly",
                )
                return []
            return [Assign(local, self.rebind_value(local, result, node))]
        if isinstance(target, ast.Subscript) and not isinstance(target.slice, ast.Slice):
            return self._augment_item(node, op, target)
        self._reject_target(target)
        return []

    def _augment_item(self, node: ast.AugAssign, op: ArithOp, target: ast.Subscript) -> list[Stmt]:
        """`xs[i] op= v`: the list and the index are evaluated once, into temporaries."""
        container = self.expr(target.value)
        kind = container.type
        if isinstance(kind, DictType):
            return self._augment_key(node, op, target, container, kind)
        index = self.int_value(target.slice, "a list index")
        if is_error(kind) or is_error(index.type):
            self.expr(node.value)
            return []
        if not isinstance(kind, ListType):
            self.report.type_error(
                target, f"item assignment to a value of type {kind}", "assign items of a list"
            )
            return []
        loc = self.report.loc(target)
        list_temp, index_temp = self.new_temp(kind), self.new_temp(INT)
        current = ListGet(LoadLocal(list_temp), LoadLocal(index_temp), loc)
        result = self.arith(op, current, self.expr(node.value), node)
        if is_error(result.type):
            return []
        if _in_place(op, current, result):
            replace = ListReplace(current, result)
            return [Assign(list_temp, container), Assign(index_temp, index), Evaluate(replace)]
        value = self.convert(result, kind.item, node, f"an item of {kind}")
        if is_error(value.type):
            return []
        return [
            Assign(list_temp, container),
            Assign(index_temp, index),
            ListSet(LoadLocal(list_temp), LoadLocal(index_temp), value, loc),
        ]

    def _augment_key(
        self,
        node: ast.AugAssign,
        op: ArithOp,
        target: ast.Subscript,
        container: Expr,
        kind: DictType,
    ) -> list[Stmt]:
        """`d[k] op= v`: the dict and the key are evaluated once; a missing key is MOLT-E-KEY."""
        key = self.value(target.slice, STR, "a dict key")
        if is_error(key.type):
            self.expr(node.value)
            return []
        dict_temp, key_temp = self.new_temp(kind), self.new_temp(STR)
        current = DictGet(LoadLocal(dict_temp), LoadLocal(key_temp), self.report.loc(target))
        result = self.arith(op, current, self.expr(node.value), node)
        if is_error(result.type):
            return []
        if _in_place(op, current, result):
            replace = ListReplace(current, result)
            return [Assign(dict_temp, container), Assign(key_temp, key), Evaluate(replace)]
        value = self.convert(result, kind.value, node, f"a value of {kind}")
        if is_error(value.type):
            return []
        return [
            Assign(dict_temp, container),
            Assign(key_temp, key),
            DictSet(LoadLocal(dict_temp), LoadLocal(key_temp), value),
        ]

    # -- control flow (MOLT-L-STMT-IF, -WHILE, -FOR-RANGE, -FOR-LIST, -BREAK, -CONTINUE) --

    def _stmt_If(self, node: ast.If) -> list[Stmt]:
        cond = self.condition(node.test, "an if condition")
        when_true, when_false = self.narrowing(node.test)
        entry, entry_narrowed = self.assigned, self.narrowed
        self.narrowed = entry_narrowed | when_true
        body = self.branch(node.body, entry)
        after_body, body_narrowed = self.assigned, self.narrowed
        self.narrowed = entry_narrowed | when_false
        orelse = self.branch(node.orelse, entry)
        # after the if, a name stays narrowed when it is on every branch that gets there
        if after_body is None:
            pass
        elif self.assigned is None:
            self.narrowed = body_narrowed
        else:
            self.narrowed = body_narrowed & self.narrowed
        self.assigned = _merge(after_body, self.assigned)
        if is_error(cond.type):
            return []
        return [If(cond, body, orelse)]

    def _stmt_While(self, node: ast.While) -> list[Stmt]:
        if node.orelse:
            self.report.reject(node.orelse[0], "MOLT-L-REJECT-LOOP-ELSE")
        # a name assigned in the body may be None again when the loop comes round
        entry_narrowed = self.narrowed - _bound_names(node.body)
        self.narrowed = set(entry_narrowed)
        cond = self.condition(node.test, "a while condition")
        entry = self.assigned
        self.narrowed = entry_narrowed | self.narrowing(node.test)[0]
        loop = self.loop_body(node.body, entry)
        self.narrowed = entry_narrowed
        forever = isinstance(node.test, ast.Constant) and node.test.value is True
        if forever:
            self.assigned = _intersect(loop.breaks)
        else:
            self.assigned = entry
        if is_error(cond.type):
            return []
        return [While(cond, loop.body)]

    def _stmt_For(self, node: ast.For) -> list[Stmt]:
        if node.orelse:
            self.report.reject(node.orelse[0], "MOLT-L-REJECT-LOOP-ELSE")
        view = _dict_view(node.iter)
        if view is not None:
            return self._for_dict_view(node, view)
        target = node.target
        if not isinstance(target, ast.Name):
            self._reject_target(target)
            self.loop_body(node.body, self.assigned)
            return []
        iterable = node.iter
        entry = self.assigned
        if (
            isinstance(iterable, ast.Call)
            and isinstance(iterable.func, ast.Name)
            and iterable.func.id == "range"
            and "range" not in self.bound_names
            and not self.scope.is_module_name("range")
        ):
            bounds = self._range_bounds(iterable)
            item_type: MoltType | None = INT
        else:
            bounds = None
            sequence = self.expr(iterable)
            item_type = None
            if isinstance(sequence.type, ListType):
                item_type = sequence.type.item
            elif isinstance(sequence.type, DictType) or sequence.type == STR:
                item_type = STR
            elif sequence.type == BYTES:  # MOLT-L-TYPE-BYTES: no iteration in v1
                self.report.type_error(
                    iterable,
                    "a for loop over bytes",
                    "iterate over range(len(b)) and index: b[i] is an int 0 to 255",
                )
            elif not is_error(sequence.type):
                self.report.type_error(
                    iterable,
                    f"a for loop over a value of type {sequence.type}",
                    "iterate over range(...) or a list (str and dict iteration are not "
                    "supported yet by this compiler version)",
                )
        var, prelude = self._bind_loop_var(target, item_type)
        # a name assigned in the body may be None again when the loop comes round
        self.narrowed = self.narrowed - _bound_names(node.body) - {target.id}
        loop = self.loop_body(node.body, None if entry is None else entry | {target.id})
        self.assigned = entry
        if var is None or item_type is None:
            return []
        body = tuple(prelude) + loop.body
        if bounds is not None:
            start, stop, step = bounds
            if any(is_error(b.type) for b in bounds):
                return []
            return [ForRange(var, start, stop, step, body, self.report.loc(iterable))]
        if sequence.type == STR:
            return self._for_str(var, sequence, body, self.report.loc(iterable))
        if isinstance(sequence.type, DictType):
            return self._for_dict(sequence, [(var, False)], body, self.report.loc(iterable))
        return [ForList(var, sequence, body)]

    def _for_dict_view(self, node: ast.For, view: str) -> list[Stmt]:
        """`for k in d.keys()`, `for v in d.values()`, `for k, v in d.items()`."""
        assert isinstance(node.iter, ast.Call) and isinstance(node.iter.func, ast.Attribute)
        sequence = self.expr(node.iter.func.value)
        kind = sequence.type
        if not isinstance(kind, DictType):
            if not is_error(kind):
                self.report.reject(
                    node.iter, "MOLT-L-REJECT-OTHER-METHOD", f"the method {kind}.{view}"
                )
            for name in ast.walk(node.target):
                if isinstance(name, ast.Name):
                    self.poisoned.add(name.id)
            self.loop_body(node.body, self.assigned)
            return []
        target = node.target
        if view == "items":
            if not (
                isinstance(target, ast.Tuple)
                and len(target.elts) == 2
                and all(isinstance(e, ast.Name) for e in target.elts)
            ):
                self.report.type_error(
                    target,
                    "a for loop over d.items() binds two names",
                    "write `for key, value in d.items():`",
                )
                self.loop_body(node.body, self.assigned)
                return []
            wanted = [(target.elts[0], STR, False), (target.elts[1], kind.value, True)]
        else:
            if not isinstance(target, ast.Name):
                self._reject_target(target)
                self.loop_body(node.body, self.assigned)
                return []
            is_values = view == "values"
            wanted = [(target, kind.value if is_values else STR, is_values)]
        entry = self.assigned
        bound: list[tuple[Local, bool]] = []
        prelude: list[Stmt] = []
        ok = True
        for name_node, item_type, is_value in wanted:
            assert isinstance(name_node, ast.Name)
            var, extra = self._bind_loop_var(name_node, item_type)
            if var is None:
                ok = False
            else:
                bound.append((var, is_value))
                prelude.extend(extra)
        names_bound = {n.id for n, _, _ in wanted if isinstance(n, ast.Name)}
        self.narrowed = self.narrowed - _bound_names(node.body) - names_bound
        loop = self.loop_body(node.body, None if entry is None else entry | names_bound)
        self.assigned = entry
        if not ok:
            return []
        body = tuple(prelude) + loop.body
        return self._for_dict(sequence, bound, body, self.report.loc(node.iter))

    def _for_dict(
        self,
        sequence: Expr,
        bound: list[tuple[Local, bool]],
        body: tuple[Stmt, ...],
        loc: SourceLoc,
    ) -> list[Stmt]:
        """MOLT-L-STMT-FOR-DICT: a counted loop over the entries in insertion order; a key
        added during the loop is MOLT-E-VALUE at the next step, as CPython's RuntimeError."""
        kind = sequence.type
        assert isinstance(kind, DictType)
        held, count, index = self.new_temp(kind), self.new_temp(INT), self.new_temp(INT)
        keys = DictPart(LoadLocal(held), False)
        size = ListLen(keys)
        changed = If(
            Compare(CmpOp.NE, size, LoadLocal(count)),
            (Raise("MOLT-E-VALUE", "dictionary changed size during iteration", loc),),
            (),
        )
        finished = If(Compare(CmpOp.GE, LoadLocal(index), LoadLocal(count)), (Break(),), ())
        steps: list[Stmt] = [changed, finished]
        for var, is_value in bound:
            source = DictPart(LoadLocal(held), is_value)
            steps.append(Assign(var, ListGet(source, LoadLocal(index), loc)))
        steps.append(Assign(index, Arith(ArithOp.ADD, LoadLocal(index), Const(1, INT), loc)))
        return [
            Assign(held, sequence),
            Assign(count, ListLen(DictPart(LoadLocal(held), False))),
            Assign(index, Const(0, INT)),
            While(Const(True, BOOL), (*steps, *body)),
        ]

    def _for_str(
        self, var: Local, text: Expr, body: tuple[Stmt, ...], loc: SourceLoc
    ) -> list[Stmt]:
        """`for c in s`: a counted loop over the code points of s, evaluated once."""
        held, index = self.new_temp(STR), self.new_temp(INT)
        item = StrOp(StrOpKind.GET, (LoadLocal(held), LoadLocal(index)), loc)
        count = StrOp(StrOpKind.LEN, (LoadLocal(held),), loc)
        loop = ForRange(index, Const(0, INT), count, Const(1, INT), (Assign(var, item), *body), loc)
        return [Assign(held, text), loop]

    def _range_bounds(self, call: ast.Call) -> tuple[Expr, Expr, Expr]:
        """MOLT-L-STMT-FOR-RANGE: range(stop), range(start, stop), range(start, stop, step)."""
        if call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
            self.report.type_error(call, "range() takes positional arguments only", "pass ints")
            return (self.error(), self.error(), self.error())
        if not self._arity(call, "range", 1, 3):
            return (self.error(), self.error(), self.error())
        args = [self.int_value(arg, "a range() argument") for arg in call.args]
        if len(args) == 1:
            return (Const(0, INT), args[0], Const(1, INT))
        if len(args) == 2:
            return (args[0], args[1], Const(1, INT))
        return (args[0], args[1], args[2])

    def _bind_loop_var(
        self, target: ast.Name, item_type: MoltType | None
    ) -> tuple[Local | None, list[Stmt]]:
        """The local a loop assigns each item to, and statements to run first in the body."""
        name = target.id
        if self.rebinds_module_name(target) or item_type is None:
            self.poisoned.add(name)
            return None, []
        local = self.locals.get(name)
        if local is None:
            return self.new_local(name, item_type), []
        if local.type == item_type or is_error(local.type):
            return local, []
        if local.type == FLOAT and item_type == INT:
            temp = self.new_temp(INT)
            return temp, [Assign(local, IntToFloat(LoadLocal(temp)))]
        self.report.reject(
            target,
            "MOLT-L-REJECT-TYPE-CHANGE",
            f"'{name}' has type {local.type} but the loop assigns it {item_type} values",
        )
        return None, []

    def _stmt_Break(self, node: ast.Break) -> list[Stmt]:
        if not self.loops:
            where = self.report.loc(node)
            self.report.syntax_error(where.line, where.column, "'break' outside loop")
            self.assigned = None
            return []
        if self.assigned is not None:
            self.loops[-1].breaks.append(set(self.assigned))
        self.assigned = None
        return [Break()]

    def _stmt_Continue(self, node: ast.Continue) -> list[Stmt]:
        if not self.loops:
            where = self.report.loc(node)
            self.report.syntax_error(where.line, where.column, "'continue' not properly in loop")
            self.assigned = None
            return []
        self.assigned = None
        return [Continue()]

    # -- the rest (MOLT-L-STMT-RETURN, -PASS, -ASSERT, -RAISE, -EXPR) --------------------

    def _stmt_Return(self, node: ast.Return) -> list[Stmt]:
        returns = self.signature.returns
        self_name = self.signature.name
        if node.value is None:
            self.assigned = None
            if returns != NONE and not is_error(returns):
                self.report.type_error(
                    node,
                    f"a bare return in '{self_name}', which returns {returns}",
                    f"return a value of type {returns}",
                )
                return []
            return [Return(None)]
        value = self.expr(node.value, returns)
        self.assigned = None
        if is_error(value.type) or is_error(returns):
            return []
        if returns == NONE:
            if value.type != NONE:
                self.report.type_error(
                    node,
                    f"'{self_name}' returns None but this returns {value.type}",
                    "change the return annotation, or return nothing",
                )
                return []
            if isinstance(value, Const):
                return [Return(None)]
            return [Evaluate(value), Return(None)]
        converted = self.coerce(value, returns)
        if converted is None:
            self.report.type_error(
                node,
                f"'{self_name}' returns {returns} but this returns {value.type}",
                "convert the value explicitly, or change the return annotation",
            )
            return []
        return [Return(converted)]

    def _stmt_Pass(self, node: ast.Pass) -> list[Stmt]:
        return []

    def _stmt_Expr(self, node: ast.Expr) -> list[Stmt]:
        value = node.value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return []  # a string used as a comment: no effect
        expr = self.expr(value)
        if is_error(expr.type):
            return []
        return [Evaluate(expr)]

    def _stmt_Assert(self, node: ast.Assert) -> list[Stmt]:
        cond = self.condition(node.test, "an assert condition")
        if node.msg is None:
            detail = self.text(node.test)
        else:
            detail = self._message(node.msg, "an assert message")
        if isinstance(node.test, ast.Constant) and node.test.value is False:
            self.assigned = None
        if is_error(cond.type) or detail is None:
            return []
        if isinstance(detail, Expr):
            return [Assert(cond, "", self.report.loc(node), detail)]
        return [Assert(cond, detail, self.report.loc(node))]

    def _stmt_Raise(self, node: ast.Raise) -> list[Stmt]:
        exc = node.exc
        self.assigned = None
        if (
            node.cause is not None
            or not isinstance(exc, ast.Call)
            or not isinstance(exc.func, ast.Name)
            or exc.func.id not in RAISE_CODES
            or exc.func.id in self.bound_names
            or self.scope.is_module_name(exc.func.id)
            or len(exc.args) != 1
            or exc.keywords
        ):
            self.report.reject(node, "MOLT-L-REJECT-RAISE-OTHER")
            return []
        detail = self._message(exc.args[0], "a raise message")
        if detail is None:
            return []
        if isinstance(detail, Expr):
            return [Raise(RAISE_CODES[exc.func.id], "", self.report.loc(node), detail)]
        return [Raise(RAISE_CODES[exc.func.id], detail, self.report.loc(node))]

    def _message(self, node: ast.expr, what: str) -> str | Expr | None:
        """The text of a str literal message, the str expression of any other message
        (an f-string, a str value), or None after reporting why not."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node.value.encode("utf-8")
            except UnicodeEncodeError:
                self.report.unsupported(
                    node,
                    "a str literal with a surrogate code point",
                    "every Molt str is valid UTF-8: remove the surrogate escape",
                )
                return None
            return node.value
        message = self.expr(node)
        if is_error(message.type):
            return None
        if message.type != STR:
            self.report.type_error(
                node,
                f"{what} must be a str, not {message.type}",
                "pass a str: a literal, an f-string or a str value",
            )
            return None
        return message

    def _stmt_Import(self, node: ast.Import) -> list[Stmt]:
        for alias in node.names:
            self.report.import_error(node, alias.name)
        return []

    def _stmt_ImportFrom(self, node: ast.ImportFrom) -> list[Stmt]:
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            self.report.import_error(node, f"{module}.{alias.name}")
        return []

    def _stmt_other(self, node: ast.stmt) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.poisoned.add(node.name)
            self.bound_names.add(node.name)
        rejected = _STMT_REJECTS.get(type(node))
        if rejected is not None:
            self.report.reject(node, rejected)
        else:
            self.report.unsupported(
                node,
                f"the statement {type(node).__name__}",
                "write it with the statements of the Molt language (spec/language.yaml)",
            )


def _merge(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The names assigned after two branches join: on both, or on the one that reaches."""
    if a is None:
        return b
    if b is None:
        return a
    return a & b


def _intersect(states: list[set[str]]) -> set[str] | None:
    if not states:
        return None
    out = set(states[0])
    for state in states[1:]:
        out &= state
    return out


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _position(node: ast.AST) -> dict[str, int]:
    return {
        "lineno": node.lineno,  # type: ignore[attr-defined]
        "col_offset": node.col_offset,  # type: ignore[attr-defined]
        "end_lineno": node.end_lineno,  # type: ignore[attr-defined]
        "end_col_offset": node.end_col_offset,  # type: ignore[attr-defined]
    }


def _bound_names(statements: list[ast.stmt]) -> set[str]:
    """Every name that assignments and for targets bind in `statements`, nested blocks too.

    Nested functions, classes and lambdas are scopes of their own (and rejected).
    """
    names: set[str] = set()
    stack: list[ast.AST] = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        stack.extend(ast.iter_child_nodes(node))
    return names


def _dict_view(node: ast.expr) -> str | None:
    """ "keys", "values" or "items" when `node` is `X.keys()` and so on (no arguments)."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("keys", "values", "items")
        and not node.args
        and not node.keywords
    ):
        return node.func.attr
    return None


def _in_place(op: ArithOp, current: Expr, result: Expr) -> bool:
    """`+=` and `*=` of a list change the list itself (MOLT-L-STMT-AUGASSIGN), as
    CPython's list.__iadd__ and __imul__ do, so every reference sees the change."""
    return (
        op in (ArithOp.ADD, ArithOp.MUL)
        and isinstance(current.type, ListType)
        and result.type == current.type
    )
