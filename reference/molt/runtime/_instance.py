"""One live instance of a module: its store, memory and cached call path.

wasmtime-py's generic `Func.__call__` re-reads the function type on every call
(40-55 µs). The ABI fixes every signature, and the host checked them before
instantiating, so each call goes straight to `wasmtime_func_call_unchecked`
with a preallocated argument array: sound because the types are known, fast
because nothing is looked up per call.
"""

from __future__ import annotations

import ctypes
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import wasmtime
from wasmtime import _ffi as ffi

from molt.runtime._engine import deadline_ticks

_ABI_EXPORTS = ("memory", "molt_abi_version", "molt_alloc")
_MIN_INPUT_CAPACITY = 4096


@dataclass(frozen=True)
class Limits:
    """The per-call limits a host applies."""

    fuel: int | None
    memory_limit: int | None
    deadline: float | None


class RawResult:
    """What one export call returned: status and the message bytes."""

    __slots__ = ("fuel_used", "message", "status")

    def __init__(self, status: int, message: bytes, fuel_used: int | None) -> None:
        self.status = status
        self.message = message
        self.fuel_used = fuel_used


class Instance:
    """A fresh store + instance; discarded after a trap or past the high-water mark."""

    def __init__(
        self,
        engine: wasmtime.Engine,
        module: wasmtime.Module,
        export_names: list[str],
        limits: Limits,
    ) -> None:
        self.limits = limits
        self.store = wasmtime.Store(engine)
        if limits.memory_limit is not None:
            self.store.set_limits(memory_size=limits.memory_limit)
        if limits.fuel is not None:
            self.store.set_fuel(limits.fuel)
        if limits.deadline is not None:
            self.store.set_epoch_deadline(deadline_ticks(limits.deadline))
        try:
            instance = wasmtime.Instance(self.store, module, [])
        except wasmtime.Trap as trap:
            raise trap_failure(trap, "instantiate") from None
        except wasmtime.WasmtimeError as exc:
            raise _error_failure(str(exc)) from None
        exports = instance.exports(self.store)
        self.memory: wasmtime.Memory = exports["memory"]
        self._abi_version = exports["molt_abi_version"]
        self._alloc = exports["molt_alloc"]
        self._calls: Mapping[str, wasmtime.Func] = {
            name: exports[f"molt_call_{name}"] for name in export_names
        }
        self._context = self.store._context()
        self._args = (ffi.wasmtime_val_raw_t * 2)()
        self._input_ptr = 0
        self.memory_size = self.memory.data_len(self.store)
        """Linear memory size after the last call: read once per call, for the
        result bounds check and the owner's high-water check alike."""
        self._input_capacity = -1

    def abi_version(self) -> int:
        return int(self._call_raw(self._abi_version, ()))

    def call(self, name: str, message: bytes) -> RawResult:
        """One request: at most one molt_alloc, one copy in, one export call, one copy out."""
        size = len(message)
        if size > self._input_capacity:
            self._reserve(size)
        limits = self.limits
        if limits.fuel is not None:
            self.store.set_fuel(limits.fuel)
        if limits.deadline is not None:
            self.store.set_epoch_deadline(deadline_ticks(limits.deadline))
        base = ctypes.addressof(self.memory.data_ptr(self.store).contents)
        ctypes.memmove(base + self._input_ptr, message, size)
        packed = self._call_raw(self._calls[name], (self._input_ptr, size)) & 0xFFFF_FFFF_FFFF_FFFF
        fuel_used = limits.fuel - self.store.get_fuel() if limits.fuel is not None else None
        ptr, status, length = packed >> 32, (packed >> 31) & 1, packed & 0x7FFF_FFFF
        self.memory_size = self.memory.data_len(self.store)
        if ptr + length > self.memory_size:
            raise CallFailure(
                "MOLT-E-RESULT-INVALID",
                f"the result [{ptr}, {ptr + length}) lies outside linear memory",
            )
        base = ctypes.addressof(self.memory.data_ptr(self.store).contents)
        return RawResult(status, ctypes.string_at(base + ptr, length), fuel_used)

    def _reserve(self, size: int) -> None:
        # A quarter of headroom so slowly growing messages do not re-reserve each
        # call; if the headroom does not fit under the memory limit, ask for exactly
        # the message size before reporting out-of-memory.
        capacity = max(_MIN_INPUT_CAPACITY, -(-(size + size // 4) // 4096) * 4096)
        ptr = int(self._call_raw(self._alloc, (capacity,)))
        if ptr == 0 and capacity > size:
            capacity = size
            ptr = int(self._call_raw(self._alloc, (capacity,)))
        if ptr == 0:
            raise CallFailure(
                "MOLT-E-OUT-OF-MEMORY", f"molt_alloc({capacity}) could not reserve the input buffer"
            )
        if ptr + capacity > self.memory.data_len(self.store):
            raise CallFailure(
                "MOLT-E-RESULT-INVALID",
                f"molt_alloc({capacity}) returned {ptr}, outside linear memory",
            )
        self._input_ptr, self._input_capacity = ptr, capacity

    def _call_raw(self, func: wasmtime.Func, params: tuple[int, ...]) -> int:
        args = self._args
        for index, value in enumerate(params):
            args[index].i32 = value
        trap = ctypes.POINTER(ffi.wasm_trap_t)()
        error = ffi.wasmtime_func_call_unchecked(
            self._context, ctypes.byref(func._func), args, 2, ctypes.byref(trap)
        )
        if error:
            raise _error_failure(str(wasmtime.WasmtimeError._from_ptr(error)))
        if trap:
            raise trap_failure(wasmtime.Trap._from_ptr(trap), "call")
        return args[0].i32 if func is self._abi_version or func is self._alloc else args[0].i64


_TRAP_CODES: dict[Any, str] = {
    wasmtime.TrapCode.OUT_OF_FUEL: "MOLT-E-OUT-OF-FUEL",
    wasmtime.TrapCode.INTERRUPT: "MOLT-E-DEADLINE",
    wasmtime.TrapCode.STACK_OVERFLOW: "MOLT-E-STACK-EXHAUSTED",
}


class CallFailure(Exception):
    """A failed crossing, before the caller adds module and export names.

    The instance knows what went wrong; the `Module` knows which module and
    export it was, so it turns this into the registry's coded error.
    """

    def __init__(self, code: str, detail: str, engine_trap_code: str | None = None) -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail
        self.engine_trap_code = engine_trap_code


def trap_failure(trap: wasmtime.Trap, during: str) -> CallFailure:
    """The failure for a wasm trap, keeping the engine's trap code."""
    code = _TRAP_CODES.get(trap.trap_code, "MOLT-E-TRAP")
    engine_code = trap.trap_code.name if trap.trap_code is not None else "UNKNOWN"
    first_line = trap.message.splitlines()[0] if trap.message else ""
    return CallFailure(code, f"{engine_code} during {during}: {first_line}", engine_code)


def _error_failure(text: str) -> CallFailure:
    detail = " ".join(text.split())
    code = "MOLT-E-OUT-OF-MEMORY" if "memory" in detail.lower() else "MOLT-E-TRAP"
    return CallFailure(code, detail)
