"""molt.build: recipes, prebuilt builds, lock add, sign and verify."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from molt.build import (
    add_to_lock,
    build_from_recipe,
    dist_name,
    read_recipe,
    sign_lock_entry,
    verify_lock,
)
from molt.errors import LoadError, MoltError, ToolError
from molt.lockfile import read_lockfile
from molt.signing import generate_keypair, load_private_key, sign_artifact
from tests.build._modules import INT, make_module, module_bytes

RECIPE = """\
recipe_version = 1

[module]
name = "{name}"
version = "{version}"

[source]
prebuilt = "prebuilt/module.wasm"

[build]
exports = {exports}
targets = ["wasm32-molt-v1"]
"""


def write_project(
    folder: Path,
    wasm: bytes | None = None,
    *,
    name: str = "echo",
    version: str = "1.0.0",
    exports: str = '["echo"]',
    recipe: str | None = None,
) -> Path:
    """A recipe folder with a prebuilt module; returns the recipe's path."""
    (folder / "prebuilt").mkdir(parents=True, exist_ok=True)
    (folder / "prebuilt" / "module.wasm").write_bytes(make_module() if wasm is None else wasm)
    path = folder / "molt-recipe.toml"
    text = (
        recipe if recipe is not None else RECIPE.format(name=name, version=version, exports=exports)
    )
    path.write_text(text, encoding="utf-8")
    return path


def recipe_message(file: Path, path: str, detail: str) -> str:
    return (
        f"MOLT-E-RECIPE-INVALID: {file}: {path}: {detail}; correct the recipe so that it "
        "matches the recipe schema"
    )


# -- recipes ----------------------------------------------------------------------------


def test_recipe_reads_every_field(tmp_path: Path) -> None:
    path = write_project(tmp_path)
    recipe = read_recipe(path)
    assert (recipe.name, recipe.version, recipe.exports) == ("echo", "1.0.0", ("echo",))
    assert (recipe.prebuilt, recipe.files, recipe.targets) == (
        "prebuilt/module.wasm",
        None,
        ("wasm32-molt-v1",),
    )
    assert (recipe.opt_level, recipe.folder) == (2, tmp_path)


@pytest.mark.parametrize(
    ("recipe", "path", "detail"),
    [
        ("name = ", "$", "not valid TOML: Invalid value (at end of document)"),
        (
            RECIPE.format(name="echo", version="1.2", exports='["echo"]'),
            "$.module.version",
            "'1.2' does not match '^(0|[1-9][0-9]*)\\\\.(0|[1-9][0-9]*)\\\\.(0|[1-9][0-9]*)"
            "(-[0-9A-Za-z.-]+)?(\\\\+[0-9A-Za-z.-]+)?$'",
        ),
        (
            RECIPE.format(name="echo", version="1.0.0", exports="[]"),
            "$.build.exports",
            "[] should be non-empty",
        ),
        (
            RECIPE.replace('prebuilt = "prebuilt/module.wasm"', "").format(
                name="echo", version="1.0.0", exports='["echo"]'
            ),
            "$.source",
            "needs exactly one of 'files' or 'prebuilt'; it has neither",
        ),
        (
            RECIPE.replace("[source]\n", '[source]\nfiles = ["echo.py"]\n').format(
                name="echo", version="1.0.0", exports='["echo"]'
            ),
            "$.source",
            "needs exactly one of 'files' or 'prebuilt'; it has both",
        ),
        (
            RECIPE.format(name="echo", version="1.0.0", exports='["echo"]') + "colour = 1\n",
            "$.build",
            "Unevaluated properties are not allowed ('colour' was unexpected)",
        ),
        (
            RECIPE.replace("recipe_version = 1", "recipe_version = 2").format(
                name="echo", version="1.0.0", exports='["echo"]'
            ),
            "$.recipe_version",
            "recipe_version 2 is not supported; molt 0.1.0 reads recipe_version 1",
        ),
    ],
    ids=["toml", "version", "no-exports", "no-source", "two-sources", "unknown-key", "future"],
)
def test_invalid_recipe_names_file_and_path(
    tmp_path: Path, recipe: str, path: str, detail: str
) -> None:
    file = write_project(tmp_path, recipe=recipe)
    with pytest.raises(ToolError) as caught:
        read_recipe(file)
    assert str(caught.value) == recipe_message(file, path, detail)


