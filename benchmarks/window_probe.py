"""Run in a subprocess by the benchmarks: show a window, wait until it is complete (the bare one:
its first paint; composer: start-up over), print JSON.

``python benchmarks/window_probe.py MODE`` prints {"maxrss_kb": N, "modules": [...]}, the
modules of ``LAZY`` that were loaded; MODE is ``bare``, ``plain-qt-maximal``, ``composer``,
``composer-maximal`` (composer started on a file holding the maximal draft, as ``composer
maximal.json``) or ``composer-maximal-every-page`` (then the Options and Result pages opened too,
as a user who has looked at every page has them).  Composer starts through its own ``main``, so
what is imported when, and in which order, is what the app does; for composer the JSON also says
what the window showed (``title``, ``pages_built``, and ``twitter_weighted_length``, the length
Twitter's counting gave the last previews shown), so a test can tell the draft was opened and its
previews derived.
"""

import json
import os
import resource
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: what the window loads on first use, not at start-up (the same list as ``LAZY_MODULES`` in
#: tests/helpers/environment.py, which a test keeps in step)
LAZY = ("keyring", "requests", "urllib3", "urllib.request", "http.client", "html.parser", "sqlite3", "hashlib", "PySide6.QtSvg", "composer.gui.history_view",
        "composer.gui.profile_dialog", "composer.gui.plan_window", "composer.gui.controllers.plans")

#: what the composer window showed once start-up was over (filled in by ``run_composer``)
shown: dict[str, object] = {}

#: milliseconds a window stays up after it is complete, so memory is read once what follows the
#: first frame (layout passes, deferred deletes) has happened too
SETTLE_MS = 50


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


def show_floor(mode: str) -> None:
    """The bare window, or the plain-PySide6 first screen with the maximal draft's text, until
    ``SETTLE_MS`` after its first paint."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(SETTLE_MS, QApplication.instance().quit)
            return False

    app = QApplication(sys.argv[:1])
    if mode == "bare":
        window = QMainWindow()
        window.setCentralWidget(QLabel("composer"))
        window.resize(1280, 800)
    else:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from first_screen_floor import build, texts_for

        window = build(texts_for(["--maximal"]))
    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    app.exec()


def run_composer(mode: str) -> None:
    """``composer [maximal.json]`` through its own main, until ``SETTLE_MS`` after start-up is over."""
    from composer.gui.startup import import_window

    composer_app = import_window()

    argv = []
    folder = tempfile.TemporaryDirectory()
    if mode.startswith("composer-maximal"):
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        from benchmarks.drafts import maximal_draft_text

        argv.append(os.path.join(folder.name, "maximal.json"))
        with open(argv[0], "w", encoding="utf-8") as out:
            out.write(maximal_draft_text())
    build = composer_app.build_window

    def watched_build():  # noqa: ANN202
        window, controller = build()
        from PySide6.QtCore import QTimer

        show_previews = window.show_previews

        def watched_previews(previews):  # noqa: ANN001, ANN202 - the window's own signature
            counts = [p.twitter.weighted_length for p in previews if p.twitter is not None]
            shown["twitter_weighted_length"] = counts[0] if counts else None
            show_previews(previews)

        window.show_previews = watched_previews

        if mode.endswith("every-page"):
            window.ready.connect(lambda: (window.form_tabs.setCurrentIndex(2), window.bottom_tabs.setCurrentIndex(1)))
        window.ready.connect(lambda: QTimer.singleShot(SETTLE_MS, lambda: (note(window), window.close())))
        return window, controller

    def note(window) -> None:  # noqa: ANN001 - composer's MainWindow
        built = {"options": window.options_page.widget, "result": window.results_page.widget}
        shown.update(title=window.windowTitle(), pages_built=[page for page, widget in built.items() if widget is not None])

    composer_app.build_window = watched_build
    with folder:
        status = composer_app.main(argv)
    if status != 0:
        raise SystemExit(f"composer exited with {status}")


def main() -> int:
    mode = sys.argv[1]
    if mode in ("bare", "plain-qt-maximal"):
        show_floor(mode)
    else:
        run_composer(mode)
    report = {"maxrss_kb": peak_rss_kb(), "modules": [m for m in LAZY if m in sys.modules]}
    if shown:
        report.update(shown)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
