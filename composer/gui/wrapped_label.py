"""Wrapped plain-text labels that keep room for every line they wrap into.

A layout measures a wrapped ``QLabel`` at a width other than the one it then gives it (a
``QFormLayout`` measures a row as if wider; a box layout's minimum counts the label at its widest,
on one line), so the label gets fewer lines than its text needs and is cut off until the window is
resized.  Every layout respects a minimum height: :func:`hold_wrapped_height` sets it to the
height the text wraps to at the width the label really has.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel

WRAP = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap


def hold_wrapped_height(label: QLabel, width: int) -> None:
    """Give ``label`` the minimum height its text wraps to at ``width`` (its margins included)."""
    margins = label.contentsMargins()
    # as QLabel wraps plain text (its heightForWidth would count the minimum set here)
    lines = label.fontMetrics().boundingRect(QRect(0, 0, width - margins.left() - margins.right(), 0), WRAP, label.text())
    height = lines.height() + margins.top() + margins.bottom() if label.text() else 0
    if label.minimumHeight() != height:
        label.setMinimumHeight(height)


class WrappedLabel(QLabel):
    """Plain text, wrapped, holding the height it wraps to at its own width whenever its text or
    its width changes."""

    def __init__(self) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        hold_wrapped_height(self, self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            hold_wrapped_height(self, self.width())
