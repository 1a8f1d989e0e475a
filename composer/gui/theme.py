"""Light and dark palettes, and the stylesheet.  The stylesheet takes its colours from the palette,
so both work.

The stylesheet is given to the widgets that need it, not to the application: the preview panel
(cards, badges), the result headline, the Publish button, and a field or message the moment it is
marked (overridden, invalid, an error).  A stylesheet on the application would route all ~250
widgets of the window through Qt's stylesheet style for rules that match a few dozen of them
(measured against no stylesheet at all: 13 ms and 8 MB at start-up).
"""

from __future__ import annotations

import functools
from importlib import resources

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget


@functools.cache
def stylesheet() -> str:
    return (resources.files("composer.resources") / "style.qss").read_text(encoding="utf-8")


def style_subtree(widget: QWidget) -> None:
    """Style ``widget`` and everything inside it with the stylesheet."""
    widget.setStyleSheet(stylesheet())


def _styled(widget: QWidget | None) -> bool:
    while widget is not None:
        if widget.styleSheet():
            return True
        widget = widget.parentWidget()
    return False


def set_state(widget: QWidget, name: str, value: object) -> None:
    """Set a dynamic property the stylesheet matches on and re-apply the style.

    Inside a styled panel the widget is re-polished (if it has been polished yet: else that
    happens when it is shown).  A widget outside them (a field, a message) carries the stylesheet
    itself and gets it afresh: re-polishing would update colours but not a border's width, which
    a text box's frame takes from the sheet only when the sheet is set."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    if _styled(widget.parentWidget()):
        if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
    else:
        widget.setStyleSheet("")
        style_subtree(widget)


def hint(label: QLabel) -> QLabel:
    """A quiet explanatory label, in the palette's placeholder colour (light and dark)."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def system_prefers_dark(app: QApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_palette(app: QApplication, dark: bool) -> None:
    if not dark:
        p = app.style().standardPalette()
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
