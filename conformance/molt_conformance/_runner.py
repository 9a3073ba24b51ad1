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

An implementation that declares only the compiler or only the host role is
paired with the reference for compile-run cases (`_pairing`): each job gets its
own reference adapter, started on the first case that needs it, and each such
result records `paired_with`.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback as traceback_module
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
from molt_conformance._pairing import REFERENCE_ADAPTER, Pairing, ReferenceFailed, ReferenceSession
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
    reference_adapter: str | None = REFERENCE_ADAPTER
    """The adapter that plays the role an implementation lacks in compile-run cases
    (`_pairing`); None runs no pairs, so those cases are skipped."""


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
    references: list[ReferenceSession | None] = []
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
        references = _reference_sessions(suite, implementation, options, len(sessions), schemas)
        results = _run_jobs(
            suite, selected, sessions, references, implementation, options, on_result
        )
    finally:
        for session in sessions:
            session.close()
        for reference in references:
            if reference is not None:
                reference.close()
    return Run(
        suite=suite,
        implementation=implementation,
        started=started,
        duration_s=time.perf_counter() - clock,
        results=tuple(results[case.id] for case in suite.cases),
    )


def _reference_sessions(
    suite: Suite,
    implementation: Implementation,
    options: RunOptions,
    jobs: int,
    schemas: Schemas,
) -> list[ReferenceSession | None]:
    """One (lazily started) reference adapter per job, for the role the implementation lacks."""
    missing = [role for role in ("compiler", "host") if role not in implementation.roles]
    if options.reference_adapter is None or len(missing) != 1:
        return [None] * jobs
    return [
        ReferenceSession(
            options.reference_adapter,
            missing[0],
            spec_version=suite.version,
            schemas=schemas,
            timeout=options.timeout,
        )
        for _ in range(jobs)
    ]


def _run_jobs(
    suite: Suite,
    selected: set[str],
    sessions: list[AdapterSession],
    references: list[ReferenceSession | None],
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

    def work(session: AdapterSession, reference: ReferenceSession | None) -> None:
        while True:
            try:
                case = pending.get_nowait()
            except queue.Empty:
                return
            try:
                result = _run_case(session, reference, case, implementation, run_key)
            except BaseException as exc:  # a runner bug: stop this job, report it after
                failures.append(exc)
                return
            result = apply_known_failure(result, options.known_failures.get(case.id))
            with lock:
                results[case.id] = result
                done = len(results) - (len(suite.cases) - total)
            if on_result is not None:
                on_result(result, done, total)

    threads = [
        threading.Thread(target=work, args=pair)
        for pair in zip(sessions[1:], references[1:], strict=True)
    ]
    for thread in threads:
        thread.start()
    work(sessions[0], references[0])
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results


def _run_case(
    session: AdapterSession,
    reference: ReferenceSession | None,
    case: Case,
    implementation: Implementation,
    run_key: RunKey,
) -> Result:
    missing_roles = [role for role in case.roles if role not in implementation.roles]
    pairing = None
    if missing_roles and case.kind == "compile-run" and reference is not None:
        pairing = _pair(session, reference)  # the reference plays the one role missing
    elif missing_roles:
        return Result(case.id, "SKIP", skip_reason=_needs("role", missing_roles, implementation))
    missing = [tag for tag in case.features if tag not in implementation.features]
    if missing:
        return Result(case.id, "SKIP", skip_reason=_needs("feature", missing, implementation))
    mark = session.stderr_mark()
    clock = time.perf_counter()

    def elapsed() -> float:
        return (time.perf_counter() - clock) * 1000

    paired_with = None
    try:
        if pairing is not None:
            reference_implementation = reference.start() if reference is not None else None
            pairing = replace(pairing, reference=reference_implementation)
            paired_with = pairing.to_report()
        execute(session, case, run_key, pairing)
    except CaseFailed as failed:
        return Result(
            case.id,
            "FAIL",
            elapsed(),
            message=failed.message,
            paired_with=paired_with,
            **_outcomes(failed),
        )
    except ReferenceFailed as failed:
        return Result(
            case.id,
            "ERROR",
            elapsed(),
            message=f"molt-conformance could not run the case: {failed.message}",
            paired_with=paired_with,
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
    return Result(case.id, "PASS", elapsed(), paired_with=paired_with)


def _pair(session: AdapterSession, reference: ReferenceSession) -> Pairing:
    if reference.role == "compiler":
        return Pairing(compiler=reference, host=session, reference_role="compiler")
    return Pairing(compiler=session, host=reference, reference_role="host")


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
