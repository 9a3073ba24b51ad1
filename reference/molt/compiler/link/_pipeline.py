"""LLVM's optimization pipeline as the link stage runs it.

The standard pipeline at the requested level (`speed_level` 0-3), with one
change: no linear function test replacement (LFTR). LFTR rewrites a loop's exit
test `i < n` into `i != n'`; on wasm that saves nothing, and the `<` it removes
is what later passes use to prove that the index checks and checked additions of
the loop cannot fail (a sieve's inner loop keeps an overflow check without it).
LLVM takes the switch only as a process-wide command-line option, so it is set
for the run and restored after; it only turns off an optimization, so another
compilation that sees it in between still compiles correctly.
"""

from __future__ import annotations

from typing import Any

__all__ = ["optimize"]


def optimize(module: Any, machine: Any, opt_level: int) -> None:
    """Optimize the parsed llvmlite `module` in place for `machine` at `opt_level`."""
    import llvmlite.binding as llvm

    options = llvm.create_pipeline_tuning_options(speed_level=opt_level)
    builder = llvm.create_pass_builder(machine, options)
    llvm.set_option("molt", "-disable-lftr")
    try:
        builder.getModulePassManager().run(module, builder)
    finally:
        llvm.set_option("molt", "-disable-lftr=false")
