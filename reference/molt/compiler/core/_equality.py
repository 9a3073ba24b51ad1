"""== and != of lists, dicts, records and optional values (MOLT-L-EXPR-COMPARE-EQ).

Deep, structural equality as in CPython, with one deliberate difference the spec
states: there is no identity shortcut, so a float NaN is unequal to everything,
itself included, at any depth ([nan] == [nan] is False; CPython says True when
both lists hold the same NaN object). Items compare as the scalar operators do:
int and bool by value, float by IEEE ==, str and bytes by content; lists item by
item after comparing lengths; dicts by length and then each key of the left one
looked up in the right one, in any order; records field by field; optional
values are equal when both are None or both hold equal values. A T | None value
equals a T value when it is not None and holds an equal value.

Each structural type gets one function `molt.eq.<type>(a, b) -> i1`, emitted on
first use; none of them allocates or fails.
"""

from __future__ import annotations

from collections.abc import Callable

from llvmlite import ir

from molt.compiler.core._dicts import DictOps, part
from molt.compiler.core._llvm import I1, I8, I32, PTR, Builder, const, internal_function
from molt.compiler.core._msgpack import field_pointer, item_type, llvm_type, type_key
from molt.compiler.core._runtime import Runtime
from molt.compiler.core._strings import StringOps
from molt.compiler.ir.types import (
    BOOL,
    BYTES,
    FLOAT,
    NONE,
    STR,
    DictType,
    ListType,
    MoltType,
    OptionalType,
    RecordType,
)

__all__ = ["Equality", "is_structural"]


def is_structural(kind: MoltType) -> bool:
    """Whether == of `kind` compares contents through a generated function."""
    return isinstance(kind, (ListType, DictType, RecordType, OptionalType))


