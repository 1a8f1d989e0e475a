"""The whole window's controller: the composer logic plus drafts (new, open, save, recent files,
"discard changes?"), autosave and restore after a crash, profiles, history, retry and export."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import QAction, QCloseEvent

from composer.core.call.draft import DraftError, load_draft, parse_draft, save_draft
from composer.core.call.model import PublishCall
from composer.core.storage import files
from composer.gui.controller import AUTOSAVE_DELAY_MS, ComposerController, settings
from composer.gui.theme import set_named
from composer.gui.worker import TaskRunner

# QFileDialog and QMessageBox are imported where a dialog is shown: importing them makes PySide6
# set up their ten enums (1 ms, 0.3 MB resident), and the first frame shows no dialog
if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

AUTOSAVE_FILE = "autosave.json"
RECENT_MAX = 8
DRAFT_FILTER = "Drafts (*.json);;All files (*)"


def autosave_path() -> Path:
    return files.data_dir() / AUTOSAVE_FILE


def recovered_path() -> Path:
    """Where an earlier run's autosave waits for the user's decision (so this run's own autosaves,
    which go to :func:`autosave_path`, never overwrite it)."""
    return files.data_dir() / "autosave.recovered.json"


class WindowController(ComposerController):
    def __init__(self, view: Any):
        super().__init__(view)
        self.pending_restore: dict[str, Any] | None = None
        # one thread of its own: autosaves land in the order they were made, and waiting for
        # them never waits for a publish
        pool = QThreadPool(self)
        pool.setMaxThreadCount(1)
        self.autosave_runner = TaskRunner(self, pool)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave_timer.timeout.connect(self.autosave_now)
        v = view
        v.new_action.triggered.connect(self.new_draft)
        v.open_action.triggered.connect(self.open_dialog)
        v.save_action.triggered.connect(self.save)
        v.save_as_action.triggered.connect(self.save_as)
        v.quit_action.triggered.connect(v.close)
        v.retry_action.triggered.connect(self.retry_failed)
        v.results_page.created.append(self._wire_results)
        v.history_action.triggered.connect(self.show_history)
        v.profiles_action.triggered.connect(self.manage_profiles)
        v.explain_action.triggered.connect(self.explain_signature)
        v.about_action.triggered.connect(self.about)
        v.profile_combo.currentIndexChanged.connect(self._profile_changed)
        v.close_handler = self.close_requested
        v.restore_banner.restore_button.clicked.connect(self.restore_autosave)
        v.restore_banner.discard_button.clicked.connect(self.discard_autosave)
        self.model_replaced.connect(self._update_title)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.publish_finished.connect(lambda _out: self._update_retry_action())
        self._update_retry_action()
        self._update_title()

    # --- start ---

    def start(self, path: str | None = None) -> None:
        geometry = settings().value("window/geometry", None)
        if geometry is not None:
            self.view.restoreGeometry(geometry)
        self.reload_profiles(refresh=not path)  # a draft to open refreshes once it is loaded
        self._rebuild_recent()
        self.check_autosave()
        if path and not self.open_path(Path(path)):
            self.refresh()

    def _wire_results(self, results: Any) -> None:
        results.retry_requested.connect(self.retry_failed)
        results.export_requested.connect(self.export_result)

    # --- title and state ---

    def _update_title(self) -> None:
        name = self.path.name if self.path else "Untitled draft"
        self.view.setWindowTitle(f"{name}[*] — Composer")
        self.view.setWindowModified(not self.undo_stack.isClean())

    def _clean_changed(self, clean: bool) -> None:
        self.view.setWindowModified(not clean)

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def changed(self) -> None:
        if not self._restoring:
            self._autosave_timer.start()

    # --- drafts ---

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel for unsaved changes."""
        from PySide6.QtWidgets import QMessageBox

        name = self.path.name if self.path else "the untitled draft"
        return QMessageBox.question(
            self.view,
            "Unsaved changes",
            f"Save the changes to {name}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )

    def maybe_keep_changes(self) -> bool:
        """True when it is fine to replace the draft (saved, discarded or unchanged)."""
        if not self.is_modified():
            return True
        from PySide6.QtWidgets import QMessageBox

        answer = self.ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_draft(self) -> None:
        if self.maybe_keep_changes():
            self.load(PublishCall(), None)
            self.remove_autosave()

    def open_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        if not self.maybe_keep_changes():
            return
        start = str(self.path.parent) if self.path else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self.view, "Open draft", start, DRAFT_FILTER)
        if name:
            self.open_path(Path(name), confirmed=True)

    def open_path(self, path: Path, confirmed: bool = False) -> bool:
        if not confirmed and not self.maybe_keep_changes():
            return False
        try:
            draft = load_draft(path)
        except DraftError as exc:
            self.error("Cannot open the draft", str(exc))
            return False
        self.load(draft.call, path.resolve())
        self.remove_autosave()
        self._remember_recent(path.resolve())
        notes = "; ".join(f"{n.field}: {n.message}" for n in draft.notes)
        self.view.status_label.setText(f"Opened {path.name}" + (f" ({notes})" if notes else ""))
        return True

    def save(self) -> bool:
        self.view.commit_edits()
        if self.path is None:
            return self.save_as()
        return self._save_to(self.path)

    def save_as(self) -> bool:
        from PySide6.QtWidgets import QFileDialog

        start = str(self.path) if self.path else str(Path.home() / "draft.json")
        name, _ = QFileDialog.getSaveFileName(self.view, "Save draft as", start, DRAFT_FILTER)
        if not name:
            return False
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(".json")
            # the dialog asked about the name typed, not about the one with .json added
            if path.exists() and not self.confirm_overwrite(path):
                return False
        return self._save_to(path)

    def confirm_overwrite(self, path: Path) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self.view, "Replace file?", f"{path.name} already exists. Replace it?")
        return answer == QMessageBox.StandardButton.Yes

    def _save_to(self, path: Path) -> bool:
        try:
            save_draft(path, self.call)
        except OSError as exc:
            self.error("Cannot save the draft", f"{path}: {exc.strerror or exc}. The draft is still open and autosaved.")
            return False
        self.path = path.resolve()
        self.undo_stack.setClean()
        self.remove_autosave()
        self._remember_recent(self.path)
        self._update_title()
        self.view.status_label.setText(f"Saved {path.name}")
        return True

    def _remember_recent(self, path: Path) -> None:
        s = settings()
        stored = list(s.value("recent", [], type=list) or [])
        recent = [str(path), *(p for p in stored if p != str(path))][:RECENT_MAX]
        if recent == stored:  # already the latest (reopening it, or starting on it): no write to disk
            return
        s.setValue("recent", recent)
        s.sync()
        self._rebuild_recent()

    def recent_files(self) -> list[str]:
        return list(settings().value("recent", [], type=list) or [])

    def _rebuild_recent(self) -> None:
        menu = self.view.recent_menu
        menu.clear()
        recent = self.recent_files()
        for i, name in enumerate(recent, start=1):
            action = QAction(f"&{i} {Path(name).name}", menu)
            action.setToolTip(name)
            action.setStatusTip(name)
            action.triggered.connect(lambda _=False, n=name: self.open_path(Path(n)))
            menu.addAction(action)
        menu.setEnabled(bool(recent))

    def close_requested(self, event: QCloseEvent) -> None:
        from PySide6.QtWidgets import QMessageBox

        if self.publishing:
            answer = QMessageBox.question(
                self.view,
                "Publishing",
                "A publish is still in flight; its result will be lost from this window (it is still recorded in the history). Close anyway?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        if self.maybe_keep_changes():
            self._autosave_timer.stop()
            self.remove_autosave()
            s = settings()
            s.setValue("window/geometry", self.view.saveGeometry())
            s.sync()
            event.accept()
        else:
            event.ignore()

    # --- autosave ---

    def autosave_now(self) -> None:
        """Write the state to the data folder off the GUI thread (the text is made here, on the
        GUI thread, so the worker never reads the model)."""
        self._autosave_timer.stop()
        from datetime import (
            datetime,  # 1 ms at start-up, and the first autosave comes later
        )

        payload = json.dumps(
            {
                "version": 1,
                "savedAt": datetime.now().astimezone().isoformat(timespec="seconds"),
                "path": str(self.path) if self.path else None,
                "draft": self.call.to_draft(),
            },
            ensure_ascii=False,
        )
        target = autosave_path()
        self.autosave_runner.start(lambda: files.atomic_write(target, payload), lambda _v: None, self._autosave_failed)

    def _autosave_failed(self, message: str) -> None:
        self.view.status_label.setText(f"Autosave failed: {message.splitlines()[0]}")

    def remove_autosave(self) -> None:
        self._autosave_timer.stop()
        self.autosave_runner.wait(5000)  # only pending autosaves: never a publish in flight
        autosave_path().unlink(missing_ok=True)

    def check_autosave(self) -> None:
        """Offer to restore what an earlier run left unsaved (after a crash or a kill)."""
        path = recovered_path()
        if not path.exists():
            if not autosave_path().exists():
                return
            autosave_path().replace(path)  # keep it out of reach of this run's autosaves
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("draft"), dict):
                raise ValueError("it does not hold a draft")
            parse_draft(json.dumps(data["draft"]), "autosave")
        except (OSError, ValueError, DraftError) as exc:
            aside = autosave_path().with_name(f"{AUTOSAVE_FILE}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            path.replace(aside)
            self.view.status_label.setText(f"The autosaved draft could not be read ({exc}); it was set aside as {aside.name}.")
            return
        self.pending_restore = data
        where = Path(data["path"]).name if data.get("path") else "an untitled draft"
        self.view.restore_banner.offer(f"Composer closed without saving {where} (last change {data.get('savedAt', '?')}).")

    def restore_autosave(self) -> None:
        data = self.pending_restore
        if not data or not self.maybe_keep_changes():
            return
        self.pending_restore = None
        self.view.restore_banner.hide()
        draft = parse_draft(json.dumps(data["draft"]), "autosave")
        self.load(PublishCall(), Path(data["path"]) if data.get("path") else None)
        # restored content is unsaved work: an undoable, modified change that undo can never
        # turn back into a "clean" empty draft (closing would then lose it without asking)
        self.edit("restore", lambda c: _replace(c, draft.call))
        self.undo_stack.resetClean()
        self.autosave_now()
        self.autosave_runner.wait(5000)
        recovered_path().unlink(missing_ok=True)
        self.view.status_label.setText("Restored the autosaved draft.")

    def discard_autosave(self) -> None:
        self.pending_restore = None
        self.view.restore_banner.hide()
        recovered_path().unlink(missing_ok=True)

    # --- profiles ---

    def reload_profiles(self, select: str | None = None, refresh: bool = True) -> None:
        from composer.core.accounts.profiles import ProfileStore

        store = ProfileStore()
        combo = self.view.profile_combo
        current = select or combo.currentData() or settings().value("profile", "Sandbox", type=str)
        combo.blockSignals(True)
        combo.clear()
        for profile in store.list():
            combo.addItem(profile.name, profile.name)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        if store.recovered:
            self.view.status_label.setText(store.recovered)
        self._profile_changed(refresh=refresh)

    def _profile_changed(self, _index: int = -1, refresh: bool = True) -> None:
        from composer.core.accounts.profiles import ProfileStore

        name = self.current_profile()
        profile = ProfileStore().get(name)
        self.approved_domains = list(profile.approved_domains) if profile and profile.approved_domains else None
        self.view.profile_status.setText(_profile_summary(profile))
        remembered = settings()
        if remembered.value("profile", "", type=str) != name:  # unchanged at every start: no write to disk (1 ms)
            remembered.setValue("profile", name)
        if refresh:
            self.refresh()

    def manage_profiles(self) -> None:
        from composer.gui.profile_dialog import ProfileDialog

        dialog = ProfileDialog(self.view, select=self.current_profile())
        dialog.exec()
        dialog.deleteLater()
        # looking at a profile in the dialog never changes where the next publish goes
        self.reload_profiles()

    # --- after publishing ---

    def _update_retry_action(self) -> None:
        output = self.last_output
        self.view.retry_action.setEnabled(output is not None and output.result.retryable)

    def ask_retry_unknown(self, warning: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.warning(
            self.view,
            "The post may already be live",
            warning,
            QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Retry

    def retry_failed(
        self,
        draft: dict[str, Any] | None = None,
        result: dict[str, Any] | None = None,
        history_id: int | None = None,
        profile: str | None = None,
    ) -> bool:
        """Publish the same content again, only to the providers that failed, through the profile
        the attempt used (never whichever profile is selected now)."""
        from composer.core.publishing import (
            RetryError,
            already_posted_by_retries,
            plan_retry,
        )

        if draft is None or result is None:
            output = self.last_output
            if output is None:
                return False
            draft, result, history_id, profile = output.draft, output.result.to_json(), output.history_id, output.profile_name
        try:
            plan = plan_retry(draft, result, already_posted_by_retries(history_id))
        except RetryError as exc:
            self.view.status_label.setText(str(exc))
            return False
        if plan.warning and not self.ask_retry_unknown(plan.warning):
            return False
        return self.publish(plan.call, retry_of=history_id, profile=profile or None)

    def export_result(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        output = self.last_output
        if output is None:
            return
        name, chosen = QFileDialog.getSaveFileName(self.view, "Export result", str(Path.home() / "result.json"), "JSON (*.json);;CSV (*.csv)")
        if name:
            self.write_export(Path(name), output, "csv" if name.endswith(".csv") or chosen.startswith("CSV") else "json")

    def write_export(self, path: Path, output: Any, kind: str) -> None:
        from composer.core.storage.history import Entry, Row, export_csv, export_json

        result = output.result.to_json()
        row = Row(output.history_id or 0, output.result.time, output.profile_name, result["outcome"], (), (), "", None)
        entry = Entry(row, output.draft, result.get("request", {}), output.result.raw, result)
        text = export_csv([entry]) if kind == "csv" else export_json([entry])
        try:
            files.atomic_write(path, text, mode=0o644)
        except OSError as exc:
            self.error("Cannot export", f"{path}: {exc.strerror or exc}")
            return
        self.view.status_label.setText(f"Exported the result to {path.name}")

    def show_history(self) -> None:
        from composer.gui.history_view import HistoryDialog

        dialog = getattr(self, "_history_dialog", None)
        if dialog is None:
            dialog = HistoryDialog(self.view)
            dialog.open_as_draft.connect(self._open_history_draft)
            dialog.retry_requested.connect(lambda draft, result, entry_id, profile: self.retry_failed(draft, result, entry_id, profile))
            self._history_dialog = dialog
        dialog.reload()
        dialog.show()
        dialog.raise_()

    def _open_history_draft(self, draft: dict[str, Any]) -> None:
        if not self.maybe_keep_changes():
            return
        call = PublishCall.from_params(draft)
        self.load(PublishCall(), None)
        self.edit("history", lambda c: _replace(c, call))
        self.undo_stack.resetClean()

    def explain_signature(self) -> None:
        """Show the signature base string of the current draft (never the secret).  Reading the
        secret may wait on the keyring, so it runs on the worker."""
        call, profile = self.call.copy(), self.current_profile()

        def work() -> tuple[bool, str]:
            from composer.core.accounts.profiles import ProfileError, resolve
            from composer.core.publishing import make_client
            from composer.core.wire.signing import SecretError

            try:
                client = make_client(resolve(profile))
                prepared = client.prepare(call.to_params())
            except (ProfileError, SecretError) as exc:
                return False, str(exc)
            if "sig" not in prepared.params:
                return True, "This profile sends the secret over HTTPS; there is no signature."
            return True, str(client.explain_signature(prepared))

        self.runner.start(work, self._show_explanation, lambda message: self.error("Cannot explain the signature", message.splitlines()[0]))

    def _show_explanation(self, value: tuple[bool, str]) -> None:
        from PySide6.QtWidgets import QMessageBox

        ok, text = value
        if not ok:
            self.error("Cannot explain the signature", text)
            return
        box = QMessageBox(QMessageBox.Icon.Information, "Signature", "How the signature of this draft is computed (the secret is never shown).", parent=self.view)
        set_named(box, textFormat="PlainText")
        box.setDetailedText(text)
        box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.explanation = text

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from composer import __version__

        QMessageBox.about(
            self.view,
            "About Composer",
            f"Composer {__version__}\nCompose, preview and publish socialize.publishUserAction shares; "
            "a QA bench with a built-in sandbox server.",
        )

    def error(self, title: str, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.view.status_label.setText(message)
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self.view)
        set_named(box, textFormat="PlainText")  # also shown at start, for a draft that cannot be opened
        box.open()


def _replace(target: PublishCall, source: PublishCall) -> None:
    fresh = source.copy()
    for name in target.__dataclass_fields__:
        setattr(target, name, getattr(fresh, name))


def _profile_summary(profile: Any) -> str:
    if profile is None:
        return ""
    if getattr(profile, "builtin", False):
        return "  built-in sandbox (demo users, no account)"
    where = profile.base_url or profile.data_center
    return f"  {where}"
