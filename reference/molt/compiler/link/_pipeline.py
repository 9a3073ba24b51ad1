"""LLVM's optimization pipeline as the link stage runs it.

The standard pipeline at the requested level (`speed_level` 0-3), with one
change: no linear function test replacement (LFTR). LFTR rewrites a loop's exit
test `i < n` into `i != n'`; on wasm that saves nothing, and the `<` it removes
is what later passes use to prove that the index checks and checked additions of
the loop cannot fail (a sieve's inner loop keeps an overflow check without it).
LLVM takes the switch only as a process-wide command-line option, so it is set
for the run and restored after; it only turns off an optimization, so another
compilation that sees it in between still compiles correctly.

After the pipeline, one rewrite for the wasm target: LLVM's canonical form of an
int-to-float conversion of a value it knows is non-negative is `uitofp nneg`,
which the wasm backend emits as `f64.convert_i64_u`; wasmtime compiles that to a
branchy sequence on x86-64 (no unsigned 64-bit convert there), while the signed
`f64.convert_i64_s` is one instruction. For a non-negative value both give the
same double (and `nneg` makes a negative one poison), so the optimized IR gets
`sitofp` back. spectral_norm ran 2.5x slower with the unsigned form.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["optimize"]


_UNSIGNED_TO_FLOAT = re.compile(
    r"^(\s+%\S+ = )uitofp nneg (i64 \S+) to (double|float)", flags=re.MULTILINE
)
"""An instruction line (never a string constant: those are on `@` lines)."""


def optimize(module: Any, machine: Any, opt_level: int) -> Any:
    """The parsed llvmlite `module` optimized for `machine` at `opt_level` (`module`
    itself, or a re-parsed copy when the wasm rewrite changed something)."""
    import llvmlite.binding as llvm

    options = llvm.create_pipeline_tuning_options(speed_level=opt_level)
    builder = llvm.create_pass_builder(machine, options)
    llvm.set_option("molt", "-disable-lftr")
    try:
        builder.getModulePassManager().run(module, builder)
    finally:
        llvm.set_option("molt", "-disable-lftr=false")
    text = str(module)
    signed = _UNSIGNED_TO_FLOAT.sub(r"\1sitofp \2 to \3", text)
    if signed == text:
        return module
    rewritten = llvm.parse_assembly(signed)
    rewritten.verify()
    return rewritten
