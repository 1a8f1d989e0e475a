"""An exception nobody expected, in the window: a crash log in the data folder without a secret,
the draft autosaved, the user told where the log is, and the window still running."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit

from composer.core.contract import REDACTED
from composer.core.storage import files
from composer.gui.crashes import CrashHandler
from tests.helpers.gui import type_into

TYPED_SECRET = "typed-in-the-profile-dialog-Zq9"
FORM_SECRET = "c2VjcmV0IGZyb20gYSBmb3Jt"


@pytest.fixture
def crashing_window(window):
    win, ctl = window
    handler = CrashHandler(ctl).install()
    boxes: list[tuple[str, str]] = []
    ctl.dialogs.error = lambda title, message: boxes.append((title, message))
    yield win, ctl, handler, boxes
    handler.uninstall()


def _raise_in_a_slot(qtbot, handler, message):
    def boom():
        raise RuntimeError(message)

    count = len(handler.logs)
    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: len(handler.logs) > count, timeout=5000)


def test_an_unexpected_error_is_logged_without_secrets_and_the_draft_is_kept(crashing_window, qtbot):
    win, ctl, handler, boxes = crashing_window
    type_into(qtbot, win.content.inputs["title"], "Work in progress when it broke")
    password = QLineEdit()
    password.setEchoMode(QLineEdit.EchoMode.Password)
    password.setText(TYPED_SECRET)
    _raise_in_a_slot(qtbot, handler, f"bad body apiKey=3_k&secret={FORM_SECRET}&sig=abc; and {TYPED_SECRET}")

    (log,) = handler.logs
    assert log.startswith(str(files.data_dir() / "crash-logs" / "crash-")) and log.endswith(".log")
    text = Path(log).read_text(encoding="utf-8")
    assert "RuntimeError: bad body apiKey=3_k&secret=<redacted>&sig=<redacted>; and <redacted>" in text
    assert "Traceback (most recent call last)" in text and "in boom" in text and "PySide6 " in text
    assert FORM_SECRET not in text and TYPED_SECRET not in text and REDACTED in text
    # the user is told where it is, and that the draft is kept
    ((title, message),) = boxes
    assert title == "Composer hit an unexpected error"
    assert log in message and "Your draft is kept" in message
    assert log in win.status_label.text()
    saved = json.loads(ctl.drafts.autosave.path.read_text(encoding="utf-8"))
    assert saved["draft"]["userAction"]["title"] == "Work in progress when it broke"
    # the window goes on: editing still works, and a second error is logged without a second box
    type_into(qtbot, win.content.inputs["title"], "!")
    assert ctl.editing.call.userAction.title.endswith("!")
    _raise_in_a_slot(qtbot, handler, "again")
    assert len(handler.logs) == 2 and len(boxes) == 1 and handler.logs[1] in win.status_label.text()


def test_a_log_that_cannot_be_written_still_tells_the_user(crashing_window, qtbot, capsys):
    _win, _ctl, handler, boxes = crashing_window
    files.data_dir().mkdir(parents=True, exist_ok=True)
    (files.data_dir() / "crash-logs").write_text("a file where the folder should be")
    handler.previous = lambda *exc: print("on stderr:", exc[1])  # the test's own, instead of pytest-qt's
    _raise_in_a_slot(qtbot, handler, "nowhere to write")
    assert handler.logs == [""]
    ((_title, message),) = boxes
    assert "No report could be written" in message
    assert "on stderr: nowhere to write" in capsys.readouterr().out


def test_an_error_on_a_worker_thread_is_logged_and_touches_no_widget(crashing_window, qtbot, capsys):
    # widgets belong to the GUI thread: a dialog made on another one aborts the whole process
    win, ctl, handler, boxes = crashing_window
    handler.previous = sys.__excepthook__  # the interpreter's own, which prints (not pytest-qt's)
    status_before = win.status_label.text()

    def work():
        try:
            raise RuntimeError("broke on a worker")
        except RuntimeError as exc:
            handler.handle(type(exc), exc, exc.__traceback__)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(10)

    (log,) = handler.logs
    assert "RuntimeError: broke on a worker" in Path(log).read_text(encoding="utf-8")
    assert boxes == [] and win.status_label.text() == status_before
    assert "broke on a worker" in capsys.readouterr().err  # standard error is told too
