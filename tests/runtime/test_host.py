"""The host end to end on the ABI 1 fixtures: every load check, every limit,
and after each failure the same host serves a normal call correctly."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from molt import signing
from molt.errors import BoundaryError, ExecutionError, LoadError
from molt.lockfile import LockEntry
from molt.runtime import PHASES, Host, LoadProgress
from tests.runtime.conftest import fixture_interface

ECHO = "fixture-echo"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("keys")
    private, public = signing.generate_keypair(folder, "release")
    other_private, other_public = signing.generate_keypair(folder, "other")
    return {
        "private": signing.load_private_key(private),
        "public": public,
        "other_private": signing.load_private_key(other_private),
        "other_public": other_public,
    }


def entry_for(
    data: bytes,
    name: str,
    keys: dict[str, Any],
    *,
    interface: str | None = None,
    signer: str | None = "private",
    version: str = "1.0.0",
) -> LockEntry:
    """A lockfile entry for `data`, signed by `signer` (None: unsigned)."""
    sha = hashlib.sha256(data).hexdigest()
    exports = fixture_interface(interface)["exports"] if interface else []
    signature = signing.sign_artifact(keys[signer], name, version, sha) if signer else None
    return LockEntry(
        name=name,
        version=version,
        file=f"{name}.wasm",
        size=len(data),
        sha256=sha,
        abi=(1, 0),
        exports=tuple(
            {"name": e["name"], "input": e["input"], "output": e["output"]} for e in exports
        ),
        signature=signature,
    )


@pytest.fixture
def host(keys: dict[str, Any], tmp_path: Path) -> Host:
    return Host(
        trusted_keys=[keys["public"]],
        cache_dir=tmp_path / "cache",
        fuel=5_000_000,
        memory_limit=8 << 20,
    )


@pytest.fixture
def echo(host: Host, abi1_wasm: dict[str, bytes], keys: dict[str, Any]):
    data = abi1_wasm["echo"]
    return host.load_bytes(data, entry_for(data, ECHO, keys, interface="echo"))


def assert_serves_normal_call(module) -> None:
    assert module.call("echo", {"value": [1.5, -2.0, 3.25]}) == [1.5, -2.0, 3.25]


# -- loading ----------------------------------------------------------------------


def test_load_through_lockfile_reports_every_phase_in_order(
    keys, abi1_fixture_paths, tmp_path
) -> None:
    from molt.build import add_to_lock

    lock = tmp_path / "molt-lock.json"
    add_to_lock(lock, abi1_fixture_paths["echo"], keys["public"].with_suffix(".key"))
    events: list[LoadProgress] = []
    host = Host(trusted_keys=[keys["public"]], cache_dir=False)
    module = host.load(lock, ECHO, on_progress=events.append)
    phases = list(dict.fromkeys(event.phase for event in events))
    size = abi1_fixture_paths["echo"].stat().st_size
    assert phases == list(PHASES)
    assert events[-1] == LoadProgress("instantiate", size, size, ECHO, "1.0.0")
    assert all(event.done <= event.total == size for event in events)
    assert module.exports == ("bad_result", "echo", "fail", "grow", "recurse", "spin")
    assert module.interface["module"] == {"name": ECHO, "version": "1.0.0"}
    assert_serves_normal_call(module)


@pytest.mark.parametrize("offset", [0, 9, "middle", -1])
def test_flipped_byte_anywhere_is_a_hash_mismatch(host, abi1_wasm, keys, offset) -> None:
    data = abi1_wasm["echo"]
    entry = entry_for(data, ECHO, keys, interface="echo")
    position = len(data) // 2 if offset == "middle" else offset
    tampered = bytearray(data)
    tampered[position] ^= 0x01
    with pytest.raises(LoadError) as caught:
        host.load_bytes(bytes(tampered), entry)
    assert caught.value.code == "MOLT-E-HASH-MISMATCH"
    assert_serves_normal_call(host.load_bytes(data, entry))


@pytest.mark.parametrize(
    ("signer", "code"),
    [
        (None, "MOLT-E-SIGNATURE-MISSING"),
        ("other_private", "MOLT-E-KEY-UNTRUSTED"),
    ],
)
def test_signature_must_come_from_a_trusted_key(host, abi1_wasm, keys, signer, code) -> None:
    data = abi1_wasm["echo"]
    with pytest.raises(LoadError) as caught:
        host.load_bytes(data, entry_for(data, ECHO, keys, interface="echo", signer=signer))
    assert caught.value.code == code
    assert_serves_normal_call(host.load_bytes(data, entry_for(data, ECHO, keys, interface="echo")))


def test_signature_over_another_version_is_invalid(host, abi1_wasm, keys) -> None:
    data = abi1_wasm["echo"]
    entry = entry_for(data, ECHO, keys, interface="echo")
    forged = entry_for(data, ECHO, keys, interface="echo", version="1.0.1")
    swapped = LockEntry(**{**entry.__dict__, "signature": forged.signature})
    with pytest.raises(LoadError) as caught:
        host.load_bytes(data, swapped)
    assert caught.value.code == "MOLT-E-SIGNATURE-INVALID"


@pytest.mark.parametrize(
    ("fixture", "code"),
    [
        ("abi2", "MOLT-E-ABI-MISMATCH"),
        ("with-import", "MOLT-E-FORBIDDEN-IMPORT"),
        ("extra-export", "MOLT-E-INTERFACE-MISMATCH"),
        ("missing-export", "MOLT-E-INTERFACE-MISMATCH"),
        ("no-interface", "MOLT-E-INTERFACE-INVALID"),
        ("bad-interface", "MOLT-E-INTERFACE-INVALID"),
    ],
)
def test_module_breaking_the_abi_is_refused(host, abi1_wasm, keys, fixture, code) -> None:
    data = abi1_wasm[fixture]
    name = f"fixture-{fixture}"
    interface = None if fixture == "no-interface" else fixture
    with pytest.raises(LoadError) as caught:
        host.load_bytes(data, entry_for(data, name, keys, interface=interface))
    assert caught.value.code == code
    assert_serves_normal_call(
        host.load_bytes(
            abi1_wasm["echo"], entry_for(abi1_wasm["echo"], ECHO, keys, interface="echo")
        )
    )


def test_lock_exports_differing_from_interface_is_a_mismatch(host, abi1_wasm, keys) -> None:
    data = abi1_wasm["echo"]
    entry = entry_for(data, ECHO, keys, interface="echo")
    fewer = LockEntry(**{**entry.__dict__, "exports": entry.exports[:-1]})
    with pytest.raises(LoadError) as caught:
        host.load_bytes(data, fewer)
    assert caught.value.code == "MOLT-E-INTERFACE-MISMATCH"


def test_missing_lock_entry_and_short_artifact_are_coded(
    keys, abi1_fixture_paths, tmp_path
) -> None:
    from molt.build import add_to_lock

    lock = tmp_path / "molt-lock.json"
    entry = add_to_lock(lock, abi1_fixture_paths["echo"], keys["public"].with_suffix(".key"))
    host = Host(trusted_keys=[keys["public"]], cache_dir=False)
    with pytest.raises(LoadError) as caught:
        host.load(lock, "fixture-nope")
    assert caught.value.code == "MOLT-E-LOCK-ENTRY-MISSING"
    artifact = tmp_path / entry.file
    artifact.write_bytes(artifact.read_bytes()[:-1])
    with pytest.raises(LoadError) as caught:
        host.load(lock, ECHO)
    assert caught.value.code == "MOLT-E-ARTIFACT-UNREADABLE"


# -- the boundary -------------------------------------------------------------------


def test_schema_violation_reports_the_nested_json_path(echo) -> None:
    with pytest.raises(BoundaryError) as caught:
        echo.call("echo", {"value": [1.0, 2.0, "three"]})
    assert (caught.value.code, caught.value.path) == ("MOLT-E-SCHEMA-VIOLATION", "$.value[2]")
    with pytest.raises(BoundaryError) as caught:
        echo.call("echo", {"value": [1.0], "extra": 1})
    assert caught.value.code == "MOLT-E-SCHEMA-VIOLATION"
    assert_serves_normal_call(echo)


@pytest.mark.parametrize(
    "message",
    [
        b"\x81\xa5value\x91",  # truncated: the array promises one element
        b"\x81\xa5value\x90\x00",  # trailing byte after the value
        b"\x81\xa5value\x91\xc1",  # 0xc1 is never used
        b"\x81\xa5value\x91\xd4\x01\x00",  # ext type
    ],
)
def test_malformed_message_is_refused_before_the_call(echo, message) -> None:
    with pytest.raises(BoundaryError) as caught:
        echo.call_message("echo", message)
    assert caught.value.code == "MOLT-E-MALFORMED-MESSAGE"
    assert_serves_normal_call(echo)


def test_unknown_export_lists_the_available_ones(echo) -> None:
    with pytest.raises(BoundaryError) as caught:
        echo.call("area", {})
    assert caught.value.code == "MOLT-E-UNKNOWN-EXPORT"
    assert "call one of: bad_result, echo, fail, grow, recurse, spin" in caught.value.message


def test_module_error_map_becomes_its_coded_exception(echo) -> None:
    with pytest.raises(ExecutionError) as caught:
        echo.call("fail")
    assert (caught.value.code, caught.value.message) == (
        "MOLT-E-VALUE",
        "fixture failure on purpose",
    )
    assert_serves_normal_call(echo)


def test_result_outside_memory_is_result_invalid(echo) -> None:
    with pytest.raises(BoundaryError) as caught:
        echo.call("bad_result")
    assert caught.value.code == "MOLT-E-RESULT-INVALID"
    assert_serves_normal_call(echo)


def test_wrong_argument_types_are_type_errors(echo) -> None:
    with pytest.raises(TypeError):
        echo.call("echo", [1.0])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        echo.call_message("echo", "not bytes")  # type: ignore[arg-type]


def test_closed_module_refuses_calls(echo) -> None:
    echo.close()
    with pytest.raises(ValueError, match="is closed"):
        echo.call("echo", {"value": []})


# -- limits: each trap is coded, and the next call runs on a fresh instance ------------


@pytest.mark.parametrize(
    ("export", "args", "code"),
    [
        ("spin", {}, "MOLT-E-OUT-OF-FUEL"),
        ("grow", {}, "MOLT-E-OUT-OF-MEMORY"),
        ("recurse", {"n": 1}, "MOLT-E-STACK-EXHAUSTED"),
    ],
)
def test_limit_is_coded_and_host_recovers(echo, export, args, code) -> None:
    with pytest.raises(ExecutionError) as caught:
        echo.call(export, args)
    assert caught.value.code == code
    assert_serves_normal_call(echo)
    assert_serves_normal_call(echo)


def test_deadline_stops_a_loop_without_fuel(keys, abi1_wasm, tmp_path) -> None:
    host = Host(trusted_keys=[keys["public"]], fuel=None, deadline=0.05, cache_dir=False)
    data = abi1_wasm["echo"]
    module = host.load_bytes(data, entry_for(data, ECHO, keys, interface="echo"))
    with pytest.raises(ExecutionError) as caught:
        module.call("spin")
    assert caught.value.code == "MOLT-E-DEADLINE"
    assert module.last_fuel_used is None
    assert_serves_normal_call(module)


def test_same_input_gives_same_bytes_and_same_fuel(echo, host, abi1_wasm, keys) -> None:
    message = (
        b"\x81\xa5value\x92\xcb\x3f\xf8\x00\x00\x00\x00\x00\x00\xcb\x40\x00\x00\x00\x00\x00\x00\x00"
    )
    first = echo.call_message("echo", message)
    fuel = echo.last_fuel_used
    second = echo.call_message("echo", message)
    data = abi1_wasm["echo"]
    other = host.load_bytes(data, entry_for(data, ECHO, keys, interface="echo"))
    third = other.call_message("echo", message)
    assert first == second == third == message[7:]
    assert fuel == echo.last_fuel_used == other.last_fuel_used
    assert isinstance(fuel, int) and fuel > 0


def test_bulk_list_crosses_intact(keys, abi1_wasm) -> None:
    host = Host(trusted_keys=[keys["public"]], memory_limit=64 << 20, cache_dir=False)
    data = abi1_wasm["echo"]
    module = host.load_bytes(data, entry_for(data, ECHO, keys, interface="echo"))
    values = [i / 7 for i in range(200_000)]
    assert module.call("echo", {"value": values}) == values


# -- the compiled-code cache ---------------------------------------------------------


CacheMutation = Callable[[Path], None]


def _cached_load(keys, abi1_wasm, cache_dir: Path) -> tuple[Host, Any]:
    host = Host(trusted_keys=[keys["public"]], cache_dir=cache_dir)
    data = abi1_wasm["echo"]
    return host, host.load_bytes(data, entry_for(data, ECHO, keys, interface="echo"))


def test_warm_load_uses_the_private_cache(keys, abi1_wasm, tmp_path) -> None:
    cache_dir = tmp_path / "cache"
    cold, _ = _cached_load(keys, abi1_wasm, cache_dir)
    warm, module = _cached_load(keys, abi1_wasm, cache_dir)
    assert (cold.cache.hits, warm.cache.hits) == (0, 1)
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    assert len(list(cache_dir.glob("*.cwasm"))) == 1
    assert_serves_normal_call(module)


def _flip_payload_byte(cache_dir: Path) -> None:
    (entry,) = cache_dir.glob("*.cwasm")
    blob = bytearray(entry.read_bytes())
    blob[-100] ^= 0xFF
    entry.write_bytes(bytes(blob))


def _replace_secret(cache_dir: Path) -> None:
    (cache_dir / "cache-secret").write_bytes(b"\x00" * 32)  # entries now look foreign


def _truncate(cache_dir: Path) -> None:
    (entry,) = cache_dir.glob("*.cwasm")
    entry.write_bytes(entry.read_bytes()[:20])


@pytest.mark.parametrize("mutate", [_flip_payload_byte, _replace_secret, _truncate])
def test_corrupted_or_foreign_cache_entry_is_discarded_and_rebuilt(
    keys, abi1_wasm, tmp_path, mutate: CacheMutation
) -> None:
    cache_dir = tmp_path / "cache"
    _cached_load(keys, abi1_wasm, cache_dir)
    mutate(cache_dir)
    host, module = _cached_load(keys, abi1_wasm, cache_dir)
    assert (host.cache.hits, host.cache.discarded) == (0, 1)
    assert_serves_normal_call(module)
    again, _ = _cached_load(keys, abi1_wasm, cache_dir)
    assert (again.cache.hits, again.cache.discarded) == (1, 0)


def test_cache_folder_open_to_others_is_not_used(keys, abi1_wasm, tmp_path) -> None:
    cache_dir = tmp_path / "cache"
    _cached_load(keys, abi1_wasm, cache_dir)
    cache_dir.chmod(0o777)
    host, module = _cached_load(keys, abi1_wasm, cache_dir)
    assert host.cache.hits == 0
    assert_serves_normal_call(module)
