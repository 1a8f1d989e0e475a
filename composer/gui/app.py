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
    from composer.gui.theme import apply_palette, system_prefers_dark

    apply_palette(app, dark=system_prefers_dark(app))
    return app


def apply_stylesheet(app) -> None:  # noqa: ANN001
    """Set once the main window is built: styling a finished tree in one pass is about half the
    cost of re-polishing every widget as it is added."""
    if not app.styleSheet():
        app.setStyleSheet(resource_text("style.qss"))


def build_window():  # noqa: ANN201 - (MainWindow, WindowController)
    from composer.gui.main_window import MainWindow
    from composer.gui.session import WindowController

    from PySide6.QtWidgets import QApplication

    window = MainWindow()
    controller = WindowController(window)
    apply_stylesheet(QApplication.instance())
    return window, controller


def display_problem(environ: dict[str, str] | None = None) -> str:
    """Why no window can be shown here, or "" (Qt would otherwise abort with a core dump)."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return ""
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return ""
    return (
        "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). Start it in a "
        "desktop session, or use the command line: 'composer --help' (for a picture of the window: "
        "'composer screenshot DRAFT --out FILE.png')."
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    problem = display_problem()
    if problem:
        print(f"composer: {problem}", file=sys.stderr)
        return 2
    if argv and argv[0].startswith("-"):
        print(f"composer: unknown option {argv[0]!r}; see 'composer --help'", file=sys.stderr)
        return 2
    app = create_application([sys.argv[0], *argv])
    window, controller = build_window()
    controller.start(argv[0] if argv else None)
    window.show()
    if os.environ.get("COMPOSER_EXIT_AFTER_PAINT"):
        quit_after_first_paint(app, window)
    return app.exec()


def quit_after_first_paint(app, window) -> None:  # noqa: ANN001
    """Start-up benchmark: leave as soon as the window has painted its first frame."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, app.quit)
            return False

    window._first_paint = FirstPaint(window)
    window.installEventFilter(window._first_paint)
