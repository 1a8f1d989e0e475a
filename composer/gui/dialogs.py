"""Every message box and file dialog the window shows, in one place.

Controllers ask through a :class:`Dialogs` object instead of calling ``QMessageBox`` or
``QFileDialog`` themselves, so the questions a user is asked read together here, and a test can
answer them by replacing one method.  Boxes that only inform are window-modal and do not block
(``open``); questions wait for the answer (``exec`` through Qt's static helpers).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

DRAFT_FILTER = "Drafts (*.json);;All files (*)"
JSON_FILTER = "JSON (*.json)"
CSV_FILTER = "CSV (*.csv)"
PLAN_FILTER = "Test plans (*.json);;All files (*)"

#: what to do when a file the user named cannot be written (``files.why_not_written``'s ``instead``):
#: after Save or Save As of a draft or a test plan, and after an export of a result or the history
SAVE_AS_INSTEAD = "Save As to another name"
EXPORT_INSTEAD = "export to another name"


class Choice(Enum):
    """The answer to "save the changes?"."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Dialogs:
    """Dialogs shown over ``parent``."""

    def __init__(self, parent: QWidget):
        self.parent = parent

    # --- questions ---

    def ask_save_changes(self, name: str) -> Choice:
        """Save, Discard or Cancel for unsaved changes to ``name``."""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.parent,
            "Unsaved changes",
            f"Save the changes to {name}?",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        return {buttons.Save: Choice.SAVE, buttons.Discard: Choice.DISCARD}.get(answer, Choice.CANCEL)

    def ask_replace_changed(self, name: str, what: str) -> bool:
        """Save over ``name`` with this ``what`` ("draft", "test plan") although it changed on disk
        since it was opened or saved (another window or program wrote it)?  Cancel is the default:
        the file's new content is not lost."""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.warning(
            self.parent,
            "The file changed on disk",
            f"{name} was changed on disk after you opened or last saved it, perhaps by another window or program."
            f" Save over it with this {what}? (Cancel keeps both: the file as it is, and this {what} open.)",
            buttons.Save | buttons.Cancel,
            buttons.Cancel,
        )
        return answer == buttons.Save

    def confirm(self, title: str, question: str) -> bool:
        """Yes or No."""
        answer = QMessageBox.question(self.parent, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def ask_retry_unknown(self, warning: str) -> bool:
        """Retry although the post may already be live (Cancel is the default)."""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.warning(
            self.parent, "The post may already be live", warning, buttons.Retry | buttons.Cancel, buttons.Cancel
        )
        return answer == buttons.Retry

    def open_draft_name(self, start: Path) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, "Open draft", str(start), DRAFT_FILTER)
        return Path(name) if name else None

    def save_draft_name(self, start: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, "Save draft as", str(start), DRAFT_FILTER)
        return Path(name) if name else None

    def open_plan_name(self, start: Path) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, "Open test plan", str(start), PLAN_FILTER)
        return Path(name) if name else None

    def save_plan_name(self, start: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, "Save test plan as", str(start), PLAN_FILTER)
        return Path(name) if name else None

    def as_json_file(self, path: Path) -> Path | None:
        """``path`` as it is saved: with ``.json`` added when it was typed without a suffix.  The
        file dialog asked about replacing the name as typed, not the one with ``.json``, so that
        is asked here; None when the user keeps the file there."""
        if path.suffix:
            return path
        path = path.with_suffix(".json")
        if path.exists() and not self.confirm("Replace file?", f"{path.name} already exists. Replace it?"):
            return None
        return path

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        """A line of text, or None when cancelled."""
        answer, ok = QInputDialog.getText(self.parent, title, label, text=text)
        return answer if ok and answer.strip() else None

    def export_name(self, title: str, start: Path) -> tuple[Path, str] | None:
        """Where to export, and as ``"json"`` or ``"csv"``: the name's ending decides, else the
        filter chosen.  The filter of ``start``'s ending is offered first."""
        filters = [CSV_FILTER, JSON_FILTER] if start.suffix == ".csv" else [JSON_FILTER, CSV_FILTER]
        name, chosen = QFileDialog.getSaveFileName(self.parent, title, str(start), ";;".join(filters))
        if not name:
            return None
        if name.endswith((".csv", ".json")):
            return Path(name), name.rsplit(".", 1)[1]
        return Path(name), "csv" if chosen == CSV_FILTER else "json"

    # --- information ---

    def error(self, title: str, message: str) -> None:
        """A warning box with ``message`` as plain text."""
        self._show(QMessageBox.Icon.Warning, title, message)

    def details(self, title: str, message: str, details: str) -> None:
        """A box with a short message and plain-text details the user can expand and copy."""
        self._show(QMessageBox.Icon.Information, title, message, details)

    def about(self, title: str, text: str) -> None:
        QMessageBox.about(self.parent, title, text)

    def _show(self, icon: QMessageBox.Icon, title: str, message: str, details: str = "") -> None:
        box = QMessageBox(icon, title, message, parent=self.parent)
        box.setTextFormat(Qt.TextFormat.PlainText)  # messages quote user text and server answers
        if details:
            box.setDetailedText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
