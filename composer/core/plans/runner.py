"""Running a plan's cases, up to ``jobs`` at once, through the publish pipeline of
:mod:`composer.core.publishing`: each case is validated (a draft with errors is refused and never
sent), published and recorded in the history tagged with its plan and case, then compared with
what it expects.

With ``reset_sandbox`` the cases run one at a time whatever ``jobs`` says (the summary notes it):
the sandbox's memory of posts is shared by all, so a reset only isolates a case nothing runs beside.

Each worker thread has a client of its own (a client sends one request at a time) and takes the
next case from one shared iterator, so a plan of many rows is prepared as it runs, and what is kept
per case is only its :class:`CaseResult`: memory stays flat however many cases run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from composer.core import publishing
from composer.core.accounts.resolve import Resolved
from composer.core.call.validation import Severity, validate
from composer.core.plans.expectation import Got, describe_expected, describe_got, mismatches
from composer.core.plans.plan import CaseRun
from composer.core.storage.history import History, HistoryUnavailable
from composer.core.wire.endpoint import DEFAULT_TIMEOUT

PASSED, FAILED, ERROR = "passed", "failed", "error"


@dataclass(frozen=True)
class CaseResult:
    """One case's verdict: passed, failed (``mismatches`` says how) or error (``error`` says why
    the case could not run)."""

    name: str
    case: str
    verdict: str
    expected: str
    got: str = ""
    mismatches: tuple[str, ...] = ()
    error: str = ""
    seconds: float = 0.0
    history_id: int | None = None
    row: int | None = None
    outcome: Got | None = None

    @property
    def passed(self) -> bool:
        return self.verdict == PASSED

    @property
    def message(self) -> str:
        """Why it did not pass, in one line."""
        if self.verdict == ERROR:
            return self.error
        return "; ".join(self.mismatches)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "case": self.case,
            "row": self.row,
            "verdict": self.verdict,
            "expected": self.expected,
            "got": self.got,
            "mismatches": list(self.mismatches),
            "error": self.error or None,
            "result": self.outcome.to_json() if self.outcome else None,
            "seconds": round(self.seconds, 3),
            "historyId": self.history_id,
        }


@dataclass
class Summary:
    plan: str
    results: list[CaseResult] = field(default_factory=list)
    seconds: float = 0.0
    #: things the run noticed on the way (a history that could not be written)
    notes: list[str] = field(default_factory=list)
    #: True when the run was stopped before every case ran
    stopped: bool = False
    #: True when Ctrl+C stopped it (the cases in flight still finished and are among the results)
    interrupted: bool = False

    def count(self, verdict: str) -> int:
        return sum(1 for r in self.results if r.verdict == verdict)

    @property
    def ok(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def line(self) -> str:
        text = (
            f"{len(self.results)} case(s): {self.count(PASSED)} passed, {self.count(FAILED)} failed, "
            f"{self.count(ERROR)} error(s) in {self.seconds:.2f} s"
        )
        if self.interrupted:
            return text + " (interrupted: the cases not started did not run)"
        return text + (" (stopped)" if self.stopped else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "tests": len(self.results),
            "passed": self.count(PASSED),
            "failed": self.count(FAILED),
            "errors": self.count(ERROR),
            "seconds": round(self.seconds, 3),
            "stopped": self.stopped,
            "interrupted": self.interrupted,
            "notes": list(self.notes),
            "cases": [r.to_json() for r in self.results],
        }


class PlanRunner:
    """Runs case runs for one plan.  :meth:`run` blocks until every case ran (or :meth:`stop` was
    called, from any thread and even before the run began: cases already sent finish and are
    recorded, no new one starts); ``on_result`` is called once per case as it finishes, from the
    worker threads, one call at a time.  Ctrl+C stops it the same way: the summary it returns says
    it was ``interrupted``, and ``on_interrupt`` (when given) is told first, and again at each
    further Ctrl+C while the cases in flight finish, with how many there are, so that the user
    knows what the wait is for."""

    def __init__(
        self,
        plan_name: str,
        *,
        jobs: int = 1,
        timeout: float = DEFAULT_TIMEOUT,
        reset_sandbox: bool = False,
        history: History | None = None,
        on_interrupt: Callable[[int], None] | None = None,
    ):
        self.plan_name = plan_name
        self.on_interrupt = on_interrupt
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.reset_sandbox = reset_sandbox
        self._history = history
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self, resolved: Resolved, runs: Iterable[CaseRun], on_result: Callable[[CaseResult], None] | None = None) -> Summary:
        """Publish ``runs`` through ``resolved`` (the profile's endpoint and credentials)."""
        self.resolved = resolved
        summary = Summary(self.plan_name)
        started = time.perf_counter()
        history, own = self._history, False
        if history is None:
            try:
                history, own = History(), True
                if history.recovered:
                    summary.notes.append(history.recovered)
            except HistoryUnavailable as exc:
                summary.notes.append(f"the cases are not recorded in the history: {exc}")
                history = None
        jobs = self.jobs
        if self.reset_sandbox and jobs > 1:
            # the sandbox remembers every job's posts in one place: a reset isolates a case only
            # when no other case is posting meanwhile
            jobs = 1
            summary.notes.append(
                f"the sandbox is reset before each case, so the cases ran one at a time ({self.jobs} jobs asked): "
                "a reset between the posts of a case running beside it would not keep them apart"
            )
        source: Iterator[CaseRun] = iter(runs)
        take = threading.Lock()
        report = threading.Lock()
        failures: list[BaseException] = []

        def next_run(number: int) -> CaseRun | None:
            with take:
                if self._stop.is_set():
                    return None
                case_run = next(source, None)
                if case_run is not None:
                    busy.add(number)
                return case_run

        # one Event per worker, set as it ends: waiting on these, not on Thread.join, because a
        # join that Ctrl+C interrupts marks a thread still running as ended
        # (https://github.com/python/cpython/issues/90882), and the wait for the cases in flight
        # would return at once, dropping a case that may have posted from the results and history
        ended = [threading.Event() for _ in range(jobs)]
        #: the workers with a case in flight (changed under ``take``)
        busy: set[int] = set()

        def work(number: int) -> None:
            client = publishing.make_client(self.resolved, timeout=self.timeout)
            try:
                while (case_run := next_run(number)) is not None:
                    result = self._run_one(client, case_run, history)
                    with report:
                        summary.results.append(result)
                        if on_result is not None:
                            on_result(result)
                    with take:
                        busy.discard(number)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread below
                failures.append(exc)
                self._stop.set()
            finally:
                client.close()
                ended[number].set()

        threads = [threading.Thread(target=work, args=(n,), name=f"plan-job-{n}", daemon=True) for n in range(jobs)]
        try:
            try:
                for thread in threads:
                    thread.start()
                _wait_for(ended)
            except KeyboardInterrupt:
                self._stop.set()  # no new case starts; the cases in flight finish and are recorded
                summary.interrupted = True
                started_ones = [done for thread, done in zip(threads, ended, strict=True) if thread.ident is not None]
                while True:
                    try:
                        if self.on_interrupt is not None:
                            self.on_interrupt(len(busy))
                        _wait_for(started_ones)
                        break
                    except KeyboardInterrupt:
                        # a case in flight may have posted: it must still reach the results and
                        # the history, so another Ctrl+C only says again what is being waited for
                        continue
        finally:
            if own and history is not None:
                history.close()
        if failures:
            raise failures[0]
        summary.stopped = self._stop.is_set()
        summary.seconds = time.perf_counter() - started
        return summary

    def _run_one(self, client: Any, case_run: CaseRun, history: History | None) -> CaseResult:
        started = time.perf_counter()
        expected = describe_expected(case_run.expect)

        def error(message: str) -> CaseResult:
            return CaseResult(case_run.name, case_run.case, ERROR, expected, error=message,
                              seconds=time.perf_counter() - started, row=case_run.row)

        call = case_run.call
        if call is None:
            return error(case_run.error)
        approved = self.resolved.profile.approved_domains if self.resolved.profile else None
        problems = [p for p in validate(call, approved) if p.severity is Severity.ERROR]
        if problems:
            got = Got(refused=True, problems=tuple(str(p) for p in problems))
            history_id = None
        else:
            if self.reset_sandbox:
                problem = reset_sandbox(client, self.timeout)
                if problem:
                    return error(problem)
            tag = publishing.PlanTag(self.plan_name, case_run.name)
            result, history_id = publishing.publish_and_record(
                client, call, self.resolved.profile_name, tag=tag, history=history, keep_open=True, draft_name=case_run.draft_name
            )
            if result.never_sent:
                # the server never saw the case (refused connection, no such host, TLS failed): the
                # case could not run, whatever it expects; as a "failed" outcome it would pass a
                # case that expects one while the endpoint is down
                failed = error(result.error_message or result.headline)
                return replace(failed, history_id=history_id)
            got = Got.from_result(result)
        wrong = mismatches(case_run.expect, got)
        return CaseResult(
            case_run.name,
            case_run.case,
            FAILED if wrong else PASSED,
            expected,
            describe_got(got, case_run.expect),
            tuple(wrong),
            seconds=time.perf_counter() - started,
            history_id=history_id,
            row=case_run.row,
            outcome=got,
        )


def reset_sandbox(client: Any, timeout: float) -> str:
    """Clear the sandbox's recorded posts (``POST /sandbox/reset``) so one case's posts are not
    duplicates for the next: "" when done, else why not (the endpoint is not a sandbox)."""
    url = f"{client.base_url}/sandbox/reset"
    try:
        response = client.session.post(url, timeout=timeout)
        status = response.status_code
        response.close()
    except Exception as exc:  # noqa: BLE001 - any failure of the request is the message
        return f"could not reset the sandbox at {url}: {type(exc).__name__}: {exc}"
    if status != 200:
        return f"could not reset the sandbox: {url} answered HTTP {status} (is this endpoint a sandbox?)"
    return ""


def _wait_for(ended: list[threading.Event]) -> None:
    """Until every one of ``ended`` is set, in short waits so that Ctrl+C reaches this thread."""
    for done in ended:
        while not done.wait(0.2):
            pass
