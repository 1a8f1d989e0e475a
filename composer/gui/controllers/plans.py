"""What the Test plan window does: open and save plans, run all or the selected cases off the GUI
thread with live progress, open a case as a draft, and add the main window's last attempt (its draft
as sent, its UID and its result as the expectation) as a new case ("Save last attempt as test case")."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance

from composer.core.accounts.profiles import ProfileError
from composer.core.accounts.resolve import resolve
from composer.core.call.model import PublishCall
from composer.core.plans.expectation import describe_expected, expectation_from_result
from composer.core.plans.plan import MAX_PLAN_BYTES, Case, CaseRun, Plan, PlanError, case_runs, dump_plan, load_plan, save_plan
from composer.core.plans.runner import CaseResult, PlanRunner, Summary
from composer.core.publishing import PublishOutput
from composer.core.storage.files import SeenFile, changed_since, why_not_written
from composer.gui.dialogs import SAVE_AS_INSTEAD, Dialogs
from composer.gui.worker import TaskRunner


class PlanView(Protocol):
    new_requested: SignalInstance
    open_requested: SignalInstance
    save_requested: SignalInstance
    save_as_requested: SignalInstance
    run_all_requested: SignalInstance
    run_selected_requested: SignalInstance
    stop_requested: SignalInstance
    open_case_requested: SignalInstance
    add_current_requested: SignalInstance
    reset_sandbox_toggled: SignalInstance

    def selected_rows(self) -> list[int]: ...
    def show_plan(self, title: str, cases: list[tuple[str, str, str]]) -> None: ...
    def show_case_result(self, row: int, verdict: str, got: str, details: str) -> None: ...
    def clear_results(self, rows: list[int]) -> None: ...
    def show_progress(self, done: int, total: int, summary: str) -> None: ...
    def set_running(self, running: bool) -> None: ...
    def jobs_value(self) -> int: ...
    def reset_sandbox_checked(self) -> bool: ...
    def set_jobs_enabled(self, enabled: bool, tip: str) -> None: ...


class _Progress(QObject):
    """Carries the cases' results from the runner's threads to the GUI thread in batches: a result
    that finds the batch empty signals ``arrived`` (queued to the GUI thread); the ones that come
    before the GUI thread takes the batch join it.  The GUI thread then wakes once per batch, not
    once per case, and so waits less often for the interpreter lock the runner's threads hold."""

    arrived = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._lock = threading.Lock()
        self._batch: list[CaseResult] = []

    def add(self, result: CaseResult) -> None:
        with self._lock:
            self._batch.append(result)
            first = len(self._batch) == 1
        if first:
            self.arrived.emit()

    def take(self) -> list[CaseResult]:
        with self._lock:
            batch, self._batch = self._batch, []
        return batch


