"""What the window does with an exception nobody expected (a bug of ours in a slot or an event
handler): it writes a crash log with the secrets taken out (``core/storage/crash_log.py``),
autosaves the draft, and tells the user both, then goes on running.  Qt calls ``sys.excepthook``
for an exception raised in Python code it called, and carries on with the event loop.

Besides the names of credentials, the log is cleared of every secret the window holds at that
moment: the text of each password field (a profile's secret being typed) and the secret of the
environment.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QLineEdit

from composer.core.storage.crash_log import write_crash_log
from composer.gui.controllers.drafts import AUTOSAVE_WAIT_MS
from composer.gui.controllers.window import WindowController


def _secrets_on_screen() -> list[str]:
    return [w.text() for w in QApplication.allWidgets() if isinstance(w, QLineEdit) and w.echoMode() != QLineEdit.EchoMode.Normal]


class CrashHandler:
    """Installed as ``sys.excepthook`` for the window's life (:meth:`install`)."""

    def __init__(self, controller: WindowController) -> None:
        self.controller = controller
        self.previous: Callable[..., object] = sys.excepthook
        #: the crash logs written this session
        self.logs: list[str] = []
        self._handling = False

    def install(self) -> CrashHandler:
        sys.excepthook = self.handle
        return self

    def uninstall(self) -> None:
        if sys.excepthook == self.handle:
            sys.excepthook = self.previous

    def handle(self, kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if self._handling or issubclass(kind, KeyboardInterrupt):  # an error while reporting one
            self.previous(kind, error, trace)
            return
        app = QApplication.instance()
        if app is None or QThread.currentThread() != app.thread():
            # raised on a worker thread (or after the application is gone): widgets and the draft
            # belong to the GUI thread, so only the log is written here, and standard error told
            self._log_only(kind, error, trace)
            return
        self._handling = True
        try:
            self._report(kind, error, trace)
        finally:
            self._handling = False

    def _log_only(self, kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        """Write the log of an exception raised off the GUI thread.  The secrets on screen (the
        password fields) cannot be read here: widgets may be touched only from the GUI thread.  So
        this log is cleared of the values given to credential names and of the environment's
        secret only, not of a secret being typed in a password field."""
        try:
            self.logs.append(str(write_crash_log(kind, error, trace, context=f"PySide6 {pyside_version}")))
        except OSError:
            pass  # standard error, below, is the one place left
        self.previous(kind, error, trace)

    def _report(self, kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        drafts = self.controller.drafts
        try:
            log = str(write_crash_log(kind, error, trace, context=f"PySide6 {pyside_version}", secrets=_secrets_on_screen()))
            where = f"A report, with secrets taken out, is in {log}: please send it with a word on what you were doing."
        except OSError as exc:
            log = ""
            where = f"No report could be written ({exc.strerror or exc})."
            self.previous(kind, error, trace)  # on standard error, the one place left
        kept = "Your draft is kept: it is autosaved, and offered back at the next start if Composer closes."
        try:
            drafts.autosave_now()
            drafts.autosave_runner.wait(AUTOSAVE_WAIT_MS)
        except Exception:  # noqa: BLE001 - the model itself may be what broke
            kept = "Save your draft now (File > Save As): it could not be autosaved."
        if drafts.autosave_off:
            kept = f"Save your draft now (File > Save As): autosave is off ({drafts.autosave_off})."
        self.controller.view.show_status(f"Unexpected error: {kind.__name__}. {where}")
        if self.logs and log:  # one box a session is enough; later ones go to the status line
            self.logs.append(log)
            return
        self.logs.append(log)
        self.controller.dialogs.error(
            "Composer hit an unexpected error",
            f"{kind.__name__}: something went wrong in Composer itself.\n\n{kept}\n\n{where}\n\n"
            "Composer keeps running; if anything looks wrong, save the draft and start it again.",
        )
