"""dict[str, T] values (MOLT-L-TYPE-DICT) in the core, and their MessagePack codecs.

A dict is a pointer to `{keys, values, table, mask}`: two lists (the list
layout of `_runtime`), a list[str] of the keys and a list[T] of the values, in
insertion order, so entry i is (keys[i], values[i]); keys are never removed.
Order comes from the lists alone, so hashing never shows in results. A dict of
fewer than `INDEX_FROM` keys is searched by a linear scan of the UTF-8 bytes
(no index memory for the small dicts most messages carry); from then on `table`
is an open-addressing index of `mask + 1` i32 slots (a power of two, at most
half full), each 0 or 1 + the position of a key, hashed with 32-bit FNV-1a, so
lookups, stores and the duplicate-key check of the decoder stay O(1) on large
dicts. Growing the index rebuilds it in fresh arena memory (the arena is reset
per call).

Reading is strict (spec/abi.yaml `wire_format`): the keys must be str (else
MOLT-E-MALFORMED-MESSAGE), a repeated key is MALFORMED at the key's JSON path,
and each value is read at `$...key`. Writing is canonical: the smallest map
header, then each key and value in insertion order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llvmlite import ir

from molt.compiler.core._llvm import (
    I1,
    I8,
    I32,
    I64,
    PTR,
    VOID,
    Builder,
    const,
    internal_function,
    intrinsic,
)
from molt.compiler.core._loops import counted_loop
from molt.compiler.core._strings import STR_HEADER
from molt.compiler.ir.types import STR, DictType

if TYPE_CHECKING:
    from molt.compiler.core._msgpack import MessagePack
    from molt.compiler.core._runtime import Runtime

__all__ = ["DICT_STRUCT", "DictOps", "build_dict_decoder", "build_dict_encoder"]

DICT_STRUCT = ir.LiteralStructType([PTR, PTR, PTR, I32])
"""A dict: its list of keys, its list of values, its index (or null) and the index's mask."""

INDEX_FROM = 8
"""The number of keys from which a dict keeps a hashed index."""
FNV_OFFSET = 2166136261
FNV_PRIME = 16777619

D_DUPLICATE = "duplicate map key {repr0}"
"""As the host says it: the key quoted like Python's repr()."""


def part(b: ir.IRBuilder, dictionary: ir.Value, index: int) -> ir.Value:
    """The keys list (0) or the values list (1) of `dictionary`."""
    return b.load(field_of(b, dictionary, index), typ=PTR, name="values" if index else "keys")


def field_of(b: ir.IRBuilder, dictionary: ir.Value, index: int) -> ir.Value:
    """The address of field `index` of `dictionary` (see DICT_STRUCT)."""
    return b.gep(dictionary, [const(I32, 0), const(I32, index)], source_etype=DICT_STRUCT)


def key_bytes(b: ir.IRBuilder, key: ir.Value) -> tuple[ir.Value, ir.Value]:
    """(data, size) of a str `key`: its UTF-8 bytes."""
    size = b.load(b.gep(key, [const(I32, 0), const(I32, 0)], source_etype=STR_HEADER), typ=I32)
    return b.gep(key, [const(I32, 8)], source_etype=I8), size


