"""Run in a subprocess by the benchmarks: show a window, wait until it is complete (the bare one:
its first paint; composer: start-up over), print JSON.

``python benchmarks/window_probe.py MODE`` prints {"maxrss_kb": N, "modules": [...]}; MODE is
``bare``, ``plain-qt-maximal``, ``composer``, ``composer-maximal`` (the maximal draft loaded) or
``composer-maximal-every-page`` (then the Options and Result pages opened too, as a user who
has looked at every page has them).
"""

import gc
import json
import os
import resource
import sys

if sys.argv[1].startswith("composer"):
    gc.disable()  # as composer's main does until start-up is over

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow  # noqa: E402

LAZY = ("keyring", "requests", "urllib3", "sqlite3", "hashlib", "importlib.resources", "html", "datetime", "composer.core.twitter_tlds", "PySide6.QtSvg")


def peak_rss_kb() -> int:
    """This process's own peak RSS.  VmHWM belongs to the address space, which exec starts afresh;
    getrusage's ru_maxrss is preserved across execve on Linux and would report the parent's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class FirstPaint(QObject):
    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(50, QApplication.instance().quit)
        return False


def main() -> int:
    mode = sys.argv[1]
    if mode == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.setCentralWidget(QLabel("composer"))
        window.resize(1280, 800)
    elif mode == "plain-qt-maximal":  # the same first screen in plain PySide6, the same text
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from first_screen_floor import build, texts_for

        app = QApplication(sys.argv[:1])
        window = build(texts_for(["--maximal"]))
    else:
        from composer.gui.app import build_window, create_application

        app = create_application()
        window, controller = build_window()
        controller.start(None)
        if mode.startswith("composer-maximal"):
            sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
            from benchmarks.drafts import maximal_call

            controller.load(maximal_call())
    if mode in ("bare", "plain-qt-maximal"):
        watcher = FirstPaint()
        window.installEventFilter(watcher)
    else:
        if mode.endswith("every-page"):
            window.ready.connect(lambda: (window.form_tabs.setCurrentIndex(2), window.bottom_tabs.setCurrentIndex(1)))
        window.ready.connect(lambda: QTimer.singleShot(50, app.quit))
    window.show()
    app.exec()
    print(json.dumps({"maxrss_kb": peak_rss_kb(), "modules": [m for m in LAZY if m in sys.modules]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
