"""The library entry points: `check` a source text, `check_paths` a list of paths.

Both return a `Report`; the CLI only parses arguments and picks a reporter.
Problems with the run itself (a broken pyproject.toml, an unknown code, a
missing path) raise `StartupError`, which carries the coded `MoltError` and,
for configuration problems, the file and line at fault.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from molt_lint import _catalogue, _registry
from molt_lint._cache import Cache, context_key, default_folder
from molt_lint._config import Config, ConfigError, discover
from molt_lint._engine import Engine, Settings
from molt_lint._files import excluded, walk
from molt_lint._registry import UnknownSelector
from molt_lint._report import Report
from molt_lint._runner import Target, lint_targets


class StartupError(Exception):
    """The run cannot start; `error` is the coded MoltError to show."""

    def __init__(self, error: Exception, file: str | None = None, line: int | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.file = file
        self.line = line

    @property
    def code(self) -> str:
        return str(getattr(self.error, "code", "MOLT-E-INTERNAL"))

    @property
    def message(self) -> str:
        return str(getattr(self.error, "message", self.error))


@dataclass(frozen=True)
class Options:
    """Command-line choices that override or extend the configuration."""

    select: Sequence[str] | None = None
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    config: Path | None = None
    force_exclude: bool = False
    """Apply the excludes to files named explicitly too (pre-commit passes every file)."""
    cache: bool = True
    cache_dir: Path | None = None


def display_path(path: Path, cwd: Path) -> str:
    """A path as the report shows it: relative to the working folder, '/'-separated."""
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, cwd)).as_posix()


def load_config(cwd: Path, options: Options) -> Config:
    try:
        return discover(cwd, options.config)
    except ConfigError as exc:
        from molt.errors import MoltError

        shown = display_path(exc.file, cwd)
        where = f"{shown}:{exc.line}" if exc.line else shown
        error = MoltError.from_code("MOLT-E-LINT-CONFIG", file=where, detail=exc.detail)
        raise StartupError(error, shown, exc.line) from None


def settings_for(config: Config, options: Options) -> Settings:
    """The selected and unsuppressible codes; unknown codes raise StartupError."""
    origin = f"[tool.molt-lint] of {config.file.name}" if config.file else "the configuration"
    try:
        if options.select is not None:
            select = _registry.check_selectors(options.select, "--select")
        elif config.select is not None:
            select = _registry.check_selectors(config.select, f"select in {origin}")
        else:
            select = list(_registry.DEFAULT_SELECTION)
        extend = _registry.check_selectors(config.extend_select, f"extend-select in {origin}")
        extend += _registry.check_selectors(options.extend_select, "--extend-select")
        ignore = _registry.check_selectors(config.ignore, f"ignore in {origin}")
        ignore += _registry.check_selectors(options.ignore, "--ignore")
        unsuppressible = _registry.check_selectors(
            config.unsuppressible, f"unsuppressible in {origin}"
        )
    except UnknownSelector as exc:
        raise StartupError(unknown_code(exc.name, exc.option, exc.closest)) from None
    return Settings(
        tuple(_registry.resolve(select, extend, ignore)),
        tuple(_registry.matching(unsuppressible)),
    )


def unknown_code(name: str, option: str, closest: list[str]) -> Exception:
    from molt.errors import MoltError

    return MoltError.from_code(
        "MOLT-E-LINT-UNKNOWN-CODE", name=name, option=option, closest=", ".join(closest)
    )


def catalogue_for(config: Config, options: Options) -> _catalogue.Catalogue:
    catalogue = _catalogue.load(cache_folder(config, options))
    missing = sorted(set(_registry.REGISTRY) ^ set(catalogue.codes))
    if missing:
        raise RuntimeError(
            f"the lint codes of molt-lint and of the spec differ ({', '.join(missing)}); "
            "molt-lint and the installed spec come from different releases"
        )
    return catalogue


def cache_folder(config: Config, options: Options) -> Path | None:
    if not options.cache:
        return None
    return options.cache_dir or default_folder(config.root)


def targets(
    paths: Iterable[str], cwd: Path, config: Config, force_exclude: bool = False
) -> list[Target]:
    """Every file to lint, deduplicated and sorted by the path the report shows."""
    found: dict[str, Target] = {}
    root = config.root.resolve()
    for raw in paths:
        path = (cwd / raw).resolve() if not Path(raw).is_absolute() else Path(raw)
        if path.is_dir():
            base = display_path(path, cwd)
            base = "" if base == "." else base + "/"
            for relative, full in walk(path, root, config.exclude):
                shown = base + relative
                found.setdefault(shown, Target(shown, full))
        elif path.exists():
            if force_exclude and excluded(path, root, config.exclude):
                continue
            shown = display_path(path, cwd)
            found.setdefault(shown, Target(shown, str(path)))
        else:
            from molt.errors import MoltError

            error = MoltError.from_code(
                "MOLT-E-IO", operation="read", file=raw, detail="no such file or directory"
            )
            raise StartupError(error)
    return [found[shown] for shown in sorted(found)]


def check_paths(
    paths: Sequence[str], options: Options | None = None, cwd: Path | None = None
) -> Report:
    """Lint files and folders (recursively, honouring excludes) and return the report."""
    options = options or Options()
    cwd = (cwd or Path.cwd()).resolve()
    config = load_config(cwd, options)
    settings = settings_for(config, options)
    files = targets(paths, cwd, config, options.force_exclude)
    folder = cache_folder(config, options)
    cache = Cache(folder, context_key(settings)) if folder else None
    loaded: list[_catalogue.Catalogue] = []
    records = lint_targets(
        files, settings, cache, lambda: loaded.append(catalogue_for(config, options))
    )
    pairs = [(t.display, r) for t, r in zip(files, records, strict=True)]
    return Report.build(loaded[0], pairs)


def check(
    source: str | bytes,
    filename: str = "-",
    options: Options | None = None,
    cwd: Path | None = None,
) -> Report:
    """Lint one source text (as `molt-lint -` does with stdin); nothing is cached."""
    options = options or Options()
    cwd = (cwd or Path.cwd()).resolve()
    config = load_config(cwd, options)
    settings = settings_for(config, options)
    catalogue = catalogue_for(config, options)
    data = source.encode("utf-8") if isinstance(source, str) else source
    record = Engine(settings).lint(data)
    return Report.build(catalogue, [(filename, record)])
