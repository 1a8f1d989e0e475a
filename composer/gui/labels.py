"""Labels of plain text that show all of it, or say that they do not.

Wrapped labels keep room for every line they wrap into.  A layout measures a wrapped ``QLabel`` at a width other than the one it then gives it (a
``QFormLayout`` measures a row as if wider; a box layout's minimum counts the label at its widest,
on one line), so the label gets fewer lines than its text needs and is cut off until the window is
resized.  Every layout respects a minimum height: :func:`hold_wrapped_height` sets it to the
height the text wraps to at the width the label really has.

A one-line label in a narrow place (the status bar) ends what does not fit in "…" and has the
whole text as its tooltip, rather than being cut off at the window's edge.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
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


class ElidedLabel(QLabel):
    """One line of plain text that ends in "…" where it does not fit, the whole of it in its
    tooltip; ``text()`` is the whole text."""

    def __init__(self) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # any width will do: what does not fit is elided, so a long text never widens the window
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)  # takes the label's font and text colour
        area = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, area.width())
        painter.drawText(area, self.alignment(), shown)
