"""Work off the GUI thread: a QRunnable whose signals live on a separate QObject.

The task gets plain data (a snapshot taken on the GUI thread) and touches no widget; its result
comes back through a signal, delivered on the GUI thread.  The pool keeps a reference to each
running task until it finishes, so neither the runnable nor its signals are collected early.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance


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
            self._tell(self.signals.failed, f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=4)}")
            return
        self._tell(self.signals.done, value)

    @staticmethod
    def _tell(signal: SignalInstance, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the window that asked was closed and deleted meanwhile: nobody is left to tell
            pass


class TaskRunner(QObject):
    """Starts tasks on a pool and holds them until they report."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None):
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._running: set[Task] = set()

    def start(self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_failed: Callable[[str], None]) -> Task:
        task = Task(fn)
        self._running.add(task)

        def finished_ok(value: Any) -> None:
            self._running.discard(task)
            on_done(value)

        def finished_error(message: str) -> None:
            self._running.discard(task)
            on_failed(message)

        task.signals.done.connect(finished_ok)
        task.signals.failed.connect(finished_error)
        self.pool.start(task)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
