"""Work off the GUI thread: a QRunnable whose signals live on a separate QObject.

The task gets plain data (a snapshot taken on the GUI thread) and touches no widget; its result
comes back through a signal, delivered on the GUI thread.

A running task is held by this module, not by whoever started it, until it reports: a dialog
closed mid-task must not free a runnable that a pool thread is still running (the work, such as
saving a secret, still completes).  Its callbacks belong to the :class:`TaskRunner` that started
it: once that runner is deleted (with the dialog or window that owns it), the outcome is dropped
rather than handed to widgets that no longer exist.

Which pool: deleting a QThreadPool blocks until its tasks have run
(https://doc.qt.io/qt-6/qthreadpool.html#dtor.QThreadPool).  A task that may wait long (a change
to a keyring waiting for its user to unlock it, a read of a history another program holds locked)
therefore runs on a pool that no widget owns, a module's, so that deleting its window waits for
nothing; its runner is still the window's child, so the late outcome is dropped.  At exit PySide
deletes such a pool, and the process waits for it then; for the keyring's changes the app waits on
purpose and says so first (``profile_dialog.finish_keyring_changes``).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class TaskSignals(QObject):
    done = Signal(object)
    failed = Signal(str)


class Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]):
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = TaskSignals()

    def run(self) -> None:
        try:
            value = self.fn()
        except Exception as exc:  # noqa: BLE001 - reported to the user, never lost
            self._report(self.signals.failed, f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=4)}")
            return
        self._report(self.signals.done, value)

    def _report(self, signal: Any, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            # the signals were deleted: the application is shutting down and nobody is left to
            # hear (its pools no longer wait for this task)
            _RUNNING.discard(self)


#: every task started and not yet reported, whoever started it (see the module's docstring)
_RUNNING: set[Task] = set()


class TaskRunner(QObject):
    """Starts tasks on a pool and hands each outcome to its callbacks while this runner exists."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None):
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._running: set[Task] = set()

    def start(self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_failed: Callable[[str], None]) -> Task:
        task = Task(fn)
        _RUNNING.add(task)
        self._running.add(task)

        def report(callback: Callable[[Any], None], value: Any) -> None:
            _RUNNING.discard(task)
            if not shiboken6.isValid(self):  # the runner went with its owner: nobody to tell
                return
            self._running.discard(task)
            callback(value)

        task.signals.done.connect(lambda value: report(on_done, value))
        task.signals.failed.connect(lambda message: report(on_failed, message))
        self.pool.start(task)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
