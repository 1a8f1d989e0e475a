"""Light and dark palettes, and no text cut off at 1280x800 at 200% scale."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from composer.gui.app import create_application
from composer.gui.theme import apply_palette
from tests.helpers.environment import REPO
from tests.helpers.gui import contrast

PROBE = r"""
import json, sys
from composer.gui.app import build_window, create_application
from composer.core.call.draft import load_draft
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QToolButton, QCheckBox
app = create_application()
win, ctl = build_window()
ctl.start(None)
ctl.editing.load(load_draft(sys.argv[1]).call)
win.resize(1280, 800)
win.show()
for _ in range(5):
    app.processEvents()
cut = []
for index in range(win.form_tabs.count()):
    win.form_tabs.setCurrentIndex(index)
    app.processEvents()
    for kind in (QPushButton, QToolButton, QCheckBox):
        for w in win.findChildren(kind):
            if w.isVisible() and w.text() and w.width() < w.sizeHint().width() - 1:
                cut.append(f"{kind.__name__} {w.text()!r} {w.width()} < {w.sizeHint().width()}")
    for w in win.findChildren(QLabel):
        if w.isVisible() and w.text() and not w.wordWrap() and w.width() < w.minimumSizeHint().width() - 1:
            cut.append(f"QLabel {w.text()!r} {w.width()} < {w.minimumSizeHint().width()}")
print(json.dumps({"ratio": win.devicePixelRatio(), "cut": cut}))
win.close_handler = None
"""


def test_nothing_cut_off_at_200_percent(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_DATA_HOME": str(tmp_path / "d")}
    draft = REPO / "resources" / "drafts" / "product-launch.json"
    out = subprocess.run([sys.executable, "-c", PROBE, str(draft)], capture_output=True, text=True, env=env, timeout=120, cwd=REPO)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["ratio"] == 2.0
    assert report["cut"] == []


def test_light_and_dark_palettes_are_readable():
    app = create_application()
    try:
        for dark in (False, True):
            apply_palette(app, dark=dark)
            palette = app.palette()
            assert (palette.color(QPalette.ColorRole.Window).lightness() < 128) == dark
            for fg, bg in (
                (QPalette.ColorRole.WindowText, QPalette.ColorRole.Window),
                (QPalette.ColorRole.Text, QPalette.ColorRole.Base),
                (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Button),
                (QPalette.ColorRole.HighlightedText, QPalette.ColorRole.Highlight),
            ):
                assert contrast(palette.color(fg), palette.color(bg)) >= 4.5, (dark, fg, bg)
    finally:
        apply_palette(app, dark=False)
        QApplication.processEvents()


def test_window_icon_has_every_size():
    from PySide6.QtCore import QSize

    from composer.gui.app import ICON_SIZES, app_icon

    create_application()
    icon = app_icon()
    assert sorted(s.width() for s in icon.availableSizes()) == sorted(ICON_SIZES)
    for size in ICON_SIZES:
        image = icon.pixmap(QSize(size, size)).toImage()
        assert image.width() == size
        assert image.pixelColor(size // 2, size // 4).alpha() == 255  # drawn, not blank
