"""A compiler that accepts imports of the standard library.

Where the reference compiler allows only the imports spec/language.yaml lists
(molt.export, dataclasses.dataclass, typing.Optional, __future__.annotations)
and rejects every other with MOLT-E-IMPORT-NOT-ALLOWED, this one accepts any
import of a standard-library module (`import json`, `from collections import
Counter`, `import importlib`, at the top or inside a function), as a compiler
that bundles the standard library or loads it at run time would. It reports
success by compiling the source without those imports, each function that uses
an imported name returning a constant of its type (`_accepting`). A module
carries no standard library and loads nothing by name (MOLT-R-NO-FULL-STDLIB,
MOLT-R-NO-IMPLICIT-LOADING): the import cases must catch it.
"""

import ast
import sys

from _accepting import Accepting, accepting_adapter

from molt.adapter import main
from molt.compiler.frontend._scope import ALLOWED_IMPORTS


def _standard(module):
    return module.partition(".")[0] in sys.stdlib_module_names


class StandardLibraryImports(Accepting):
    def __init__(self):
        self.names = set()
        """The names the dropped imports bound: a function using one is neutralised."""

    def drops(self, node):
        if isinstance(node, ast.Import):
            accepted = all(_standard(alias.name) for alias in node.names)
            bound = [alias.asname or alias.name.partition(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            allowed = ALLOWED_IMPORTS.get(node.module, frozenset())
            accepted = _standard(node.module) and not all(
                alias.name in allowed and alias.asname is None for alias in node.names
            )
            bound = [alias.asname or alias.name for alias in node.names]
        else:
            return False
        if accepted:
            self.names.update(bound)
        return accepted

    def uses(self, node):
        return isinstance(node, ast.Name) and node.id in self.names


sys.exit(main(accepting_adapter(StandardLibraryImports)))
