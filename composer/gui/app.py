"""Start the window: ``composer`` or ``composer DRAFT.json``.

Start-up does only what the first frame needs: the application, its palette, the main window
with the Content page, and the controllers.  Pages the first screen does not show (a network's
tab, Options, Result) are built when first opened (``gui.main_window.DeferredPage``); the HTTP
stack, the keyring and the history database load with the first publish or the first look at
them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication

from composer import __version__
from composer.core.storage.files import move_from_old_places
from composer.gui.controllers.window import WindowController
from composer.gui.crashes import CrashHandler
from composer.gui.dialogs import Dialogs
from composer.gui.main_window import MainWindow
from composer.gui.theme import apply_palette, follow_color_scheme, system_prefers_dark
from composer.resources import files

#: the sizes of the PNG icons rendered from ``composer.svg`` (the SVG itself is for the desktop file)
ICON_SIZES = (16, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The window icon from the PNGs shipped in the package (a file on disk, or bytes read from a
    zipped install)."""
    icon = QIcon()
    folder = files() / "icons"
    for size in ICON_SIZES:
        entry = folder / f"composer-{size}.png"
        if isinstance(entry, Path):
            icon.addFile(str(entry), QSize(size, size))
            continue
        pixmap = QPixmap()
        if pixmap.loadFromData(entry.read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    return icon


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(list(argv or [sys.argv[0]]))
    app.setApplicationName("composer")
    app.setApplicationDisplayName("Composer")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("composer")
    app.setDesktopFileName("composer")
    app.setWindowIcon(app_icon())
    apply_palette(app, dark=system_prefers_dark(app))
    follow_color_scheme(app)
    return app


def build_window() -> tuple[MainWindow, WindowController]:
    window = MainWindow()
    controller = WindowController(window, Dialogs(window))
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
    moved = move_from_old_places()  # before anything reads a folder
    app = create_application([sys.argv[0], *argv])
    window, controller = build_window()
    CrashHandler(controller).install()
    controller.start(argv[0] if argv else None)
    if moved:
        window.show_notice(" ".join(moved))
    if os.environ.get("COMPOSER_EXIT_AFTER_PAINT"):
        report_startup(app, window)
    window.show()
    return run(app)


def run(app: QApplication) -> int:
    """Run the event loop until the last window closes, then end what must end before the
    process does; returns the exit code."""
    code = app.exec()
    # Profiles loads profile_dialog when first opened (one of the LAZY_MODULES): if it never was,
    # no change to the keyring can be under way, and importing it now would only cost time
    profile_dialog = sys.modules.get("composer.gui.profile_dialog")
    if profile_dialog is not None:
        profile_dialog.finish_keyring_changes()
    return code


def report_startup(app: QApplication, window: MainWindow) -> None:
    """For the start-up benchmark: print ``painted`` at the first frame and ``ready`` once start-up
    is over, then leave."""

    def say(word: str) -> None:
        print(word, flush=True)

    window.first_painted.connect(lambda: say("painted"))
    window.ready.connect(lambda: (say("ready"), app.quit()))