class DictOps:
    """The dict helpers of one module, each emitted on first use."""

    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime
        self.module = runtime.module
        self._functions: dict[str, ir.Function] = {}

    @property
    def new(self) -> ir.Function:
        """dict_new(value_size: i32) -> ptr: an empty dict, or null (out of memory)."""
        found = self._functions.get("new")
        if found is not None:
            return found
        rt = self.rt
        f = internal_function(self.module, "molt.dict.new", PTR, [I32], ["value_size"])
        self._functions["new"] = f
        (value_size,) = f.args
        b = Builder(f.entry_basic_block)
        null = ir.Constant(PTR, None)
        block = b.call(rt.alloc, [const(I64, 16)], name="dict")
        with b.if_then(b.icmp_unsigned("==", block, null)):
            b.ret(null)
        b.store(null, field_of(b, block, 2))
        b.store(const(I32, 0), field_of(b, block, 3))
        for index, size in enumerate((const(I32, 4), value_size)):
            items = b.call(rt.list_new, [const(I32, 0), size])
            with b.if_then(b.icmp_unsigned("==", items, null)):
                b.ret(null)
            b.store(items, field_of(b, block, index))
        b.ret(block)
        return f

    @property
    def hash(self) -> ir.Function:
        """dict_hash(bytes, size: i32) -> i32: 32-bit FNV-1a of the key's UTF-8 bytes."""
        found = self._functions.get("hash")
        if found is not None:
            return found
        f = internal_function(self.module, "molt.dict.hash", I32, [PTR, I32], ["bytes", "size"])
        self._functions["hash"] = f
        data, size = f.args
        b = Builder(f.entry_basic_block)
        with counted_loop(b, size, "byte") as loop:
            state = loop.carry(I32, const(I32, FNV_OFFSET), "state")
            byte = b.zext(b.load(b.gep(data, [loop.index], source_etype=I8), typ=I8), I32)
            loop.next(state, b.mul(b.xor(state, byte), const(I32, FNV_PRIME)))
        b.ret(state)
        return f

    def _same_key(
        self, b: ir.IRBuilder, items: ir.Value, position: ir.Value, data: ir.Value, size: ir.Value
    ) -> ir.Value:
        """Whether keys[position] has exactly the bytes (data, size)."""
        key = b.load(b.gep(items, [position], source_etype=PTR), typ=PTR, name="key")
        key_data, key_size = key_bytes(b, key)
        same_size = b.icmp_unsigned("==", key_size, size)
        with b.if_else(same_size) as (then, otherwise):
            with then:
                equal = b.call(self.rt.bytes_equal, [key_data, data, size])
                then_block = b.block
            with otherwise:
                otherwise_block = b.block
        result = b.phi(I1, name="same")
        result.add_incoming(equal, then_block)
        result.add_incoming(const(I1, 0), otherwise_block)
        return result

    @property
    def find(self) -> ir.Function:
        """dict_find(dict, bytes, size: i32) -> i32: the position of the key, or -1."""
        found = self._functions.get("find")
        if found is not None:
            return found
        rt = self.rt
        f = internal_function(
            self.module, "molt.dict.find", I32, [PTR, PTR, I32], ["dict", "bytes", "size"]
        )
        self._functions["find"] = f
        dictionary, data, size = f.args
        b = Builder(f.entry_basic_block)
        keys = part(b, dictionary, 0)
        items = b.load(rt.list_field(b, keys, 2, "items_field"), name="items")
        table = b.load(field_of(b, dictionary, 2), typ=PTR, name="table")
        scan = f.append_basic_block("scan")
        probe_start = f.append_basic_block("probe_start")
        miss = f.append_basic_block("miss")
        b.cbranch(b.icmp_unsigned("==", table, ir.Constant(PTR, None)), scan, probe_start)

        # Small dicts: a linear scan in insertion order.
        b.position_at_end(scan)
        length = b.load(rt.list_field(b, keys, 0, "length_field"), name="length")
        scan_loop = f.append_basic_block("scan_loop")
        scan_body = f.append_basic_block("scan_compare")
        b.branch(scan_loop)
        b.position_at_end(scan_loop)
        index = b.phi(I32, name="index")
        index.add_incoming(const(I32, 0), scan)
        b.cbranch(b.icmp_unsigned("<", index, length), scan_body, miss)
        b.position_at_end(scan_body)
        same = self._same_key(b, items, index, data, size)
        scan_hit = f.append_basic_block("scan_hit")
        index.add_incoming(b.add(index, const(I32, 1)), b.block)
        b.cbranch(same, scan_hit, scan_loop)
        b.position_at_end(scan_hit)
        b.ret(index)

        # Indexed dicts: linear probing from the key's hash.
        b.position_at_end(probe_start)
        mask = b.load(field_of(b, dictionary, 3), typ=I32, name="mask")
        first = b.and_(b.call(self.hash, [data, size]), mask, name="first")
        probe = f.append_basic_block("probe")
        occupied = f.append_basic_block("occupied")
        b.branch(probe)
        b.position_at_end(probe)
        slot = b.phi(I32, name="slot")
        slot.add_incoming(first, probe_start)
        entry = b.load(b.gep(table, [slot], source_etype=I32), typ=I32, name="entry")
        b.cbranch(b.icmp_unsigned("==", entry, const(I32, 0)), miss, occupied)
        b.position_at_end(occupied)
        position = b.sub(entry, const(I32, 1), name="position")
        same = self._same_key(b, items, position, data, size)
        probe_hit = f.append_basic_block("probe_hit")
        slot.add_incoming(b.and_(b.add(slot, const(I32, 1)), mask), b.block)
        b.cbranch(same, probe_hit, probe)
        b.position_at_end(probe_hit)
        b.ret(position)

        b.position_at_end(miss)
        b.ret(const(I32, -1))
        return f

    @property
    def index_put(self) -> ir.Function:
        """dict_index_put(dict, position: i32): enter keys[position] in the index."""
        found = self._functions.get("index_put")
        if found is not None:
            return found
        rt = self.rt
        f = internal_function(
            self.module, "molt.dict.index_put", VOID, [PTR, I32], ["dict", "position"]
        )
        self._functions["index_put"] = f
        dictionary, position = f.args
        b = Builder(f.entry_basic_block)
        keys = part(b, dictionary, 0)
        items = b.load(rt.list_field(b, keys, 2, "items_field"), name="items")
        table = b.load(field_of(b, dictionary, 2), typ=PTR, name="table")
        mask = b.load(field_of(b, dictionary, 3), typ=I32, name="mask")
        key = b.load(b.gep(items, [position], source_etype=PTR), typ=PTR, name="key")
        first = b.and_(b.call(self.hash, list(key_bytes(b, key))), mask, name="first")
        probe = f.append_basic_block("probe")
        store = f.append_basic_block("store")
        b.branch(probe)
        b.position_at_end(probe)
        slot = b.phi(I32, name="slot")
        slot.add_incoming(first, f.entry_basic_block)
        address = b.gep(table, [slot], source_etype=I32)
        empty = b.icmp_unsigned("==", b.load(address, typ=I32), const(I32, 0))
        slot.add_incoming(b.and_(b.add(slot, const(I32, 1)), mask), probe)
        b.cbranch(empty, store, probe)
        b.position_at_end(store)
        b.store(b.add(position, const(I32, 1)), address)
        b.ret_void()
        return f

    @property
    def reindex(self) -> ir.Function:
        """dict_reindex(dict, capacity: i32) -> i1: a fresh index of `capacity` slots
        holding every key; false when out of memory (recorded)."""
        found = self._functions.get("reindex")
        if found is not None:
            return found
        rt = self.rt
        f = internal_function(
            self.module, "molt.dict.reindex", I1, [PTR, I32], ["dict", "capacity"]
        )
        self._functions["reindex"] = f
        dictionary, capacity = f.args
        b = Builder(f.entry_basic_block)
        bytes_needed = b.mul(b.zext(capacity, I64), const(I64, 4), name="bytes")
        table = b.call(rt.alloc, [bytes_needed], name="table")
        with b.if_then(b.icmp_unsigned("==", table, ir.Constant(PTR, None))):
            b.ret(const(I1, 0))
        fill = intrinsic(self.module, "llvm.memset.p0.i32", VOID, [PTR, I8, I32, I1])
        b.call(fill, [table, const(I8, 0), b.trunc(bytes_needed, I32), const(I1, 0)])
        b.store(table, field_of(b, dictionary, 2))
        b.store(b.sub(capacity, const(I32, 1)), field_of(b, dictionary, 3))
        keys = part(b, dictionary, 0)
        length = b.load(rt.list_field(b, keys, 0, "length_field"), name="length")
        with counted_loop(b, length, "put") as loop:
            b.call(self.index_put, [dictionary, loop.index])
        b.ret(const(I1, 1))
        return f

    @property
    def slot(self) -> ir.Function:
        """dict_slot(dict, key, value_size: i32) -> i32: the position of key, added at the
        end (its value unset) when absent; -1 when out of memory (recorded)."""
        found = self._functions.get("slot")
        if found is not None:
            return found
        rt = self.rt
        f = internal_function(
            self.module, "molt.dict.slot", I32, [PTR, PTR, I32], ["dict", "key", "value_size"]
        )
        self._functions["slot"] = f
        dictionary, key, value_size = f.args
        b = Builder(f.entry_basic_block)
        keys = part(b, dictionary, 0)
        values = part(b, dictionary, 1)
        data, size = key_bytes(b, key)
        position = b.call(self.find, [dictionary, data, size], name="position")
        with b.if_then(b.icmp_signed(">=", position, const(I32, 0))):
            b.ret(position)
        length = b.load(rt.list_field(b, keys, 0, "length_field"), name="length")
        needed = b.add(length, const(I32, 1))
        for items, item_size in ((keys, const(I32, 4)), (values, value_size)):
            reserved = b.call(rt.list_reserve, [items, needed, item_size])
            with b.if_then(b.not_(reserved)):
                b.ret(const(I32, -1))
        key_items = b.load(rt.list_field(b, keys, 2, "items_field"))
        b.store(key, b.gep(key_items, [length], source_etype=PTR))
        for items in (keys, values):
            b.store(needed, rt.list_field(b, items, 0, "length_field"))
        # Keep the index at most half full; build it when the dict reaches INDEX_FROM keys.
        table = b.load(field_of(b, dictionary, 2), typ=PTR, name="table")
        capacity = b.add(b.load(field_of(b, dictionary, 3), typ=I32), const(I32, 1))
        unindexed = b.icmp_unsigned("==", table, ir.Constant(PTR, None))
        crowded = b.icmp_unsigned(">", b.shl(needed, const(I32, 1)), capacity)
        with b.if_else(unindexed) as (no_index, has_index):
            with no_index, b.if_then(b.icmp_unsigned(">=", needed, const(I32, INDEX_FROM))):
                built = b.call(self.reindex, [dictionary, const(I32, 2 * INDEX_FROM)])
                with b.if_then(b.not_(built)):
                    b.ret(const(I32, -1))
            with has_index, b.if_else(crowded) as (grow, put):
                with grow:
                    grown = b.call(self.reindex, [dictionary, b.shl(capacity, const(I32, 1))])
                    with b.if_then(b.not_(grown)):
                        b.ret(const(I32, -1))
                with put:
                    b.call(self.index_put, [dictionary, length])
        b.ret(length)
        return f


