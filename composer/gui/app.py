"""Start the window: ``composer`` or ``composer DRAFT.json``."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from composer import __version__

ICON_SIZES = (16, 32, 48, 64, 128, 256)


def app_icon():  # noqa: ANN201 - QIcon, imported lazily
    """The window icon from PNGs rendered from ``composer.svg`` (the SVG stays for the desktop
    file): a PNG needs no QtSvg, which costs 3 MB and 2.5 ms at start-up.  Files on disk are read
    when a size is first drawn; from a zipped install they are read now."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon, QPixmap

    from composer.resources import files

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


def create_application(argv: Sequence[str] | None = None):  # noqa: ANN201 - QApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(list(argv or [sys.argv[0]]))
    app.setApplicationName("composer")
    app.setApplicationDisplayName("Composer")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("composer")
    app.setDesktopFileName("composer")
    app.setWindowIcon(app_icon())
    from composer.gui.theme import (
        apply_palette,
        follow_color_scheme,
        system_prefers_dark,
    )

    apply_palette(app, dark=system_prefers_dark(app))
    follow_color_scheme(app)
    return app


def import_core_first() -> None:
    """Import the Qt-free modules the first screen uses before PySide6 is loaded.

    Once loaded, PySide6 reads the source of each module an import statement names (it looks for
    ``from __feature__ import``).  What is imported before it is never read: importing the core
    first spares reading it and the standard library modules it uses (64 modules were read before
    the first frame, 34 now: 4.5 ms less start-up, A/B of 25 starts).  The package's files (the
    window icon) are found the same way."""
    from composer import resources  # noqa: F401
    from composer.core.accounts import profiles  # noqa: F401
    from composer.core.call import docs, draft, preview, validation  # noqa: F401
    from composer.core.twitter import text  # noqa: F401


class _KeepsNoFiles(dict):
    """A ``linecache.cache`` that keeps no lines read from a file on disk: a lookup of such a file
    misses and reads it afresh.  What a module's loader supplies (a module in a zip: a pending
    entry of one item, then lines without a modification time) is kept, as linecache reads
    those entries straight back."""

    def __setitem__(self, key: str, value: tuple) -> None:
        if len(value) == 1 or value[1] is None:
            super().__setitem__(key, value)


def keep_no_module_sources() -> None:
    """Until start-up is over (``keep_module_sources``), ``linecache`` keeps no source lines of
    files on disk.

    Once loaded, PySide6 reads the source of each module an import statement names
    (``inspect.getsource``, to see whether it mentions PySide6), and ``linecache`` would keep
    every line: some 600 KB of text by the first frame.  Dropped once the window is built, it
    still left 0.7 MB more resident at the peak (freed lines leave holes among the code objects
    loaded with them).  A traceback still shows its lines: it reads the file afresh."""
    import linecache

    linecache.cache = _KeepsNoFiles()


def keep_module_sources() -> None:
    """Give ``linecache`` a real cache again once start-up is over (see keep_no_module_sources)."""
    import linecache

    if isinstance(linecache.cache, _KeepsNoFiles):
        linecache.cache = {}


def forget_module_sources() -> None:
    """Drop the source text PySide6 keeps of every imported module.

    After each import PySide6 reads the module's source (``inspect.getsource``, to see whether it
    mentions PySide6), and ``linecache`` keeps every line: 3.6 MB at start-up, of the window's
    modules and the standard library's.  The cache only serves tracebacks, which read the files
    again when they need them."""
    import linecache

    linecache.clearcache()


def build_window():  # noqa: ANN201 - (MainWindow, WindowController)
    from composer.gui.main_window import MainWindow
    from composer.gui.session import WindowController

    forget_module_sources()
    window = MainWindow()
    controller = WindowController(window)
    window.ready.connect(keep_module_sources)
    window.ready.connect(forget_module_sources)
    for page in (window.options_page, window.results_page):  # built when first opened, importing more
        page.created.append(lambda _page: forget_module_sources())
    return window, controller


def resume_collector(window) -> None:  # noqa: ANN001 - MainWindow, imported lazily
    """Turn the cyclic garbage collector back on once start-up is over (``main`` turns it off).

    Start-up leaves some 40,000 objects for the collector to track, nearly all of them living as
    long as the window.  Its 60-odd passes over them while the window is built cost 5 to 7 ms
    before the first frame; turned on again, it would scan them all at once (up to 10 ms) and
    again in every full pass.  So they are frozen first: never scanned again.  The few hundred
    objects start-up leaves as cyclic garbage (a few tens of KB) stay."""

    def resume() -> None:
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    window.ready.connect(resume)


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
    gc.disable()  # until start-up is over: see resume_collector
    import_core_first()
    keep_no_module_sources()  # until start-up is over: PySide6 reads every module imported from now on
    app = create_application([sys.argv[0], *argv])
    window, controller = build_window()
    resume_collector(window)
    controller.start(argv[0] if argv else None)
    if os.environ.get("COMPOSER_EXIT_AFTER_PAINT"):
        report_startup(app, window)
    window.show()
    return app.exec()


def report_startup(app, window) -> None:  # noqa: ANN001
    """For the start-up benchmark: print ``painted`` at the first frame and ``ready`` once start-up
    is over, then leave."""

    def say(word: str) -> None:
        print(word, flush=True)

    window.first_painted.connect(lambda: say("painted"))
    window.ready.connect(lambda: (say("ready"), app.quit()))
