"""The floor for start-up and memory: a bare PySide6 script showing one QMainWindow with one QLabel
at the composer window's size; it prints ``painted`` at its first paint and leaves."""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class FirstPaint(QObject):
    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, painted)  # once the frame is done, as composer reports it
        return False


def painted() -> None:
    print("painted", flush=True)
    QApplication.instance().quit()


def show_until_painted(app: QApplication, window: QMainWindow) -> int:
    """Show ``window``, print ``painted`` once its first frame is done, and leave."""
    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    return app.exec()


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setCentralWidget(QLabel("composer"))
    window.resize(1280, 800)
    return show_until_painted(app, window)


if __name__ == "__main__":
    raise SystemExit(main())
