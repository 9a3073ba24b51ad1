"""A compiler that ships an interpreter inside every module.

It compiles like the reference compiler, then appends 256 KiB to the module as a
custom section named `python-runtime`: the bytes an embedded interpreter and
its standard library would add, which is how Pyodide-style toolchains ship
Python. Custom sections change nothing a host runs, so every call still
answers correctly; only the size bound of MOLT-R-NO-INTERPRETER (MC-MODULE-001)
can catch it.
"""

import sys

from molt.adapter import ReferenceAdapter, main
from molt.wasmfile import append_custom_section

RUNTIME = bytes(range(256)) * 1024


class BundlingAdapter(ReferenceAdapter):
    def __init__(self):
        super().__init__()
        compile_source = self._compile_source

        def compile_with_runtime(source, **options):
            wasm = compile_source(source, **options)
            return append_custom_section(wasm, "python-runtime", RUNTIME)

        self._compile_source = compile_with_runtime


sys.exit(main(BundlingAdapter()))
