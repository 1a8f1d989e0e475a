"""Drafts: new, open, save, save as, recent files, "save the changes?", the window's title, and
the autosave that brings unsaved work back after a crash.

Every window autosaves to a file of its own (``gui/autosaves.py``), so two windows open at once
never overwrite each other's work, and at start a window offers back, one after the other, the
draft of every window that ended without closing.  Autosaves are written off the GUI thread, on a
pool of one thread of their own, so they land in the order they were made and waiting for them
never waits for a publish.  A data folder that cannot be written turns autosave off for the
session, with a notice that says why; the window works all the same.

Save asks before it writes over a file that another window or program wrote since this window
opened or saved it (``files.SeenFile``: the same bytes written again, or a file only touched, ask
nothing).  The autosave keeps the file as the window saw it, so a draft restored after a crash
still asks before it writes over what another program saved since.

The recent files are one list for every window: each change re-reads it under a lock and adds to
it, so a file another window opened meanwhile stays on it.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QLockFile, QObject, QThreadPool, QTimer, SignalInstance

from composer.core.call.draft import MAX_DRAFT_BYTES, DraftError, dump_draft, load_draft, parse_draft, save_draft
from composer.core.call.model import MAX_JSON_DEPTH, JSONTextError, ModelError, PublishCall, parse_json
from composer.core.storage import files
from composer.gui.autosaves import Autosave, autosave_text, earlier_autosaves, seen_file, take_in_old_autosaves
from composer.gui.controllers.editing import EditingController
from composer.gui.dialogs import SAVE_AS_INSTEAD, Choice, Dialogs
from composer.gui.settings import settings
from composer.gui.worker import TaskRunner

#: Our choice: an autosave follows the last edit by this long, so typing writes the file a few
#: times a second at most, and a crash loses less than a second of work.
AUTOSAVE_DELAY_MS = 400
#: how long closing or replacing a draft waits for autosaves still being written (our choice:
#: far longer than writing a draft takes, short enough that a hung disk does not hang the window)
AUTOSAVE_WAIT_MS = 5000
#: entries in File > Open Recent (our choice, as most editors do)
RECENT_MAX = 8
#: Our choice: how long a window waits for another to finish changing the recent files (a
#: read and a write of a small INI file) before it changes them all the same.
RECENT_LOCK_WAIT_MS = 2000
#: how much of an untitled draft's title the restore bar quotes (our choice: one short line)
QUOTED_TITLE_MAX = 40


def readable_time(saved_at: str, now: datetime | None = None) -> str:
    """``savedAt`` of an autosave (ISO 8601) as a person says it: "today at 14:05", "yesterday at
    9:30", "on 3 March 2026 at 18:00"; the text itself when it is not a time."""
    try:
        when = datetime.fromisoformat(saved_at).astimezone()
    except (TypeError, ValueError):
        return saved_at or "at an unknown time"
    now = now or datetime.now().astimezone()
    clock = f"{when.hour}:{when.minute:02d}"
    if when.date() == now.date():
        return f"today at {clock}"
    if when.date() == now.date() - timedelta(days=1):
        return f"yesterday at {clock}"
    return f"on {when.day} {when:%B %Y} at {clock}"


