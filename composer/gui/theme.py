"""Light and dark palettes, and the few looks the window gives its widgets: coloured state text,
bold captions, rounded preview cards and badges, and a marked field's outline.

A widget's state is a dynamic property (``set_state``); its look follows from the property.
Colours come from the palette, so light and dark both work; only the accents are fixed.  Cards
and badges paint themselves, text takes its colour from the palette and its weight from the
font, and only a marked field gets a one-rule stylesheet for its outline: a stylesheet on the
whole window would also restyle every widget Qt draws natively.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPaintEvent, QPalette, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QLineEdit, QPlainTextEdit, QTableWidget, QWidget

#: the accents: as text each is at least 4.5:1 on the light palette's window and base colours, the
#: contrast WCAG asks of text (https://www.w3.org/TR/WCAG21/#contrast-minimum), and a badge's white
#: text is as readable on them (tests/unit/gui/test_theme.py measures both)
ERROR = "#b91c1c"
WARNING = "#92400e"
OK = "#137333"
CAUTION = "#a14a07"
OVERRIDE = "#7c3aed"
MUTED = "#6b7280"

W = TypeVar("W", bound=QWidget)

#: a badge's colour by its ``state``
BADGE_COLOURS = {"attempted": OK, "skipped": MUTED, "override": OVERRIDE}
#: the result headline's colour by its ``outcome``
OUTCOME_COLOURS = {"posted": OK, "partial": CAUTION, "failed": ERROR, "unknown": CAUTION}


#: the accents as text on the dark palette, where the light ones are too dim to read: each of these
#: is at least 4.5:1 on its window and base colours, the contrast WCAG asks of text
#: (https://www.w3.org/TR/WCAG21/#contrast-minimum; tests/unit/gui/test_theme.py measures it)
ON_DARK = {ERROR: "#f87171", WARNING: "#fbbf24", OK: "#4ade80", CAUTION: "#fbbf24", OVERRIDE: "#a78bfa"}


def set_tone(widget: QWidget, colour: str | None) -> None:
    """Text in ``colour`` (its ``ON_DARK`` shade on the dark palette, and again whenever the
    palette changes: see apply_palette), or back to the palette's own with ``None``."""
    widget.setProperty("tone", colour or None)
    _show_tone(widget)


def _show_tone(widget: QWidget) -> None:
    colour = widget.property("tone")
    palette = QPalette()  # sets nothing: every role not set below follows the parent
    if colour:
        shade = ON_DARK.get(colour, colour) if is_dark(QApplication.palette()) else colour
        palette.setColor(QPalette.ColorRole.WindowText, QColor(shade))
    widget.setPalette(palette)


def set_weight(widget: W, weight: QFont.Weight, pixel_size: int = 0) -> W:
    font = QFont()  # sets nothing but what is set below: family and size follow the parent
    font.setWeight(weight)
    if pixel_size:
        font.setPixelSize(pixel_size)
    widget.setFont(font)
    return widget


def set_scale(widget: W, factor: float) -> W:
    """Text ``factor`` times the size the widget would have; family and weight follow the parent."""
    size = widget.font().pointSizeF()
    font = QFont()
    if size > 0:
        font.setPointSizeF(size * factor)
    else:  # a font sized in pixels
        font.setPixelSize(round(widget.font().pixelSize() * factor))
    widget.setFont(font)
    return widget


def hint(label: QLabel) -> QLabel:
    """A quiet explanatory label, in the palette's placeholder colour (light and dark)."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _outline(widget: QWidget) -> None:
    """A text field or table marked invalid (red) or overridden (violet) gets a 2 px outline."""
    kind = next((name for cls, name in _OUTLINED if isinstance(widget, cls)), "")
    if not kind:
        return
    colour = ERROR if widget.property("invalid") is True else OVERRIDE if widget.property("overridden") is True else ""
    widget.setStyleSheet(f"{kind} {{ border: 2px solid {colour}; border-radius: 3px; }}" if colour else "")


#: the widgets an outline can mark, and their names in a stylesheet
_OUTLINED = ((QLineEdit, "QLineEdit"), (QPlainTextEdit, "QPlainTextEdit"), (QTableWidget, "QTableWidget"))


def _severity(label: QWidget) -> None:
    set_tone(label, {"error": ERROR, "warning": WARNING}.get(label.property("severity")))


def _over(counter: QWidget) -> None:
    over = counter.property("over") == "true"
    set_tone(counter, ERROR if over else OK)
    set_weight(counter, QFont.Weight.Bold if over else QFont.Weight.DemiBold)


def _outcome(headline: QWidget) -> None:
    set_tone(headline, OUTCOME_COLOURS.get(headline.property("outcome")))


LOOKS = {
    "invalid": _outline,
    "overridden": _outline,
    "severity": _severity,
    "over": _over,
    "outcome": _outcome,
}


def set_state(widget: QWidget, name: str, value: object) -> None:
    """Record a state as a dynamic property and show it (a colour, an outline, a repaint)."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    look = LOOKS.get(name)
    if look is not None:
        look(widget)
    else:
        widget.update()  # the widget paints its own look from the property


