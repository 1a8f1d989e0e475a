"""Run in a subprocess by the benchmarks: start the window the way ``composer`` does and print how
long each phase took, in milliseconds, as JSON (where the start-up time goes; the sum up to the
first frame is a little less than the start-up figure, which also counts the interpreter's own
start).  Then it opens the two pages built on first use, Options and Result, and times each
(build and paint: what the user waits for when first clicking the tab)."""

import gc
import json
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

phases: list[tuple[str, float]] = []
mark = time.perf_counter()


def phase(name: str) -> None:
    global mark
    now = time.perf_counter()
    phases.append((name, (now - mark) * 1000))
    mark = now


def main() -> int:
    gc.disable()  # as composer's main does until start-up is over
    from composer.gui import app as composer_app

    phase("import composer.gui.app")
    composer_app.import_core_first()
    phase("import the Qt-free core, before PySide6 as composer's main does")
    composer_app.keep_no_module_sources()  # as composer's main does
    from PySide6.QtWidgets import QApplication  # noqa: F401 - the floor pays this too

    phase("import PySide6 (the floor pays it too)")
    application = composer_app.create_application()
    phase("create the application (palette, icon)")
    from composer.gui.session import WindowController

    from composer.gui.main_window import MainWindow

    composer_app.forget_module_sources()  # as build_window does
    phase("import the window's modules")
    window = MainWindow()
    phase("build the first screen's widgets")
    controller = WindowController(window)
    phase("controller: model, undo stack, wiring")
    controller.start(None)
    phase("start: profiles, recent files, autosave check, first previews and validation")
    window.first_painted.connect(lambda: phase("show and paint the first frame"))

    def open_pages() -> None:
        phase("after the first paint, until start-up is over")
        window.form_tabs.setCurrentIndex(2)
        window.repaint()
        phase("open the Options page for the first time")
        window.bottom_tabs.setCurrentIndex(1)
        window.repaint()
        phase("open the Result page for the first time")
        application.quit()

    window.ready.connect(open_pages)
    window.show()
    application.exec()
    print(json.dumps(phases))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
