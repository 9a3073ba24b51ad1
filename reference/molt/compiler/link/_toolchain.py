"""The external tools: llvmlite's wasm32 target machine and wasm-ld.

wasm-ld comes from MOLT_WASM_LD when set (a path to a wasm-ld of the same LLVM
version as llvmlite), else from the `ziglang` wheel (`python -m ziglang
wasm-ld`), else from PATH. Nothing here writes a linker.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from functools import lru_cache
from typing import Any

__all__ = ["TARGET_FEATURES", "target_machine", "wasm_ld_command"]

TARGET_FEATURES = ",".join(
    f"+{feature}"
    for feature in (
        "bulk-memory",
        "bulk-memory-opt",
        "multivalue",
        "mutable-globals",
        "nontrapping-fptoint",
        "reference-types",
        "sign-ext",
    )
)
"""Features spec/abi.yaml allows, fixed so that builds do not depend on LLVM's default CPU."""


class ToolMissing(Exception):
    """Internal: a tool is missing; `name` and `detail` fill MOLT-E-TOOLCHAIN."""

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(name, detail)
        self.name = name
        self.detail = detail


@lru_cache(maxsize=4)
def target_machine(opt_level: int) -> Any:
    """llvmlite's wasm32 target machine at `opt_level` (0-3)."""
    try:
        import llvmlite.binding as llvm
    except ImportError as exc:
        raise ToolMissing("llvmlite", f"cannot be imported ({exc})") from None
    llvm.initialize_all_targets()
    llvm.initialize_all_asmprinters()
    try:
        target = llvm.Target.from_triple("wasm32-unknown-unknown")
    except RuntimeError as exc:
        raise ToolMissing("llvmlite", f"has no wasm32 target ({exc})") from None
    return target.create_target_machine(
        cpu="generic",
        features=TARGET_FEATURES,
        opt=opt_level,
        reloc="static",
        codemodel="default",
        abiname="experimental-mv",
    )


def wasm_ld_command() -> list[str]:
    """The command that runs wasm-ld: MOLT_WASM_LD, the ziglang package, then PATH."""
    configured = os.environ.get("MOLT_WASM_LD")
    if configured:
        if shutil.which(configured) is None:
            raise ToolMissing("wasm-ld", f"MOLT_WASM_LD={configured!r} is not an executable")
        return [configured]
    if importlib.util.find_spec("ziglang") is not None:
        return [sys.executable, "-m", "ziglang", "wasm-ld"]
    found = shutil.which("wasm-ld")
    if found is not None:
        return [found]
    raise ToolMissing("wasm-ld", "not found in MOLT_WASM_LD, the ziglang package or PATH")