def test_unreadable_recipe_is_recipe_invalid(tmp_path: Path) -> None:
    with pytest.raises(ToolError) as caught:
        read_recipe(tmp_path / "molt-recipe.toml")
    assert str(caught.value) == recipe_message(
        tmp_path / "molt-recipe.toml", "$", "cannot read the file: No such file or directory"
    )


SOURCE = """\
from molt import export


@export
def double(n: int) -> int:
    return n * 2
"""


def _source_recipe(tmp_path: Path, files: str, exports: str = '["double"]') -> Path:
    (tmp_path / "double.py").write_text(SOURCE, encoding="utf-8")
    recipe = RECIPE.replace('prebuilt = "prebuilt/module.wasm"', f"files = {files}")
    return write_project(
        tmp_path, recipe=recipe.format(name="double", version="1.0.0", exports=exports)
    )


def test_recipe_with_sources_compiles_signs_and_locks(tmp_path: Path) -> None:
    from molt.compiler import compile_file

    file = _source_recipe(tmp_path, '["double.py"]')
    entry = build_from_recipe(file)
    built = (tmp_path / entry.file).read_bytes()
    expected = compile_file(tmp_path / "double.py", module_name="double", version="1.0.0")
    assert built == expected.wasm
    assert (entry.name, entry.version, entry.export_names) == ("double", "1.0.0", ("double",))
    assert entry.sha256 == hashlib.sha256(built).hexdigest()


def test_recipe_exports_must_match_the_compiled_source(tmp_path: Path) -> None:
    file = _source_recipe(tmp_path, '["double.py"]', exports='["double", "triple"]')
    with pytest.raises(ToolError) as caught:
        build_from_recipe(file)
    assert str(caught.value) == recipe_message(
        file,
        "$.build.exports",
        "double.py exports [double] but the recipe lists [double, triple]; list exactly the "
        "module's exports",
    )


def test_recipe_with_several_sources_is_refused_by_this_compiler(tmp_path: Path) -> None:
    (tmp_path / "more.py").write_text(SOURCE, encoding="utf-8")
    file = _source_recipe(tmp_path, '["double.py", "more.py"]')
    with pytest.raises(ToolError) as caught:
        build_from_recipe(file)
    assert str(caught.value) == recipe_message(
        file,
        "$.source.files",
        "lists 2 files, but this compiler version builds a module from one source file; put "
        "the module's functions in one file",
    )


# -- molt build -------------------------------------------------------------------------


def test_build_writes_dist_file_and_lock_entry(tmp_path: Path) -> None:
    wasm = make_module()
    entry = build_from_recipe(write_project(tmp_path, wasm))
    assert (tmp_path / "dist" / "echo-1.0.0.wasm").read_bytes() == wasm
    assert entry.to_json() == {
        "name": "echo",
        "version": "1.0.0",
        "file": "dist/echo-1.0.0.wasm",
        "size": len(wasm),
        "sha256": hashlib.sha256(wasm).hexdigest(),
        "abi": {"major": 1, "minor": 0},
        "exports": [
            {
                "name": "echo",
                "input": {
                    "type": "object",
                    "properties": {"value": INT},
                    "required": ["value"],
                    "additionalProperties": False,
                },
                "output": INT,
            }
        ],
        "targets": ["wasm32-molt-v1"],
    }
    assert read_lockfile(tmp_path / "molt-lock.json").entries == (entry,)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dist",
        "molt-lock.json",
        "molt-recipe.toml",
        "prebuilt",
    ]


def test_build_with_key_signs_the_entry(tmp_path: Path) -> None:
    private, public = generate_keypair(tmp_path / "keys")
    wasm = make_module()
    entry = build_from_recipe(write_project(tmp_path, wasm), key_path=private)
    key = load_private_key(private)
    assert entry.signature == sign_artifact(key, "echo", "1.0.0", hashlib.sha256(wasm).hexdigest())
    assert [r.ok for r in verify_lock(tmp_path / "molt-lock.json", [public])] == [True]


