"""Artifacts: recipes, builds, signatures and the lockfile (`molt build`, `molt sign`,
`molt lock add`, `molt verify`).

    >>> from molt.build import build_from_recipe, verify_lock
    >>> entry = build_from_recipe("molt-recipe.toml", key_path="keys/molt.key")
    >>> [r.code for r in verify_lock("molt-lock.json", ["keys/molt.pub"])]
    [None]

This package may call the compiler; it never imports `molt.runtime`. The host
reads lockfiles through `molt.lockfile` and checks signatures through
`molt.signing`, both shared with this package.
"""

from __future__ import annotations

from molt.build._artifact import (
    DEFAULT_LOCKFILE,
    VerifyResult,
    add_to_lock,
    build_from_recipe,
    dist_name,
    sign_lock_entry,
    verify_lock,
)
from molt.build._recipe import RECIPE_VERSION, Recipe, read_recipe

__all__ = [
    "DEFAULT_LOCKFILE",
    "RECIPE_VERSION",
    "Recipe",
    "VerifyResult",
    "add_to_lock",
    "build_from_recipe",
    "dist_name",
    "read_recipe",
    "sign_lock_entry",
    "verify_lock",
]
