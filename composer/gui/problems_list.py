"""The problems list: every validation problem of the draft, each leading to its field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from composer.core.validation import Problem, Severity
from composer.gui.content_editor import plain_tooltip
from composer.gui.theme import severity_icon


class ProblemsList(QListWidget):
    """Every validation problem; activating one asks to focus its field."""

    field_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Problems")
        self.setWordWrap(True)
        self.itemActivated.connect(lambda item: self.field_activated.emit(item.data(Qt.ItemDataRole.UserRole)))
        self._shown: list[Problem] | None = None  # nothing shown yet, not even "no problems"

    def show_problems(self, problems: list[Problem]) -> None:
        if problems == self._shown:
            return
        self._shown = list(problems)
        self.clear()
        for p in problems:
            item = QListWidgetItem(severity_icon(p.severity is Severity.ERROR), f"{p.field}: {p.message}")
            item.setData(Qt.ItemDataRole.UserRole, p.field)
            item.setToolTip(plain_tooltip(f"{p.severity.value}: {p.message}"))
            self.addItem(item)
        if not problems:
            item = QListWidgetItem("No problems: ready to publish.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)
