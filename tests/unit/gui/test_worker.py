"""Work off the GUI thread: a task whose window went away meanwhile ends quietly."""

from __future__ import annotations

import shiboken6

from composer.gui.worker import Task


def test_a_task_whose_listener_was_deleted_ends_without_an_error(capsys):
    # a window closed while its task ran: its signals object is gone when the task reports
    for outcome in (lambda: "value", lambda: 1 / 0):
        task = Task(outcome)
        shiboken6.delete(task.signals)
        task.run()  # must not raise "Signal source has been deleted" into Qt's thread pool
    assert "Signal source has been deleted" not in capsys.readouterr().err
