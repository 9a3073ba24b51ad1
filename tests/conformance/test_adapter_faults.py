"""A broken adapter costs only its own cases: crashes, hangs and protocol faults are data."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from molt_conformance import AdapterProtocolError, ProtocolVersionMismatch, Suite
from molt_conformance.cli import main
from tests.conformance.conftest import PYTHON, mutant, run, statuses

SCRIPTED = textwrap.dedent(
    """
    import json, sys
    MODE = sys.argv[1]
    for line in sys.stdin:
        request = json.loads(line)
        cmd = request["cmd"]
        if cmd == "hello":
            if MODE == "garbage-hello":
                print("starting up...", flush=True)
                continue
            response = {"protocol_version": 1, "spec_version": "0.1.0", "roles": ["host"],
                        "features": [], "implementation": {"name": "scripted", "version": "0"}}
        elif cmd == "bye":
            response = {"ok": True}
        elif MODE == "not-json":
            print("oops", flush=True)
            continue
        elif MODE == "wrong-seq":
            response = {"seq": request["seq"] + 100, "ok": True}
        elif MODE == "bad-shape":
            response = {"seq": request["seq"], "ok": "yes"}
        elif MODE == "errored":
            print("about to fail", file=sys.stderr, flush=True)
            response = {"seq": request["seq"], "errored": True, "message": "boom",
                        "traceback": "Traceback: boom"}
        print(json.dumps(response), flush=True)
    """
)


@pytest.fixture
def scripted(tmp_path: Path):
    script = tmp_path / "scripted_adapter.py"
    script.write_text(SCRIPTED, encoding="utf-8")
    return lambda mode: f"{PYTHON} {script} {mode}"


def test_crashing_adapter_is_reported_and_the_run_continues(suite: Suite) -> None:
    result = run(suite, mutant("crashes_on_spin"), ["MC-LIMIT"])
    assert statuses(result) == dict.fromkeys(
        ["MC-LIMIT-001", "MC-LIMIT-009", "MC-LIMIT-012"], "CRASH"
    )
    crash = next(r for r in result.results if r.id == "MC-LIMIT-001")
    assert crash.message == "the adapter closed its stdout and exited with status 3"
    assert "mutant: crashing on purpose" in (crash.stderr or "")
    passed = [r.id for r in result.results if r.status == "PASS"]
    assert len(passed) == 10  # every other MC-LIMIT case ran on a restarted adapter


def test_crashes_past_the_restart_budget_leave_the_remaining_cases_not_run(suite: Suite) -> None:
    result = run(suite, mutant("crashes_on_spin"), ["MC-LIMIT"], restarts=1)
    crashed = statuses(result)
    assert list(crashed)[:2] == ["MC-LIMIT-001", "MC-LIMIT-009"]
    assert set(crashed.values()) == {"CRASH"}
    not_run = next(r for r in result.results if r.id == "MC-LIMIT-013")
    assert not_run.message == (
        "not run: the adapter was restarted 1 time after crashes or hangs, which is the "
        "restart budget (--restarts)"
    )


def test_hanging_adapter_times_out_and_the_run_continues(suite: Suite) -> None:
    result = run(
        suite,
        mutant("hangs_on_grow"),
        ["MC-LIMIT-006", "MC-LIMIT-011", "MC-LIMIT-013"],
        timeout=1.0,
    )
    assert statuses(result, hide=("SKIP",)) == {
        "MC-LIMIT-006": "TIMEOUT",
        "MC-LIMIT-011": "TIMEOUT",
        "MC-LIMIT-013": "PASS",
    }
    hung = next(r for r in result.results if r.id == "MC-LIMIT-006")
    assert hung.message == "the adapter did not answer the call request within 1 s"


def test_protocol_version_mismatch_stops_the_run_with_its_code(suite: Suite, capsys) -> None:
    with pytest.raises(ProtocolVersionMismatch):
        run(suite, mutant("speaks_protocol_version_2"))
    code = main(["run", "--adapter", mutant("speaks_protocol_version_2"), "--quiet"])
    assert code == 2
    assert capsys.readouterr().err == (
        f"MOLT-E-PROTOCOL-VERSION: adapter '{mutant('speaks_protocol_version_2')}' speaks "
        "adapter protocol version 2, but molt-conformance 0.1.0 speaks version 1; update the "
        "adapter to version 1, or run a molt-conformance release that speaks version 2\n"
    )


def test_adapter_that_cannot_start_is_a_protocol_error(suite: Suite) -> None:
    with pytest.raises(AdapterProtocolError) as caught:
        run(suite, "/nonexistent/adapter --flag")
    assert str(caught.value).startswith(
        "MOLT-E-ADAPTER-PROTOCOL: adapter '/nonexistent/adapter --flag': cannot start the adapter: "
    )


def test_hello_that_is_not_json_is_a_protocol_error(suite: Suite, scripted) -> None:
    with pytest.raises(AdapterProtocolError) as caught:
        run(suite, scripted("garbage-hello"))
    assert "no hello response: it wrote a line that is not JSON: 'starting up...'" in str(
        caught.value
    )


@pytest.mark.parametrize(
    ("mode", "status", "message"),
    [
        ("not-json", "CRASH", "it wrote a line that is not JSON: 'oops'"),
        ("wrong-seq", "CRASH", "it broke the protocol: the load response has seq 101, not 1"),
        ("bad-shape", "CRASH", "it broke the protocol: the load response $.ok: True was expected"),
        ("errored", "ERROR", "the adapter failed: boom"),
    ],
)
def test_adapter_fault_is_recorded_on_its_case(
    suite: Suite, scripted, mode: str, status: str, message: str
) -> None:
    result = run(suite, scripted(mode), ["MC-LOAD-001", "MC-LOAD-002"])
    faulty = [r for r in result.results if r.id in ("MC-LOAD-001", "MC-LOAD-002")]
    assert [r.status for r in faulty] == [status, status]
    assert faulty[0].message.startswith(message)


def test_errored_response_keeps_the_traceback_and_stderr(suite: Suite, scripted) -> None:
    result = run(suite, scripted("errored"), ["MC-LOAD-001"])
    errored = next(r for r in result.results if r.id == "MC-LOAD-001")
    assert errored.stderr is not None
    assert "Traceback: boom" in errored.stderr and "about to fail" in errored.stderr


def test_cases_needing_a_feature_the_adapter_lacks_are_skipped(suite: Suite, scripted) -> None:
    result = run(suite, scripted("errored"), ["fuel-wasmtime"])
    skipped = {r.id: r.skip_reason for r in result.results if r.id == "MC-LIMIT-002"}
    assert skipped == {
        "MC-LIMIT-002": "needs the feature fuel-wasmtime, which scripted does not declare"
    }
    assert json.dumps([r.to_json() for r in result.results])


def test_jobs_whose_adapters_answer_hello_differently_stop_the_run(
    suite: Suite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOLT_TEST_MARKER", str(tmp_path / "started"))
    with pytest.raises(AdapterProtocolError) as caught:
        run(
            suite,
            mutant("changes_roles_between_starts"),
            filters=["MC-LOAD-001", "MC-LOAD-002", "MC-LOAD-003"],
            jobs=2,
        )
    message = str(caught.value)
    assert "two adapter processes of one run answered hello differently" in message
    assert "roles host, features" in message and "roles compiler, host, features" in message
