"""The History window reads the selected attempt's details on its worker: a history another
program holds locked never stops the window, and only the row chosen last is shown."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication

from composer.core.storage.history import History, default_path
from composer.gui import history_view
from composer.gui.app import create_application
from composer.gui.history_view import HistoryDialog

ATTEMPTS = 3


def attempt(i: int) -> dict:
    failed = {"provider": "twitter", "status": "failed", "errorCode": 403048, "errorMessage": "Limit reached"}
    posted = {"provider": "facebook", "status": "posted", "postId": f"facebook-{i}"}
    return {
        "profile": "Sandbox",
        "draft": {"UID": f"history-{i}", "userAction": {"title": f"Attempt {i}", "linkBack": "https://example.com/"}},
        "result": {"outcome": "partial", "providers": [posted, failed], "request": {"UID": f"history-{i}"}, "response": {"errorCode": 0}},
    }


@pytest.fixture
def history() -> Path:
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with History(path) as h:
        h.add_many(attempt(i) for i in range(1, ATTEMPTS + 1))
    return path


@pytest.fixture
def dialog(qtbot, history) -> Iterator[HistoryDialog]:
    """The History window on three attempts, the newest (#3) selected and shown."""
    create_application()
    window = HistoryDialog(history_path=history)
    window.show()
    window.reload()
    qtbot.waitUntil(lambda: window.entry is not None and window.entry.row.id == ATTEMPTS)
    yield window
    if shiboken6.isValid(window):  # not deleted by the test
        window.runner.wait(15000)
        window.close()
        window.deleteLater()


@pytest.fixture
def ticks() -> Iterator[list[int]]:
    """How often a 1 ms timer fired: it fires only while the GUI thread's event loop runs."""
    count = [0]
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(lambda: count.__setitem__(0, count[0] + 1))
    timer.start()
    yield count
    timer.stop()


def lock(path: Path) -> sqlite3.Connection:
    """Hold the history locked from another connection, as a test plan writing to it would.  In WAL
    mode an exclusive transaction still lets readers in (https://www.sqlite.org/lang_transaction.html),
    unless the connection's locking mode is exclusive (https://www.sqlite.org/pragma.html#pragma_locking_mode)."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("SELECT count(*) FROM attempts").fetchone()
    return holder


def move(qtbot, dialog: HistoryDialog, key: Qt.Key) -> None:
    qtbot.keyClick(dialog.table, key)


def loading(dialog: HistoryDialog, number: int) -> bool:
    """The panel says #number is on its way and offers nothing of the row shown before."""
    details = dialog.details
    return (
        details.headline.text() == f"Loading #{number}…"
        and details.progress.isVisible()
        and dialog.entry is None
        and not dialog.open_button.isEnabled()
        and not details.retry_button.isEnabled()
        and not details.export_button.isEnabled()
        and details.table.rowCount() == 0
    )


def test_moving_through_a_locked_history_keeps_the_window_running_and_shows_the_last_row(qtbot, dialog, history, ticks, monkeypatch):
    shown: list[str] = []
    show_result = dialog.details.show_result
    monkeypatch.setattr(dialog.details, "show_result", lambda result, retryable, caption: (shown.append(caption), show_result(result, retryable, caption)))
    holder = lock(history)
    try:
        move(qtbot, dialog, Qt.Key.Key_Down)  # #2
        assert loading(dialog, 2)
        before = ticks[0]
        qtbot.waitUntil(lambda: ticks[0] >= before + 3)  # the event loop runs while #2 waits on the lock
        assert loading(dialog, 2)
        move(qtbot, dialog, Qt.Key.Key_Down)  # #1, while #2 is still being read
        assert loading(dialog, 1)
    finally:
        holder.close()
    qtbot.waitUntil(lambda: dialog.entry is not None, timeout=10000)
    assert dialog.entry.row.id == 1
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    # #2's details came back after the user had left it: never shown
    assert [caption.split(" ")[0] for caption in shown] == ["#1"]
    assert dialog.details.caption.text().startswith("#1 ")
    assert dialog.details.row_for("twitter")["Outcome"] == "failed"
    assert dialog.open_button.isEnabled() and dialog.details.retry_button.isEnabled()
    assert not dialog.details.progress.isVisible()
    assert dialog.details.curl_button.isHidden()  # the history keeps no request to copy


def test_a_history_that_stays_locked_is_said_in_the_status_line(qtbot, dialog, history, ticks):
    holder = lock(history)
    try:
        move(qtbot, dialog, Qt.Key.Key_Down)
        assert loading(dialog, 2)
        qtbot.waitUntil(lambda: "locked" in dialog.status.text(), timeout=15000)  # SQLite's busy timeout ran out
        assert ticks[0] > 0
        status = dialog.status.text()
        assert status.startswith(f"the publish history {history} cannot be used now: another program holds it locked; try again")
        assert "Traceback" not in status and "HistoryUnavailable" not in status and "\n" not in status
        assert dialog.details.headline.text() == "#2 could not be read."
        assert not dialog.details.progress.isVisible()
        assert not dialog.open_button.isEnabled() and not dialog.details.retry_button.isEnabled()
    finally:
        holder.close()
    # the lock gone, choosing the row again shows it
    move(qtbot, dialog, Qt.Key.Key_Up)
    move(qtbot, dialog, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dialog.entry is not None and dialog.entry.row.id == 2, timeout=10000)


@pytest.fixture
def held_reads(monkeypatch) -> Iterator[threading.Event]:
    """Reads of an attempt's details wait until the test sets the event, then read as usual: held
    as a read of a locked history is, for as long as the test needs (SQLite's busy timeout would end
    a real lock's wait on a slow machine before the test is done)."""
    release = threading.Event()
    read = history_view.read_attempt_details

    def held(path: Path, number: int) -> history_view.AttemptDetails:
        release.wait(HELD_READ_PATIENCE_S)
        return read(path, number)

    monkeypatch.setattr(history_view, "read_attempt_details", held)
    yield release
    release.set()


#: our choice: a held read gives up after this long, so a test that went wrong does not hold its pool for ever
HELD_READ_PATIENCE_S = 20


def test_closing_or_deleting_the_window_while_a_row_is_read_neither_waits_nor_fails(qtbot, dialog, ticks, held_reads):
    try:
        move(qtbot, dialog, Qt.Key.Key_Down)
        assert loading(dialog, 2)
        dialog.close()
        assert not dialog.isVisible()
        before = ticks[0]
        qtbot.waitUntil(lambda: ticks[0] >= before + 3)
        assert dialog.runner.busy  # the read still waits
        # deleted while the read still waits: the deletion waits for nothing
        pool, table = dialog.runner.pool, dialog.table
        dialog.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        assert not shiboken6.isValid(table)
        assert pool.activeThreadCount() == 1  # the read still waits
        before = ticks[0]
        qtbot.waitUntil(lambda: ticks[0] >= before + 3)
    finally:
        held_reads.set()
    # the read ends on the worker, after the window is gone: its outcome is dropped
    assert pool.waitForDone(15000)
    for _ in range(3):  # the read's outcome, were it still delivered, would reach deleted widgets here
        QApplication.processEvents()


def test_an_export_the_file_system_refuses_says_why_and_to_export_to_another_name(qtbot, dialog, tmp_path):
    read_only = tmp_path / "read-only.csv"
    read_only.write_text("kept")
    read_only.chmod(0o444)
    nowhere = tmp_path / "nowhere.json"
    nowhere.symlink_to(tmp_path / "gone" / "history.json")
    told = []
    for path, kind in ((read_only, "csv"), (nowhere, "json")):
        dialog.write_export(path, kind, selected_only=False)
        qtbot.waitUntil(lambda: not dialog.runner.busy)
        told.append(dialog.status.text())
    assert told == [
        f"{read_only} is read-only; export to another name",
        f"{tmp_path / 'gone'} (where {nowhere} points) does not exist; export to another name",
    ]
    assert read_only.read_text() == "kept" and not (tmp_path / "gone").exists()
    # a name it accepts: every attempt shown is written
    written = tmp_path / "history.json"
    dialog.write_export(written, "json", selected_only=False)
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    assert dialog.status.text() == f"Exported {ATTEMPTS} attempt(s) to history.json"
    assert len(json.loads(written.read_text())) == ATTEMPTS


def damage(path: Path, number: int, **columns: str) -> None:
    """Write ``columns`` of attempt ``number`` by hand, as someone editing the history file would."""
    with sqlite3.connect(path) as db:
        for name, value in columns.items():
            db.execute(f"UPDATE attempts SET {name} = ? WHERE id = ?", (value, number))


def test_a_damaged_attempt_is_said_and_the_export_keeps_the_others(qtbot, dialog, history, tmp_path):
    damage(history, 2, draft="{not json")
    move(qtbot, dialog, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dialog.details.headline.text() == "#2 could not be read.")
    assert dialog.status.text() == (
        f"entry 2 of the publish history {history} is damaged: its draft is not a JSON object; the file is left as it is"
    )
    assert not dialog.open_button.isEnabled()

    written = tmp_path / "history.json"
    dialog.write_export(written, "json", selected_only=False)
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    assert dialog.status.text() == "Exported 2 attempt(s) to history.json; entry 2 of the history is damaged and was left out"
    assert [entry["id"] for entry in json.loads(written.read_text())] == [3, 1]


def test_a_result_edited_into_another_shape_is_said_not_a_traceback(qtbot, dialog, history):
    damage(history, 2, result='{"outcome": "failed", "providers": [{"status": "failed"}]}')
    move(qtbot, dialog, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dialog.details.headline.text() == "#2 could not be read.")
    assert dialog.status.text() == (
        f"entry 2 of the publish history {history} is damaged: its result's providers are not a list of results that each name"
        " a provider; the file is left as it is"
    )


def test_an_attempt_whose_family_cannot_be_read_is_shown_but_not_offered_for_retry(qtbot, dialog, history):
    damage(history, 3, retry_of="2")  # #3 retried #2, whose result was then edited by hand
    damage(history, 2, result="{not json")
    move(qtbot, dialog, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dialog.details.headline.text() == "#2 could not be read.")
    move(qtbot, dialog, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: dialog.entry is not None and dialog.entry.row.id == 3)
    assert dialog.details.headline.text().startswith("Published to 1 network(s); 1 failed")
    assert not dialog.details.retry_button.isEnabled()
    assert dialog.status.text() == (
        "Retry is not offered: the history cannot tell what the other attempts of #3 posted; nothing is sent, as a retry might"
        f" post twice (entry 2 of the publish history {history} is damaged: its result is not a JSON object; the file is left as it is)"
    )


def test_an_attempt_whose_draft_is_no_call_is_neither_opened_nor_retried(qtbot, window, history):
    win, ctl = window
    damage(history, 3, draft='{"UID": "history-3", "userAction": "not json"}')
    errors: list[tuple[str, str]] = []
    ctl.dialogs.error = lambda title, message: errors.append((title, message))
    ctl.publishing.show_history()
    dialog = win.findChild(HistoryDialog)
    qtbot.waitUntil(lambda: dialog.entry is not None and dialog.entry.row.id == ATTEMPTS)
    before = ctl.editing.call.to_draft()

    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    message = "That attempt's draft cannot be read: userAction is not valid JSON (Expecting value at line 1, column 1)"
    assert errors == [("Cannot open the draft", message)]
    assert ctl.editing.call.to_draft() == before and not win.isWindowModified()

    qtbot.mouseClick(dialog.details.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Nothing retried" in dialog.status.text())
    assert dialog.status.text() == "Nothing retried: that attempt's draft cannot be read (userAction is not valid JSON (Expecting value at line 1, column 1))"
