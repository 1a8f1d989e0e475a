"""Work off the GUI thread: a task started by a dialog finishes even when the dialog is deleted
first, and its outcome then reaches no deleted widget."""

from __future__ import annotations

import gc
import threading

import shiboken6
from PySide6.QtCore import QEvent, QThreadPool
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout

from composer.gui.app import create_application
from composer.gui.worker import Task, TaskRunner


def delete_now(widget) -> None:
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    gc.collect()


def test_a_task_outlives_the_dialog_that_started_it_and_reports_to_no_deleted_widget(qtbot):
    create_application()
    dialog = QDialog()
    status = QLabel(dialog)
    QVBoxLayout(dialog).addWidget(status)
    runner = TaskRunner(dialog)
    gate, saved, heard = threading.Event(), threading.Event(), []

    def save_secret() -> str:  # stands for the keyring write a closed dialog started
        gate.wait(10)
        saved.set()
        return "Saved."

    def show(message: str) -> None:
        heard.append(message)
        status.setText(message)  # a deleted label would raise here

    runner.start(save_secret, show, show)
    delete_now(dialog)
    del runner
    assert not shiboken6.isValid(status)
    gate.set()
    qtbot.waitUntil(saved.is_set)  # the work itself was not dropped with its dialog
    # the task has reported once its thread is done: its report is then queued on this thread
    assert QThreadPool.globalInstance().waitForDone(10_000)
    QApplication.processEvents()  # delivers that report, were it still connected
    assert heard == []


def test_a_living_runner_hears_each_outcome_on_the_gui_thread(qtbot):
    create_application()
    runner = TaskRunner()
    heard: list[tuple[str, bool]] = []
    gui = threading.current_thread()
    runner.start(lambda: "ok", lambda value: heard.append((value, threading.current_thread() is gui)), heard.append)
    runner.start(lambda: 1 / 0, heard.append, lambda message: heard.append((message.splitlines()[0], threading.current_thread() is gui)))
    qtbot.waitUntil(lambda: len(heard) == 2)
    assert sorted(heard) == [("ZeroDivisionError: division by zero", True), ("ok", True)]
    assert not runner.busy


def test_a_task_whose_listener_was_deleted_ends_without_an_error(capsys):
    # a window closed while its task ran: its signals object is gone when the task reports
    for outcome in (lambda: "value", lambda: 1 / 0):
        task = Task(outcome)
        shiboken6.delete(task.signals)
        task.run()  # must not raise "Signal source has been deleted" into Qt's thread pool
    assert "Signal source has been deleted" not in capsys.readouterr().err
