"""Light and dark palettes, and the few looks the window gives its widgets: coloured state text,
bold captions, rounded preview cards and badges, and a marked field's outline.

A widget's state is a dynamic property (``set_state``); its look follows from the property.
Colours come from the palette, so light and dark both work; only the accents are fixed.  There
is no stylesheet document: the cards and badges paint themselves, text takes its colour from
the palette and its weight from the font, and only a marked field gets a one-rule stylesheet
for its outline.  The stylesheet this replaced, though given only to the preview panel and a
few widgets, cost about 3 MB of peak memory with the maximal draft (83.6 MB against 80.7 MB in
the memory benchmark, ``python -m benchmarks``).

Nothing here, or anywhere on the way to the first frame, names a value of the ``Qt`` namespace
(``Qt.AlignmentFlag``, ``Qt.PenStyle``, ...): the first such name has PySide6 turn all 93 enums
of the namespace into Python enums, 11 ms on Python 3.11.  Enum properties are set by the name
of their value (``set_named``), shapes are filled and stroked as paths, and modules name
``QtCore.Qt`` only in code that runs later.  A test holds the first frame to it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TypeVar

from PySide6 import QtCore
from PySide6.QtCore import QObject, QPointF, QRectF
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QIcon,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

ERROR = "#dc2626"
WARNING = "#b45309"
OK = "#16a34a"
CAUTION = "#d97706"
OVERRIDE = "#7c3aed"
MUTED = "#6b7280"

Obj = TypeVar("Obj", bound=QObject)
W = TypeVar("W", bound=QWidget)
L = TypeVar("L", bound=QLabel)

#: a badge's colour by its ``state``
BADGE_COLOURS = {"attempted": OK, "skipped": MUTED, "override": OVERRIDE}
#: the result headline's colour by its ``outcome``
OUTCOME_COLOURS = {"posted": OK, "partial": CAUTION, "failed": ERROR, "unknown": CAUTION}


def set_named(obj: Obj, **values: str) -> Obj:
    """Set Qt properties of an enum type by the names of their values, as a ``.ui`` file does:
    ``set_named(splitter, orientation="Vertical")``, flags joined by ``|``.

    Qt's meta-object reads the name, so the ``Qt`` namespace is not built for it (see the module's
    note).  A property that is not an enum, or a name it does not have, raises before anything is
    set, as a wrong attribute would."""
    meta = obj.metaObject()
    for name, value in values.items():
        index = meta.indexOfProperty(name)
        prop = meta.property(index) if index >= 0 else None
        if prop is None or not prop.isEnumType() or not prop.enumerator().keysToValue(value)[1]:
            raise ValueError(f"{type(obj).__name__} has no enum property {name!r} with a value {value!r}")
        obj.setProperty(name, value)
    return obj


def plain_text(label: L) -> L:
    """The label shows its text as typed, never as rich text."""
    return set_named(label, textFormat="PlainText")


def set_tone(widget: QWidget, colour: str | None) -> None:
    """Text in ``colour``, or back to the palette's own with ``None``."""
    palette = QPalette()  # sets nothing: every role not set below follows the parent
    if colour:
        palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
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
    """A text field marked invalid (red) or overridden (violet) gets a 2 px outline."""
    kind = "QLineEdit" if isinstance(widget, QLineEdit) else "QPlainTextEdit" if isinstance(widget, QPlainTextEdit) else ""
    if not kind:
        return
    colour = ERROR if widget.property("invalid") is True else OVERRIDE if widget.property("overridden") is True else ""
    widget.setStyleSheet(f"{kind} {{ border: 2px solid {colour}; border-radius: 3px; }}" if colour else "")


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


def _pen(colour: QColor) -> QPen:
    """A solid pen 1 px wide.  (``QPainter.setPen``, ``setBrush``, ``fillRect`` and the brush's
    constructors have overloads taking ``Qt`` values: PySide6 builds the namespace to tell them
    apart.  So shapes are filled and stroked as paths, with this pen and its brush.)"""
    pen = QPen()
    pen.setColor(colour)
    return pen


def solid(colour: QColor | str) -> QBrush:
    """A solid brush of ``colour``, made without naming the ``Qt`` namespace (see ``_pen``)."""
    return _pen(colour if isinstance(colour, QColor) else QColor(colour)).brush()


