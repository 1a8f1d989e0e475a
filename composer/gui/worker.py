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
            self._report(self.signals.failed, f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=4)}")
            return
        self._report(self.signals.done, value)

    @staticmethod
    def _report(signal: SignalInstance, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the application is being torn down: no one is left to tell
            pass


class _Relay(QObject):
    """Hands one task's outcome to its callbacks.  A child of the runner: once the runner is
    deleted (its window closed), Qt drops the connection and a late outcome reaches no one."""

    def __init__(self, runner: TaskRunner, task: Task, on_done: Callable[[Any], None], on_failed: Callable[[str], None]):
        super().__init__(runner)
        self._runner = runner
        self._task = task
        self._on_done = on_done
        self._on_failed = on_failed
        task.signals.done.connect(self.done)
        task.signals.failed.connect(self.failed)

    def done(self, value: Any) -> None:
        self._finish()
        self._on_done(value)

    def failed(self, message: str) -> None:
        self._finish()
        self._on_failed(message)

    def _finish(self) -> None:
        self._runner._running.discard(self._task)
        self.deleteLater()


class TaskRunner(QObject):
    """Starts tasks on a pool and holds them until they report."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None):
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._running: set[Task] = set()

    def start(self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_failed: Callable[[str], None]) -> Task:
        task = Task(fn)
        self._running.add(task)
        _Relay(self, task, on_done, on_failed)
        self.pool.start(task)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
