"""Nothing the user typed or published is lost: drafts (New, Open, Save, Save As, recent files,
"discard changes?"), atomic saves, autosave and its restore after a SIGKILL, the publish history
(SQLite), "retry failed networks" and export.

Driven as a user would: real widgets, the real built-in sandbox over loopback, real subprocesses
killed with SIGKILL.  Only what cannot run offscreen is replaced: native file dialogs and the modal
question boxes (``ask_save_changes`` / ``ask_retry_unknown``), answered by the test.
"""

from __future__ import annotations

import csv
import io
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from composer.core.call.draft import dump_draft, load_draft, save_draft
from composer.core.call.model import PublishCall
from composer.core.contract import PROVIDERS
from composer.core.storage import files
from composer.core.storage.history import CSV_COLUMNS, History
from composer.gui import history_view
from composer.gui.dialogs import Choice
from composer.gui.history_view import HistoryDialog
from composer.sandbox.builtin import ensure_builtin_sandbox
from tests.helpers import nothing_lost_editor as editor
from tests.helpers.environment import HELPERS, REPO
from tests.helpers.gui import click_and_wait_published, compose, show_tab, type_into
from tests.helpers.nothing_lost_saver import version as saver_version

LEFT = Qt.MouseButton.LeftButton
DRAFT_FILTER = "Drafts (*.json)"

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


# --- the window --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def folders(isolated_home, monkeypatch):
    """The app's data and config folders (inside the test's own HOME), also for subprocesses;
    set for every test here, before its windows open."""
    data = isolated_home / "app-data"
    config = isolated_home / "app-config"
    monkeypatch.setenv("COMPOSER_DATA_DIR", str(data))
    monkeypatch.setenv("COMPOSER_CONFIG_DIR", str(config))
    return data, config


def answer(ctl, *answers):
    """Replace the modal "Save the changes?" box: returns the questions asked, answers in order."""
    asked = []
    remaining = list(answers)

    def ask_save_changes(_name):
        asked.append(ctl.drafts.path.name if ctl.drafts.path else None)
        return remaining.pop(0)

    ctl.dialogs.ask_save_changes = ask_save_changes
    return asked


def close_message_boxes(win) -> list[str]:
    texts = []
    for box in win.findChildren(QMessageBox):
        if box.isVisible():
            texts.append(box.text())
            box.done(0)
    return texts


def sandbox_records(title: str) -> tuple[list[dict], list[dict]]:
    """What the sandbox's networks received for this title: (posts, attempts)."""
    server = ensure_builtin_sandbox()

    def mine(record: dict) -> bool:
        return (record.get("userAction") or {}).get("title") == title

    return [p for p in server.posts() if mine(p)], [a for a in server.attempts() if mine(a)]


def files_under(root: Path):
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            yield Path(dirpath) / name


# --- drafts: New, Open, Save, Save As, recent files, "discard changes?" -------------------------


