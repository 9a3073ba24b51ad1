# ruff: noqa  (this file shows, on purpose, the habits molt-lint rejects)
"""Pyodide habits an agent might write: every line here is what molt-lint rejects.

`molt demo` lints this file to show the diagnostics; nothing imports it.
"""

import random

import micropip
from js import document
from pyodide.ffi import create_proxy


async def render(values):
    await micropip.install("numpy")
    handler = create_proxy(lambda event: document.title)
    sample = random.choice(values)
    try:
        return sample, handler
    except:
        pass