def draft_name(data: dict[str, Any]) -> str:
    """How the restore bar names an autosaved draft: its file's name, or the untitled draft's title
    (or user message) quoted."""
    if data.get("path"):
        return Path(data["path"]).name
    action = data["draft"].get("userAction")
    words = ""
    if isinstance(action, dict):
        words = next((action[k] for k in ("title", "userMessage") if isinstance(action.get(k), str) and action[k].strip()), "")
    words = " ".join(words.split())
    if not words:
        return "an untitled draft"
    if len(words) > QUOTED_TITLE_MAX:
        words = words[: QUOTED_TITLE_MAX - 1].rstrip() + "…"
    return f"the untitled draft \u201c{words}\u201d"


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
        #: the file the draft was opened from or saved to (None: untitled), by the name the user
        #: chose (``files.as_named``: a link keeps its own name, and a save writes through it again)
        self.path: Path | None = None
        #: the file at ``path`` as this window last read or wrote it (None: no file, or unknown): a
        #: save first checks that no other window or program has written it since
        self.seen: files.SeenFile | None = None
        #: this window's autosave
        self.autosave = Autosave.new()
        #: earlier windows' autosaves, with their drafts, while the user has not decided about them;
        #: the first is offered in the restore bar
        self.pending_restores: list[tuple[Autosave, dict[str, Any]]] = []
        #: earlier autosaves restored, each with the number of this window's autosave that holds
        #: its draft: kept until that write (or a later one) succeeds
        self._restoring: list[tuple[int, Autosave]] = []
        self._autosaves_started = 0
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
        # seen before it is read: a write in between then makes the next save ask (never the
        # other way round, a write taken for what was read)
        seen = files.SeenFile.of(path, MAX_DRAFT_BYTES)
        try:
            draft = load_draft(path)
        except DraftError as exc:
            self.view.show_status(str(exc))
            self.dialogs.error("Cannot open the draft", str(exc))
            return False
        self.load(draft.call, files.as_named(path), seen)
        self.remove_autosave()
        self._remember_recent(files.as_named(path))
        notes = "; ".join(f"{n.field}: {n.message}" for n in draft.notes)
        self.view.show_status(f"Opened {path.name}" + (f" ({notes})" if notes else ""))
        return True

    def load(self, call: PublishCall, path: Path | None, seen: files.SeenFile | None = None) -> None:
        """Show ``call``, from the file at ``path`` (None: untitled) as it was ``seen``, as the
        saved draft."""
        self.path, self.seen = path, seen
        self.editing.load(call)

    def open_unsaved(self, call: PublishCall, path: Path | None = None, seen: files.SeenFile | None = None) -> None:
        """Show ``call`` as unsaved work (see :meth:`EditingController.load_unsaved`), to be saved
        to ``path`` as it was ``seen`` (None: unknown, so a save over a file there asks first)."""
        self.path, self.seen = path, seen
        self.editing.load_unsaved(call)

    def open_history_draft(self, draft: dict[str, Any]) -> None:
        try:
            call = PublishCall.from_params(draft)
        except ModelError as exc:  # a history edited by hand: its draft is no call any more
            message = f"That attempt's draft cannot be read: {exc.field} {exc.message}"
            self.view.show_status(message)
            self.dialogs.error("Cannot open the draft", message)
            return
        if self.maybe_keep_changes():
            self.open_unsaved(call)

    def save(self) -> bool:
        self.view.commit_edits()
        if self.path is None:
            return self.save_as()
        changed = files.changed_since(self.path, self.seen, MAX_DRAFT_BYTES)
        if changed and not self.dialogs.ask_replace_changed(self.path.name, "draft"):
            self.view.show_status(f"Not saved: {self.path.name} changed on disk. {self._still_open()}; Save As keeps both.")
            return False
        return self._save_to(self.path)

    def _still_open(self) -> str:
        """Where the unsaved draft is, for a message about a save that did not happen."""
        return "The draft is still open" + ("" if self.autosave_off else " and autosaved")

    def save_as(self) -> bool:
        typed = self.dialogs.save_draft_name(self.path if self.path else Path.home() / "draft.json")
        path = self.dialogs.as_json_file(typed) if typed is not None else None
        if path is None:
            return False
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        try:
            save_draft(path, self.editing.call)
        except OSError as exc:
            why = files.why_not_written(path, exc, SAVE_AS_INSTEAD)
            message = f"{why}. {self._still_open()}."
            self.view.show_status(message)
            self.dialogs.error("Cannot save the draft", message)
            return False
        self.path = files.as_named(path)
        self.seen = files.SeenFile.written(self.path, dump_draft(self.editing.call), MAX_DRAFT_BYTES)
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
        # another window may be changing the list right now: read it again under the lock, add to
        # what it holds then, and write before letting go (a lock that cannot be had, in a folder
        # we cannot write, does not stop the file from opening)
        lock = QLockFile(str(files.config_dir() / "recent.lock"))
        locked = lock.tryLock(RECENT_LOCK_WAIT_MS)
        try:
            s = settings()
            s.sync()  # what other windows wrote since this one last looked
            stored = list(s.value("recent", [], type=list) or [])
            recent = [str(path), *(p for p in stored if not _same_file(p, path))][:RECENT_MAX]
            if recent != stored:  # already the latest: nothing to write
                s.setValue("recent", recent)
                s.sync()
        finally:
            if locked:
                lock.unlock()
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
        self.autosave.release()
        for autosave, _data in self.pending_restores:  # unanswered: kept for the next start
            autosave.release(remove=False)
        self.pending_restores = []
        for _number, autosave in self._restoring:  # restored and answered for just now: saved or given up
            self._let_go(autosave)
        self._restoring = []
        return True

    # --- autosave ---

    def autosave_now(self) -> bool:
        """Write the draft to the data folder off the GUI thread (the text is made here, on the
        GUI thread, so the worker never reads the model).  False when autosave is off and nothing
        is written."""
        self._autosave_timer.stop()
        if self.autosave_off or not self.autosave.held():  # not started (a screenshot), or off
            return False
        payload = autosave_text(self.editing.call.to_draft(), self.path, self.seen)
        target = self.autosave.path
        self._autosaves_started += 1
        number = self._autosaves_started
        self.autosave_runner.start(lambda: files.atomic_write(target, payload), lambda _v: self._autosaved(number), self._autosave_failed)
        return True

    def _autosaved(self, number: int) -> None:
        """This window's autosave ``number`` is written: the earlier files whose drafts it holds go."""
        done = [autosave for n, autosave in self._restoring if n <= number]
        self._restoring = [(n, autosave) for n, autosave in self._restoring if n > number]
        for autosave in done:
            self._let_go(autosave)

    def _autosave_failed(self, message: str) -> None:
        self.view.show_status(f"Autosave failed: {message.splitlines()[0]}")

    def remove_autosave(self) -> None:
        self._autosave_timer.stop()
        self.autosave_runner.wait(AUTOSAVE_WAIT_MS)
        if not self.autosave_off:  # in a folder we cannot write, there is nothing of ours to remove
            self._remove(self.autosave.path)

    def _remove(self, path: Path) -> None:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            self.view.show_status(f"{path} could not be removed: {exc.strerror or exc}")

    def check_autosave(self) -> None:
        """At start: say so when the data folder cannot be written (autosave and the history are
        then off), take this window's autosave file, and offer back, one after the other, the
        drafts of the windows that ended without closing (a crash or a kill)."""
        self.autosave_off = files.unwritable_reason(files.data_dir())
        if self.autosave_off:
            self.view.show_notice(f"Autosave and the publish history are off: the data folder {self.autosave_off}.")
        else:
            problem = self.autosave.claim()
            if problem:
                self.autosave_off = problem
                self.view.show_notice(f"Autosave is off: {problem}.")
        if not self.autosave_off:
            take_in_old_autosaves()
        for autosave in earlier_autosaves(claim=not self.autosave_off):
            data = self._read_autosave(autosave)
            if data is not None:
                self.pending_restores.append((autosave, data))
        self._offer_next()

    def _read_autosave(self, autosave: Autosave) -> dict[str, Any] | None:
        """The autosave's content once checked as a draft file is, or None (set aside, and said)."""
        try:
            # the draft sits one level down in the autosave: the same limits as a draft file
            data = parse_json(autosave.path.read_text(encoding="utf-8"), max_depth=MAX_JSON_DEPTH + 1)
            if not isinstance(data, dict) or not isinstance(data.get("draft"), dict):
                raise ValueError("it does not hold a draft")
            parse_draft(json.dumps(data["draft"]), "autosave")
            if not isinstance(data.get("path"), str) or "\x00" in data["path"]:
                data["path"] = None  # no file's name (an autosave edited by hand): offered untitled
        except JSONTextError as exc:
            self._set_aside_autosave(autosave, f"the file {exc}")
            return None
        except (OSError, ValueError, DraftError) as exc:
            self._set_aside_autosave(autosave, str(exc))
            return None
        return data

    def _offer_next(self) -> None:
        if not self.pending_restores:
            self.view.hide_restore()
            return
        _autosave, data = self.pending_restores[0]
        more = len(self.pending_restores) - 1
        after = f" {more} more after this one." if more else ""
        when = readable_time(data.get("savedAt", ""))
        self.view.offer_restore(f"Composer closed without saving {draft_name(data)} (last change {when}).{after}")

    def _set_aside_autosave(self, autosave: Autosave, reason: str) -> None:
        if self.autosave_off:  # nothing can be renamed: it stays where it is
            self.view.show_status(f"The autosaved draft {autosave.path} could not be read ({reason}).")
            return
        try:
            aside = files.set_aside(autosave.path, "corrupt")
        except OSError as exc:
            self.view.show_status(f"The autosaved draft could not be read ({reason}) nor set aside ({exc.strerror or exc}).")
            return
        finally:
            autosave.release(remove=False)
        self.view.show_status(f"The autosaved draft could not be read ({reason}); it was set aside as {aside.name} in {aside.parent}.")

    def restore_autosave(self) -> None:
        if not self.pending_restores or not self.maybe_keep_changes():
            return
        autosave, data = self.pending_restores.pop(0)
        draft = parse_draft(json.dumps(data["draft"]), "autosave")
        self.open_unsaved(draft.call, Path(data["path"]) if data.get("path") else None, seen_file(data))
        self.view.show_status(f"Restored {draft_name(data)}.")
        # The earlier file goes only once this window's autosave holds the draft.  Should that
        # write fail, it stays on disk until a later autosave succeeds or the window closes (the
        # draft saved or given up), and is offered again after a crash.  Where nothing can be
        # written it stays where it is.
        if self.autosave_now():
            self._restoring.append((self._autosaves_started, autosave))
        else:
            autosave.release(remove=False)
        self._offer_next()

    def _let_go(self, autosave: Autosave) -> None:
        """An earlier autosave the user answered for: deleted, unless the folder cannot be written
        (then it stays where it is)."""
        problem = autosave.release(remove=not self.autosave_off)
        if problem:
            self.view.show_status(problem)

    def discard_autosave(self) -> None:
        if not self.pending_restores:
            return
        autosave, _data = self.pending_restores.pop(0)
        self._let_go(autosave)
        self._offer_next()


def _same_file(stored: str, path: Path) -> bool:
    """``stored`` names the file ``path`` names: a link and the file it points to are one recent
    entry, under the name used last."""
    if stored == str(path):
        return True
    try:
        return os.path.samefile(stored, path)
    except OSError:
        return False  # gone, or out of reach: it keeps its own entry