def test_builds_are_reproducible(tmp_path: Path) -> None:
    private, _ = generate_keypair(tmp_path / "keys")
    outputs = []
    for folder in ("a", "b", "a"):
        recipe = write_project(tmp_path / folder)
        build_from_recipe(recipe, key_path=private)
        outputs.append(
            (
                (recipe.parent / "molt-lock.json").read_bytes(),
                (recipe.parent / "dist" / "echo-1.0.0.wasm").read_bytes(),
            )
        )
    assert outputs[0] == outputs[1] == outputs[2]


def test_build_replaces_the_entry_and_keeps_others(tmp_path: Path) -> None:
    recipe = write_project(tmp_path)
    build_from_recipe(recipe)
    write_project(tmp_path, make_module(version="1.1.0"), version="1.1.0")
    build_from_recipe(recipe)
    write_project(
        tmp_path,
        make_module(version="1.1.0", exports=("echo", "twice")),
        version="1.1.0",
        exports='["twice", "echo"]',
    )
    entry = build_from_recipe(recipe)
    lock = read_lockfile(tmp_path / "molt-lock.json")
    assert [e.label() for e in lock.entries] == ["echo 1.0.0", "echo 1.1.0"]
    assert lock.entry("echo") == entry
    assert entry.export_names == ("echo", "twice")


def test_build_honours_lock_and_out_options(tmp_path: Path) -> None:
    recipe = write_project(tmp_path / "project")
    entry = build_from_recipe(
        recipe, lock_path=tmp_path / "molt-lock.json", out_dir=tmp_path / "artifacts"
    )
    assert entry.file == "artifacts/echo-1.0.0.wasm"
    assert (tmp_path / "artifacts" / "echo-1.0.0.wasm").is_file()
    assert read_lockfile(tmp_path / "molt-lock.json").entries == (entry,)


def test_build_refuses_an_artifact_outside_the_lockfile_folder(tmp_path: Path) -> None:
    recipe = write_project(tmp_path / "project")
    with pytest.raises(ToolError) as caught:
        build_from_recipe(recipe, out_dir=tmp_path / "elsewhere")
    assert caught.value.code == "MOLT-E-USAGE"
    assert not (tmp_path / "elsewhere").exists()
    assert not (tmp_path / "project" / "molt-lock.json").exists()


@pytest.mark.parametrize(
    ("version", "file"),
    [("1.0.0", "echo-1.0.0.wasm"), ("1.0.0-rc.1+build.7", "echo-1.0.0-rc.1_build.7.wasm")],
)
def test_dist_name_keeps_lockfile_path_characters(version: str, file: str) -> None:
    assert dist_name("echo", version) == file


def test_build_refuses_a_prebuilt_module_of_another_name(tmp_path: Path) -> None:
    recipe = write_project(tmp_path, make_module(name="other"))
    with pytest.raises(ToolError) as caught:
        build_from_recipe(recipe)
    assert str(caught.value) == recipe_message(
        recipe,
        "$.source.prebuilt",
        "prebuilt/module.wasm is other 1.0.0 by its molt.interface section, but the recipe "
        "builds echo 1.0.0",
    )


