"""`molt-recipe.toml`: read and check a build recipe (spec/schemas/recipe.json).

A recipe that cannot be read, is not TOML or fails the schema is refused with
MOLT-E-RECIPE-INVALID naming the file and the JSON path of the first problem
(MOLT-R-RECIPES).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from molt import __version__
from molt.errors import MoltError, ToolError
from molt.spec import json_path, load_spec

__all__ = ["RECIPE_VERSION", "Recipe", "read_recipe", "recipe_error"]

RECIPE_VERSION = 1
"""The recipe format version this module reads."""

_SCHEMA = "schemas/recipe.json"
_MAX_DETAIL = 240


@dataclass(frozen=True)
class Recipe:
    """A checked recipe; paths inside it are relative to `folder`."""

    path: Path
    name: str
    version: str
    exports: tuple[str, ...]
    targets: tuple[str, ...]
    files: tuple[str, ...] | None = None
    prebuilt: str | None = None
    opt_level: int = 2
    description: str | None = None
    limits: Mapping[str, int] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.path.parent


def read_recipe(path: Path | str) -> Recipe:
    """Read, parse and check `molt-recipe.toml`; MOLT-E-RECIPE-INVALID on any problem."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise recipe_error(path, "$", f"cannot read the file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise recipe_error(
            path, "$", f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise recipe_error(path, "$", f"not valid TOML: {exc}") from None
    version = data.get("recipe_version")
    if "recipe_version" in data and version != RECIPE_VERSION:
        raise recipe_error(
            path,
            "$.recipe_version",
            f"recipe_version {version!r} is not supported; "
            f"molt {__version__} reads recipe_version {RECIPE_VERSION}",
        )
    spec = load_spec()
    validator = Draft202012Validator(spec.schema(_SCHEMA), registry=spec.registry)
    errors = sorted(validator.iter_errors(data), key=_error_order)
    if errors:
        first = errors[0]
        raise recipe_error(path, json_path(first.absolute_path), _describe(first))
    module, source, build = data["module"], data["source"], data["build"]
    return Recipe(
        path=path,
        name=module["name"],
        version=module["version"],
        description=module.get("description"),
        exports=tuple(build["exports"]),
        targets=tuple(build["targets"]),
        files=tuple(source["files"]) if "files" in source else None,
        prebuilt=source.get("prebuilt"),
        opt_level=build.get("opt_level", 2),
        limits=dict(data.get("limits", {})),
    )


def recipe_error(file: Path | str, path: str, detail: str) -> MoltError:
    """MOLT-E-RECIPE-INVALID for `file` at JSON path `path`."""
    # The template has a `{path}` field, which `MoltError.from_code` cannot fill:
    # its own `path` parameter (the JSON path of a message) takes that keyword.
    template = load_spec().error("MOLT-E-RECIPE-INVALID")
    if template is None:  # pragma: no cover - the registry always has it
        raise LookupError("MOLT-E-RECIPE-INVALID is not in the error registry")
    message = template["message"].format(file=str(file), path=path, detail=detail)
    return ToolError("MOLT-E-RECIPE-INVALID", message)


def _describe(error: ValidationError) -> str:
    if error.validator == "oneOf" and isinstance(error.instance, dict):
        keys = sorted(k for k in ("files", "prebuilt") if k in error.instance)
        if not keys:
            return "needs exactly one of 'files' or 'prebuilt'; it has neither"
        return "needs exactly one of 'files' or 'prebuilt'; it has both"
    return _shorten(error.message)


def _error_order(error: ValidationError) -> tuple[Any, ...]:
    return (
        tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path),
        error.message,
    )


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 3] + "..."