def build_dict_decoder(
    codec: MessagePack, b: ir.IRBuilder, f: ir.Function, kind: DictType, count: ir.Value
) -> None:
    """The rest of molt.decode.dict.<T>(depth) after the map header of `count` entries:
    the shared molt.decode_dict with T's type code."""
    from molt.compiler.core._msgpack import item_size

    (depth,) = f.args
    code = const(I32, codec.fields.type_code(kind.value))
    size = const(I32, item_size(kind.value))
    b.ret(b.call(dict_decoder(codec), [code, size, count, depth], name="dict"))


def dict_decoder(codec: MessagePack) -> ir.Function:
    """decode_dict(code, value_size, count, depth) -> ptr: `count` entries with values
    of type `code` (through `Fields.decode_any`); null with the error recorded."""
    found = codec.module.globals.get("molt.decode_dict")
    if found is not None:
        assert isinstance(found, ir.Function)
        return found
    rt = codec.rt
    ops = codec.dicts
    f = internal_function(
        codec.module,
        "molt.decode_dict",
        PTR,
        [I32, I32, I32, I32],
        ["code", "value_size", "count", "depth"],
    )
    f.attributes.add("noinline")
    scratch_type = ir.ArrayType(I64, 1)
    scratch = ir.GlobalVariable(codec.module, scratch_type, name="molt.dict.value")
    scratch.linkage = "internal"
    scratch.initializer = ir.Constant(scratch_type, None)
    code, value_size, count, depth = f.args
    b = Builder(f.entry_basic_block)
    zero = const(I32, 0)
    null = ir.Constant(PTR, None)
    dictionary = b.call(ops.new, [value_size], name="dict")
    with b.if_then(b.icmp_unsigned("==", dictionary, null)):
        b.ret(null)
    inner = b.add(depth, const(I32, 1), name="inner")
    with counted_loop(b, count, "entry"):
        source, size = codec.read_key(b, depth, inner, lambda: b.ret(null))
        points = b.call(codec.text.count_points, [source, size], name="count")
        key = b.call(codec.text.alloc, [size, points], name="key")
        with b.if_then(b.icmp_unsigned("==", key, null)):
            b.ret(null)
        rt.memcpy(b, codec.text.data(b, key), source, size)
        with b.if_then(b.icmp_signed(">=", b.call(ops.find, [dictionary, source, size]), zero)):
            address = b.zext(b.ptrtoint(key, I32), I64, name="key.address")
            codec.malformed(b, D_DUPLICATE, [address])
            b.ret(null)
        # the value goes to `scratch` (nested decoders finish before it is written), then
        # to its slot, which exists only once the key is added
        value_at = b.gep(scratch, [zero, zero], name="value_at")
        b.call(codec.fields.decode_any, [code, inner, value_at])
        with b.if_then(rt.failed(b)):
            b.ret(null)
        position = b.call(ops.slot, [dictionary, key, value_size], name="position")
        with b.if_then(b.icmp_signed("<", position, zero)):
            b.ret(null)
        values = part(b, dictionary, 1)
        data = b.load(rt.list_field(b, values, 2, "items_field"))
        target = b.gep(data, [b.mul(position, value_size)], source_etype=I8, name="target")
        rt.memcpy(b, target, value_at, value_size)
    b.store(depth, rt.decode_depth)
    b.ret(dictionary)
    return f


