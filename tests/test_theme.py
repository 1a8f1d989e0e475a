"""The looks the window gives its widgets without a stylesheet: badges and cards paint their state,
text takes its state's colour and weight, a marked field gets its outline, and all of it follows
the light or dark palette."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

from benchmarks.drafts import maximal_call
from composer.core.draft import load_draft
from composer.core.validation import Severity
from composer.gui.theme import ERROR, MUTED, OK, OVERRIDE, WARNING, apply_palette, severity_icon

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "resources" / "drafts" / "product-launch.json"  # Renren is excluded by enabledProviders


def _pixel(widget: QWidget, x: int, y: int) -> QColor:
    return widget.grab().toImage().pixelColor(x, y)


def _text_colour(widget: QWidget) -> QColor:
    return widget.palette().color(widget.foregroundRole())


def test_badges_paint_the_state_of_their_card(window):
    win, ctl = window
    ctl.load(load_draft(SAMPLE).call)
    renren, twitter = win.previews.cards["renren"], win.previews.cards["twitter"]
    assert renren.badge.property("state") == "skipped"
    middle = renren.badge.height() // 2
    assert _pixel(renren.badge, 3, middle) == QColor(MUTED)
    assert _pixel(twitter.badge, 3, middle) == QColor(OK)
    assert twitter.own.isVisible()
    assert _pixel(twitter.own, 3, middle) == QColor(OVERRIDE)
    assert _text_colour(twitter.badge) == QColor("#ffffff")


def test_cards_fill_follows_attempted_and_the_palette(window):
    win, ctl = window
    ctl.load(load_draft(SAMPLE).call)
    renren, facebook = win.previews.cards["renren"], win.previews.cards["facebook"]
    app = QApplication.instance()
    try:
        for dark in (False, True):
            apply_palette(app, dark=dark)
            QApplication.processEvents()
            palette = app.palette()
            assert _pixel(renren, 3, renren.height() // 2) == palette.color(QPalette.ColorRole.Window), dark
            assert _pixel(facebook, 3, facebook.height() // 2) == palette.color(QPalette.ColorRole.Base), dark
    finally:
        apply_palette(app, dark=False)


def test_counter_and_field_messages_take_their_state_colour(window, qtbot):
    win, ctl = window
    title_message = win.content.messages["title"]
    assert title_message.isVisible()  # the empty draft: nothing to share
    assert _text_colour(title_message) == QColor(ERROR)
    counter = win.previews.twitter.counter
    ctl.load(maximal_call())
    qtbot.waitUntil(lambda: counter.property("over") == "true")
    assert _text_colour(counter) == QColor(ERROR) and counter.font().weight() == QFont.Weight.Bold
    ctl.load(load_draft(SAMPLE).call)
    qtbot.waitUntil(lambda: counter.property("over") == "false")
    assert _text_colour(counter) == QColor(OK) and counter.font().weight() == QFont.Weight.DemiBold
    assert not title_message.isVisible()


def test_problems_show_their_severity_in_the_accents(window, qtbot):
    win, ctl = window

    def icons_match(severity: Severity) -> bool:
        shown = win.problems._shown
        return bool(shown) and all(p.severity is severity for p in shown) and all(
            win.problems.item(row).icon().cacheKey() == severity_icon(severity is Severity.ERROR).cacheKey() for row in range(len(shown))
        )

    assert icons_match(Severity.ERROR)  # the empty draft: nothing to share, no UID
    ctl.load(maximal_call())  # one warning: Facebook drops two of its action links
    qtbot.waitUntil(lambda: icons_match(Severity.WARNING))
    disc = severity_icon(True).pixmap(16, 16).toImage()
    triangle = severity_icon(False).pixmap(16, 16).toImage()
    assert disc.pixelColor(3, 8) == QColor(ERROR) and disc.pixelColor(8, 5) == QColor("#ffffff")
    assert triangle.pixelColor(4, 13) == QColor(WARNING) and triangle.pixelColor(8, 7) == QColor("#ffffff")
    assert disc.pixelColor(0, 0).alpha() == 0 and triangle.pixelColor(0, 0).alpha() == 0


def _styled(win) -> list[QWidget]:
    return [w for w in win.findChildren(QWidget) if w.styleSheet()]


def _marked(win, state: str) -> list[QWidget]:
    return [w for w in win.findChildren(QWidget) if isinstance(w, QLineEdit | QPlainTextEdit) and w.property(state) is True]


def test_only_marked_fields_carry_a_stylesheet(window, qtbot):
    """Nothing in the window goes through Qt's stylesheet style but a marked field's outline."""
    win, ctl = window
    title = win.content.inputs["title"]
    invalid = _marked(win, "invalid")
    assert title in invalid and win.options.inputs["UID"] in invalid  # the empty draft's errors
    assert _styled(win) == invalid
    assert all(ERROR in w.styleSheet() for w in invalid)
    ctl.load(load_draft(SAMPLE).call)
    win.overrides["twitter"]  # Twitter has its own content in the sample: its fields differ
    qtbot.waitUntil(lambda: title.property("invalid") is False)
    assert title.styleSheet() == "" and not _marked(win, "invalid")
    overridden = _marked(win, "overridden")
    assert overridden and _styled(win) == overridden
    assert all(OVERRIDE in w.styleSheet() for w in overridden)
