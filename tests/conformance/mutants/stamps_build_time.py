"""A compiler whose builds are not reproducible.

It compiles like the reference compiler, then appends a custom section
`build-time` holding the clock in nanoseconds, as toolchains that stamp their
output do. Every module still loads and answers correctly; compiling the same
source twice gives different bytes, which MOLT-R-RECIPES forbids and
MC-MODULE-002 checks.
"""

import sys
import time

from molt.adapter import ReferenceAdapter, main
from molt.wasmfile import append_custom_section


class StampingAdapter(ReferenceAdapter):
    def __init__(self):
        super().__init__()
        compile_source = self._compile_source

        def compile_with_stamp(source, **options):
            wasm = compile_source(source, **options)
            return append_custom_section(wasm, "build-time", str(time.time_ns()).encode())

        self._compile_source = compile_with_stamp


sys.exit(main(StampingAdapter()))
