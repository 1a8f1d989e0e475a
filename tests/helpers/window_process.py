"""A real Composer window in a process of its own, started as ``composer [FILE]`` starts it
(``composer.gui.app.main``), used as a person would, then left running.

    python tests/helpers/window_process.py [--macos] [--crash] TITLE [FILE]

Once the window is up it prints ``NOTICE <the notice bar's text>``, types TITLE at the end of the
draft's title and prints ``EDITED``.  With ``--crash`` a slot then raises an error nobody expected,
whose message holds ``CRASH_SECRET`` twice (as a form field and as the environment's
``GIGYA_SECRET``), and the process prints ``BOX <text>`` of the box that tells the user.  It runs
until it is killed (a crash, for the next start) or for ``SELF_DESTRUCT_MS``.  ``--macos``: the
folders are the ones macOS has, so the files of earlier versions in ``~/.config`` move as on a Mac.

:class:`WindowProcess` starts it from a test and reads what it prints.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

#: what the crashing slot's message holds: a secret the crash log must not
CRASH_SECRET = "c2VjcmV0LWluLWEtY3Jhc2g"
#: the process quits by itself after this long, so a failed test never leaves it running
SELF_DESTRUCT_MS = 60_000
#: our choice: how long a test waits for a line; a window starts in about a second here
LINE_TIMEOUT_S = 30


class WindowProcess:
    """This script, running: the lines it prints, waited for one by one; killed at the end.
    ``module``: another script of these helpers instead, run as ``python -m module`` from the
    repository (two folders up); :meth:`tell` writes it a line.  Its stderr goes to the file
    ``stderr``, or with ``stderr_in_lines`` among the lines waited for, in the order written."""

    def __init__(self, *args: str, env: dict[str, str], stderr: Path, module: str = "", stderr_in_lines: bool = False) -> None:
        self.stderr = stderr
        command = [sys.executable, "-m", module, *args] if module else [sys.executable, __file__, *args]
        with open(stderr, "wb") as err:
            self.proc = subprocess.Popen(command, env={**env, "PYTHONUNBUFFERED": "1"}, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT if stderr_in_lines else err,
                                         cwd=Path(__file__).parents[2] if module else Path(__file__).parent)
        #: every line read, for a failure's message
        self.seen: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for raw in iter(self.proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.seen.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def wait_for(self, prefix: str, timeout: float = LINE_TIMEOUT_S) -> str:
        """The next line that starts with ``prefix``, without the prefix."""
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                break
            if line is None:
                raise AssertionError(f"the window ended before printing {prefix!r}:\n{self._told()}")
            if line.startswith(prefix):
                return line[len(prefix):]
        raise AssertionError(f"no line {prefix!r} within {timeout} s:\n{self._told()}")

    def _told(self) -> str:
        lines = "\n".join(self.seen)
        return f"printed:\n{lines}\nstderr:\n{self.stderr.read_text(errors='replace')}"

    def running(self) -> bool:
        return self.proc.poll() is None

    def tell(self, line: str) -> None:
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        """SIGKILL: the window ends as in a crash, without closing."""
        if self.running():
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self._reader.join(10)
        self.proc.stdout.close()
        self.proc.stdin.close()


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from platformdirs.macos import MacOS
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox

    from composer.core.storage import files
    from composer.gui import app
    from composer.gui.main_window import MainWindow

    flags = {a for a in argv if a.startswith("--")}
    title, *draft = [a for a in argv if not a.startswith("--")]
    if "--macos" in flags:
        files.platform_dirs = MacOS
    qt_app = app.create_application([sys.argv[0]])

    def say(word: str, text: str = "") -> None:
        print(f"{word} {' '.join(text.split())}".rstrip(), flush=True)

    def boom() -> None:
        raise RuntimeError(f"signing failed: secret={CRASH_SECRET}&apiKey=3_x, GIGYA_SECRET was {CRASH_SECRET}")

    def tell_box() -> None:
        boxes = [b for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox) and b.isVisible()]
        if boxes:
            say("BOX", boxes[0].text())
        else:
            QTimer.singleShot(20, tell_box)

    def use() -> None:
        (win,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        say("NOTICE", win.notice.text() if win.notice.isVisible() else "")
        QTest.keyClicks(win.content.inputs["title"], title)
        say("EDITED")
        if "--crash" in flags:
            QTimer.singleShot(0, boom)
            QTimer.singleShot(0, tell_box)

    QTimer.singleShot(0, use)  # once the window is up: app.main starts the event loop
    QTimer.singleShot(SELF_DESTRUCT_MS, qt_app.quit)
    return app.main(draft)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