def test_save_save_as_open_recent_and_discard_changes(window, open_window, qtbot, tmp_path, monkeypatch):
    win, ctl = window
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    save_answers: list[str] = []
    open_answers: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (save_answers.pop(0), DRAFT_FILTER)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (open_answers.pop(0), DRAFT_FILTER)))

    assert "Untitled draft" in win.windowTitle() and "[*]" in win.windowTitle()
    assert not win.isWindowModified()
    assert not win.recent_menu.isEnabled()

    type_into(qtbot, win.content.inputs["title"], "First title")
    type_into(qtbot, win.content.inputs["linkBack"], "https://example.com/first")
    type_into(qtbot, win.options.uid, "demo-all-ok")
    assert win.isWindowModified()

    # Save on an untitled draft asks where (Save As); a name without suffix gets .json
    save_answers.append(str(drafts / "first"))
    win.save_action.trigger()
    first = drafts / "first.json"
    assert first.exists() and not save_answers
    assert load_draft(first).call == ctl.editing.call
    assert first.read_text(encoding="utf-8") == dump_draft(ctl.editing.call)
    assert "first.json" in win.windowTitle()
    assert not win.isWindowModified()
    assert win.status_label.text() == "Saved first.json"
    assert not ctl.drafts.autosave.path.exists()
    assert [a.text() for a in win.recent_menu.actions()] == ["&1 first.json"]
    assert win.recent_menu.actions()[0].toolTip() == str(first.resolve())

    # the next Save writes the same file without asking
    type_into(qtbot, win.content.inputs["description"], "More words")
    assert win.isWindowModified()
    win.save_action.trigger()
    assert load_draft(first).call.userAction.description == "More words"
    assert not win.isWindowModified()

    # Save As: a new name, the title follows it, both are recent (newest first)
    save_answers.append(str(drafts / "second.json"))
    win.save_as_action.trigger()
    second = drafts / "second.json"
    assert load_draft(second).call == ctl.editing.call
    assert "second.json" in win.windowTitle() and "first.json" not in win.windowTitle()
    assert [a.text() for a in win.recent_menu.actions()] == ["&1 second.json", "&2 first.json"]
    second_bytes = second.read_bytes()

    # New with unsaved changes: Cancel keeps everything
    type_into(qtbot, win.content.inputs["title"], " (edited)")
    edited = ctl.editing.call.copy()
    asked = answer(ctl, Choice.CANCEL)
    win.new_action.trigger()
    assert asked == ["second.json"]
    assert ctl.editing.call == edited
    assert win.content.inputs["title"].text() == "First title (edited)"
    assert win.isWindowModified() and "second.json" in win.windowTitle()

    # ... Discard clears it and leaves the file alone
    asked = answer(ctl, Choice.DISCARD)
    win.new_action.trigger()
    assert asked == ["second.json"]
    assert ctl.editing.call == PublishCall()
    assert win.content.inputs["title"].text() == ""
    assert "Untitled draft" in win.windowTitle()
    assert not win.isWindowModified()
    assert second.read_bytes() == second_bytes

    # ... Save saves (asking where: it is untitled) and then clears
    type_into(qtbot, win.content.inputs["title"], "Third title")
    asked = answer(ctl, Choice.SAVE)
    save_answers.append(str(drafts / "third.json"))
    win.new_action.trigger()
    assert asked == [None]
    assert load_draft(drafts / "third.json").call.userAction.title == "Third title"
    assert ctl.editing.call == PublishCall() and ctl.drafts.path is None
    assert not win.isWindowModified()

    # ... and when the Save is cancelled in the file dialog, nothing is cleared
    type_into(qtbot, win.content.inputs["title"], "Fourth title")
    answer(ctl, Choice.SAVE)
    save_answers.append("")
    win.new_action.trigger()
    assert ctl.editing.call.userAction.title == "Fourth title" and win.isWindowModified()

    # Open with unsaved changes: Cancel keeps them and never shows the file dialog
    asked = answer(ctl, Choice.CANCEL)
    win.open_action.trigger()
    assert asked == [None] and ctl.editing.call.userAction.title == "Fourth title"

    # Open after Discard: the file's draft, its name in the title, not modified, first in recent
    answer(ctl, Choice.DISCARD)
    open_answers.append(str(first))
    win.open_action.trigger()
    assert not open_answers
    assert ctl.editing.call == load_draft(first).call
    assert win.content.inputs["title"].text() == "First title"
    assert win.options.uid.text() == "demo-all-ok"
    assert "first.json" in win.windowTitle() and not win.isWindowModified()
    assert win.status_label.text() == "Opened first.json"
    assert [a.text() for a in win.recent_menu.actions()] == ["&1 first.json", "&2 third.json", "&3 second.json"]

    # a recent file opens from the menu
    recent_second = next(a for a in win.recent_menu.actions() if a.text().endswith("second.json"))
    recent_second.trigger()
    assert ctl.drafts.path == second.resolve()
    assert ctl.editing.call == load_draft(second).call
    assert "second.json" in win.windowTitle()

    # closing with unsaved changes asks too: Cancel keeps the window, Discard closes it
    type_into(qtbot, win.content.inputs["title"], "!")
    asked = answer(ctl, Choice.CANCEL)
    assert win.close() is False
    assert asked == ["second.json"] and win.isVisible()
    answer(ctl, Choice.DISCARD)
    assert win.close() is True
    assert second.read_bytes() == second_bytes

    # the recent files outlive the window
    other, _ = open_window()
    assert [a.text() for a in other.recent_menu.actions()] == ["&1 second.json", "&2 first.json", "&3 third.json"]


