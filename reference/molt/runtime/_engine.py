"""The wasmtime engines, created lazily and shared per set of settings.

An `Engine` is never created at import time: pytest's faulthandler would turn
a wasm trap into a segfault, and `import molt.runtime` should cost nothing.
Every setting that changes generated code is part of `EngineSettings`, whose
`fingerprint` keys the compiled-code cache.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib.metadata import version

import wasmtime

WASMTIME_VERSION = version("wasmtime")

# Proposals spec/abi.yaml forbids (or does not allow) are switched off, so a
# module that uses one fails validation as MOLT-E-MODULE-INVALID.
_DISABLED_FEATURES = (
    "wasm_threads",
    "wasm_relaxed_simd",
    "wasm_memory64",
    "wasm_multi_memory",
    "wasm_exceptions",
    "wasm_gc",
    "wasm_function_references",
    "wasm_stack_switching",
    "wasm_component_model",
    "wasm_tail_call",
    "wasm_wide_arithmetic",
    "wasm_custom_page_sizes",
)

EPOCH_TICK_SECONDS = 0.005
"""How often the deadline ticker advances the epoch; deadlines round up to it."""


@dataclass(frozen=True)
class EngineSettings:
    """Everything about an engine that changes the code it generates."""

    consume_fuel: bool
    epoch_interruption: bool
    cranelift_opt_level: str = "speed"

    @property
    def fingerprint(self) -> str:
        features = ",".join(f"-{name}" for name in _DISABLED_FEATURES)
        return (
            f"wasmtime={WASMTIME_VERSION};fuel={int(self.consume_fuel)};"
            f"epoch={int(self.epoch_interruption)};opt={self.cranelift_opt_level};{features}"
        )


_ENGINES: dict[EngineSettings, wasmtime.Engine] = {}
_TICKERS: dict[EngineSettings, threading.Thread] = {}
_LOCK = threading.Lock()


def engine_for(settings: EngineSettings) -> wasmtime.Engine:
    """The shared engine for `settings`, created on first use."""
    with _LOCK:
        engine = _ENGINES.get(settings)
        if engine is None:
            config = wasmtime.Config()
            for feature in _DISABLED_FEATURES:
                setattr(config, feature, False)
            config.consume_fuel = settings.consume_fuel
            config.epoch_interruption = settings.epoch_interruption
            config.cranelift_opt_level = settings.cranelift_opt_level
            config.parallel_compilation = True
            engine = wasmtime.Engine(config)
            _ENGINES[settings] = engine
        if settings.epoch_interruption and settings not in _TICKERS:
            _TICKERS[settings] = _start_ticker(engine)
        return engine


def _start_ticker(engine: wasmtime.Engine) -> threading.Thread:
    """Advance the engine's epoch every tick, for wall-clock deadlines."""
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(EPOCH_TICK_SECONDS):
            engine.increment_epoch()

    thread = threading.Thread(target=tick, name="molt-epoch-ticker", daemon=True)
    thread.start()
    return thread


def deadline_ticks(seconds: float) -> int:
    """Epoch ticks for a deadline: rounded up, plus one for the tick in progress."""
    return max(1, -(-int(seconds * 1_000_000) // int(EPOCH_TICK_SECONDS * 1_000_000))) + 1
