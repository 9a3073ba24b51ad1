"""The minimal core emitted into every module, with no libc and no imports.

`Core(llvm_module, ...)` gives the lowering stage what a module needs at run
time, each piece emitted into the LLVM module on first use:

- `runtime` (`_runtime`): the arena allocator over memory.grow, the error state
  and its rendering from registry templates, the output buffer, lists, and the
  numeric helpers wasm lacks (fmod, checked 64-bit multiply, int ** int, exact
  int/float comparison);
- `codec` (`_msgpack`): strict MessagePack decoders and canonical encoders for
  exactly the types the exports use. What repeats is shared and table-driven
  (`_fields`): one reader for every map with known keys (an export's input map,
  each record) and one writer for every record, driven by a constant table per
  map; one loop for every list and every dict in each direction; each type has a
  small code, and `decode_any`/`encode_any` dispatch on it;
- `dicts` (`_dicts`): dict[str, T] as two lists (keys and values in insertion
  order) with a linear, deterministic key lookup, and the dict codecs;
- `abi` (`_abi`): molt_abi_version, molt_alloc and the molt_call_<name> entry
  points (spec/abi.yaml). `abi.finish()`, after the last export, emits what
  depends on the whole module: decode_any/encode_any for every type code, then
  the error writer and its renderer, which handles only the holes the module's
  message templates have (a module without a KeyError carries no repr()).
"""

from __future__ import annotations

from llvmlite import ir

from molt.compiler.core._abi import ABI_VERSION, Abi, ExportSpec, oom_message
from molt.compiler.core._equality import Equality
from molt.compiler.core._llvm import WASM32_DATA_LAYOUT, WASM32_TRIPLE, Strings
from molt.compiler.core._msgpack import (
    MessagePack,
    field_pointer,
    is_pointer,
    item_size,
    item_type,
    llvm_type,
    record_size,
    type_key,
)
from molt.compiler.core._pow import FloatPow
from molt.compiler.core._runtime import LIST_HEADER, Runtime
from molt.compiler.core._slices import SliceOps
from molt.compiler.diagnostics import StageError

__all__ = [
    "ABI_VERSION",
    "LIST_HEADER",
    "WASM32_DATA_LAYOUT",
    "WASM32_TRIPLE",
    "Core",
    "CoreError",
    "ExportSpec",
    "field_pointer",
    "is_pointer",
    "item_size",
    "item_type",
    "llvm_type",
    "oom_message",
    "record_size",
    "type_key",
]


class CoreError(StageError):
    """The core could not be emitted: a compiler bug (MOLT-E-INTERNAL)."""

    stage = "core"


class Core:
    """The core pieces of one LLVM module."""

    def __init__(
        self,
        llvm_module: ir.Module,
        *,
        filename: str,
        module_name: str,
        version: str,
        path_depth: int,
        max_params: int,
    ) -> None:
        self.strings = Strings(llvm_module)
        self.runtime = Runtime(llvm_module, self.strings, filename=filename, path_depth=path_depth)
        self.pow = FloatPow(self.runtime)
        self.codec = MessagePack(self.runtime)
        self.text = self.codec.text
        self.dicts = self.codec.dicts
        self.slices = SliceOps(self.runtime, self.text)
        self.equality = Equality(self.runtime, self.text, self.dicts)
        self.abi = Abi(
            self.runtime,
            self.codec,
            module_name=module_name,
            version=version,
            max_params=max_params,
        )