# --- atomic saves -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "failing",
    [
        # which file an fsync is for is read from /proc (the write may fail only for the draft)
        pytest.param("fsync", marks=pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")),
        "replace",
    ],
)
def test_a_failed_save_keeps_the_old_file_byte_for_byte(window, qtbot, tmp_path, monkeypatch, failing):
    win, ctl = window
    target = tmp_path / "drafts" / "keep.json"
    type_into(qtbot, win.content.inputs["title"], "The saved version")
    type_into(qtbot, win.options.uid, "demo-all-ok")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), DRAFT_FILTER)))
    win.save_action.trigger()
    before = target.read_bytes()
    assert os.listdir(target.parent) == ["keep.json"]

    type_into(qtbot, win.content.inputs["title"], " and an unsaved change")
    real_fsync, real_replace = os.fsync, os.replace
    failures = []

    def in_target_folder(fd_or_path) -> bool:
        where = os.readlink(f"/proc/self/fd/{fd_or_path}") if isinstance(fd_or_path, int) else str(fd_or_path)
        return Path(where).parent == target.parent

    def broken_fsync(fd):
        if in_target_folder(fd):
            failures.append("fsync")
            raise OSError(28, "No space left on device")
        return real_fsync(fd)

    def broken_replace(src, dst, *args, **kwargs):
        if Path(dst) == target:
            failures.append("replace")
            raise OSError(5, "Input/output error")
        return real_replace(src, dst, *args, **kwargs)

    with pytest.MonkeyPatch.context() as broken:
        if failing == "fsync":
            broken.setattr(files.os, "fsync", broken_fsync)
        else:
            broken.setattr(files.os, "replace", broken_replace)
        win.save_action.trigger()
    # os.fsync / os.replace are the real ones again

    assert failures == [failing]
    assert target.read_bytes() == before  # the old file, intact
    assert os.listdir(target.parent) == ["keep.json"]  # no temporary file left behind
    assert win.isWindowModified()  # the change is still unsaved, and still on screen
    assert win.content.inputs["title"].text() == "The saved version and an unsaved change"
    message = win.status_label.text()
    reason = "No space left on device" if failing == "fsync" else "Input/output error"
    assert str(target) in message and reason in message and "still open" in message
    assert any("keep.json" in text for text in close_message_boxes(win))
    # the autosave still has the unsaved change
    autosave = ctl.drafts.autosave.path
    qtbot.waitUntil(lambda: autosave.exists() and "an unsaved change" in autosave.read_text(encoding="utf-8"), timeout=5000)


