"""Publishing: the Publish button's state, one publish at a time on a worker thread, its result,
retrying the networks that failed, exporting a result, the cURL command, the signature
explanation and the History window.

The call is snapshotted on the GUI thread before the worker starts; the worker resolves the
profile (which may wait on the keyring), sends the request and records the attempt, and its
result comes back through a signal.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QGuiApplication

from composer.core.call.model import PublishCall
from composer.core.call.validation import Severity, has_errors, validate
from composer.core.contract import PROVIDER_LABELS
from composer.core.storage import files
from composer.core.wire.result import Outcome, PublishResult
from composer.gui.controllers.editing import EditingController
from composer.gui.dialogs import EXPORT_INSTEAD, Dialogs
from composer.gui.worker import TaskRunner

if TYPE_CHECKING:
    from composer.core.publishing import PublishOutput

#: how many errors the Publish button's tooltip lists before "…and N more" (our choice: a tooltip
#: taller than that is no longer read)
TOOLTIP_ERRORS_MAX = 8


class PublishingView(Protocol):
    """What the publishing controller needs of the window."""

    publish_requested: SignalInstance
    retry_requested: SignalInstance
    curl_requested: SignalInstance
    export_requested: SignalInstance
    explain_requested: SignalInstance
    history_requested: SignalInstance

    @property
    def publish_timeout(self) -> float: ...
    def commit_edits(self) -> None: ...
    def set_publish_enabled(self, enabled: bool, tip: str) -> None: ...
    def set_retry_enabled(self, enabled: bool, tip: str = "") -> None: ...
    def show_publishing(self, message: str, caption: str = "") -> None: ...
    def show_result(self, result: PublishResult, retryable: bool, caption: str = "") -> None: ...
    def show_status(self, message: str) -> None: ...


class PublishingController(QObject):
    started = Signal()
    #: the PublishOutput, or None when publishing failed in our own code
    finished = Signal(object)
    #: the History window asked to open an attempt's draft: (the draft as sent).  ``object``, not
    #: ``dict``: a dict through a Qt signal becomes a QVariantMap, whose keys come out sorted
    open_draft_requested = Signal(object)

    def __init__(
        self,
        view: PublishingView,
        editing: EditingController,
        current_profile: Callable[[], str],
        dialogs: Dialogs,
        parent: QObject | None = None,
        current_draft_name: Callable[[], str] = lambda: "",
    ):
        super().__init__(parent)
        self.view = view
        self.editing = editing
        self.current_profile = current_profile
        #: the file name of the draft open now ("" while untitled): each attempt names its draft
        self.current_draft_name = current_draft_name
        self.dialogs = dialogs
        self.runner = TaskRunner(self)
        self.publishing = False
        self.last_output: PublishOutput | None = None
        #: the text of the last signature explanation (tests and the clipboard)
        self.explanation = ""
        self._history_dialog: Any = None
        #: why the chosen profile cannot publish now ("" when it can: see set_profile_problem)
        self.profile_problem = ""
        #: where the attempt in flight reports besides the main window (the History window's
        #: status line, for a retry made there)
        self._feedback: Callable[[str], None] | None = None

        view.publish_requested.connect(lambda: self.publish())
        view.retry_requested.connect(lambda: self.retry_failed())
        view.curl_requested.connect(self.copy_curl)
        view.export_requested.connect(self.export_result)
        view.explain_requested.connect(self.explain_signature)
        view.history_requested.connect(self.show_history)
        editing.refreshed.connect(self.update_publish_state)
        self.finished.connect(lambda _output: self._update_retry())
        self._update_retry()

    # --- the Publish button ---

    def update_publish_state(self) -> None:
        errors = [p for p in self.editing.problems if p.severity is Severity.ERROR]
        if self.publishing:
            enabled, tip = False, "Publishing… the result will show in the Result tab."
        elif self.profile_problem:
            enabled, tip = False, self.profile_problem
        elif errors:
            enabled = False
            lines = "\n".join(f"• {p.field}: {p.message}" for p in errors[:TOOLTIP_ERRORS_MAX])
            more = f"\n…and {len(errors) - TOOLTIP_ERRORS_MAX} more" if len(errors) > TOOLTIP_ERRORS_MAX else ""
            tip = f"Fix {len(errors)} error(s) before publishing:\n{lines}{more}"
        else:
            enabled, tip = True, "Publish to every network (Ctrl+Enter)"
        self.view.set_publish_enabled(enabled, tip)

    def set_profile_problem(self, problem: str) -> None:
        """The chosen profile cannot publish (its secret is missing) until ``problem`` is ""."""
        self.profile_problem = problem
        self.update_publish_state()

    def _update_retry(self) -> None:
        enabled, tip = self._retry_offer(self.last_output)
        self.view.set_retry_enabled(enabled, tip)

    def _retry_offer(self, output: PublishOutput | None) -> tuple[bool, str]:
        """Whether the last attempt has something to retry, and what Retry will send."""
        if output is None or self.publishing or not output.result.retryable:
            return False, ""
        failed = ", ".join(PROVIDER_LABELS.get(p, p) for p in output.result.failed_providers()) or "every network it was sent to"
        number = f"#{output.history_id}" if output.history_id else "the last attempt"
        return True, (
            f"Publish {number}'s draft ({output.draft_name or 'untitled'}, UID {output.uid or '(none)'}) again, as it was sent, "
            f"only to {failed}, through profile {output.profile_name}. The draft open now is not used."
        )

    # --- publishing ---

    def publish(
        self,
        call: PublishCall | None = None,
        retry_of: int | None = None,
        profile: str | None = None,
        draft_name: str | None = None,
        base_url: str = "",
    ) -> bool:
        """Snapshot the model and publish it on a worker.  Returns False when nothing was started.
        A retry passes the call, the attempt it retries, that attempt's profile and draft name, and
        for an attempt made with environment credentials its endpoint."""
        if self.publishing:
            return False
        self.view.commit_edits()  # a table cell still being edited belongs to what is sent
        call = (call or self.editing.call).copy()
        if has_errors(validate(call, self.editing.approved_domains)):
            self._report("Fix the errors listed under Problems before publishing.")
            return False
        if self.profile_problem and profile is None:  # a retry goes through its own attempt's profile
            self._report(self.profile_problem)
            return False
        pipeline = _pipeline()  # before anything changes: if it could not load, nothing has
        self.publishing = True
        self.update_publish_state()
        self.view.set_retry_enabled(False, "")  # until this attempt's own result says what failed
        profile = profile or self.current_profile()
        name = self.current_draft_name() if draft_name is None else draft_name
        timeout = self.view.publish_timeout
        caption = pipeline.attempt_caption(number=None, draft_name=name, uid=call.UID, profile=profile, time="", retry_of=retry_of)
        what = f"Retrying #{retry_of}" if retry_of else "Publishing"
        self.view.show_publishing(f"{what} with profile {profile}… (waiting at most {timeout:g} s)", caption)
        self.started.emit()
        self.runner.start(lambda: pipeline.publish_with_profile(call, profile, timeout, retry_of, name, base_url), self._published, self._crashed)
        return True

    def _published(self, output: PublishOutput) -> None:
        self.publishing = False
        self.last_output = output
        enabled, _tip = self._retry_offer(output)
        self.view.show_result(output.result, enabled, self.caption(output))
        self.view.show_status(output.result.headline)
        self.update_publish_state()
        feedback, self._feedback = self._feedback, None
        if feedback is not None:
            number = f"#{output.history_id}" if output.history_id else "The retry"
            feedback(f"{number}: {output.result.headline}")
        self.finished.emit(output)

    @staticmethod
    def caption(output: PublishOutput) -> str:
        return _pipeline().attempt_caption(
            number=output.history_id, draft_name=output.draft_name, uid=output.uid, profile=output.profile_name,
            time=output.time, retry_of=output.retry_of,
        )

    def _crashed(self, message: str) -> None:
        """A bug in our code, not an outcome: say so plainly.  The draft is untouched, and nothing
        can be retried, as no attempt was recorded."""
        self.publishing = False
        self.last_output = None
        result = PublishResult(outcome=Outcome.UNKNOWN, error_message=f"composer failed while publishing: {message.splitlines()[0]}")
        result.raw = message
        self.view.show_result(result, False)
        self.view.show_status(result.error_message)
        self.update_publish_state()
        feedback, self._feedback = self._feedback, None
        if feedback is not None:
            feedback(result.error_message)
        self.finished.emit(None)

    def _report(self, message: str) -> None:
        """Say ``message`` where the user acted: the main window's status line, and the History
        window's too when the action was made there."""
        self.view.show_status(message)
        if self._feedback is not None:
            self._feedback(message)

    # --- after publishing ---

    def retry_failed(
        self,
        draft: dict[str, Any] | None = None,
        result: dict[str, Any] | None = None,
        history_id: int | None = None,
        profile: str | None = None,
        draft_name: str | None = None,
        feedback: Callable[[str], None] | None = None,
    ) -> bool:
        """Publish the attempt's own draft again, as it was sent, only to the providers that failed,
        through the profile the attempt used (never whichever draft is open or profile is selected
        now).  ``feedback`` also hears what happens (the History window's status line)."""
        self._feedback = feedback
        try:
            return self._retry(draft, result, history_id, profile, draft_name)
        finally:
            if not self.publishing:  # nothing started: nothing more to report there
                self._feedback = None

    def _retry(self, draft: dict[str, Any] | None, result: dict[str, Any] | None, history_id: int | None, profile: str | None,
               draft_name: str | None) -> bool:
        if self.publishing:
            self._report("A publish is in flight: retry once its result is in.")
            return False
        if draft is None or result is None:
            output = self.last_output
            if output is None:
                self._report("Nothing to retry: publish first.")
                return False
            draft, result, history_id, profile = output.draft, output.result.to_json(), output.history_id, output.profile_name
            draft_name = output.draft_name
        pipeline = _pipeline()
        try:  # an attempt where nothing failed has nothing to retry, whatever its later retries did
            pipeline.plan_retry(draft, result)
        except pipeline.RetryError as exc:
            self._report(f"Nothing retried: {exc}")
            return False
        # what the attempt's family posted is a history query: it runs on the worker, the retry waits for it
        self.publishing = True
        self.update_publish_state()
        self.view.set_retry_enabled(False, "")

        def plan() -> Any:
            try:
                return pipeline.plan_retry(draft, result, pipeline.family_of(history_id))
            except pipeline.RetryError as exc:
                return exc

        base_url = pipeline.retry_endpoint(profile or "", result)
        self.runner.start(
            plan,
            lambda planned: self._planned(planned, history_id, profile, draft_name, base_url),
            lambda message: self._not_planned(f"Nothing retried: {message}"),
        )
        return True

    def _planned(self, plan: Any, history_id: int | None, profile: str | None, draft_name: str | None, base_url: str) -> None:
        """The retry's plan is in (or why there is none): ask about an unknown outcome, then publish."""
        pipeline = _pipeline()
        self.publishing = False
        if isinstance(plan, pipeline.RetryError):
            self._not_planned(f"Nothing retried: {plan}")
            return
        if plan.warning and not self.dialogs.ask_retry_unknown(plan.warning):
            self._not_planned("Retry cancelled.")
            return
        if not self.publish(plan.call, retry_of=history_id, profile=profile or None, draft_name=draft_name or "", base_url=base_url):
            self._not_planned("")
            return
        networks = ", ".join(PROVIDER_LABELS.get(p, p) for p in plan.providers)
        number = f"#{history_id}" if history_id else "the last attempt"
        self._report(
            f"Retrying {number} on {networks} with its own draft ({draft_name or 'untitled'}, UID {plan.call.UID or '(none)'}), "
            "as it was sent; the draft open now is not used."
        )

    def _not_planned(self, message: str) -> None:
        """Nothing was retried: say ``message`` (the first line of it) and offer Publish and Retry again."""
        self.publishing = False
        if message:
            self._report(message.splitlines()[0])
        self._feedback = None
        self.update_publish_state()
        self._update_retry()

    def copy_curl(self) -> str:
        """Copy the last request as a cURL command (secret and signature redacted)."""
        self.view.commit_edits()
        output = self.last_output
        if output is None or not output.result.url:
            self.view.show_status("Publish first: the cURL command is the exact request that was sent.")
            return ""
        text = _pipeline().curl_command(output.result)
        QGuiApplication.clipboard().setText(text)
        self.view.show_status("Copied the request as a cURL command (secret and signature redacted).")
        return text

    def export_result(self) -> None:
        if self.last_output is None:
            return
        chosen = self.dialogs.export_name("Export result", Path.home() / "result.json")
        if chosen is not None:
            path, kind = chosen
            self.write_export(path, self.last_output, kind)

    def write_export(self, path: Path, output: PublishOutput, kind: str) -> None:
        # the history module brings sqlite3: it loads with the first export, not at start-up
        from composer.core.storage.history import Entry, Row, export_csv, export_json

        result = output.result.to_json()
        # the row the history keeps for it, with the attempt's own time (a timed-out answer has none)
        row = Row.of(output.history_id or 0, output.time, output.profile_name, output.draft, result, output.retry_of, output.draft_name)
        entry = Entry(row, output.draft, result.get("request", {}), output.result.raw, result)
        text = export_csv([entry]) if kind == "csv" else export_json([entry])
        try:
            files.atomic_write(path, text, mode=None)
        except OSError as exc:
            why = files.why_not_written(path, exc, EXPORT_INSTEAD)
            self.view.show_status(why)
            self.dialogs.error("Cannot export", why)
            return
        self.view.show_status(f"Exported the result to {path.name}")

    def show_history(self) -> None:
        # the history window, and the database under it, load when first opened
        from composer.gui.history_view import HistoryDialog

        dialog = self._history_dialog
        if dialog is None:
            dialog = HistoryDialog(self.dialogs.parent)
            dialog.open_as_draft.connect(lambda number, draft: self._open_from_history(dialog, number, draft))
            dialog.retry_requested.connect(
                lambda draft, result, number, profile, name: self.retry_failed(
                    draft, result, number, profile, name, feedback=lambda message: self._history_feedback(dialog, message)
                )
            )
            self._history_dialog = dialog
        dialog.reload()
        dialog.show()
        dialog.raise_()

    def _history_feedback(self, dialog: Any, message: str) -> None:
        dialog.show_status(message)
        if not self.publishing:  # a result is in: it is a new row of the history
            dialog.reload()

    def _open_from_history(self, dialog: Any, number: int, draft: dict[str, Any]) -> None:
        """Open attempt ``number``'s draft in the main window and say in the History window
        whether it was opened (the user may keep the changes of the draft open now)."""
        self.open_draft_requested.emit(draft)
        if self.editing.call.to_draft() == draft:
            dialog.show_status(f"Opened #{number}'s draft in the main window, as it was sent (unsaved).")
        else:
            dialog.show_status(f"#{number}'s draft was not opened: the main window kept its own draft.")

    def explain_signature(self) -> None:
        """Show the signature base string of the current draft (never the secret).  Reading the
        secret may wait on the keyring, so it runs on the worker."""
        self.view.commit_edits()  # a table cell still being edited belongs to what is explained
        call, profile = self.editing.call.copy(), self.current_profile()
        pipeline = _pipeline()
        self.runner.start(lambda: pipeline.explain_signature(call, profile), self._show_explanation, self._explain_failed)

    def _show_explanation(self, value: tuple[bool, str]) -> None:
        ok, text = value
        if not ok:
            self._explain_failed(text)
            return
        self.explanation = text
        self.dialogs.details("Signature", "How the signature of this draft is computed (the secret is never shown).", text)

    def _explain_failed(self, message: str) -> None:
        self.view.show_status(message.splitlines()[0])
        self.dialogs.error("Cannot explain the signature", message.splitlines()[0])


def _pipeline() -> ModuleType:
    """:mod:`composer.core.publishing`, the publish pipeline: resolving the profile and its secret
    in the keyring, signing, the HTTP client and its transport, the history.  The window loads it
    with the first publish, retry, cURL copy or signature explanation, not at start-up: it is most
    of what the window would otherwise import before its first frame, for work that comes later."""
    from composer.core import publishing

    return publishing
