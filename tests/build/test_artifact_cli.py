"""`molt keygen`, `molt build`, `molt lock add`, `molt sign`, `molt verify` end to end."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest

from molt.cli import main
from molt.signing import key_id, load_public_key
from tests.build._modules import make_module
from tests.build.test_build import write_project


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    code, _, _ = run(capsys, "keygen", "--out", tmp_path / "keys", "--format", "text")
    assert code == 0
    return tmp_path / "keys" / "molt.key", tmp_path / "keys" / "molt.pub"


def test_keygen_prints_paths_and_key_id_never_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "keys"
    code, out, err = run(capsys, "keygen", "--out", folder, "--name", "release", "--format", "text")
    identifier = key_id(load_public_key(folder / "release.pub"))
    assert (code, err) == (0, "")
    assert out == (
        f"private key: {folder / 'release.key'} (mode 0600; keep it secret, never share it)\n"
        f"public key:  {folder / 'release.pub'}\n"
        f"key id:      {identifier}\n"
    )
    assert "PRIVATE KEY" not in out
    assert stat.S_IMODE((folder / "release.key").stat().st_mode) == 0o600


def test_keygen_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "keygen", "--out", tmp_path, "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "private_key": str(tmp_path / "molt.key"),
        "public_key": str(tmp_path / "molt.pub"),
        "key_id": key_id(load_public_key(tmp_path / "molt.pub")),
    }


def test_keygen_twice_refuses_to_overwrite_with_exit_2(
    keys: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = keys[0].read_bytes()
    code, out, err = run(capsys, "keygen", "--out", tmp_path / "keys")
    assert (code, out) == (2, "")
    assert err.startswith(f"MOLT-E-IO: cannot create {keys[0]}: the file already exists")
    assert keys[0].read_bytes() == before


def test_build_sign_verify_end_to_end(
    keys: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = keys
    wasm = make_module()
    recipe = write_project(tmp_path / "project", wasm)
    lock = tmp_path / "project" / "molt-lock.json"
    identifier = key_id(load_public_key(public))

    code, out, err = run(capsys, "build", recipe, "--format", "text")
    assert (code, err) == (0, "")
    assert out == (
        "built echo 1.0.0\n"
        f"  file:    {tmp_path / 'project' / 'dist' / 'echo-1.0.0.wasm'}\n"
        f"  size:    {len(wasm)} bytes\n"
        f"  sha256:  {hashlib.sha256(wasm).hexdigest()}\n"
        "  exports: echo\n"
        "  key id:  unsigned\n"
        f"  lock:    {lock}\n"
    )

    code, out, err = run(capsys, "verify", lock, "--trust", public, "--format", "text")
    assert code == 1
    assert out.splitlines()[-1] == "0 of 1 entries OK"
    assert err.startswith("echo 1.0.0: MOLT-E-SIGNATURE-MISSING: lockfile entry echo 1.0.0 ")

    code, out, err = run(capsys, "sign", lock, "echo", "--key", private, "--format", "text")
    assert (code, err) == (0, "")
    assert out.startswith("signed echo 1.0.0\n")
    assert f"  key id:  {identifier}\n" in out

    code, out, err = run(capsys, "verify", lock, "--trust", public, "--format", "text")
    assert (code, err) == (0, "")
    assert out == (
        f"NAME  VERSION  FILE                  {'KEY ID'.ljust(24)}  RESULT\n"
        f"echo  1.0.0    dist/echo-1.0.0.wasm  {identifier}  OK\n"
        "1 of 1 entries OK\n"
    )


def test_build_with_sign_alias_signs(
    keys: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recipe = write_project(tmp_path / "project")
    code, out, _ = run(capsys, "build", recipe, "--sign", keys[0], "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["entry"]["signature"]["key_id"] == key_id(load_public_key(keys[1]))
    assert document["lockfile"] == str(tmp_path / "project" / "molt-lock.json")


def test_verify_flipped_byte_fails_that_entry_with_exit_1(
    keys: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = keys
    lock = tmp_path / "molt-lock.json"
    for name in ("alpha", "beta"):
        (tmp_path / f"{name}.wasm").write_bytes(make_module(name=name))
        code, _, _ = run(capsys, "lock", "add", lock, tmp_path / f"{name}.wasm", "--key", private)
        assert code == 0
    artifact = tmp_path / "dist" / "beta-1.0.0.wasm"
    data = bytearray(artifact.read_bytes())
    data[20] ^= 0x40
    artifact.write_bytes(bytes(data))
    actual = hashlib.sha256(bytes(data)).hexdigest()

    code, out, err = run(capsys, "verify", lock, "--trust", public, "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    assert [(e["name"], e["ok"]) for e in report["entries"]] == [("alpha", True), ("beta", False)]
    error = report["entries"][1]["error"]
    assert error["code"] == "MOLT-E-HASH-MISMATCH"
    assert error["message"].startswith(f"dist/beta-1.0.0.wasm: sha256 is {actual} but the lockfile")

    code, out, err = run(capsys, "verify", lock, "--trust", public, "--format", "text")
    assert code == 1
    assert [line.split()[-1] for line in out.splitlines()[1:3]] == ["OK", "MOLT-E-HASH-MISMATCH"]
    assert out.splitlines()[-1] == "1 of 2 entries OK"
    assert err.startswith("beta 1.0.0: MOLT-E-HASH-MISMATCH: dist/beta-1.0.0.wasm: sha256 is")


def test_lock_add_prints_the_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "m.wasm").write_bytes(make_module(name="geometry", exports=("area",)))
    code, out, _ = run(
        capsys, "lock", "add", tmp_path / "molt-lock.json", tmp_path / "m.wasm", "--format", "text"
    )
    assert code == 0
    assert out.splitlines()[0] == "locked geometry 1.0.0"
    assert "  exports: area" in out.splitlines()


@pytest.mark.parametrize(
    ("argv", "code", "first_line"),
    [
        (["verify", "LOCK"], 2, "MOLT-E-USAGE: the following arguments are required: --trust"),
        (["sign", "LOCK", "echo"], 2, "MOLT-E-USAGE: the following arguments are required: --key"),
        (["lock"], 2, "MOLT-E-USAGE: the following arguments are required: COMMAND"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], code: int, first_line: str
) -> None:
    status, _, err = run(capsys, *argv)
    assert status == code
    assert err.splitlines()[-1].startswith(first_line)


def test_coded_errors_print_code_and_exit_by_phase(
    keys: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = keys
    lock = tmp_path / "molt-lock.json"
    code, out, err = run(capsys, "verify", lock, "--trust", public)
    assert (code, out) == (1, "")
    assert err.startswith(f"MOLT-E-LOCK-INVALID: {lock}: invalid lockfile: the file does not exist")

    private.chmod(0o644)
    recipe = write_project(tmp_path / "project")
    code, out, err = run(capsys, "build", recipe, "--key", private)
    assert (code, out) == (2, "")
    assert err.startswith(f"MOLT-E-KEY-FILE: {private}: private key file is readable by other")

    code, _, err = run(
        capsys, "sign", tmp_path / "project" / "molt-lock.json", "echo", "--key", private
    )
    assert code == 2
    assert err.startswith("MOLT-E-KEY-FILE: ")