def test_sigkill_mid_save_never_leaves_a_broken_file(tmp_path):
    """A process saving a large draft in a loop, killed at random moments, 20 times."""
    target = tmp_path / "big.json"
    versions = {dump_draft(saver_version(tag)).encode("utf-8") for tag in ("A", "B")}
    calls = [saver_version(tag) for tag in ("A", "B")]
    save_draft(target, calls[0])
    rng = random.Random(20240229)
    seen = Counter()
    for _ in range(20):
        proc = subprocess.Popen(
            [sys.executable, str(HELPERS / "nothing_lost_saver.py"), str(target)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert proc.stdout.readline().strip() == b"READY"
            time.sleep(rng.uniform(0.0, 0.06))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL
        data = target.read_bytes()
        assert data in versions, f"a kill left {len(data)} bytes that are neither version"
        loaded = load_draft(target).call
        assert loaded in calls
        seen[loaded.userAction.title] += 1
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "big.json"]
    print(f"after 20 kills: {dict(seen)}; temporary files left by killed saves: {len(leftovers)}")
    assert all(name.startswith(".big.json.") and name.endswith(".tmp") for name in leftovers)


# --- autosave and restore after SIGKILL ---------------------------------------------------------


def _reader(stream, lines: queue.Queue) -> None:
    for raw in iter(stream.readline, b""):
        lines.put(raw.decode("utf-8", "replace").rstrip("\n"))
    lines.put(None)


def _wait_for_line(lines: queue.Queue, prefix: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no line starting with {prefix!r} within {timeout} s")
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            continue
        if line is None:
            raise AssertionError(f"the process ended before printing {prefix!r}")
        if line.startswith(prefix):
            return line


def test_autosave_reaches_the_data_folder_after_each_edit(window, qtbot):
    win, ctl = window
    autosave_path = ctl.drafts.autosave.path
    assert autosave_path.parent == files.data_dir() / "autosaves"
    assert not autosave_path.exists()
    type_into(qtbot, win.content.inputs["title"], "Autosaved")
    edited = time.monotonic()
    qtbot.waitUntil(autosave_path.exists, timeout=5000)
    print(f"autosave written {time.monotonic() - edited:.2f} s after the edit")
    assert json.loads(autosave_path.read_text(encoding="utf-8"))["draft"] == ctl.editing.call.to_draft()
    show_tab(win, win.options)
    qtbot.mouseClick(win.options.disabled["renren"], LEFT)

    def has_second_edit() -> bool:
        return json.loads(autosave_path.read_text(encoding="utf-8"))["draft"].get("disabledProviders") == ["renren"]

    qtbot.waitUntil(has_second_edit, timeout=5000)
    assert oct(autosave_path.stat().st_mode & 0o777) == "0o600"


def test_sigkill_mid_edit_then_restore_everything(open_window, folders, qtbot, tmp_path):
    data, _config = folders
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring", PYTHONUNBUFFERED="1")
    stderr_path = tmp_path / "editor-stderr.txt"
    with open(stderr_path, "wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, str(HELPERS / "nothing_lost_editor.py")], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=stderr
        )
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True)
    reader.start()
    try:
        try:
            line = _wait_for_line(lines, "EDITED ", timeout=30)
        except AssertionError:
            raise AssertionError(stderr_path.read_text(errors="replace")) from None
        edited_at = time.monotonic()
        assert json.loads(line[len("EDITED "):]) == editor.EXPECTED_DRAFT, "the driver's edits did not reach its model"

        def autosaved() -> dict | None:
            try:
                (autosave,) = (data / "autosaves").glob("*.json")  # the window's own file
                return json.loads(autosave.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None

        deadline = edited_at + 5
        while (saved := autosaved()) is None or saved["draft"] != editor.EXPECTED_DRAFT:
            assert time.monotonic() < deadline, "the autosave did not reach the autosaves folder within 5 s of the edit"
            assert proc.poll() is None, stderr_path.read_text(errors="replace")
            time.sleep(0.02)
        delay = time.monotonic() - edited_at
        print(f"the autosave held the last edit {delay:.2f} s after EDITED")
        assert delay < 5
        assert proc.poll() is None  # still running, mid-edit, when it is killed
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        reader.join(10)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    (autosave,) = (data / "autosaves").glob("*.json")
    assert autosave.with_suffix(".lock").exists()  # the killed window's lock: stale, as its process is gone

    win, ctl = open_window()
    banner = win.restore_banner
    assert banner.isVisible()
    assert f"the untitled draft \u201c{editor.TITLE}\u201d" in banner.message.text()
    assert "(last change today at " in banner.message.text() or "(last change yesterday at " in banner.message.text()
    assert ctl.editing.call == PublishCall()  # nothing restored without asking
    qtbot.mouseClick(banner.restore_button, LEFT)
    assert not banner.isVisible()

    assert ctl.editing.call.to_draft() == editor.EXPECTED_DRAFT
    content = win.content.inputs
    assert content["title"].text() == editor.TITLE
    assert content["userMessage"].toPlainText() == editor.USER_MESSAGE
    assert content["linkBack"].text() == editor.LINK
    assert content["description"].toPlainText() == editor.DESCRIPTION
    assert win.content.links.row_values() == [[editor.LINK_TITLE, editor.LINK_HREF]]
    twitter = win.overrides["twitter"]
    assert "twitter" in ctl.editing.call.overrides and set(ctl.editing.call.overrides) == {"twitter"}
    assert twitter.editor.inputs["title"].text() == editor.TWITTER_TITLE
    assert not twitter.editor.inputs["title"].isReadOnly()
    assert twitter.editor.inputs["title"].property("overridden") is True
    options = win.options
    assert options.uid.text() == editor.UID
    assert [p for p, box in options.disabled.items() if box.isChecked()] == [editor.DISABLED]
    assert not any(box.isChecked() for box in options.enabled.values())
    assert options.short_urls.currentData() == editor.SHORT_URLS
    assert options.tags.text() == editor.TAGS
    assert options.cid.text() == editor.CID
    assert options.latitude.text() == editor.LATITUDE
    assert options.longitude.text() == editor.LONGITUDE
    # the restored draft is unsaved work
    assert win.isWindowModified()
    assert ctl.drafts.path is None and "Untitled draft" in win.windowTitle()
    assert win.status_label.text().startswith("Restored the untitled draft")
    # its autosave is now this window's own; the earlier file goes once that is written
    qtbot.waitUntil(lambda: not autosave.exists(), timeout=5000)
    assert json.loads(ctl.drafts.autosave.path.read_text(encoding="utf-8"))["draft"] == editor.EXPECTED_DRAFT
    # and it is one undo step
    win.undo_action.trigger()
    assert ctl.editing.call == PublishCall()


def test_discarding_the_offered_restore_deletes_it(open_window, folders, qtbot):
    data, _ = folders
    draft = {"UID": "demo-all-ok", "userAction": {"title": "Not wanted"}}
    files.atomic_write(data / "autosaves/crashed.json", json.dumps({"version": 1, "path": None, "draft": draft}))
    win, ctl = open_window()
    assert win.restore_banner.isVisible()
    qtbot.mouseClick(win.restore_banner.discard_button, LEFT)
    assert not win.restore_banner.isVisible()
    assert list((data / "autosaves").iterdir()) == [ctl.drafts.autosave.path.with_suffix(".lock")]
    assert ctl.editing.call == PublishCall() and not win.isWindowModified()


# --- corrupt files are set aside with a message; the app still starts ---------------------------


GARBAGE = b"\x00\xffSQLite format 2\x00 not json, not sqlite \x89PNG\r\n" * 40


def test_corrupt_autosave_is_set_aside_and_the_window_starts(open_window, folders, qtbot):
    data, _ = folders
    (data / "autosaves").mkdir(parents=True)
    (data / "autosaves/crashed.json").write_bytes(GARBAGE)
    win, ctl = open_window()
    assert not win.restore_banner.isVisible()
    aside = list((data / "autosaves").glob("crashed.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == GARBAGE
    assert not (data / "autosaves/crashed.json").exists()
    message = win.status_label.text()
    assert "could not be read" in message and aside[0].name in message
    # the window works, and autosaves again
    type_into(qtbot, win.content.inputs["title"], "After the corrupt autosave")
    qtbot.waitUntil(ctl.drafts.autosave.path.exists, timeout=5000)
    saved = json.loads(ctl.drafts.autosave.path.read_text(encoding="utf-8"))
    assert saved["draft"]["userAction"]["title"] == "After the corrupt autosave"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b'{"version": 1, "draft": "not an object"}', id="no-draft"),
        pytest.param(b'{"version": 1, "draft": {"userAction": 42}}', id="bad-draft"),
        pytest.param(b"[1, 2", id="truncated"),
    ],
)
def test_unusable_autosave_is_set_aside(open_window, folders, content):
    data, _ = folders
    (data / "autosaves").mkdir(parents=True)
    (data / "autosaves/crashed.json").write_bytes(content)
    win, _ctl = open_window()
    assert not win.restore_banner.isVisible()
    assert [p.read_bytes() for p in (data / "autosaves").glob("crashed.json.corrupt-*")] == [content]
    assert "set aside" in win.status_label.text()


def test_corrupt_history_is_set_aside_and_a_new_one_works(window, folders, qtbot):
    win, ctl = window
    data, _ = folders
    data.mkdir(parents=True, exist_ok=True)
    (data / "history.sqlite").write_bytes(GARBAGE)
    win.history_action.trigger()
    dialog = win.findChild(HistoryDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: "set aside" in dialog.status.text(), timeout=10000)
    aside = list(data.glob("history.sqlite.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == GARBAGE
    assert aside[0].name in dialog.status.text()
    assert dialog.model.rowCount() == 0
    assert dialog.count.text() == "0 attempt(s)"

    # the new history records the next publish
    title = compose(qtbot, win, "demo-all-ok", "Nothing lost after corrupt history")
    output = click_and_wait_published(qtbot, ctl, win.publish_button)
    assert output.result.outcome.value == "posted" and output.history_id is not None
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10000)
    assert dialog.model.rows[0].outcome == "posted"
    assert title in dialog.model.rows[0].summary


def test_corrupt_history_found_by_a_publish_is_reported(window, folders, qtbot):
    """The first to open a corrupt history may be a publish, not the history window: the user still
    hears that the old history was set aside."""
    win, ctl = window
    data, _ = folders
    data.mkdir(parents=True, exist_ok=True)
    (data / "history.sqlite").write_bytes(GARBAGE)
    compose(qtbot, win, "demo-all-ok", "Nothing lost publish finds corrupt history")
    output = click_and_wait_published(qtbot, ctl, win.publish_button)
    assert output.result.outcome.value == "posted" and output.history_id is not None
    aside = list(data.glob("history.sqlite.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == GARBAGE
    assert any("set aside" in note for note in output.result.notes)
    assert aside[0].name in win.results.meta.text()


def test_the_real_app_starts_with_corrupt_autosave_and_history(folders, tmp_path):
    data, _ = folders
    data.mkdir(parents=True)
    (data / "autosave.json").write_bytes(GARBAGE)  # as an earlier version left it
    (data / "history.sqlite").write_bytes(GARBAGE)
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring", COMPOSER_EXIT_AFTER_PAINT="1")
    done = subprocess.run([sys.executable, "-m", "composer"], cwd=tmp_path, env=env, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    (aside,) = (data / "autosaves").glob("earlier-*.json.corrupt-*")
    assert aside.read_bytes() == GARBAGE
    assert not (data / "autosave.json").exists()


# --- publishing, retry failed only, the history record ------------------------------------------


def test_all_ok_posts_and_leaves_nothing_to_retry(window, qtbot):
    win, ctl = window
    assert win.profile_combo.currentText() == "Sandbox"
    title = compose(qtbot, win, "demo-all-ok", "Nothing lost all ok")
    output = click_and_wait_published(qtbot, ctl, win.publish_button)
    assert output.result.outcome.value == "posted"
    posts, attempts = sandbox_records(title)
    assert sorted(p["provider"] for p in posts) == sorted(PROVIDERS)
    assert len(attempts) == len(PROVIDERS)
    assert not win.results.retry_button.isEnabled()
    assert not win.retry_action.isEnabled()
    with qtbot.assertNotEmitted(ctl.publishing.started):
        assert ctl.publishing.retry_failed() is False
    assert "nothing to retry" in win.status_label.text()


def test_partial_then_retry_failed_only(window, qtbot, isolated_home, tmp_path, monkeypatch):
    win, ctl = window
    title = compose(qtbot, win, "demo-partial", "Nothing lost partial")
    first = click_and_wait_published(qtbot, ctl, win.publish_button)
    result = first.result
    assert result.outcome.value == "partial"
    assert result.posted_providers() == ["facebook", "linkedin"]
    assert result.failed_providers() == ["twitter"]
    assert win.results.row_for("twitter")["Error code"] == "403048"
    assert win.results.retry_button.isEnabled() and win.retry_action.isEnabled()
    assert "enabledProviders" not in result.request_params

    retried = click_and_wait_published(qtbot, ctl, win.results.retry_button)
    assert retried.result.request_params["enabledProviders"] == "twitter"
    assert retried.draft["enabledProviders"] == ["twitter"]
    assert retried.draft["userAction"] == first.draft["userAction"]  # the same content
    assert [p.provider for p in retried.result.providers if p.status.value != "not_attempted"] == ["twitter"]

    # what the sandbox's networks received: each post exactly once, the retry only on twitter
    posts, attempts = sandbox_records(title)
    assert Counter(p["provider"] for p in posts) == {"facebook": 1, "linkedin": 1}
    assert sorted(a["provider"] for a in attempts[:3]) == ["facebook", "linkedin", "twitter"]
    assert [a["provider"] for a in attempts[3:]] == ["twitter"]
    assert all(a["errorCode"] == 403048 for a in attempts if a["provider"] == "twitter")

    # the history: both attempts, the retry pointing at the first
    with History() as history:
        rows = history.rows(text=title)
        assert [r.id for r in rows] == [retried.history_id, first.history_id]
        entry = history.get(first.history_id)
        retry_entry = history.get(retried.history_id)
    assert retry_entry.row.retry_of == first.history_id
    assert retry_entry.row.attempted == ("twitter",)
    assert retry_entry.request["enabledProviders"] == "twitter"
    assert entry.row.profile == "Sandbox"
    assert entry.row.outcome == "partial"
    assert entry.row.attempted == ("facebook", "twitter", "linkedin")
    assert entry.row.failed == ("twitter",)
    assert entry.row.time.endswith("Z")
    assert entry.draft == first.draft
    request = entry.request
    assert request["sig"] == "<redacted>"
    assert "secret" not in request
    assert request["UID"] == "demo-partial"
    assert json.loads(request["userAction"])["title"] == title
    assert request["apiKey"] and request["nonce"] and request["timestamp"]
    raw = json.loads(entry.response)
    assert raw["errorCode"] == 0 and set(raw["providerPostIDs"]) == {"facebook", "linkedin"}
    assert raw == result.response
    assert {p["provider"]: p["status"] for p in entry.result["providers"]}["twitter"] == "failed"
    assert entry.result["outcome"] == "partial"

    # export the result as JSON and CSV
    exported = {}
    for kind in ("json", "csv"):
        path = tmp_path / f"result.{kind}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, p=path, k=kind: (str(p), f"{k.upper()} (*.{k})")))
        qtbot.mouseClick(win.results.export_button, LEFT)
        exported[kind] = path.read_text(encoding="utf-8")
    [as_json] = json.loads(exported["json"])
    assert as_json["id"] == retried.history_id
    assert as_json["result"]["request"]["enabledProviders"] == "twitter"
    assert as_json["draft"] == retried.draft
    table = list(csv.DictReader(io.StringIO(exported["csv"])))
    assert tuple(table[0]) == CSV_COLUMNS
    by_provider = {r["provider"]: r for r in table}
    assert by_provider["twitter"]["status"] == "failed" and by_provider["twitter"]["errorCode"] == "403048"
    assert by_provider["facebook"]["status"] == "not_attempted"

    # the secret is nowhere in the app's files (history, settings, autosave, exports)
    secret = ensure_builtin_sandbox().info()["secret"].encode()
    ctl.publishing.runner.wait(5000)
    ctl.drafts.autosave_runner.wait(5000)
    checked = 0
    for path in [*files_under(isolated_home), *files_under(tmp_path)]:
        assert secret not in path.read_bytes(), f"the sandbox secret is in {path}"
        checked += 1
    assert checked >= 3
    assert any(p.name == "history.sqlite" for p in files_under(isolated_home))


def test_retry_after_an_unknown_outcome_warns_first(window, qtbot):
    win, ctl = window
    title = compose(qtbot, win, "demo-server-error", "Nothing lost unknown")
    first = click_and_wait_published(qtbot, ctl, win.publish_button)
    assert first.result.outcome.value == "unknown"
    assert win.results.retry_button.isEnabled()
    _posts, attempts_before = sandbox_records(title)
    warnings: list[str] = []
    replies = [False, True]

    def ask_retry_unknown(warning: str) -> bool:
        warnings.append(warning)
        return replies.pop(0)

    ctl.dialogs.ask_retry_unknown = ask_retry_unknown

    # declined: nothing is sent
    with qtbot.assertNotEmitted(ctl.publishing.started):
        qtbot.mouseClick(win.results.retry_button, LEFT)
        qtbot.waitUntil(lambda: win.status_label.text() == "Retry cancelled.")  # asked once the history was read
    assert len(warnings) == 1
    assert win.results.retry_button.isEnabled() and win.publish_button.isEnabled()  # both offered again
    assert "may already be live" in warnings[0]
    assert "publishing again may post twice" in warnings[0]
    assert sandbox_records(title)[1] == attempts_before
    assert ctl.publishing.last_output is first

    # confirmed: only the failed networks, once
    retried = click_and_wait_published(qtbot, ctl, win.results.retry_button)
    assert len(warnings) == 2
    assert retried.result.request_params["enabledProviders"] == "facebook,twitter,linkedin"
    posts, attempts = sandbox_records(title)
    assert posts == []
    assert len(attempts) == len(attempts_before) + 3
    with History() as history:
        assert history.get(retried.history_id).row.retry_of == first.history_id
        assert history.get(first.history_id).row.outcome == "unknown"


# --- the history view: 10,000 entries, filters, open as draft, retry, export --------------------


def seeded(i: int) -> dict:
    outcome = ("posted", "partial", "failed", "unknown")[i % 4]
    statuses = {
        "posted": {"facebook": "posted", "twitter": "posted"},
        "partial": {"facebook": "posted", "twitter": "failed"},
        "failed": {"linkedin": "failed"},
        "unknown": {"facebook": "unknown", "linkedin": "unknown"},
    }[outcome]
    providers = [
        {"provider": p, "status": statuses.get(p, "not_attempted"), "postId": f"{p}-{i}" if statuses.get(p) == "posted" else None}
        for p in PROVIDERS
    ]
    title = f"Seeded entry {i}" + (" needle" if i % 250 == 0 else "")
    return {
        "profile": "Seed profile",
        "draft": {"UID": f"seed-{i}", "userAction": {"title": title, "linkBack": "https://example.com/"}},
        "result": {"outcome": outcome, "providers": providers, "request": {"UID": f"seed-{i}"}, "response": {"errorCode": 0}},
    }


SEEDED = 10_000


def test_history_of_ten_thousand_opens_filters_and_acts(window, qtbot, tmp_path, monkeypatch):
    win, ctl = window
    # one real partial attempt through the window and the sandbox
    title = compose(qtbot, win, "demo-partial", "Nothing lost history")
    published = click_and_wait_published(qtbot, ctl, win.publish_button)
    assert published.result.outcome.value == "partial"
    with History() as history:
        history.add_many(seeded(i) for i in range(SEEDED))
        assert history.count() == SEEDED + 1

    # hold the first query on its worker thread, as a slow disk would, to see the window go on
    gate = threading.Event()
    real_history = history_view.History

    class SlowDiskHistory(real_history):
        def rows(self, **filters):
            gate.wait(20)
            return super().rows(**filters)

    monkeypatch.setattr(history_view, "History", SlowDiskHistory)
    ticks = [0]
    ticker = QTimer()
    ticker.setInterval(1)
    ticker.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    ticker.start()
    try:
        win.history_action.trigger()  # returns while the query waits on the worker
        dialog = win.findChild(HistoryDialog)
        assert dialog is not None and dialog.isVisible()
        assert dialog.count.text() == "loading…"
        qtbot.waitUntil(lambda: ticks[0] >= 5, timeout=5000)
        type_into(qtbot, win.content.inputs["description"], "typed while the history loads")
        assert ctl.editing.call.userAction.description == "typed while the history loads"
        assert dialog.model.rowCount() == 0
        ticks_before_rows = ticks[0]
        gate.set()
        qtbot.waitUntil(lambda: dialog.model.rowCount() == SEEDED + 1, timeout=20000)
    finally:
        gate.set()
        ticker.stop()
        monkeypatch.setattr(history_view, "History", real_history)
    print(f"timer ticks while 10,000 entries loaded: {ticks_before_rows}")
    assert ticks_before_rows > 0
    assert dialog.count.text() == f"{SEEDED + 1} attempt(s)"
    assert dialog.model.rows[0].id == SEEDED + 1 and dialog.model.rows[-1].id == 1  # newest first

    def shows(expected: int) -> bool:
        return dialog.model.rowCount() == expected and dialog.count.text() == f"{expected} attempt(s)"

    # outcome: a quarter of the seeded ones, plus the real partial attempt
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("partial"))
    qtbot.waitUntil(lambda: shows(SEEDED // 4 + 1), timeout=10000)
    assert {r.outcome for r in dialog.model.rows} == {"partial"}
    # network, combined with the outcome: linkedin was attempted only by the real one
    dialog.provider.setCurrentIndex(dialog.provider.findData("linkedin"))
    qtbot.waitUntil(lambda: shows(1), timeout=10000)
    assert dialog.model.rows[0].id == published.history_id
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(""))
    qtbot.waitUntil(lambda: shows(SEEDED // 2 + 1), timeout=10000)  # failed and unknown try linkedin
    dialog.provider.setCurrentIndex(dialog.provider.findData("twitter"))
    qtbot.waitUntil(lambda: shows(SEEDED // 2 + 1), timeout=10000)  # posted and partial try twitter
    dialog.provider.setCurrentIndex(dialog.provider.findData(""))
    # text, typed: debounced, then queried
    type_into(qtbot, dialog.text, "needle")
    qtbot.waitUntil(lambda: shows(SEEDED // 250), timeout=10000)
    assert all("needle" in r.summary for r in dialog.model.rows)
    dialog.text.clear()
    type_into(qtbot, dialog.text, title)
    qtbot.waitUntil(lambda: shows(1), timeout=10000)

    # the selected attempt: its results
    qtbot.waitUntil(lambda: dialog.entry is not None and dialog.entry.row.id == published.history_id)
    details = dialog.details
    assert details.row_for("twitter")["Outcome"] == "failed"
    assert details.row_for("facebook")["Outcome"] == "posted"
    assert details.row_for("twitter")["Error code"] == "403048"
    assert details.retry_button.isEnabled()

    # open as draft: the window asks about its unsaved changes first, then loads the draft
    asked = answer(ctl, Choice.DISCARD)
    qtbot.mouseClick(dialog.open_button, LEFT)
    assert asked == [None]
    assert ctl.editing.call.to_draft() == published.draft
    assert win.content.inputs["title"].text() == title
    assert win.options.uid.text() == "demo-partial"
    assert win.content.inputs["description"].toPlainText() == ""

    # retry from the history: only twitter, recorded as a retry of that attempt
    retried = click_and_wait_published(qtbot, ctl, details.retry_button)
    assert retried.result.request_params["enabledProviders"] == "twitter"
    posts, attempts = sandbox_records(title)
    assert Counter(p["provider"] for p in posts) == {"facebook": 1, "linkedin": 1}
    assert Counter(a["provider"] for a in attempts) == {"facebook": 1, "linkedin": 1, "twitter": 2}
    dialog.reload()
    qtbot.waitUntil(lambda: shows(2), timeout=10000)
    assert [r.id for r in dialog.model.rows] == [retried.history_id, published.history_id]
    assert dialog.model.rows[0].retry_of == published.history_id

    # export the selection (the retry, selected after the reload; its details read on the worker)
    qtbot.waitUntil(lambda: dialog.entry is not None, timeout=10000)
    assert dialog.entry.row.id == retried.history_id
    selection_json = tmp_path / "selection.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(selection_json), "JSON (*.json)")))
    qtbot.mouseClick(details.export_button, LEFT)
    qtbot.waitUntil(lambda: dialog.status.text() == "Exported 1 attempt(s) to selection.json", timeout=10000)
    [entry] = json.loads(selection_json.read_text(encoding="utf-8"))
    assert entry["id"] == retried.history_id and entry["retryOf"] == published.history_id
    assert entry["request"]["enabledProviders"] == "twitter"
    assert "secret" not in entry["request"] and entry["request"]["sig"] == "<redacted>"
    assert json.loads(entry["response"])["errorCode"] == 403048
    assert dialog.status.text() == "Exported 1 attempt(s) to selection.json"

    shown_csv = tmp_path / "shown.csv"
    dialog.write_export(shown_csv, "csv", selected_only=False)  # runs on the dialog's worker
    qtbot.waitUntil(lambda: dialog.status.text() == "Exported 2 attempt(s) to shown.csv", timeout=10000)
    table = list(csv.DictReader(io.StringIO(shown_csv.read_text(encoding="utf-8"))))
    assert tuple(table[0]) == CSV_COLUMNS
    assert len(table) == 2 * len(PROVIDERS)  # one line per network and attempt
    first_rows = {r["provider"]: r for r in table if int(r["id"]) == published.history_id}
    assert first_rows["facebook"]["status"] == "posted" and first_rows["facebook"]["postId"]
    assert first_rows["twitter"]["status"] == "failed" and first_rows["twitter"]["errorCode"] == "403048"
    assert {r["profile"] for r in table} == {"Sandbox"}

    needle_json = tmp_path / "needles.json"
    dialog.text.clear()
    type_into(qtbot, dialog.text, "needle")
    qtbot.waitUntil(lambda: shows(SEEDED // 250), timeout=10000)
    dialog.write_export(needle_json, "json", selected_only=False)
    qtbot.waitUntil(lambda: dialog.status.text() == f"Exported {SEEDED // 250} attempt(s) to needles.json", timeout=10000)
    exported = json.loads(needle_json.read_text(encoding="utf-8"))
    assert sorted(e["id"] for e in exported) == sorted(r.id for r in dialog.model.rows)
