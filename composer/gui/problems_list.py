"""The problems list: every validation problem of the draft, each leading to its field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

from composer.core.validation import Problem, Severity
from composer.gui.content_editor import plain_tooltip


class ProblemsList(QListWidget):
    """Every validation problem; activating one asks to focus its field."""

    field_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Problems")
        self.setWordWrap(True)
        self.itemActivated.connect(lambda item: self.field_activated.emit(item.data(Qt.ItemDataRole.UserRole)))
        self._shown: list[Problem] = []

    def show_problems(self, problems: list[Problem]) -> None:
        if problems == self._shown:
            return
        self._shown = list(problems)
        self.clear()
        style = self.style()
        for p in problems:
            icon = style.standardIcon(
                QStyle.StandardPixmap.SP_MessageBoxCritical if p.severity is Severity.ERROR else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            item = QListWidgetItem(icon, f"{p.field}: {p.message}")
            item.setData(Qt.ItemDataRole.UserRole, p.field)
            item.setToolTip(plain_tooltip(f"{p.severity.value}: {p.message}"))
            self.addItem(item)
        if not problems:
            item = QListWidgetItem("No problems: ready to publish.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)
