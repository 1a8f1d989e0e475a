"""Start the window: ``composer`` or ``composer DRAFT.json``."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib import resources

from composer import __version__


def resource_text(name: str) -> str:
    return (resources.files("composer.resources") / name).read_text(encoding="utf-8")


def app_icon():  # noqa: ANN201 - QIcon, imported lazily
    from PySide6.QtGui import QIcon, QPixmap

    data = (resources.files("composer.resources") / "icons" / "composer.svg").read_bytes()
    pixmap = QPixmap()
    pixmap.loadFromData(data, "SVG")
    return QIcon(pixmap)


def create_application(argv: Sequence[str] | None = None):  # noqa: ANN201 - QApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(list(argv or [sys.argv[0]]))
    app.setApplicationName("composer")
    app.setApplicationDisplayName("Composer")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("composer")
    app.setDesktopFileName("composer")
    app.setWindowIcon(app_icon())
    app.setStyleSheet(resource_text("style.qss"))
    return app


def build_window():  # noqa: ANN201 - (MainWindow, WindowController)
    from composer.gui.main_window import MainWindow
    from composer.gui.session import WindowController

    window = MainWindow()
    controller = WindowController(window)
    return window, controller


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    app = create_application([sys.argv[0], *argv])
    window, controller = build_window()
    controller.start(argv[0] if argv else None)
    window.show()
    if os.environ.get("COMPOSER_EXIT_AFTER_PAINT"):
        # start-up benchmark: leave as soon as the first frame is painted
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, app.quit)
    return app.exec()
