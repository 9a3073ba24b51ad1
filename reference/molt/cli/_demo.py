"""`molt demo`: the main job, end to end, printing each step.

It validates the spec, then takes the example module through the whole
artifact life cycle — key, build, sign, lock, verify — and loads it through
the lockfile (every check visible), calls it across the schema boundary and
shows the coded errors a user meets: a schema violation with its JSON path, a
module error, and a tampered artifact refused before it runs. It grows as
capabilities land (the linter, then the compiler).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from molt.cli._exit import ExitCode
from molt.cli._progress import progress_reporter
from molt.errors import MoltError
from molt.spec import load_spec, validate_spec

_STEPS = 7


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser("demo", help="run the end-to-end demo and print each step")
    demo.add_argument(
        "--out",
        type=Path,
        help="keep the demo's files (key, recipe, dist/, lockfile) in this folder "
        "(default: a temporary folder, removed afterwards)",
    )
    demo.set_defaults(handler=cmd_demo)


def _step(number: int, text: str) -> None:
    print(f"[{number}/{_STEPS}] {text}")


def cmd_demo(args: argparse.Namespace) -> ExitCode:
    if not _show_spec():
        return ExitCode.FAILURE
    _lint_examples()
    with _workspace(args.out) as folder:
        _artifact_life_cycle(folder)
    print(
        "done: explore with `molt spec show MOLT-R-SCHEMA-BOUNDARY`, `molt run --help`, "
        "or `molt spec export --format json`"
    )
    return ExitCode.OK


def _show_spec() -> bool:
    spec = load_spec()
    _step(1, f"validate the spec ({spec.root})")
    report = validate_spec(spec)
    for problem in report.errors:
        print(f"  error: {problem}")
    print(
        f"  spec {spec.version}: {len(report.errors)} errors, {len(report.warnings)} warnings "
        f"({len(report.warnings)} rules not enforced yet)"
    )
    if not report.ok:
        print("  the spec is invalid; fix the errors above (molt spec validate)")
        return False
    _step(2, "summarise rules and error codes")
    levels = Counter(rule["level"] for rule in spec.rules)
    print(
        f"  {len(spec.rules)} rules: "
        + ", ".join(f"{count} {level}" for level, count in sorted(levels.items()))
    )
    for rule in spec.rules:
        print(f"    {rule['id']:<32} {rule['level']:<10} {rule['title']}")
    phases = Counter(error["phase"] for error in spec.errors)
    order = ["compile", "lint", "load", "boundary", "runtime", "tool"]
    print(
        f"  {len(spec.errors)} error codes: "
        + ", ".join(f"{phases[p]} {p}" for p in order if phases[p])
    )
    return True


def _lint_examples() -> None:
    import molt.examples
    from molt_lint import Options, check_paths

    folder = Path(molt.examples.__file__).parent
    _step(3, f"lint the bundled examples with molt-lint ({folder})")
    for name in ("stats.py", "host_app.py", "agent_mistakes.py"):
        report = check_paths([name], Options(cache=False), cwd=folder)
        count = len(report.diagnostics)
        print(f"  {name}: {count} diagnostic{'s' if count != 1 else ''}")
        if count:
            for line in report.as_text().splitlines():
                if line.startswith(name):
                    print(f"    {line}")


@contextmanager
def _workspace(out: Path | None) -> Iterator[Path]:
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        yield out
        return
    with tempfile.TemporaryDirectory(prefix="molt-demo-") as folder:
        yield Path(folder)


def _artifact_life_cycle(folder: Path) -> None:
    import molt.examples
    from molt import signing
    from molt.build import build_from_recipe, verify_lock
    from molt.runtime import Host

    _step(4, f"make a demo signing key in {folder / 'keys'}")
    private, public = signing.generate_keypair(folder / "keys", "demo")
    key = signing.load_public_key(public)
    print(
        f"  {private.name} (mode 0600, never printed) and {public.name}: "
        f"key id {signing.key_id(key)}"
    )

    _step(5, "compile, sign and lock stats.py (molt build molt-recipe.toml --key ...)")
    source = Path(molt.examples.__file__).with_name("stats.py")
    (folder / "stats.py").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    recipe = folder / "molt-recipe.toml"
    recipe.write_text(
        'recipe_version = 1\n\n[module]\nname = "stats"\nversion = "1.0.0"\n'
        'description = "Mean and total of a list of floats"\n\n'
        '[source]\nfiles = ["stats.py"]\n\n'
        '[build]\nexports = ["mean", "total"]\ntargets = ["wasm32-molt-v1"]\n',
        encoding="utf-8",
    )
    entry = build_from_recipe(recipe, key_path=private)
    lock = folder / "molt-lock.json"
    print(
        f"  {entry.file}: {entry.size} bytes, sha256 {entry.sha256[:16]}..., "
        f"exports {', '.join(entry.export_names)}, signed by {entry.key_id}"
    )
    results = verify_lock(lock, [public])
    print(f"  molt verify: {sum(r.ok for r in results)}/{len(results)} entries OK")

    _step(6, "load it through the lockfile and call it across the schema boundary")
    host = Host(trusted_keys=[public], cache_dir=folder / "cache")
    with progress_reporter("stats", stream=sys.stdout) as on_progress:
        module = host.load(lock, "stats", on_progress=on_progress)
    values = [1.5, 2.25, 4.0, 8.25]
    print(
        f"  mean({values}) = {module.call('mean', {'values': values})}"
        f"  (fuel used: {module.last_fuel_used})"
    )
    print(f"  total({values}) = {module.call('total', {'values': values})}")

    _step(7, "meet the coded errors")
    for label, call in (
        ("a str where a float belongs", lambda: module.call("mean", {"values": [1.0, "2"]})),
        (
            "the same, with host checks off (the module checks too)",
            lambda: module.call("mean", {"values": [1.0, "2"]}, validate=False),
        ),
        ("the module's own error", lambda: module.call("mean", {"values": []})),
    ):
        try:
            call()
        except MoltError as error:
            print(f"  {label}: {error}")
    artifact = folder / entry.file
    tampered = bytearray(artifact.read_bytes())
    tampered[len(tampered) // 2] ^= 1
    artifact.write_bytes(bytes(tampered))
    try:
        host.load(lock, "stats")
    except MoltError as error:
        print(f"  one flipped byte in {entry.file}: {error}")
