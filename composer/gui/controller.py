"""The window's logic: it owns the model (one PublishCall), applies the user's edits to it, derives
previews, problems and the request from it, and runs publishes on a worker thread.

Every edit goes through :meth:`ComposerController.edit`, which records an undo step (consecutive
edits of one field merge into one step, as typing does), marks the draft modified, schedules the
debounced refresh and the autosave.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QUndoCommand, QUndoStack

from composer.core.call.model import (
    PROVIDERS,
    ActionLink,
    MediaItem,
    PublishCall,
    UserAction,
)
from composer.core.call.preview import preview
from composer.core.call.validation import Problem, Severity, has_errors, validate
from composer.core.storage import files
from composer.gui.worker import TaskRunner

if TYPE_CHECKING:
    from composer.core.publishing import PublishOutput

#: edits restart this single-shot timer; 0 ms coalesces a burst (paste, undo, a draft loaded field by
#: field) into one refresh per event-loop turn without adding visible delay (a refresh of a maximal
#: draft takes a few milliseconds; see benchmarks/)
REFRESH_DEBOUNCE_MS = 0
AUTOSAVE_DELAY_MS = 400


def settings() -> QSettings:
    """The app's settings file, in the config folder (tests point that at a temporary folder)."""
    return QSettings(str(files.config_dir() / "composer.ini"), QSettings.Format.IniFormat)


class SnapshotCommand(QUndoCommand):
    """One undo step: the whole call before and after.  A call is small, so snapshots are cheap and
    undo covers every field, list and override alike."""

    def __init__(self, controller: ComposerController, key: str, before: PublishCall, after: PublishCall):
        super().__init__(f"edit {key}")
        self.controller = controller
        self.key = key
        self.before = before
        self.after = after
        self._first = True

    def id(self) -> int:  # noqa: A003 - Qt API
        return 1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if isinstance(other, SnapshotCommand) and other.key == self.key and self.key.endswith(":typing"):
            self.after = other.after
            return True
        return False

    def redo(self) -> None:
        if self._first:  # the edit is already in the model
            self._first = False
            return
        self.controller.restore(self.after)

    def undo(self) -> None:
        self.controller.restore(self.before)