class Equality:
    """The equality functions of one module."""

    def __init__(self, runtime: Runtime, text: StringOps, dicts: DictOps) -> None:
        self.rt = runtime
        self.text = text
        self.dicts = dicts
        self.module = runtime.module
        self._functions: dict[str, ir.Function] = {}

    # -- entry point for the lowering -----------------------------------------------------

    def emit(
        self,
        b: ir.IRBuilder,
        left: ir.Value,
        left_type: MoltType,
        right: ir.Value,
        right_type: MoltType,
    ) -> ir.Value:
        """left == right for two values of one type, or a T | None and a T (either side)."""
        if left_type == right_type:
            return self.values_equal(b, left, right, left_type)
        if isinstance(right_type, OptionalType):
            left, left_type, right, right_type = right, right_type, left, left_type
        assert isinstance(left_type, OptionalType) and left_type.item == right_type
        return b.call(self._optional_value(left_type), [left, right], name="eq.optional")

    # -- one value ----------------------------------------------------------------------

    def values_equal(self, b: ir.IRBuilder, x: ir.Value, y: ir.Value, kind: MoltType) -> ir.Value:
        if kind == NONE:
            return const(I1, 1)
        if kind == FLOAT:
            return b.fcmp_ordered("==", x, y, name="eq.float")
        if kind in (STR, BYTES):
            order = b.call(self.text.compare, [x, y], name="eq.order")
            return b.icmp_signed("==", order, const(I32, 0), name="eq.text")
        if is_structural(kind):
            return b.call(self.function(kind), [x, y], name=f"eq.{type_key(kind)}")
        return b.icmp_signed("==", x, y, name="eq.int")  # int, bool

    def load(self, b: ir.IRBuilder, address: ir.Value, kind: MoltType) -> ir.Value | None:
        """The value of `kind` stored at `address` (a list item, field or box)."""
        if kind == NONE:
            return None
        value = b.load(address, typ=item_type(kind))
        return b.trunc(value, I1) if kind == BOOL else value

    # -- the generated functions --------------------------------------------------------------

    def function(self, kind: MoltType) -> ir.Function:
        """molt.eq.<kind>(a, b) -> i1 for a list, dict, record or optional type."""
        name = f"eq.{type_key(kind)}"
        found = self._functions.get(name)
        if found is not None:
            return found
        f = internal_function(self.module, f"molt.{name}", I1, [PTR, PTR], ["a", "b"])
        self._functions[name] = f
        b = Builder(f.entry_basic_block)
        if isinstance(kind, OptionalType):
            self._build_optional(b, f, kind)
        elif isinstance(kind, ListType):
            self._build_list(b, f, kind)
        elif isinstance(kind, DictType):
            self._build_dict(b, f, kind)
        else:
            assert isinstance(kind, RecordType)
            self._build_record(b, f, kind)
        return f

    def _unboxed(self, b: ir.IRBuilder, pointer: ir.Value, kind: MoltType) -> ir.Value | None:
        """The T inside a non-null T | None (pointers are their own value)."""
        if kind in (STR, BYTES) or is_structural(kind):
            return pointer
        return self.load(b, pointer, kind)

    def _build_optional(self, b: ir.IRBuilder, f: ir.Function, kind: OptionalType) -> None:
        x, y = f.args
        null = ir.Constant(PTR, None)
        x_none = b.icmp_unsigned("==", x, null)
        y_none = b.icmp_unsigned("==", y, null)
        with b.if_then(b.or_(x_none, y_none)):
            b.ret(b.and_(x_none, y_none))
        item = kind.item
        b.ret(self.values_equal(b, self._unboxed(b, x, item), self._unboxed(b, y, item), item))

    def _optional_value(self, kind: OptionalType) -> ir.Function:
        """molt.eq.optional_value.<T>(optional, value) -> i1: not None and equal."""
        name = f"eq.optional_value.{type_key(kind.item)}"
        found = self._functions.get(name)
        if found is not None:
            return found
        item = kind.item
        f = internal_function(
            self.module, f"molt.{name}", I1, [PTR, llvm_type(item)], ["optional", "value"]
        )
        self._functions[name] = f
        optional, value = f.args
        b = Builder(f.entry_basic_block)
        with b.if_then(b.icmp_unsigned("==", optional, ir.Constant(PTR, None))):
            b.ret(const(I1, 0))
        b.ret(self.values_equal(b, self._unboxed(b, optional, item), value, item))
        return f

    def _loop(
        self,
        b: ir.IRBuilder,
        f: ir.Function,
        count: ir.Value,
        test: Callable[[ir.Value], ir.Value],
    ) -> None:
        """Return False at the first index below `count` where test(index) is False,
        True when there is none."""
        start = b.block
        top, body, differ, same = (
            f.append_basic_block(n) for n in ("top", "body", "differ", "same")
        )
        b.branch(top)
        b.position_at_end(top)
        index = b.phi(I32, name="index")
        index.add_incoming(const(I32, 0), start)
        b.cbranch(b.icmp_unsigned("<", index, count), body, same)
        b.position_at_end(body)
        equal = test(index)
        index.add_incoming(b.add(index, const(I32, 1)), b.block)
        b.cbranch(equal, top, differ)
        b.position_at_end(differ)
        b.ret(const(I1, 0))
        b.position_at_end(same)
        b.ret(const(I1, 1))

    def _length(self, b: ir.IRBuilder, items: ir.Value) -> ir.Value:
        return b.load(self.rt.list_field(b, items, 0, "length_field"), name="length")

    def _item(
        self, b: ir.IRBuilder, items: ir.Value, index: ir.Value, kind: MoltType
    ) -> ir.Value | None:
        data = b.load(self.rt.list_field(b, items, 2, "items_field"), name="items")
        return self.load(b, b.gep(data, [index], source_etype=item_type(kind)), kind)

    def _build_list(self, b: ir.IRBuilder, f: ir.Function, kind: ListType) -> None:
        x, y = f.args
        length = self._length(b, x)
        with b.if_then(b.icmp_unsigned("!=", length, self._length(b, y))):
            b.ret(const(I1, 0))
        item = kind.item
        self._loop(
            b,
            f,
            length,
            lambda i: self.values_equal(
                b, self._item(b, x, i, item), self._item(b, y, i, item), item
            ),
        )

    def _build_dict(self, b: ir.IRBuilder, f: ir.Function, kind: DictType) -> None:
        x, y = f.args
        x_keys, y_keys = part(b, x, 0), part(b, y, 0)
        length = self._length(b, x_keys)
        with b.if_then(b.icmp_unsigned("!=", length, self._length(b, y_keys))):
            b.ret(const(I1, 0))
        value = kind.value

        def test(index: ir.Value) -> ir.Value:
            key = self._item(b, x_keys, index, STR)
            data = b.gep(key, [const(I32, 8)], source_etype=I8)
            found = b.call(self.dicts.find, [y, data, self.text.size(b, key)], name="found")
            missing = b.icmp_signed("<", found, const(I32, 0))
            # a missing key differs; otherwise compare the two values
            with b.if_then(missing):
                b.ret(const(I1, 0))
            mine = self._item(b, part(b, x, 1), index, value)
            theirs = self._item(b, part(b, y, 1), found, value)
            return self.values_equal(b, mine, theirs, value)

        self._loop(b, f, length, test)

    def _build_record(self, b: ir.IRBuilder, f: ir.Function, kind: RecordType) -> None:
        x, y = f.args
        for index, (_, field) in enumerate(kind.fields):
            if field == NONE:
                continue
            mine = self.load(b, field_pointer(b, x, kind, index), field)
            theirs = self.load(b, field_pointer(b, y, kind, index), field)
            with b.if_then(b.not_(self.values_equal(b, mine, theirs, field))):
                b.ret(const(I1, 0))
        b.ret(const(I1, 1))
