"""The problems list: every validation problem of the draft, each leading to its field."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from composer.core.call.validation import Problem, Severity
from composer.gui.content_editor import plain_tooltip
from composer.gui.theme import severity_icon


class ProblemsList(QListWidget):
    """Every validation problem, in order; activating one (double-click, Enter) asks to focus its
    field.  With none, one row says so, in the palette's quiet placeholder colour, and it can be
    neither selected nor activated.  A row finds its problem by its position in the list."""

    field_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Problems")
        self.setWordWrap(True)
        self.itemActivated.connect(self._activated)
        self._shown: list[Problem] | None = None  # nothing shown yet, not even "no problems"

    def show_problems(self, problems: list[Problem]) -> None:
        if problems == self._shown:
            return
        self._shown = list(problems)
        self.clear()
        for p in problems:
            item = QListWidgetItem(severity_icon(p.severity is Severity.ERROR), f"{p.field}: {p.message}")
            item.setToolTip(plain_tooltip(f"{p.severity.value}: {p.message}"))
            self.addItem(item)
        mode = QAbstractItemView.SelectionMode
        self.setSelectionMode(mode.SingleSelection if problems else mode.NoSelection)
        if not problems:
            self.addItem("No problems: ready to publish.")
            self._quiet_note()

    @property
    def empty(self) -> bool:
        """Nothing to list: the one row is the "no problems" note."""
        return not self._shown

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._quiet_note()  # light to dark and back

    def _quiet_note(self) -> None:
        if self._shown == [] and self.count() == 1:
            self.item(0).setForeground(self.palette().placeholderText())

    def _activated(self, item: QListWidgetItem) -> None:
        row = self.row(item)
        if self._shown and 0 <= row < len(self._shown):
            self.field_activated.emit(self._shown[row].field)