def _rounded(widget: QWidget, radius: float, border: QColor, fill: QColor | None = None, dashed: bool = False) -> None:
    painter = QPainter(widget)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(border, 1, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine))
    painter.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(QRectF(widget.rect()).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
    painter.end()


class Card(QFrame):
    """A rounded panel.  Filled: a border in the palette's mid tone, and the base colour inside, or
    the window colour while its ``attempted`` state is "false".  Not filled: a midlight border."""

    def __init__(self, parent: QWidget | None = None, radius: float = 8, filled: bool = True):
        super().__init__(parent)
        self._radius = radius
        self._filled = filled

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        palette = self.palette()
        fill = None
        if self._filled:
            role = QPalette.ColorRole.Window if self.property("attempted") == "false" else QPalette.ColorRole.Base
            fill = palette.color(role)
        border = palette.color(QPalette.ColorRole.Mid if self._filled else QPalette.ColorRole.Midlight)
        _rounded(self, self._radius, border, fill)


class Badge(QLabel):
    """White text on a rounded pill in its ``state``'s colour."""

    def __init__(self, text: str = "", state: str = "attempted", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setProperty("state", state)
        self.setContentsMargins(9, 1, 9, 1)
        set_tone(self, "#ffffff")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        colour = QColor(BADGE_COLOURS.get(self.property("state"), OK))
        _rounded(self, 6, colour, colour)
        super().paintEvent(event)


class DashedLabel(QLabel):
    """Quiet text in a dashed, rounded box: stands in for an image the preview cannot show."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setContentsMargins(6, 6, 6, 6)
        hint(self)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        _rounded(self, 4, self.palette().color(QPalette.ColorRole.Mid), dashed=True)
        super().paintEvent(event)


_severity_icons: dict[bool, QIcon] = {}


def severity_icon(error: bool) -> QIcon:
    """A problem's icon: a red disc for an error, an amber triangle for a warning, each with a
    white "!".  Painted in the same accents as the messages under the fields, so a problem looks
    the same in the list and beside its field, in the light and the dark palette alike."""
    icon = _severity_icons.get(error)
    if icon is not None:
        return icon
    icon = QIcon()
    for size in (16, 32, 48):  # a 16 px icon on a 1x, 2x and 3x screen
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(size / 16, size / 16)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(ERROR if error else WARNING))
        if error:
            painter.drawEllipse(QRectF(1, 1, 14, 14))
        else:
            painter.drawPolygon(QPolygonF([QPointF(8, 1), QPointF(15.5, 14.5), QPointF(0.5, 14.5)]))
        bar = QRectF(7, 3.5, 2, 6) if error else QRectF(7, 5.5, 2, 5)
        painter.setBrush(Qt.GlobalColor.white)
        painter.drawRect(bar)
        painter.drawRect(QRectF(7, bar.bottom() + 1.5, 2, 2))
        painter.end()
        icon.addPixmap(pixmap)
    _severity_icons[error] = icon
    return icon


def system_prefers_dark(app: QApplication) -> bool:
    """Dark when the desktop asks for a dark colour scheme, or when the platform's palette is dark
    (a dark theme that Qt cannot classify as a scheme)."""
    if app.styleHints().colorScheme() == Qt.ColorScheme.Dark:
        return True
    return is_dark(app.palette())


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def follow_color_scheme(app: QApplication) -> None:
    """Switch between the light and dark palettes when the desktop does, as the app runs (once per
    application, however often it is asked)."""
    if app.property("followsColorScheme"):
        return
    app.setProperty("followsColorScheme", True)

    def changed(scheme: Qt.ColorScheme) -> None:
        if scheme != Qt.ColorScheme.Unknown:
            apply_palette(app, dark=scheme == Qt.ColorScheme.Dark)

    app.styleHints().colorSchemeChanged.connect(changed)


def apply_palette(app: QApplication, dark: bool) -> None:
    if not dark:
        p = QPalette()  # every role not set below comes from the platform's palette, or the style's
        # the standard highlight (#308cc6) gives white text a contrast of 3.7:1; this one 5.2:1
        p.setColor(QPalette.ColorRole.Highlight, QColor("#2563eb"))
        p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        app.setPalette(p)
        _show_tones()
        return
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#1f2329",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#16191d",
        QPalette.ColorRole.AlternateBase: "#23272e",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#2a2f36",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.ToolTipBase: "#2a2f36",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#2563eb",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Mid: "#4b5563",
        QPalette.ColorRole.Midlight: "#374151",
        QPalette.ColorRole.Link: "#60a5fa",
    }
    for role, color in roles.items():
        p.setColor(role, QColor(color))
    app.setPalette(p)
    _show_tones()


def _show_tones() -> None:
    """Text in an accent takes the shade of the palette just applied."""
    for widget in QApplication.allWidgets():
        if widget.property("tone"):
            _show_tone(widget)
