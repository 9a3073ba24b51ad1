"""A compiler that keeps every list's length in a register, aliases or not.

The reference keeps a list variable's length beside it only when nothing can
change that list's length while the variable holds it
(`molt.compiler.ir.stable_length_lists`). This one skips the aliasing analysis:
every list variable of every function counts as stable, as if no function ever
appended. A list grown or shrunk through another reference (MC-LIST-010) then
keeps its old length: an index past it is refused, one inside it reads freed
slots.
"""

import sys

import molt.compiler.lower as lower
from molt.adapter import main
from molt.compiler.ir.types import ListType


def every_list(module):
    return {
        function.name: frozenset(
            local.slot
            for local in (*function.params, *function.locals)
            if isinstance(local.type, ListType)
        )
        for function in module.functions
    }


lower.stable_length_lists = every_list

sys.exit(main())