def build_dict_encoder(codec: MessagePack, f: ir.Function, kind: DictType) -> None:
    """The body of molt.encode.dict.<T>(dict): a map in insertion order, written by the
    shared molt.encode_dict with T's type code."""
    from molt.compiler.core._msgpack import item_size

    (dictionary,) = f.args
    b = Builder(f.entry_basic_block)
    code = const(I32, codec.fields.encode_code(kind.value))
    size = const(I32, item_size(kind.value))
    b.call(dict_encoder(codec), [dictionary, code, size])
    b.ret_void()


def dict_encoder(codec: MessagePack) -> ir.Function:
    """encode_dict(dict, code, value_size): the map header, then each key (a str) and
    its value (through `Fields.encode_any`)."""
    found = codec.module.globals.get("molt.encode_dict")
    if found is not None:
        assert isinstance(found, ir.Function)
        return found
    rt = codec.rt
    f = internal_function(
        codec.module, "molt.encode_dict", VOID, [PTR, I32, I32], ["dict", "code", "value_size"]
    )
    f.attributes.add("noinline")
    dictionary, code, value_size = f.args
    b = Builder(f.entry_basic_block)
    keys = part(b, dictionary, 0)
    values = part(b, dictionary, 1)
    count = b.load(rt.list_field(b, keys, 0, "length_field"), name="count")
    b.call(codec.container_header, [count, const(I1, 1)])
    key_items = b.load(rt.list_field(b, keys, 2, "items_field"), name="key_items")
    value_items = b.load(rt.list_field(b, values, 2, "items_field"), name="value_items")
    with counted_loop(b, count, "entry") as loop:
        key = b.load(b.gep(key_items, [loop.index], source_etype=PTR), typ=PTR, name="key")
        b.call(codec.encoder(STR), [key])
        offset = b.mul(loop.index, value_size)
        value_at = b.gep(value_items, [offset], source_etype=I8, name="value_at")
        b.call(codec.fields.encode_any, [code, value_at])
    b.ret_void()
    return f
