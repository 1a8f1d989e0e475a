"""Light and dark palettes.  The stylesheet takes its colours from the palette, so both work."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication


def system_prefers_dark(app: QApplication) -> bool:
    from PySide6.QtCore import Qt

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
