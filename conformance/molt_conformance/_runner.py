"""The runner: which cases run, on which adapter process, and what each came to.

`run_suite` starts one adapter process per job (`jobs`), runs hello in each, and
hands cases out from one queue. A case is skipped, with its reason, when --filter
left it out, when it needs a role or feature tag the implementation did not
declare, or when the adapter skipped it; otherwise it runs (`_execute`) and gets
PASS, FAIL, ERROR, CRASH or TIMEOUT. A crash or hang costs only its case: the
session restarts the adapter for the next one while the shared restart budget
lasts; past it, the job's remaining cases are CRASH without running. The
expectations file turns a listed failure into XFAIL and a listed pass into
XPASS. Results come back in case ID order, one per case of the suite.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback as traceback_module
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from molt_conformance._errors import AdapterCrashed, AdapterProtocolError, AdapterTimeout
from molt_conformance._execute import (
    NOT_GIVEN,
    CaseErrored,
    CaseFailed,
    CaseSkipped,
    execute,
)
from molt_conformance._outcomes import Result, apply_known_failure
from molt_conformance._protocol import Schemas
from molt_conformance._session import AdapterSession, BudgetExhausted, Implementation, RestartBudget
from molt_conformance._signer import RunKey
from molt_conformance._suite import Case, Suite

__all__ = ["Run", "RunOptions", "run_suite"]

_NOT_SELECTED = "not selected by --filter"

ResultCallback = Callable[[Result, int, int], None]
"""Called after each case with (result, cases done, cases to run)."""


@dataclass(frozen=True)
class RunOptions:
    adapter: str
    filters: Sequence[str] = ()
    jobs: int = 1
    timeout: float = 30.0
    restarts: int = 10
    known_failures: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Run:
    """A finished run: everything a report needs."""

    suite: Suite
    implementation: Implementation
    started: datetime
    duration_s: float
    results: tuple[Result, ...]

    @property
    def unexpected(self) -> int:
        return sum(result.unexpected for result in self.results)


def run_suite(suite: Suite, options: RunOptions, on_result: ResultCallback | None = None) -> Run:
    """Run the selected cases of `suite` against the adapter; raises only if it cannot start."""
    started = datetime.now(UTC)
    clock = time.perf_counter()
    selected = {case.id for case in suite.select(options.filters)}
    schemas = Schemas()
    budget = RestartBudget(options.restarts)
    jobs = max(1, min(options.jobs, len(selected) or 1))
    sessions = [
        AdapterSession(
            options.adapter,
            spec_version=suite.version,
            schemas=schemas,
            timeout=options.timeout,
            budget=budget,
        )
        for _ in range(jobs)
    ]
    implementation: Implementation | None = None
    try:
        for session in sessions:
            announced = session.start()
            if implementation is not None and announced != implementation:
                # One job's adapter declaring other roles or features than another's
                # would make the verdict depend on which job a case landed on.
                raise AdapterProtocolError(
                    options.adapter,
                    f"two adapter processes of one run answered hello differently "
                    f"({_describe(implementation)} and {_describe(announced)}); an adapter "
                    "must announce the same implementation every time it starts",
                )
            implementation = announced
        assert implementation is not None
        results = _run_jobs(suite, selected, sessions, implementation, options, on_result)
    finally:
        for session in sessions:
            session.close()
    return Run(
        suite=suite,
        implementation=implementation,
        started=started,
        duration_s=time.perf_counter() - clock,
        results=tuple(results[case.id] for case in suite.cases),
    )


def _run_jobs(
    suite: Suite,
    selected: set[str],
    sessions: list[AdapterSession],
    implementation: Implementation,
    options: RunOptions,
    on_result: ResultCallback | None,
) -> dict[str, Result]:
    results: dict[str, Result] = {}
    pending: queue.Queue[Case] = queue.Queue()
    for case in suite.cases:
        if case.id in selected:
            pending.put(case)
        else:
            results[case.id] = Result(case.id, "SKIP", skip_reason=_NOT_SELECTED)
    total = pending.qsize()
    lock = threading.Lock()
    run_key = RunKey()
    failures: list[BaseException] = []

    def work(session: AdapterSession) -> None:
        while True:
            try:
                case = pending.get_nowait()
            except queue.Empty:
                return
            try:
                result = _run_case(session, case, implementation, run_key)
            except BaseException as exc:  # a runner bug: stop this job, report it after
                failures.append(exc)
                return
            result = apply_known_failure(result, options.known_failures.get(case.id))
            with lock:
                results[case.id] = result
                done = len(results) - (len(suite.cases) - total)
            if on_result is not None:
                on_result(result, done, total)

    threads = [threading.Thread(target=work, args=(session,)) for session in sessions[1:]]
    for thread in threads:
        thread.start()
    work(sessions[0])
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results


def _run_case(
    session: AdapterSession, case: Case, implementation: Implementation, run_key: RunKey
) -> Result:
    missing_roles = [role for role in case.roles if role not in implementation.roles]
    if missing_roles:
        return Result(case.id, "SKIP", skip_reason=_needs("role", missing_roles, implementation))
    missing = [tag for tag in case.features if tag not in implementation.features]
    if missing:
        return Result(case.id, "SKIP", skip_reason=_needs("feature", missing, implementation))
    mark = session.stderr_mark()
    clock = time.perf_counter()

    def elapsed() -> float:
        return (time.perf_counter() - clock) * 1000

    try:
        execute(session, case, run_key)
    except CaseFailed as failed:
        return Result(
            case.id,
            "FAIL",
            elapsed(),
            message=failed.message,
            **_outcomes(failed),
        )
    except CaseSkipped as skipped:
        return Result(case.id, "SKIP", elapsed(), skip_reason=skipped.reason)
    except CaseErrored as errored:
        stderr = session.stderr_since(mark)
        detail = "\n".join(part for part in (errored.traceback, stderr) if part)
        return Result(
            case.id,
            "ERROR",
            elapsed(),
            message=f"the adapter failed: {errored.message}",
            stderr=detail or None,
        )
    except AdapterTimeout as timeout:
        return Result(
            case.id,
            "TIMEOUT",
            elapsed(),
            message=str(timeout),
            stderr=session.stderr_since(mark) or None,
        )
    except AdapterCrashed as crashed:
        return Result(
            case.id,
            "CRASH",
            elapsed(),
            message=crashed.detail,
            stderr=session.stderr_since(mark) or None,
        )
    except BudgetExhausted as exhausted:
        return Result(
            case.id,
            "CRASH",
            elapsed(),
            message=f"not run: the adapter was restarted {exhausted.budget} "
            f"time{'s' if exhausted.budget != 1 else ''} after crashes or hangs, "
            "which is the restart budget (--restarts)",
        )
    except (ValueError, KeyError, OSError) as exc:
        # The case's own data could not be prepared (a runner or suite bug): say so
        # on the case instead of stopping the whole run.
        return Result(
            case.id,
            "ERROR",
            elapsed(),
            message=f"molt-conformance could not run the case: {exc}",
            stderr="".join(traceback_module.format_exception(exc)),
        )
    return Result(case.id, "PASS", elapsed())


def _outcomes(failed: CaseFailed) -> dict[str, object]:
    out: dict[str, object] = {}
    if failed.expected is not NOT_GIVEN:
        out["expected"] = failed.expected
    if failed.actual is not NOT_GIVEN:
        out["actual"] = failed.actual
    return out


def _describe(implementation: Implementation) -> str:
    return (
        f"{implementation.name} {implementation.version}, roles "
        f"{', '.join(implementation.roles) or 'none'}, features "
        f"{', '.join(implementation.features) or 'none'}"
    )


def _needs(kind: str, missing: list[str], implementation: Implementation) -> str:
    names = ", ".join(missing)
    plural = "s" if len(missing) > 1 else ""
    return f"needs the {kind}{plural} {names}, which {implementation.name} does not declare"