def test_build_refuses_exports_that_differ_from_the_recipe(tmp_path: Path) -> None:
    recipe = write_project(tmp_path, exports='["echo", "twice"]')
    with pytest.raises(ToolError) as caught:
        build_from_recipe(recipe)
    assert str(caught.value) == recipe_message(
        recipe,
        "$.build.exports",
        "prebuilt/module.wasm exports [echo] but the recipe lists [echo, twice]; list exactly "
        "the module's exports",
    )
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize(
    ("wasm", "code", "detail"),
    [
        (
            make_module(with_import=True),
            "MOLT-E-FORBIDDEN-IMPORT",
            "echo 1.0.0 declares the import env.clock (func), but",
        ),
        (
            make_module(wasm_exports=()),
            "MOLT-E-INTERFACE-MISMATCH",
            "echo 1.0.0: the module's exports do not match its molt.interface section: there "
            "is no wasm export molt_call_echo;",
        ),
        (
            make_module(wasm_exports=("echo", "extra")),
            "MOLT-E-INTERFACE-MISMATCH",
            "echo 1.0.0: the module's exports do not match its molt.interface section: "
            "unexpected wasm exports [molt_call_extra];",
        ),
        (
            make_module(abi_major=2),
            "MOLT-E-ABI-MISMATCH",
            "echo 1.0.0 uses Molt ABI 2.0 but this host supports ABI 1.x;",
        ),
        (
            b"\x00asm\x01\x00\x00\x00",
            "MOLT-E-INTERFACE-INVALID",
            "echo 1.0.0: invalid molt.interface section: the module has no molt.interface "
            "custom section;",
        ),
        (
            b"not wasm at all",
            "MOLT-E-MODULE-INVALID",
            "echo 1.0.0 is not a valid wasm32 module: bad magic number",
        ),
    ],
    ids=["import", "missing-call-export", "extra-call-export", "abi-2", "no-interface", "not-wasm"],
)
def test_build_refuses_a_module_a_host_would_refuse(
    tmp_path: Path, wasm: bytes, code: str, detail: str
) -> None:
    with pytest.raises(LoadError) as caught:
        build_from_recipe(write_project(tmp_path, wasm))
    assert caught.value.code == code
    assert caught.value.message.startswith(detail)
    assert not (tmp_path / "molt-lock.json").exists()


def test_build_with_missing_prebuilt_file_is_an_io_error(tmp_path: Path) -> None:
    recipe = write_project(tmp_path)
    (tmp_path / "prebuilt" / "module.wasm").unlink()
    with pytest.raises(ToolError) as caught:
        build_from_recipe(recipe)
    assert str(caught.value).startswith(
        f"MOLT-E-IO: cannot read {tmp_path / 'prebuilt' / 'module.wasm'}: "
        "No such file or directory;"
    )


def test_shared_echo_fixture_builds(tmp_path: Path) -> None:
    from molt.wasmfile import read_interface, read_wasm

    wasm = module_bytes()
    section = read_interface(read_wasm(wasm))
    names = json.dumps(sorted(e["name"] for e in section["exports"]))
    recipe = write_project(
        tmp_path,
        wasm,
        name=section["module"]["name"],
        version=section["module"]["version"],
        exports=names,
    )
    entry = build_from_recipe(recipe)
    assert entry.sha256 == hashlib.sha256(wasm).hexdigest()


# -- molt lock add, molt sign -----------------------------------------------------------------


def test_lock_add_copies_to_dist_and_takes_identity_from_the_interface(tmp_path: Path) -> None:
    wasm = make_module(name="geometry", version="2.1.0", exports=("area", "perimeter"))
    source = tmp_path / "build" / "out.wasm"
    source.parent.mkdir()
    source.write_bytes(wasm)
    entry = add_to_lock(tmp_path / "molt-lock.json", source)
    assert (entry.name, entry.version, entry.file) == (
        "geometry",
        "2.1.0",
        "dist/geometry-2.1.0.wasm",
    )
    assert entry.export_names == ("area", "perimeter")
    assert entry.signature is None
    assert (tmp_path / "dist" / "geometry-2.1.0.wasm").read_bytes() == wasm


def test_sign_signs_an_unsigned_entry(tmp_path: Path) -> None:
    private, public = generate_keypair(tmp_path / "keys")
    build_from_recipe(write_project(tmp_path))
    lock = tmp_path / "molt-lock.json"
    assert [r.code for r in verify_lock(lock, [public])] == ["MOLT-E-SIGNATURE-MISSING"]
    entry = sign_lock_entry(lock, "echo", None, private)
    assert entry.signature is not None
    assert [r.code for r in verify_lock(lock, [public])] == [None]