class PlanController(QObject):
    #: a case's draft, to open in the main window.  ``object``, not ``dict``: a dict through a Qt
    #: signal becomes a QVariantMap, whose keys come out sorted
    open_draft_requested = Signal(object)
    #: a run ended (its Summary)
    finished = Signal(object)

    def __init__(
        self,
        view: PlanView,
        dialogs: Dialogs,
        current_profile: Callable[[], str],
        current_call: Callable[[], PublishCall],
        last_output: Callable[[], PublishOutput | None],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.view = view
        self.dialogs = dialogs
        self.current_profile = current_profile
        self.current_call = current_call
        self.last_output = last_output
        self.plan = Plan(name="new plan")
        self.modified = False
        #: the plan's file as this window last read or wrote it: Save asks before it writes over
        #: what another window or program saved since, as a draft's Save does
        self.seen: SeenFile | None = None
        #: the plan's cases expanded over its data rows: one line of the table each
        self.runs: list[CaseRun] = []
        self._rows: dict[str, int] = {}
        self.runner = TaskRunner(self)
        self._plan_runner: PlanRunner | None = None
        self._progress = _Progress(self)
        self._progress.arrived.connect(self._cases_finished)
        self._done = 0
        self._total = 0
        self._counts = {"passed": 0, "failed": 0, "error": 0}
        view.new_requested.connect(self.new_plan)
        view.open_requested.connect(self.open)
        view.save_requested.connect(self.save)
        view.save_as_requested.connect(self.save_as)
        view.run_all_requested.connect(self.run_all)
        view.run_selected_requested.connect(self.run_selected)
        view.stop_requested.connect(self.stop)
        view.open_case_requested.connect(self.open_case)
        view.add_current_requested.connect(self.add_current)
        view.reset_sandbox_toggled.connect(lambda _checked: self._update_jobs())
        self._show()
        self._update_jobs()

    @property
    def running(self) -> bool:
        return self._plan_runner is not None

    # --- files ---

    def new_plan(self) -> None:
        if self.running or not self._may_discard():
            return
        self.plan, self.modified, self.seen = Plan(name="new plan"), False, None
        self._show()

    def open(self) -> None:
        if self.running or not self._may_discard():
            return
        path = self.dialogs.open_plan_name(self.plan.folder)
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        seen = SeenFile.of(path, MAX_PLAN_BYTES)  # before it is read, as a draft is
        try:
            plan = load_plan(path)
        except PlanError as exc:
            self.dialogs.error("Cannot open the test plan", str(exc))
            return False
        self.plan, self.modified, self.seen = plan, False, seen
        self._show()
        if plan.warnings:
            self.dialogs.details("Test plan", f"{path.name} was opened with {len(plan.warnings)} warning(s).", "\n".join(plan.warnings))
        return True

    def save(self) -> bool:
        if self.plan.path is None:
            return self.save_as()
        changed = changed_since(self.plan.path, self.seen, MAX_PLAN_BYTES)
        if changed and not self.dialogs.ask_replace_changed(self.plan.path.name, "test plan"):
            return False
        return self._save_to(self.plan.path)

    def save_as(self) -> bool:
        typed = self.dialogs.save_plan_name(self.plan.path or self.plan.folder / "plan.json")
        path = self.dialogs.as_json_file(typed) if typed is not None else None
        if path is None:
            return False
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        try:
            save_plan(self.plan, path)
        except OSError as exc:
            why = why_not_written(path, exc, SAVE_AS_INSTEAD)
            self.dialogs.error("Cannot save the test plan", f"{why}. The plan is still open.")
            return False
        self.seen = SeenFile.written(path, dump_plan(self.plan), MAX_PLAN_BYTES)
        self.modified = False
        self._show()
        return True

    def may_close(self) -> bool:
        """Whether the app may close: a running plan is stopped (the cases in flight finish and are
        recorded), cases added but not saved are kept unless the user discards them."""
        if self.running and not self.dialogs.confirm("Test plan running", "A test plan is running. Stop it and close?"):
            return False
        if not self._may_discard():
            return False
        self.stop()
        return True

    def _may_discard(self) -> bool:
        return not self.modified or self.dialogs.confirm("Unsaved test plan", f"Discard the cases added to {self.plan.name}?")

    def _show(self) -> None:
        try:
            self.runs = list(case_runs(self.plan))
        except PlanError as exc:  # the data file changed or went away since the plan was opened
            self.runs = []
            self.dialogs.error("Cannot read the test plan's data", str(exc))
        self._rows = {run.name: row for row, run in enumerate(self.runs)}
        title = self.plan.name + (f" ({self.plan.path.name})" if self.plan.path else "") + (" *" if self.modified else "")
        self.view.show_plan(title, [(run.name, run.call.UID if run.call else "", describe_expected(run.expect)) for run in self.runs])
        self.view.show_progress(0, len(self.runs), f"{len(self.runs)} case(s)")

    # --- running ---

    def _update_jobs(self) -> None:
        """The jobs box counts only while the cases may run at once: not during a run, and not when
        the sandbox is reset before each case (the runner then runs them one at a time)."""
        if self.view.reset_sandbox_checked():
            self.view.set_jobs_enabled(False, "Cases run one at a time while the sandbox is reset before each case")
        else:
            self.view.set_jobs_enabled(not self.running, "How many cases run at once")

    def run_all(self) -> None:
        self._run(list(range(len(self.runs))))

    def run_selected(self) -> None:
        rows = self.view.selected_rows()
        if not rows:
            self.view.show_progress(0, 0, "Select the cases to run first")
            return
        self._run(rows)

    def _run(self, rows: list[int]) -> None:
        if self.running or not rows:
            return
        runs = [self.runs[row] for row in rows]  # a snapshot: the worker touches no widget
        profile, name = self.current_profile(), self.plan.name
        jobs, reset = self.view.jobs_value(), self.view.reset_sandbox_checked()
        self._done, self._total = 0, len(runs)
        self._counts = dict.fromkeys(self._counts, 0)
        self.view.clear_results(rows)
        self.view.set_running(True)
        self.view.show_progress(0, self._total, f"Running {self._total} case(s) through {profile or 'the Sandbox'}…")
        plan_runner = PlanRunner(name, jobs=jobs, reset_sandbox=reset)
        self._plan_runner = plan_runner
        self._update_jobs()
        report = self._progress.add

        def work() -> Summary | str:
            try:
                resolved = resolve(profile)  # may wait on the keyring
            except ProfileError as exc:
                return str(exc)
            return plan_runner.run(resolved, runs, report)

        # The runner's threads share this process's interpreter lock with the window, and a full
        # garbage collection holds that lock while it walks every object of the app.  What exists
        # before the run lives through it, so it is set aside until the run ends: the run's
        # collections walk only what the run makes, and the window waits less behind them.  (The
        # unfreeze at the end releases what start-up froze too: gui/startup.py.)
        gc.freeze()
        self.runner.start(work, self._finished, self._crashed)

    def stop(self) -> None:
        if self._plan_runner is not None:
            self._plan_runner.stop()
            self.view.show_progress(self._done, self._total, "Stopping: the cases already sent finish…")

    def _cases_finished(self) -> None:
        for result in self._progress.take():
            row = self._rows.get(result.name)
            self._done += 1
            self._counts[result.verdict] = self._counts.get(result.verdict, 0) + 1
            if row is not None:
                details = result.message
                if result.history_id is not None:
                    details = (details + "\n" if details else "") + f"history entry {result.history_id}"
                self.view.show_case_result(row, result.verdict, result.got or result.error, details)
        c = self._counts
        self.view.show_progress(self._done, self._total, f"{c['passed']} passed, {c['failed']} failed, {c['error']} error(s)")

    def _finished(self, value: Summary | str) -> None:
        self._cases_finished()  # the last batch, should its signal still be on its way
        self._plan_runner = None
        gc.unfreeze()
        self.view.set_running(False)
        self._update_jobs()
        if isinstance(value, str):
            self.view.show_progress(0, self._total, value)
            self.dialogs.error("Cannot run the test plan", value)
            return
        line = value.line + "".join(f"\n{note}" for note in value.notes)
        self.view.show_progress(self._done, self._total, line)
        self.finished.emit(value)

    def _crashed(self, message: str) -> None:
        self._plan_runner = None
        gc.unfreeze()
        self.view.set_running(False)
        self._update_jobs()
        self.view.show_progress(self._done, self._total, message.splitlines()[0])
        self.dialogs.details("Test plan", "The run stopped on an error of ours.", message)

    # --- cases and the main window ---

    def open_case(self, row: int) -> None:
        if not 0 <= row < len(self.runs):
            return
        run = self.runs[row]
        if run.call is None:
            self.dialogs.error("Cannot open the case", run.error)
            return
        self.open_draft_requested.emit(run.call.to_draft())

    def add_current(self) -> None:
        """The main window's last attempt as a new case: its draft as it was sent, its UID and its
        result (as the expectation).  The draft open now may be another one, or edited since: an
        expectation belongs only to the draft that produced it, as Retry sends only that one."""
        output = self.last_output()
        if output is None:
            self.dialogs.error("Save as test case", "Publish the draft first: its result becomes the case's expectation.")
            return
        draft: dict[str, Any] = dict(output.draft)
        uid = str(draft.pop("UID", ""))
        action = draft.get("userAction")
        title = str(action.get("title", "")) if isinstance(action, dict) else ""
        name = self.dialogs.ask_text("Save as test case", "Name of the new case:", _unused_name(self.plan, title or uid))
        if not name:
            return
        name = name.strip()
        if any(case.name == name for case in self.plan.cases):
            self.dialogs.error("Save as test case", f"This plan already has a case named {name!r}.")
            return
        self.plan.cases.append(Case(name, draft, expectation_from_result(output.result), uid))
        self.modified = True
        self._show()
        attempt = f"attempt #{output.history_id}" if output.history_id else "the last attempt"
        said = f"Added {name!r}: the draft of {attempt} as it was sent (UID {uid or '(none)'}) with its result"
        if output.draft != self.current_call().to_draft():
            said += "; the draft open now differs and was not used"
        self.view.show_progress(0, len(self.runs), f"{said}. Save the plan to keep it.")


def _unused_name(plan: Plan, base: str) -> str:
    base = base or "case"
    names = {case.name for case in plan.cases}
    name, n = base, 2
    while name in names:
        name, n = f"{base} ({n})", n + 1
    return name
