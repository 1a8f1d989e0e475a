"""Run in a subprocess by the benchmarks: how many Python enums exist by the first frame, how long
creating them took, and whether the ``Qt`` namespace was among them.  PySide6 turns a class's Qt
enums into Python ``enum`` classes the first time the class is used (the ``Qt`` namespace alone
has 93), at about 0.1 ms each on Python 3.11.

``python benchmarks/enums_at_start.py composer|bare|plain-qt`` prints
{"enums": N, "ms": T, "qt_namespace": true|false}.
The count wraps ``enum.EnumType._create_`` (how PySide6 creates them), so ``ms`` is a little high.
"""

import enum
import gc
import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

created = [0, 0.0]
_create = enum.EnumType._create_


def _counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
    start = time.perf_counter()
    try:
        return _create(*args, **kwargs)
    finally:
        created[0] += 1
        created[1] += time.perf_counter() - start


enum.EnumType._create_ = _counted


def main() -> int:
    mode = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    from PySide6 import QtCore
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    counted_at_paint: list[tuple[int, float, bool]] = []

    class Paint(QObject):
        def eventFilter(self, watched, event):  # noqa: N802, ANN001, ANN201
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, lambda: (counted_at_paint.append((*created, "Qt" in vars(QtCore))), QApplication.instance().quit()))
            return False

    if mode == "composer":
        gc.disable()  # as composer's main does
        from composer.gui.app import build_window, create_application

        app = create_application()
        window, controller = build_window()
        controller.start(None)
    elif mode == "plain-qt":
        from first_screen_floor import build, texts_for

        app = QApplication(sys.argv[:1])
        window = build(texts_for([]))
    else:
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.setCentralWidget(QLabel("composer"))
        window.resize(1280, 800)
    watcher = Paint()
    window.installEventFilter(watcher)
    window.show()
    app.exec()
    count, seconds, qt_namespace = counted_at_paint[0]
    print(json.dumps({"enums": count, "ms": round(seconds * 1000, 1), "qt_namespace": qt_namespace}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