def test_sign_refuses_bytes_that_differ_from_the_lock(tmp_path: Path) -> None:
    private, _ = generate_keypair(tmp_path / "keys")
    build_from_recipe(write_project(tmp_path))
    lock = tmp_path / "molt-lock.json"
    before = lock.read_bytes()
    artifact = tmp_path / "dist" / "echo-1.0.0.wasm"
    data = bytearray(artifact.read_bytes())
    data[-1] ^= 0xFF
    artifact.write_bytes(bytes(data))
    with pytest.raises(LoadError) as caught:
        sign_lock_entry(lock, "echo", "1.0.0", private)
    assert caught.value.code == "MOLT-E-HASH-MISMATCH"
    assert lock.read_bytes() == before


# -- molt verify --------------------------------------------------------------------------


def test_verify_reports_every_entry_without_stopping(tmp_path: Path) -> None:
    private, public = generate_keypair(tmp_path / "keys")
    _, stranger_public = generate_keypair(tmp_path / "keys", "stranger")
    stranger_private = tmp_path / "keys" / "stranger.key"
    lock = tmp_path / "molt-lock.json"
    modules = {
        "good": private,
        "flipped": private,
        "short": private,
        "unsigned": None,
        "foreign": stranger_private,
        "gone": private,
    }
    for name, key in modules.items():
        source = tmp_path / f"{name}.wasm"
        source.write_bytes(make_module(name=name))
        add_to_lock(lock, source, key_path=key)
    dist = tmp_path / "dist"
    flipped = bytearray((dist / "flipped-1.0.0.wasm").read_bytes())
    flipped[10] ^= 0x01
    (dist / "flipped-1.0.0.wasm").write_bytes(bytes(flipped))
    (dist / "short-1.0.0.wasm").write_bytes((dist / "short-1.0.0.wasm").read_bytes()[:-1])
    (dist / "gone-1.0.0.wasm").unlink()
    results = verify_lock(lock, [public])
    assert [(r.name, r.code) for r in results] == [
        ("flipped", "MOLT-E-HASH-MISMATCH"),
        ("foreign", "MOLT-E-KEY-UNTRUSTED"),
        ("gone", "MOLT-E-ARTIFACT-UNREADABLE"),
        ("good", None),
        ("short", "MOLT-E-ARTIFACT-UNREADABLE"),
        ("unsigned", "MOLT-E-SIGNATURE-MISSING"),
    ]
    assert stranger_public.exists()
    assert results[2].error is not None
    assert results[2].error.message == (
        "dist/gone-1.0.0.wasm: cannot use the artifact of gone 1.0.0: No such file or "
        "directory; restore the file the lockfile names, or rebuild and re-lock the module"
    )
    assert results[4].error is not None
    assert "its size is" in results[4].error.message
    assert results[3].as_dict() == {
        "name": "good",
        "version": "1.0.0",
        "file": "dist/good-1.0.0.wasm",
        "key_id": results[3].key_id,
        "ok": True,
    }


def test_verify_refuses_lock_exports_that_differ_from_the_module(tmp_path: Path) -> None:
    private, public = generate_keypair(tmp_path / "keys")
    build_from_recipe(write_project(tmp_path), key_path=private)
    lock = tmp_path / "molt-lock.json"
    data = json.loads(lock.read_text())
    data["artifacts"][0]["exports"][0]["output"] = {"type": "string"}
    lock.write_text(json.dumps(data))
    [result] = verify_lock(lock, [public])
    assert result.error is not None
    assert str(result.error) == (
        "MOLT-E-INTERFACE-MISMATCH: echo 1.0.0: the module's exports do not match its "
        "molt.interface section: the lockfile entry's exports differ from the section's; "
        "rebuild the module with molt build and re-lock it"
    )


def test_verify_of_an_invalid_lockfile_raises_lock_invalid(tmp_path: Path) -> None:
    (tmp_path / "molt-lock.json").write_text("{}")
    with pytest.raises(MoltError) as caught:
        verify_lock(tmp_path / "molt-lock.json", [])
    assert caught.value.code == "MOLT-E-LOCK-INVALID"
