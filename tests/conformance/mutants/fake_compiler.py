"""A compiler stand-in for testing the runner's compile cases without molt.compiler.

It "compiles" any source into the stats example module, built with the module
name and version the runner asks for, and rejects a source containing `bad`
with MOLT-E-SYNTAX at line 3, column 5. The host role is the reference host.
"""

import os
import sys

os.environ["MOLT_ADAPTER_ROLES"] = "host"

import wasmtime

from molt.adapter import ReferenceAdapter, main
from molt.errors import MoltError
from molt.examples import example_interface, example_source
from molt.wasmfile import (
    INTERFACE_SECTION,
    append_custom_section,
    canonical_interface_bytes,
)


def fake_compile(source, *, filename, module_name, module_version, opt_level):
    if "bad" in source:
        raise MoltError.from_code(
            "MOLT-E-SYNTAX",
            path=f"{filename}:3:5",
            file=filename,
            line=3,
            column=5,
            detail="a deliberately bad source",
        )
    interface = example_interface("stats")
    interface["module"] = {"name": module_name, "version": module_version}
    wasm = bytes(wasmtime.wat2wasm(example_source("stats")))
    return append_custom_section(wasm, INTERFACE_SECTION, canonical_interface_bytes(interface))


class FakeCompilerAdapter(ReferenceAdapter):
    def __init__(self):
        super().__init__()
        self._compile_source = fake_compile


sys.exit(main(FakeCompilerAdapter()))
