"""`molt run`: load through a lockfile, call, print JSON; errors as `CODE: message`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from molt import signing
from molt.build import add_to_lock
from molt.cli import main


@pytest.fixture
def locked_echo(tmp_path: Path, abi1_fixture_paths: dict[str, Path]) -> dict[str, Path]:
    private, public = signing.generate_keypair(tmp_path / "keys", "release")
    lock = tmp_path / "molt-lock.json"
    add_to_lock(lock, abi1_fixture_paths["echo"], private)
    return {"lock": lock, "public": public, "private": private}


@pytest.fixture(scope="session")
def abi1_fixture_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from tests.runtime.conftest import load_fixture_builder

    return load_fixture_builder().build_all(tmp_path_factory.mktemp("abi1-cli"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def base(locked: dict[str, Path], *extra: str) -> list[str]:
    return [
        "run",
        "--lock",
        str(locked["lock"]),
        "fixture-echo",
        *extra,
        "--trust",
        str(locked["public"]),
        "--no-cache",
    ]


def test_run_prints_the_result_as_json_and_progress_on_stderr(capsys, locked_echo) -> None:
    code, out, err = run(capsys, *base(locked_echo, "echo", "--args", '{"value": [1, 2.5]}'))
    assert (code, out) == (0, "[1, 2.5]\n")  # the echo fixture returns its input bytes
    phases = [line.split(": ")[1].split(" (")[0] for line in err.splitlines()]
    assert phases == [
        "read",
        "verify-hash",
        "verify-signature",
        "check-abi",
        "compile",
        "instantiate",
    ]


def test_run_quiet_prints_only_the_result(capsys, locked_echo) -> None:
    code, out, err = run(capsys, *base(locked_echo, "echo", "--args", '{"value": []}', "-q"))
    assert (code, out, err) == (0, "[]\n", "")


def test_run_schema_violation_is_code_and_message_exit_1(capsys, locked_echo) -> None:
    code, out, err = run(capsys, *base(locked_echo, "echo", "--args", '{"value": ["x"]}', "-q"))
    assert (code, out) == (1, "")
    assert err.startswith("MOLT-E-SCHEMA-VIOLATION: echo: input at $.value[0] ")


def test_run_json_error_object_on_stdout(capsys, locked_echo) -> None:
    code, out, _ = run(capsys, *base(locked_echo, "spin", "--fuel", "100000", "-q", "--json"))
    error = json.loads(out)["error"]
    assert code == 1
    assert error["code"] == "MOLT-E-OUT-OF-FUEL"
    assert "after 100000 units" in error["message"]


def test_run_without_trusted_key_refuses_to_load(capsys, locked_echo) -> None:
    argv = [
        "run",
        "--lock",
        str(locked_echo["lock"]),
        "fixture-echo",
        "echo",
        "-q",
        "--no-cache",
        "--args",
        '{"value": []}',
    ]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (1, "")
    assert err.startswith("MOLT-E-KEY-UNTRUSTED: fixture-echo 1.0.0 is signed by key ed25519:")


def test_run_with_invalid_args_json_is_usage_error(capsys, locked_echo) -> None:
    code, _, err = run(capsys, *base(locked_echo, "echo", "--args", "{", "-q"))
    assert code == 2
    assert err.startswith("MOLT-E-USAGE: --args is not valid JSON")


def test_run_unknown_function_lists_exports(capsys, locked_echo) -> None:
    code, _, err = run(capsys, *base(locked_echo, "area", "-q"))
    assert code == 1
    assert err.startswith("MOLT-E-UNKNOWN-EXPORT: fixture-echo 1.0.0 has no export 'area'")
