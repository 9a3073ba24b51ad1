"""A compiler that accepts eval, exec, compile and __import__: an interpreter door.

Where the reference compiler rejects a call of eval(), exec(), compile() or
__import__() (MOLT-L-REJECT-EVAL), this one reports success, as a compiler that ships an
interpreter to run the strings would: it compiles the source with each function
that opens such a door returning a constant of its type (`_accepting`). A
module must never run code it did not compile (MOLT-R-NO-INTERPRETER): the
cases that call eval, exec and compile must catch it.
"""

import ast
import sys

from _accepting import Accepting, accepting_adapter

from molt.adapter import main

DOORS = frozenset({"eval", "exec", "compile", "__import__"})


class InterpreterDoors(Accepting):
    def uses(self, node):
        return (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in DOORS
        )


sys.exit(main(accepting_adapter(InterpreterDoors)))
