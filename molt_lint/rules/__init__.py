"""One module per lint code; `molt_lint._registry` lists them all in one table.

Each module holds the rule's message class (named after the rule, with its
message and hint templates) and its `DETECTOR`, with the spec rule IDs it
enforces written next to it. Module, class, spec entry and test fixtures share
the rule's name.
"""