class ComposerController(QObject):
    model_replaced = Signal()
    refreshed = Signal()
    publish_started = Signal()
    publish_finished = Signal(object)

    def __init__(self, view: Any, parent: QObject | None = None):
        # a child of the window: Qt deletes both together, never one under the other's signals
        super().__init__(parent if parent is not None else view)
        self.view = view
        self.call = PublishCall()
        self.path: Path | None = None
        self.problems: list[Problem] = []
        self.approved_domains: list[str] | None = None
        self.undo_stack = QUndoStack(self)
        self.runner = TaskRunner(self)
        self.publishing = False
        self.last_output: PublishOutput | None = None
        self._restoring = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DEBOUNCE_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._wire()
        # shown at the next turn of the event loop, unless something (start, load) shows it first:
        # start-up would otherwise derive every preview twice before the first paint
        self.schedule_refresh()

    # --- wiring ---

    def _wire(self) -> None:
        v = self.view
        v.content.text_edited.connect(lambda name, value: self._edit_text(None, name, value))
        v.content.links_edited.connect(lambda links: self._edit_list(None, "actionLinks", links))
        v.content.media_edited.connect(lambda items: self._edit_list(None, "mediaItems", items))
        v.overrides.created.append(self._wire_override_tab)
        v.options_page.created.append(self._wire_options)
        v.problems.field_activated.connect(self.focus_field)
        v.undo_action.triggered.connect(self.undo_stack.undo)
        v.redo_action.triggered.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(v.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(v.redo_action.setEnabled)
        v.undo_action.setEnabled(False)
        v.redo_action.setEnabled(False)
        v.publish_action.triggered.connect(self.publish)
        v.results_page.created.append(lambda results: results.copy_curl_requested.connect(self.copy_curl))
        v.curl_action.triggered.connect(self.copy_curl)

    def _wire_override_tab(self, provider: str, tab: Any) -> None:
        tab.editor.text_edited.connect(lambda name, value: self._edit_text(provider, name, value))
        tab.editor.links_edited.connect(lambda links: self._edit_list(provider, "actionLinks", links))
        tab.editor.media_edited.connect(lambda items: self._edit_list(provider, "mediaItems", items))
        tab.editor.reset_requested.connect(lambda name: self.reset_field(provider, name))
        tab.customize_requested.connect(self.customize)
        tab.reset_all_requested.connect(self.reset_provider)
        was = self._restoring
        self._restoring = True
        try:
            self._show_override(provider, tab)
        finally:
            self._restoring = was
        self._show_problems()

    def _wire_options(self, options: Any) -> None:
        options.edited.connect(self._edit_option)
        was = self._restoring
        self._restoring = True
        try:
            options.show_call(self.call)
        finally:
            self._restoring = was
        self._show_problems()

    def _show_override(self, provider: str, tab: Any) -> None:
        call = self.call
        tab.show_state(call.overrides.get(provider, call.userAction), call.userAction, provider in call.overrides)

    # --- editing the model ---

    def edit(self, key: str, mutate: Callable[[PublishCall], None], *, typing: bool = False) -> None:
        """Apply one user edit to the model and record it for undo."""
        if self._restoring:
            return
        before = self.call.copy()
        mutate(self.call)
        if self.call == before:
            return
        self.undo_stack.push(SnapshotCommand(self, f"{key}:typing" if typing else key, before, self.call.copy()))
        if typing:
            self.schedule_refresh()  # keystrokes coalesce
        else:
            self.refresh()  # a click, a reset, a list change: show it at once
        self.changed()

    def changed(self) -> None:
        """Hook for things that follow every change of the model (autosave)."""

    def _target(self, call: PublishCall, provider: str | None) -> UserAction:
        if provider is None:
            return call.userAction
        return call.overrides[provider]

    def _edit_text(self, provider: str | None, name: str, value: str) -> None:
        if provider is not None and provider not in self.call.overrides:
            return  # read-only view of the default
        key = f"{provider or 'default'}.{name}"
        self.edit(key, lambda c: setattr(self._target(c, provider), name, value), typing=True)

    def _edit_list(self, provider: str | None, name: str, items: list[ActionLink] | list[MediaItem]) -> None:
        if provider is not None and provider not in self.call.overrides:
            return
        self.edit(f"{provider or 'default'}.{name}", lambda c: setattr(self._target(c, provider), name, list(items)))

    def _edit_option(self, param: str, value: Any) -> None:
        def mutate(c: PublishCall) -> None:
            if param == "enabledProviders":
                c.enabledProviders = list(value) or None
            elif param == "disabledProviders":
                c.disabledProviders = list(value)
            elif param == "tags":
                c.tags = [t.strip() for t in str(value).split(",") if t.strip()]
            elif param.startswith("userLocation."):
                setattr(c.userLocation, param.split(".", 1)[1], str(value))
            elif param == "actionAttributes":
                c.actionAttributes = dict(value)
            elif param == "httpStatusCodes":
                c.httpStatusCodes = value
            else:
                setattr(c, param, value if value is not None else "")

        self.edit(param, mutate, typing=isinstance(value, str))

    def customize(self, provider: str) -> None:
        self.edit(f"{provider}.customize", lambda c: c.overrides.__setitem__(provider, c.userAction.copy()))
        self.view.overrides[provider].editor.focus_field("title")

    def reset_provider(self, provider: str) -> None:
        self.edit(f"{provider}.reset", lambda c: c.overrides.pop(provider, None))

    def reset_field(self, provider: str, name: str) -> None:
        def mutate(c: PublishCall) -> None:
            if provider in c.overrides:
                setattr(c.overrides[provider], name, copy.deepcopy(getattr(c.userAction, name)))

        self.edit(f"{provider}.{name}.reset", mutate)

    # --- replacing the model (undo, open, new, restore) ---

    def restore(self, call: PublishCall) -> None:
        self._restoring = True
        try:
            self.call = call.copy()
            self.refresh()
        finally:
            self._restoring = False
        self.changed()

    def load(self, call: PublishCall, path: Path | None = None) -> None:
        """Replace the whole draft (Open, New, restore): a fresh undo history, nothing modified."""
        self.path = path
        self._restoring = True
        try:
            self.call = call.copy()
            self.refresh()
        finally:
            self._restoring = False
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.model_replaced.emit()

    # --- derived views ---

    def schedule_refresh(self) -> None:
        self._refresh_timer.start()

    def refresh(self) -> None:
        """Re-derive everything shown from the model: form state, previews, problems, Publish."""
        self._refresh_timer.stop()
        v = self.view
        call = self.call
        was = self._restoring
        self._restoring = True  # showing the model must not be taken for an edit
        try:
            v.content.show_content(call.userAction)
            for provider, tab in list(v.overrides.items()):  # only the tabs built so far
                self._show_override(provider, tab)
            if v.options_page.widget is not None:  # built when first opened; it shows the call then
                v.options.show_call(call)
        finally:
            self._restoring = was
        v.previews.show_previews(preview(call))
        self.problems = validate(call, self.approved_domains)
        self._show_problems()
        self._update_publish_state()
        self.refreshed.emit()

    def _show_problems(self) -> None:
        v = self.view
        v.problems.show_problems(self.problems)
        groups: dict[str, dict[str, list[tuple[str, str]]]] = {}
        options: dict[str, list[tuple[str, str]]] = {}
        for p in self.problems:
            head, _, rest = p.field.partition(".")
            is_content = head == "userAction" or head.endswith("UserAction")
            if is_content and rest:
                name = rest.split("[")[0].split(".")[0]
                groups.setdefault(head, {}).setdefault(name, []).append((p.severity.value, p.message))
            elif is_content:
                groups.setdefault(head, {}).setdefault("title", []).append((p.severity.value, p.message))
            else:
                options.setdefault(p.field, []).append((p.severity.value, p.message))
        v.content.show_problems(groups.get("userAction", {}))
        for provider, tab in list(v.overrides.items()):
            tab.editor.show_problems(groups.get(f"{provider}UserAction", {}) if provider in self.call.overrides else {})
        if v.options_page.widget is not None:
            v.options.show_problems(options)
        errors = sum(1 for p in self.problems if p.severity is Severity.ERROR)
        warnings = len(self.problems) - errors
        label = "Problems" if not self.problems else f"Problems ({errors} errors, {warnings} warnings)"
        v.bottom_tabs.setTabText(v.bottom_tabs.indexOf(v.problems), label)

    def _update_publish_state(self) -> None:
        v = self.view
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        if self.publishing:
            enabled, tip = False, "Publishing… the result will show in the Result tab."
        elif errors:
            enabled = False
            lines = "\n".join(f"• {p.field}: {p.message}" for p in errors[:8])
            more = f"\n…and {len(errors) - 8} more" if len(errors) > 8 else ""
            tip = f"Fix {len(errors)} error(s) before publishing:\n{lines}{more}"
        else:
            enabled, tip = True, "Publish to every network (Ctrl+Enter)"
        v.publish_button.setEnabled(enabled)
        v.publish_action.setEnabled(enabled)
        v.publish_button.setToolTip(tip)

    def focus_field(self, path: str) -> None:
        v = self.view
        head, _, rest = path.partition(".")
        name = rest.split("[")[0].split(".")[0] if rest else "title"
        if head == "userAction":
            v.form_tabs.setCurrentIndex(0)
            v.content.focus_field(name)
        elif head.endswith("UserAction") and head[: -len("UserAction")] in PROVIDERS:
            provider = head[: -len("UserAction")]
            v.form_tabs.setCurrentIndex(1)
            v.network_tabs.setCurrentIndex(PROVIDERS.index(provider))
            v.overrides[provider].editor.focus_field(name)
        else:
            v.form_tabs.setCurrentIndex(2)
            v.options.focus_field(path)

    # --- publishing ---

    def current_profile(self) -> str:
        return self.view.profile_combo.currentData() or "Sandbox"

    def publish(self, call: PublishCall | None = None, retry_of: int | None = None, profile: str | None = None) -> bool:
        """Snapshot the model and publish it on a worker.  Returns False when nothing was started.
        A retry passes the call, the attempt it retries and that attempt's profile."""
        if self.publishing:
            return False
        self.view.commit_edits()  # a table cell still being edited belongs to what is sent
        call = (call or self.call).copy()
        if has_errors(validate(call, self.approved_domains)):
            self.view.status_label.setText("Fix the errors listed under Problems before publishing.")
            return False
        self.publishing = True
        self._update_publish_state()
        profile = profile or self.current_profile()
        timeout = self.view.publish_timeout
        self.view.set_busy(True, f"Publishing with profile {profile}…")
        self.view.results.show_busy(f"Publishing with profile {profile}… (waiting at most {timeout:g} s)")
        self.view.show_results()
        self.publish_started.emit()
        from composer.core.publishing import (
            publish_with_profile,  # with the client, after the first frame
        )

        self.runner.start(lambda: publish_with_profile(call, profile, timeout, retry_of), self._published, self._publish_crashed)
        return True

    def _published(self, output: PublishOutput) -> None:
        self.publishing = False
        self.last_output = output
        for note in output.profile_notes:
            output.result.notes.append(note)
        self.view.results.show_result(output.result)
        self.view.set_busy(False, output.result.headline)
        self._update_publish_state()
        self.publish_finished.emit(output)

    def _publish_crashed(self, message: str) -> None:
        # a bug in our code, not an outcome: say so plainly; the draft is untouched
        from composer.core.wire.client import Outcome, PublishResult

        self.publishing = False
        self.last_output = None
        result = PublishResult(outcome=Outcome.UNKNOWN, error_message=f"composer failed while publishing: {message.splitlines()[0]}")
        result.raw = message
        self.view.results.show_result(result)
        self.view.results.retry_button.setEnabled(False)  # nothing to retry from: no attempt was recorded
        self.view.set_busy(False, result.error_message)
        self._update_publish_state()
        self.publish_finished.emit(None)

    def copy_curl(self) -> str:
        self.view.commit_edits()
        output = self.last_output
        if output is None or not output.result.url:
            self.view.status_label.setText("Publish first: the cURL command is the exact request that was sent.")
            return ""
        from composer.core.wire.client import PreparedCall

        text = PreparedCall(output.result.url, dict(output.result.request_params)).curl()
        QGuiApplication.clipboard().setText(text)
        self.view.status_label.setText("Copied the request as a cURL command (secret and signature redacted).")
        return text

