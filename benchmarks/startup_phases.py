"""Run in a subprocess by the benchmarks: start the window the way ``composer`` does and print how
long each phase took, in milliseconds, as JSON (where the start-up time goes; the sum up to the
first frame is a little less than the start-up figure, which also counts the interpreter's own
start).  Then it opens the two pages built on first use, Options and Result, and times each
(build and paint: what the user waits for when first clicking the tab)."""

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
    # composer.gui.app imports these first thing; importing them apart tells the share of start-up
    # the bare window pays as well from the share that is our own modules
    from PySide6 import QtWidgets  # noqa: F401

    phase("import PySide6's widgets (the floor pays it too)")
    from composer.gui.startup import import_window

    composer_app = import_window()
    phase("import composer.gui.app: the core and the window's modules")
    application = composer_app.create_application()
    phase("create the application (icon, palette, colour scheme)")
    window, controller = composer_app.build_window()
    phase("build the window and its controllers")
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
