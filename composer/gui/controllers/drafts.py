"""Drafts: new, open, save, save as, recent files, "save the changes?", the window's title, and
the autosave that brings unsaved work back after a crash.

Autosaves are written off the GUI thread, on a pool of one thread of their own, so they land in
the order they were made and waiting for them never waits for a publish.  An earlier run's
autosave is moved aside at start (``autosave.recovered.json``) so this run's autosaves never
overwrite it before the user has decided.  A data folder that cannot be written turns autosave off
for the session, with a notice that says why; the window works all the same.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QThreadPool, QTimer, SignalInstance

from composer.core.call.draft import DraftError, load_draft, parse_draft, save_draft
from composer.core.call.model import MAX_JSON_DEPTH, JSONTextError, PublishCall, parse_json
from composer.core.storage import files
from composer.gui.controllers.editing import EditingController
from composer.gui.dialogs import Choice, Dialogs
from composer.gui.settings import settings
from composer.gui.worker import TaskRunner

AUTOSAVE_FILE = "autosave.json"
#: Our choice: an autosave follows the last edit by this long, so typing writes the file a few
#: times a second at most, and a crash loses less than a second of work.
AUTOSAVE_DELAY_MS = 400
#: how long closing or replacing a draft waits for autosaves still being written (our choice:
#: far longer than writing a draft takes, short enough that a hung disk does not hang the window)
AUTOSAVE_WAIT_MS = 5000
#: entries in File > Open Recent (our choice, as most editors do)
RECENT_MAX = 8


def autosave_path() -> Path:
    return files.data_dir() / AUTOSAVE_FILE


def recovered_path() -> Path:
    """Where an earlier run's autosave waits for the user's decision."""
    return files.data_dir() / "autosave.recovered.json"


class DraftsView(Protocol):
    """What the drafts controller needs of the window."""

    new_requested: SignalInstance
    open_requested: SignalInstance
    #: (path) from File > Open Recent
    open_recent_requested: SignalInstance
    save_requested: SignalInstance
    save_as_requested: SignalInstance
    restore_requested: SignalInstance
    discard_restore_requested: SignalInstance

    def commit_edits(self) -> None: ...
    def show_title(self, name: str, modified: bool) -> None: ...
    def set_modified(self, modified: bool) -> None: ...
    def show_recent(self, paths: list[str]) -> None: ...
    def offer_restore(self, message: str) -> None: ...
    def hide_restore(self) -> None: ...
    def show_status(self, message: str) -> None: ...
    def show_notice(self, message: str) -> None: ...


class DraftsController(QObject):
    def __init__(self, view: DraftsView, editing: EditingController, dialogs: Dialogs, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
        self.editing = editing
        self.dialogs = dialogs
        #: the file the draft was opened from or saved to (None: untitled)
        self.path: Path | None = None
        #: an earlier run's autosave, while the user has not decided about it
        self.pending_restore: dict[str, Any] | None = None
        #: why autosave is off this session (the data folder cannot be written), or ""
        self.autosave_off = ""
        pool = QThreadPool(self)
        pool.setMaxThreadCount(1)
        self.autosave_runner = TaskRunner(self, pool)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave_timer.timeout.connect(self.autosave_now)

        view.new_requested.connect(self.new_draft)
        view.open_requested.connect(self.open_dialog)
        view.open_recent_requested.connect(lambda name: self.open_path(Path(name)))
        view.save_requested.connect(self.save)
        view.save_as_requested.connect(self.save_as)
        view.restore_requested.connect(self.restore_autosave)
        view.discard_restore_requested.connect(self.discard_autosave)
        editing.changed.connect(self._autosave_timer.start)
        editing.model_replaced.connect(self._update_title)
        editing.modified_changed.connect(view.set_modified)
        self._update_title()

    # --- state ---

    def is_modified(self) -> bool:
        return not self.editing.undo_stack.isClean()

    def _update_title(self) -> None:
        self.view.show_title(self.path.name if self.path else "Untitled draft", self.is_modified())

    def maybe_keep_changes(self) -> bool:
        """True when it is fine to replace the draft (saved, discarded or unchanged)."""
        if not self.is_modified():
            return True
        answer = self.dialogs.ask_save_changes(self.path.name if self.path else "the untitled draft")
        if answer is Choice.SAVE:
            return self.save()
        return answer is Choice.DISCARD

    # --- files ---

    def new_draft(self) -> None:
        if self.maybe_keep_changes():
            self.load(PublishCall(), None)
            self.remove_autosave()

    def open_dialog(self) -> None:
        if not self.maybe_keep_changes():
            return
        path = self.dialogs.open_draft_name(self.path.parent if self.path else Path.home())
        if path is not None:
            self.open_path(path, confirmed=True)

    def open_path(self, path: Path, confirmed: bool = False) -> bool:
        if not confirmed and not self.maybe_keep_changes():
            return False
        try:
            draft = load_draft(path)
        except DraftError as exc:
            self.view.show_status(str(exc))
            self.dialogs.error("Cannot open the draft", str(exc))
            return False
        self.load(draft.call, path.resolve())
        self.remove_autosave()
        self._remember_recent(path.resolve())
        notes = "; ".join(f"{n.field}: {n.message}" for n in draft.notes)
        self.view.show_status(f"Opened {path.name}" + (f" ({notes})" if notes else ""))
        return True

    def load(self, call: PublishCall, path: Path | None) -> None:
        """Show ``call``, from the file at ``path`` (None: untitled), as the saved draft."""
        self.path = path
        self.editing.load(call)

    def open_unsaved(self, call: PublishCall, path: Path | None = None) -> None:
        """Show ``call`` as unsaved work (see :meth:`EditingController.load_unsaved`)."""
        self.path = path
        self.editing.load_unsaved(call)

    def open_history_draft(self, draft: dict[str, Any]) -> None:
        if self.maybe_keep_changes():
            self.open_unsaved(PublishCall.from_params(draft))

    def save(self) -> bool:
        self.view.commit_edits()
        if self.path is None:
            return self.save_as()
        return self._save_to(self.path)

    def save_as(self) -> bool:
        path = self.dialogs.save_draft_name(self.path if self.path else Path.home() / "draft.json")
        if path is None:
            return False
        if not path.suffix:
            path = path.with_suffix(".json")
            # the dialog asked about the name typed, not about the one with .json added
            if path.exists() and not self.dialogs.confirm("Replace file?", f"{path.name} already exists. Replace it?"):
                return False
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        try:
            save_draft(path, self.editing.call)
        except OSError as exc:
            message = f"{path}: {exc.strerror or exc}. The draft is still open and autosaved."
            self.view.show_status(message)
            self.dialogs.error("Cannot save the draft", message)
            return False
        self.path = path.resolve()
        self.editing.undo_stack.setClean()
        self.remove_autosave()
        self._remember_recent(self.path)
        self._update_title()
        self.view.show_status(f"Saved {path.name}")
        return True

    # --- recent files ---

    def recent_files(self) -> list[str]:
        return list(settings().value("recent", [], type=list) or [])

    def _remember_recent(self, path: Path) -> None:
        stored = self.recent_files()
        recent = [str(path), *(p for p in stored if p != str(path))][:RECENT_MAX]
        if recent == stored:  # already the latest: nothing to write
            return
        s = settings()
        s.setValue("recent", recent)
        s.sync()
        self.show_recent()

    def show_recent(self) -> None:
        self.view.show_recent(self.recent_files())

    # --- closing ---

    def close(self) -> bool:
        """The window is closing: True once the changes are saved or given up (the autosave goes
        with them); False keeps the window open."""
        if not self.maybe_keep_changes():
            return False
        self._autosave_timer.stop()
        self.remove_autosave()
        return True

    # --- autosave ---

    def autosave_now(self) -> None:
        """Write the draft to the data folder off the GUI thread (the text is made here, on the
        GUI thread, so the worker never reads the model)."""
        self._autosave_timer.stop()
        if self.autosave_off:
            return
        payload = json.dumps(
            {
                "version": 1,
                "savedAt": datetime.now().astimezone().isoformat(timespec="seconds"),
                "path": str(self.path) if self.path else None,
                "draft": self.editing.call.to_draft(),
            },
            ensure_ascii=False,
        )
        target = autosave_path()
        self.autosave_runner.start(lambda: files.atomic_write(target, payload), lambda _v: None, self._autosave_failed)

    def _autosave_failed(self, message: str) -> None:
        self.view.show_status(f"Autosave failed: {message.splitlines()[0]}")

    def remove_autosave(self) -> None:
        self._autosave_timer.stop()
        self.autosave_runner.wait(AUTOSAVE_WAIT_MS)
        if not self.autosave_off:  # in a folder we cannot write, there is nothing of ours to remove
            self._remove(autosave_path())

    def _remove(self, path: Path) -> None:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            self.view.show_status(f"{path} could not be removed: {exc.strerror or exc}")

    def check_autosave(self) -> None:
        """At start: say so when the data folder cannot be written (autosave and the history are
        then off), clear what autosaves killed midway left behind, and offer to restore what an
        earlier run left unsaved (after a crash or a kill)."""
        self.autosave_off = files.unwritable_reason(files.data_dir())
        if self.autosave_off:
            self.view.show_notice(f"Autosave and the publish history are off: the data folder {self.autosave_off}.")
        else:
            files.remove_leftover_temporaries(autosave_path())
        path = self._earlier_autosave()
        if path is None:
            return
        try:
            # the draft sits one level down in the autosave: the same limits as a draft file
            data = parse_json(path.read_text(encoding="utf-8"), max_depth=MAX_JSON_DEPTH + 1)
            if not isinstance(data, dict) or not isinstance(data.get("draft"), dict):
                raise ValueError("it does not hold a draft")
            parse_draft(json.dumps(data["draft"]), "autosave")
        except JSONTextError as exc:
            self._set_aside_autosave(path, f"the file {exc}")
            return
        except (OSError, ValueError, DraftError) as exc:
            self._set_aside_autosave(path, str(exc))
            return
        self.pending_restore = data
        where = Path(data["path"]).name if data.get("path") else "an untitled draft"
        self.view.offer_restore(f"Composer closed without saving {where} (last change {data.get('savedAt', '?')}).")

    def _earlier_autosave(self) -> Path | None:
        """An earlier run's autosave, moved out of reach of this run's autosaves, or None.

        When the run before that left one nobody answered for, and the last run left another, the
        older is set aside (``autosave.recovered.json.unanswered-<time>``) and the newer offered:
        this run's first autosave must overwrite neither."""
        path = recovered_path()
        if not autosave_path().exists():
            return path if path.exists() else None
        if self.autosave_off:  # it cannot be moved, and this run writes no autosave: read it where it is
            return autosave_path()
        if path.exists():
            kept = files.set_aside(path, "unanswered")
            self.view.show_status(f"An older unsaved draft was kept as {kept.name} in {kept.parent}.")
        autosave_path().replace(path)
        return path

    def _set_aside_autosave(self, path: Path, reason: str) -> None:
        try:
            aside = files.set_aside(path, "corrupt", name=AUTOSAVE_FILE)
        except OSError as exc:
            self.view.show_status(f"The autosaved draft could not be read ({reason}) nor set aside ({exc.strerror or exc}).")
            return
        self.view.show_status(f"The autosaved draft could not be read ({reason}); it was set aside as {aside.name}.")

    def restore_autosave(self) -> None:
        data = self.pending_restore
        if not data or not self.maybe_keep_changes():
            return
        self.pending_restore = None
        self.view.hide_restore()
        draft = parse_draft(json.dumps(data["draft"]), "autosave")
        self.open_unsaved(draft.call, Path(data["path"]) if data.get("path") else None)
        self.autosave_now()
        self.autosave_runner.wait(AUTOSAVE_WAIT_MS)
        self.view.show_status("Restored the autosaved draft.")
        if not self.autosave_off:  # kept where it is in a folder we cannot write
            self._remove(recovered_path())

    def discard_autosave(self) -> None:
        self.pending_restore = None
        self.view.hide_restore()
        if not self.autosave_off:
            self._remove(recovered_path())
