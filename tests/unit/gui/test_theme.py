"""The looks the window gives its widgets without a stylesheet: badges and cards paint their state,
text takes its state's colour and weight, a marked field gets its outline, and all of it follows
the light or dark palette."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

from benchmarks.drafts import maximal_call
from composer.core.call.draft import load_draft
from composer.core.call.model import ActionLink, PublishCall
from composer.core.call.validation import Severity
from composer.gui.app import create_application
from composer.gui.theme import BADGE_COLOURS, CAUTION, ERROR, MUTED, OK, OVERRIDE, WARNING, apply_palette, severity_icon, system_prefers_dark
from tests.helpers.environment import REPO
from tests.helpers.gui import contrast

SAMPLE = REPO / "resources" / "drafts" / "product-launch.json"  # Renren is excluded by enabledProviders


def _pixel(widget: QWidget, x: int, y: int) -> QColor:
    return widget.grab().toImage().pixelColor(x, y)


def _text_colour(widget: QWidget) -> QColor:
    return widget.palette().color(widget.foregroundRole())


def test_badges_paint_the_state_of_their_card(window):
    win, ctl = window
    ctl.editing.load(load_draft(SAMPLE).call)
    renren, twitter = win.previews.cards["renren"], win.previews.cards["twitter"]
    assert renren.badge.property("state") == "skipped"
    middle = renren.badge.height() // 2
    assert _pixel(renren.badge, 3, middle) == QColor(MUTED)
    assert _pixel(twitter.badge, 3, middle) == QColor(OK)
    assert twitter.own.isVisible()
    assert _pixel(twitter.own, 3, middle) == QColor(OVERRIDE)
    assert _text_colour(twitter.badge) == QColor("#ffffff")


def test_link_titles_are_larger_not_bold(window):
    """A link card's title stands out by its size, in the weight of the text around it: a bold CJK
    title would load a second CJK face (3.7 MB resident)."""
    win, ctl = window
    ctl.editing.load(maximal_call())
    card = win.previews.cards["facebook"]
    title, message = QFontInfo(card.title.font()), QFontInfo(card.message.font())
    assert "新しい" in card.title.text() and card.title.isVisible()
    assert title.weight() == message.weight() == QFont.Weight.Normal
    assert title.pointSizeF() == pytest.approx(message.pointSizeF() * 1.15, abs=0.5)
    assert title.pointSizeF() > message.pointSizeF()


def test_cards_fill_follows_attempted_and_the_palette(window):
    win, ctl = window
    ctl.editing.load(load_draft(SAMPLE).call)
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


def test_card_borders_and_the_image_box_are_drawn(window, qtbot):
    """A network's card is outlined in the palette's mid tone, the link card inside it in the
    midlight tone, and the box standing in for an image is dashed."""
    win, ctl = window
    ctl.editing.load(maximal_call())
    card = win.previews.cards["facebook"]
    box = card.image
    qtbot.waitUntil(lambda: box.isVisible() and box.height() > 10 and card.link.height() > box.height())
    palette = QApplication.instance().palette()
    mid = palette.color(QPalette.ColorRole.Mid).rgb()  # 8 bits a channel, as painted
    assert _pixel(card, 0, card.height() // 2).rgb() == mid
    assert _pixel(card.link, 0, card.link.height() // 2).rgb() == palette.color(QPalette.ColorRole.Midlight).rgb()
    edge = box.grab().toImage()
    top = [edge.pixelColor(x, 0).rgb() == mid for x in range(8, edge.width() - 8)]
    assert any(top) and not all(top)  # dashes and the gaps between them
    assert edge.pixelColor(edge.width() // 2, edge.height() // 2).rgb() != mid  # not filled


def test_no_problems_is_said_quietly_in_light_and_dark(window, qtbot):
    win, ctl = window
    ctl.editing.load(load_draft(SAMPLE).call)
    qtbot.waitUntil(lambda: [win.problems.item(row).text() for row in range(win.problems.count())] == ["No problems: ready to publish."])
    app = QApplication.instance()
    try:
        for dark in (False, True, False):
            apply_palette(app, dark=dark)
            QApplication.processEvents()
            quiet = win.problems.palette().color(QPalette.ColorRole.PlaceholderText)
            assert win.problems.item(0).foreground().color() == quiet, dark
    finally:
        apply_palette(app, dark=False)


def test_counter_and_field_messages_take_their_state_colour(window, qtbot):
    win, ctl = window
    title_message = win.content.messages["title"]
    assert title_message.isVisible()  # the empty draft: nothing to share
    assert _text_colour(title_message) == QColor(ERROR)
    counter = win.previews.twitter.counter
    ctl.editing.load(maximal_call())
    qtbot.waitUntil(lambda: counter.property("over") == "true")
    assert _text_colour(counter) == QColor(ERROR) and counter.font().weight() == QFont.Weight.Bold
    ctl.editing.load(load_draft(SAMPLE).call)
    qtbot.waitUntil(lambda: counter.property("over") == "false")
    assert _text_colour(counter) == QColor(OK) and counter.font().weight() == QFont.Weight.DemiBold
    assert not title_message.isVisible()


def test_problems_show_their_severity_in_the_accents(window, qtbot):
    win, ctl = window

    def icons_match(severity: Severity) -> bool:
        rows = [win.problems.item(row) for row in range(win.problems.count())]
        expected = severity_icon(severity is Severity.ERROR).cacheKey()
        return (
            [p.severity for p in ctl.editing.problems] == [severity] * len(rows)
            and bool(rows)
            and all(item.icon().cacheKey() == expected for item in rows)
        )

    assert icons_match(Severity.ERROR)  # the empty draft: nothing to share, no UID
    call = maximal_call()
    call.disabledProviders = ["twitter", "sina"]  # whose texts are over their limits: errors
    ctl.editing.load(call)  # one warning: Facebook drops two of its action links
    qtbot.waitUntil(lambda: icons_match(Severity.WARNING))
    for error in (True, False):  # crisp on a 1x, 2x and 3x screen: painted at each size, not stretched
        assert sorted(size.width() for size in severity_icon(error).availableSizes()) == [16, 32, 48]
    for scale in (1, 2, 3):
        disc = severity_icon(True).pixmap(QSize(16, 16), scale).toImage()
        triangle = severity_icon(False).pixmap(QSize(16, 16), scale).toImage()
        assert disc.width() == triangle.width() == 16 * scale

        def at(image, x: float, y: float) -> QColor:
            return image.pixelColor(int(x * scale), int(y * scale))

        assert at(disc, 3, 8) == QColor(ERROR) and at(disc, 8, 5) == QColor("#ffffff"), scale
        assert at(triangle, 4, 13) == QColor(WARNING) and at(triangle, 8, 7) == QColor("#ffffff"), scale
        assert at(disc, 0, 0).alpha() == 0 and at(triangle, 0, 0).alpha() == 0, scale


def test_palette_goes_back_to_light_after_dark(qapp):
    app = create_application()
    light = QPalette(app.palette())
    try:
        for dark in (True, False, True, False):
            apply_palette(app, dark=dark)
            window = app.palette().color(QPalette.ColorRole.Window)
            assert (window.lightness() < 128) == dark
        assert all(
            app.palette().color(group, role) == light.color(group, role)
            for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled)
            for role in QPalette.ColorRole
            if role != QPalette.ColorRole.NColorRoles
        )
    finally:
        apply_palette(app, dark=False)


def test_palette_follows_the_desktop_while_the_app_runs(qapp):
    app = create_application()
    hints = app.styleHints()
    try:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert app.palette().color(QPalette.ColorRole.Window) == QColor("#1f2329")
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Unknown)  # says nothing: stays dark
        assert app.palette().color(QPalette.ColorRole.Window) == QColor("#1f2329")
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert app.palette().color(QPalette.ColorRole.Window).lightness() > 200
    finally:
        apply_palette(app, dark=False)


def test_without_a_desktop_the_palette_decides_dark_or_light(qapp):
    """Offscreen there is no desktop to ask (tests/end2end/test_desktop_scheme.py asks one on X11): the
    start is dark when the platform's palette is, as for a dark theme Qt cannot classify."""
    app = create_application()
    if app.platformName() != "offscreen" or app.styleHints().colorScheme() != Qt.ColorScheme.Unknown:
        pytest.fail(f"this test needs the offscreen platform, not {app.platformName()} ({app.styleHints().colorScheme()})")
    try:
        assert not system_prefers_dark(app)
        dark_desktop = QPalette()
        dark_desktop.setColor(QPalette.ColorRole.Window, QColor("#202020"))
        app.setPalette(dark_desktop)
        assert system_prefers_dark(app)
    finally:
        apply_palette(app, dark=False)