def _rounded(widget: QWidget, radius: float, border: QColor, fill: QColor | None = None, dashed: bool = False) -> None:
    painter = QPainter(widget)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addRoundedRect(QRectF(widget.rect()).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
    if fill is not None:
        painter.fillPath(path, solid(fill))
    outline = _pen(border)
    if dashed:
        outline.setDashPattern([4, 2])  # Qt's dash line
    painter.strokePath(path, outline)
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
    white "!".  Painted in the accents rather than taken from the style: the style's standard
    icons would have PySide6 set up QStyle and its 11 enums before the first frame (3.5 ms)."""
    icon = _severity_icons.get(error)
    if icon is not None:
        return icon
    icon = QIcon()
    for size in (16, 32, 48):  # a 16 px icon on a 1x, 2x and 3x screen
        pixmap = QPixmap(size, size)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(size / 16, size / 16)
        shape = QPainterPath()
        if error:
            shape.addEllipse(QRectF(1, 1, 14, 14))
        else:
            shape.addPolygon(QPolygonF([QPointF(8, 1), QPointF(15.5, 14.5), QPointF(0.5, 14.5)]))
            shape.closeSubpath()
        painter.fillPath(shape, solid(ERROR if error else WARNING))
        bar = QRectF(7, 3.5, 2, 6) if error else QRectF(7, 5.5, 2, 5)
        mark = QPainterPath()
        mark.addRect(bar)
        mark.addRect(QRectF(7, bar.bottom() + 1.5, 2, 2))
        painter.fillPath(mark, solid("#ffffff"))
        painter.end()
        icon.addPixmap(pixmap)
    _severity_icons[error] = icon
    return icon


def system_prefers_dark(app: QApplication) -> bool:
    """Dark when the platform's palette is dark: Qt makes it so for a dark desktop (GTK's and KDE's
    dark themes, macOS, the Windows 11 style, Fusion's own palette since Qt 6.5) and for a dark
    theme it cannot classify.

    Qt's desktop-portal theme is the exception (``portal_theme``): its palette comes from the GTK
    theme and its colour scheme from the desktop's settings, so a desktop can ask for dark while
    the palette stays light.  There the style's own palette decides, which Fusion makes dark when
    the desktop says dark: reading it sets up QStyle's enums (4.7 ms), where the scheme itself is a
    value of the ``Qt`` namespace (11 ms, see the module's note).  A switch of scheme while the app
    runs is followed everywhere (``follow_color_scheme``)."""
    if _is_dark(app.palette()):
        return True
    return portal_theme(app.platformName(), os.environ) and _is_dark(app.style().standardPalette())


def portal_theme(platform: str, environ: Mapping[str, str], flatpak_info: str = "/.flatpak-info") -> bool:
    """Whether Qt uses its desktop-portal theme on ``platform``: named in ``QT_QPA_PLATFORMTHEME``,
    or chosen by Qt itself inside a Flatpak or a Snap (on X11 and Wayland only)."""
    if not platform.startswith(("xcb", "wayland")):
        return False
    named = environ.get("QT_QPA_PLATFORMTHEME", "")
    if named:
        return named.split(":")[0] in ("xdgdesktopportal", "flatpak", "snap")
    return "SNAP" in environ or os.path.exists(flatpak_info)


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def follow_color_scheme(app: QApplication) -> None:
    """Switch between the light and dark palettes when the desktop does, as the app runs (once per
    application, however often it is asked)."""
    if app.property("followsColorScheme"):
        return
    app.setProperty("followsColorScheme", True)

    def changed(scheme: QtCore.Qt.ColorScheme) -> None:
        schemes = QtCore.Qt.ColorScheme  # named only when the desktop switches (see the module's note)
        if scheme != schemes.Unknown:
            apply_palette(app, dark=scheme == schemes.Dark)

    app.styleHints().colorSchemeChanged.connect(changed)


def apply_palette(app: QApplication, dark: bool) -> None:
    if not dark:
        p = QPalette()  # every role not set below comes from the platform's palette, or the style's
        # the standard highlight (#308cc6) gives white text a contrast of 3.7:1; this one 5.2:1
        p.setColor(QPalette.ColorRole.Highlight, QColor("#2563eb"))
        p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        app.setPalette(p)
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
