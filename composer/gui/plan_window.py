"""The Test plan window: a plan's cases in a table (name, UID, expected, got, result), the buttons
that open, save and run it, and the live progress of a run.  Layout only: ``PlanController``
(gui/controllers/plans.py) decides what each request does and tells the window what to show."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QThread, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from composer.gui.theme import CAUTION, ERROR, OK, ON_DARK, is_dark
from composer.gui.window_size import resize_to_fit

HEADERS = ("Case", "UID", "Expected", "Got", "Result")
CASE, UID, EXPECTED, GOT, RESULT = range(len(HEADERS))
#: result -> text colour: the accents on the light palette's table, their dark shades on the dark one's
VERDICT_COLOURS = {"passed": OK, "failed": ERROR, "error": CAUTION}
VERDICT_COLOURS_DARK = {verdict: ON_DARK[accent] for verdict, accent in VERDICT_COLOURS.items()}


class PlanWindow(QDialog):
    """Says what the user asks for through its signals; shows what it is told."""

    new_requested = Signal()
    open_requested = Signal()
    save_requested = Signal()
    save_as_requested = Signal()
    run_all_requested = Signal()
    run_selected_requested = Signal()
    stop_requested = Signal()
    open_case_requested = Signal(int)
    add_current_requested = Signal()
    reset_sandbox_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("planWindow")
        self.setWindowTitle("Test plan")
        resize_to_fit(self, 1000, 560)  # our choice: ten cases and their columns without scrolling

        self.new_button = QPushButton("&New")
        self.open_button = QPushButton("&Open…")
        self.save_button = QPushButton("&Save")
        self.save_as_button = QPushButton("Save &as…")
        self.add_button = QPushButton("Save last attempt as &test case…")
        self.add_button.setToolTip("Adds the main window's last attempt to this plan: its draft as it was sent, its UID, and its result as the expectation")
        files = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.save_button, self.save_as_button):
            files.addWidget(button)
        files.addStretch(1)
        files.addWidget(self.add_button)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setAccessibleName("Cases")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(GOT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((CASE, 220), (UID, 150), (EXPECTED, 220), (RESULT, 70)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda index: self.open_case_requested.emit(index.row()))

        self.details = QLabel()
        self.details.setObjectName("caseDetails")
        self.details.setTextFormat(Qt.TextFormat.PlainText)  # server answers and user text
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.jobs = QSpinBox()
        self.jobs.setRange(1, 16)
        # our choice: one job per core, at most four.  The runner's threads share this process's
        # interpreter lock with the window, so more jobs than cores only queue behind one another
        # and keep the window waiting longer (composer run, a process of its own, may use more)
        self.jobs.setValue(min(4, QThread.idealThreadCount()))
        self.jobs.setPrefix("Jobs: ")
        self.reset_sandbox = QCheckBox("Reset the sandbox before each case")
        self.reset_sandbox.setChecked(True)
        self.reset_sandbox.setToolTip("Clears the sandbox's posts before each case, so one case's posts are not duplicates for the next; the cases then run one at a time")
        self.open_case_button = QPushButton("Open as &draft")
        self.run_selected_button = QPushButton("Run s&elected")
        self.run_all_button = QPushButton("&Run all")
        self.run_all_button.setDefault(True)
        self.stop_button = QPushButton("Sto&p")
        self.stop_button.setEnabled(False)
        run_row = QHBoxLayout()
        run_row.addWidget(self.open_case_button)
        run_row.addStretch(1)
        run_row.addWidget(self.reset_sandbox)
        run_row.addWidget(self.jobs)
        run_row.addWidget(self.run_selected_button)
        run_row.addWidget(self.run_all_button)
        run_row.addWidget(self.stop_button)

        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat("%v / %m")
        self.progress.setVisible(False)  # until there are cases to count
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        # a long summary (a reset before each case, an error) wraps rather than widening the window
        self.summary.setWordWrap(True)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.summary, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(files)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(run_row)
        layout.addLayout(progress_row)

        for button, signal in (
            (self.new_button, self.new_requested),
            (self.open_button, self.open_requested),
            (self.save_button, self.save_requested),
            (self.save_as_button, self.save_as_requested),
            (self.add_button, self.add_current_requested),
            (self.run_all_button, self.run_all_requested),
            (self.run_selected_button, self.run_selected_requested),
            (self.stop_button, self.stop_requested),
        ):
            button.clicked.connect(lambda _checked=False, s=signal: s.emit())
        self.open_case_button.clicked.connect(lambda: self.open_case_requested.emit(self.current_row()))
        self.reset_sandbox.toggled.connect(self.reset_sandbox_toggled)

    # --- what the controller reads ---

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedRows()})

    def current_row(self) -> int:
        return self.table.currentRow()

    def jobs_value(self) -> int:
        return self.jobs.value()

    def reset_sandbox_checked(self) -> bool:
        return self.reset_sandbox.isChecked()

    # --- what the controller shows ---

    def show_plan(self, title: str, cases: list[tuple[str, str, str]]) -> None:
        """One line per case: its name, UID and what it expects; no result yet."""
        self.setWindowTitle(f"Test plan: {title}")
        self.table.setRowCount(len(cases))
        for row, values in enumerate(cases):
            for column, text in enumerate((*values, "", "")):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.details.clear()

    def show_case_result(self, row: int, verdict: str, got: str, details: str) -> None:
        self.table.item(row, GOT).setText(got)
        self.table.item(row, GOT).setToolTip(details or got)
        item = self.table.item(row, RESULT)
        item.setText(verdict)
        self._colour_verdict(item)
        item.setToolTip(details)
        item.setData(Qt.ItemDataRole.UserRole, details)
        if row == self.current_row():
            self._selection_changed()

    def _colour_verdict(self, item: QTableWidgetItem) -> None:
        colour = (VERDICT_COLOURS_DARK if is_dark(self.palette()) else VERDICT_COLOURS).get(item.text())
        # no colour of its own: the palette's text colour
        item.setData(Qt.ItemDataRole.ForegroundRole, QBrush(QColor(colour)) if colour else None)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light to dark and back
            for row in range(self.table.rowCount()):
                self._colour_verdict(self.table.item(row, RESULT))

    def clear_results(self, rows: list[int]) -> None:
        for row in rows:
            if not self.table.item(row, RESULT).text():
                continue  # never run: nothing to clear (a first run of a thousand cases clears nothing)
            for column in (GOT, RESULT):
                self.table.item(row, column).setText("")
                self.table.item(row, column).setToolTip("")
            self.table.item(row, RESULT).setData(Qt.ItemDataRole.UserRole, "")

    def show_progress(self, done: int, total: int, summary: str) -> None:
        """``done`` of ``total`` cases; with no case to count, only the summary."""
        self.progress.setVisible(total > 0)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.summary.setText(summary)

    def set_running(self, running: bool) -> None:
        for widget in (self.run_all_button, self.run_selected_button, self.open_button, self.new_button, self.reset_sandbox):
            widget.setEnabled(not running)
        self.stop_button.setEnabled(running)

    def set_jobs_enabled(self, enabled: bool, tip: str) -> None:
        self.jobs.setEnabled(enabled)
        self.jobs.setToolTip(tip)

    def _selection_changed(self) -> None:
        row = self.current_row()
        item = self.table.item(row, RESULT) if row >= 0 else None
        if item is None:
            self.details.clear()
            return
        expected = self.table.item(row, EXPECTED).text()
        got = self.table.item(row, GOT).text()
        lines = [f"{self.table.item(row, CASE).text()}", f"expected: {expected}", f"got: {got or '(not run yet)'}"]
        details = item.data(Qt.ItemDataRole.UserRole)
        if details:
            lines.append(details)
        self.details.setText("\n".join(lines))
