"""dict[str, T] values (MOLT-L-TYPE-DICT) in the core, and their MessagePack codecs.

A dict is a pointer to `{keys, values}`: two lists (the list layout of
`_runtime`), a list[str] of the keys and a list[T] of the values, in insertion
order, so entry i is (keys[i], values[i]). Lookup is a linear scan comparing
the UTF-8 bytes, deterministic and without hashing; keys are never removed.

Reading is strict (spec/abi.yaml `wire_format`): the keys must be str (else
MOLT-E-MALFORMED-MESSAGE), a repeated key is MALFORMED at the key's JSON path,
and each value is read at `$...key`. Writing is canonical: the smallest map
header, then each key and value in insertion order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llvmlite import ir

from molt.compiler.core._llvm import I1, I8, I32, I64, PTR, VOID, Builder, const, internal_function
from molt.compiler.core._strings import STR_HEADER
from molt.compiler.ir.types import NONE, STR, DictType

if TYPE_CHECKING:
    from molt.compiler.core._msgpack import MessagePack
    from molt.compiler.core._runtime import Runtime

__all__ = ["DICT_STRUCT", "DictOps", "build_dict_decoder", "build_dict_encoder"]

DICT_STRUCT = ir.LiteralStructType([PTR, PTR])
"""A dict: its list of keys and its list of values."""

D_KEY = "map key at offset {u0} is {slot1}, not a str"
D_DUPLICATE = "duplicate map key {repr0}"
"""As the host says it: the key quoted like Python's repr()."""


def part(b: ir.IRBuilder, dictionary: ir.Value, index: int) -> ir.Value:
    """The keys list (0) or the values list (1) of `dictionary`."""
    field = b.gep(dictionary, [const(I32, 0), const(I32, index)], source_etype=DICT_STRUCT)
    return b.load(field, typ=PTR, name="values" if index else "keys")


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
        block = b.call(rt.alloc, [const(I64, 8)], name="dict")
        with b.if_then(b.icmp_unsigned("==", block, null)):
            b.ret(null)
        for index, size in enumerate((const(I32, 4), value_size)):
            items = b.call(rt.list_new, [const(I32, 0), size])
            with b.if_then(b.icmp_unsigned("==", items, null)):
                b.ret(null)
            b.store(
                items, b.gep(block, [const(I32, 0), const(I32, index)], source_etype=DICT_STRUCT)
            )
        b.ret(block)
        return f

    @property
    def find(self) -> ir.Function:
        """dict_find(keys, bytes, size: i32) -> i32: the position of the key, or -1."""
        found = self._functions.get("find")
        if found is not None:
            return found
        rt = self.rt
        f = internal_function(
            self.module, "molt.dict.find", I32, [PTR, PTR, I32], ["keys", "bytes", "size"]
        )
        self._functions["find"] = f
        keys, data, size = f.args
        b = Builder(f.entry_basic_block)
        length = b.load(rt.list_field(b, keys, 0, "length_field"), name="length")
        items = b.load(rt.list_field(b, keys, 2, "items_field"), name="items")
        loop = f.append_basic_block("loop")
        body = f.append_basic_block("compare")
        bytes_block = f.append_basic_block("bytes")
        step = f.append_basic_block("step")
        hit = f.append_basic_block("hit")
        miss = f.append_basic_block("miss")
        b.branch(loop)
        b.position_at_end(loop)
        index = b.phi(I32, name="index")
        index.add_incoming(const(I32, 0), f.entry_basic_block)
        b.cbranch(b.icmp_unsigned("<", index, length), body, miss)
        b.position_at_end(body)
        key = b.load(b.gep(items, [index], source_etype=PTR), typ=PTR, name="key")
        key_size = b.load(
            b.gep(key, [const(I32, 0), const(I32, 0)], source_etype=STR_HEADER), typ=I32
        )
        b.cbranch(b.icmp_unsigned("==", key_size, size), bytes_block, step)
        b.position_at_end(bytes_block)
        key_data = b.gep(key, [const(I32, 8)], source_etype=I8)
        equal = b.call(rt.bytes_equal, [key_data, data, size])
        b.cbranch(equal, hit, step)
        b.position_at_end(step)
        index.add_incoming(b.add(index, const(I32, 1)), step)
        b.branch(loop)
        b.position_at_end(hit)
        b.ret(index)
        b.position_at_end(miss)
        b.ret(const(I32, -1))
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
        size = b.load(b.gep(key, [const(I32, 0), const(I32, 0)], source_etype=STR_HEADER), typ=I32)
        data = b.gep(key, [const(I32, 8)], source_etype=I8)
        position = b.call(self.find, [keys, data, size], name="position")
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
    size = const(I32, item_size(kind.value) if kind.value != NONE else 1)
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
    loop = f.append_basic_block("entry_loop")
    body = f.append_basic_block("entry")
    done = f.append_basic_block("done")
    start = b.block
    b.branch(loop)
    b.position_at_end(loop)
    index = b.phi(I32, name="entry_index")
    index.add_incoming(zero, start)
    b.cbranch(b.icmp_unsigned("<", index, count), body, done)

    b.position_at_end(body)
    b.store(depth, rt.decode_depth)
    key_at = b.load(rt.in_pos, name="key_at")
    key_kind = b.call(codec.read_head, [], name="key_kind")
    with b.if_then(b.icmp_signed("<", key_kind, zero)):
        b.ret(null)
    from molt.compiler.core._msgpack import KIND_STR

    with b.if_then(b.icmp_signed("!=", key_kind, const(I32, KIND_STR))):
        word = b.load(b.gep(codec.key_kind_names, [zero, key_kind]))
        codec.malformed(b, D_KEY, [codec.offset(b, key_at)], slot1=word)
        b.ret(null)
    source = b.load(rt.head_str, name="source")
    size = b.trunc(b.load(rt.head_value), I32, name="key_length")
    b.store(source, b.gep(rt.path_name, [zero, depth]))
    b.store(size, b.gep(rt.path_len, [zero, depth]))
    b.store(inner, rt.decode_depth)
    points = b.call(codec.text.count_points, [source, size], name="count")
    key = b.call(codec.text.alloc, [size, points], name="key")
    with b.if_then(b.icmp_unsigned("==", key, null)):
        b.ret(null)
    rt.memcpy(b, codec.text.data(b, key), source, size)
    keys = part(b, dictionary, 0)
    with b.if_then(b.icmp_signed(">=", b.call(ops.find, [keys, source, size]), zero)):
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
    index.add_incoming(b.add(index, const(I32, 1)), b.block)
    b.branch(loop)

    b.position_at_end(done)
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
    size = const(I32, item_size(kind.value) if kind.value != NONE else 1)
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
    start = b.block
    loop = f.append_basic_block("entry_loop")
    body = f.append_basic_block("entry")
    done = f.append_basic_block("done")
    b.branch(loop)
    b.position_at_end(loop)
    index = b.phi(I32, name="index")
    index.add_incoming(const(I32, 0), start)
    b.cbranch(b.icmp_unsigned("<", index, count), body, done)
    b.position_at_end(body)
    key = b.load(b.gep(key_items, [index], source_etype=PTR), typ=PTR, name="key")
    b.call(codec.encoder(STR), [key])
    value_at = b.gep(value_items, [b.mul(index, value_size)], source_etype=I8, name="value_at")
    b.call(codec.fields.encode_any, [code, value_at])
    index.add_incoming(b.add(index, const(I32, 1)), body)
    b.branch(loop)
    b.position_at_end(done)
    b.ret_void()
    return f