def _styled(win) -> list[QWidget]:
    return [w for w in win.findChildren(QWidget) if w.styleSheet()]


def _marked(win, state: str) -> list[QWidget]:
    return [w for w in win.findChildren(QWidget) if isinstance(w, QLineEdit | QPlainTextEdit) and w.property(state) is True]


def test_only_marked_fields_carry_a_stylesheet(window, qtbot):
    """Nothing in the window goes through Qt's stylesheet style but a marked field's outline."""
    win, ctl = window
    title, uid = win.content.inputs["title"], win.options.inputs["UID"]  # the Options page built
    invalid = _marked(win, "invalid")
    assert title in invalid and uid in invalid  # the empty draft's errors
    assert _styled(win) == invalid
    assert all(ERROR in w.styleSheet() for w in invalid)
    ctl.editing.load(load_draft(SAMPLE).call)
    win.overrides["twitter"]  # Twitter has its own content in the sample: its fields differ
    qtbot.waitUntil(lambda: title.property("invalid") is False)
    assert title.styleSheet() == "" and not _marked(win, "invalid")
    overridden = _marked(win, "overridden")
    assert overridden and _styled(win) == overridden
    assert all(OVERRIDE in w.styleSheet() for w in overridden)


def test_accented_text_is_readable_on_the_dark_palette_and_back_on_the_light(window, qtbot):
    """A field's error and warning and a counter: at least 4.5:1 on the dark palette, and their own
    accent, at least 4.5:1 too, again on the light one."""
    win, ctl = window
    call = PublishCall()
    call.userAction.linkBack = "example.com/a"  # not an absolute URL: an error
    call.userAction.actionLinks = [ActionLink("x" * 30, "https://example.com/a")]  # Facebook cuts it: a warning
    ctl.editing.load(call)
    messages, counter = win.content.messages, win.previews.twitter.counter
    qtbot.waitUntil(lambda: messages["linkBack"].isVisible() and messages["actionLinks"].isVisible())
    toned = {messages["linkBack"]: ERROR, messages["actionLinks"]: WARNING, counter: OK}
    app = QApplication.instance()
    try:
        apply_palette(app, dark=True)
        QApplication.processEvents()
        window_colour, base = app.palette().color(QPalette.ColorRole.Window), app.palette().color(QPalette.ColorRole.Base)
        for widget in toned:
            assert min(contrast(_text_colour(widget), window_colour), contrast(_text_colour(widget), base)) >= 4.5, widget.text()
        apply_palette(app, dark=False)
        QApplication.processEvents()
        window_colour, base = app.palette().color(QPalette.ColorRole.Window), app.palette().color(QPalette.ColorRole.Base)
        for widget, accent in toned.items():
            assert _text_colour(widget) == QColor(accent), widget.text()
            assert min(contrast(_text_colour(widget), window_colour), contrast(_text_colour(widget), base)) >= 4.5, widget.text()
    finally:
        apply_palette(app, dark=False)


def test_every_accent_is_readable_as_text_on_the_light_palette_and_under_a_badges_white_text():
    app = create_application()
    apply_palette(app, dark=False)
    window_colour, base = app.palette().color(QPalette.ColorRole.Window), app.palette().color(QPalette.ColorRole.Base)
    for accent in (ERROR, WARNING, OK, CAUTION, OVERRIDE):
        assert min(contrast(QColor(accent), window_colour), contrast(QColor(accent), base)) >= 4.5, accent
    for accent in BADGE_COLOURS.values():
        assert contrast(QColor("#ffffff"), QColor(accent)) >= 4.5, accent
