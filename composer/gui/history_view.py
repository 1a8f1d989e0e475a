"""The history window: every publish attempt with filters (outcome, network, text), the selected
attempt's results, "open as draft", "retry failed networks" and export.  Queries run on a worker
thread, so a history of ten thousand entries never blocks the window."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from composer.core.contract import PROVIDER_LABELS, PROVIDERS
from composer.core.publishing import attempt_caption, family_unreadable
from composer.core.storage import files
from composer.core.storage.history import Entry, History, HistoryUnavailable, Row, export_csv, export_json, left_out
from composer.core.wire.result import PublishResult
from composer.gui.content_editor import plain_tooltip
from composer.gui.dialogs import EXPORT_INSTEAD, Dialogs
from composer.gui.results_panel import ResultsPanel
from composer.gui.window_size import resize_to_fit
from composer.gui.worker import TaskRunner

HEADERS = ("#", "Time", "Outcome", "Profile", "UID", "Networks", "Failed or unknown", "Test plan", "Content")
FILTER_DEBOUNCE_MS = 150

#: the History windows' queries, reads and exports.  Owned by no window (see composer.gui.worker):
#: a read of a locked history waits out SQLite's busy timeout.  Not the global pool either: its few
#: threads (one per core: https://doc.qt.io/qt-6/qthreadpool.html#maxThreadCount-prop) run the
#: publishes, which such waits must not hold up
HISTORY_TASKS = QThreadPool()


class HistoryModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        r = self.rows[index.row()]
        test_plan = f"{r.plan} › {r.case}" if r.plan is not None else ""
        values = (
            str(r.id), r.time.replace("T", " ")[:19], r.outcome, r.profile, r.uid, _labels(r.attempted), _labels(r.failed), test_plan,
            r.summary,
        )
        value = values[index.column()]
        return plain_tooltip(value) if role == Qt.ItemDataRole.ToolTipRole else value


def _labels(providers: list[str]) -> str:
    """``Twitter, Sina Weibo``: the networks as the window names them."""
    return ", ".join(PROVIDER_LABELS.get(p, p) for p in providers)


@dataclass(frozen=True)
class AttemptDetails:
    """What the worker read of one attempt: its entry (None when it is gone), the networks an
    attempt of its family posted to, or why it (or its family) could not be read."""

    entry: Entry | None = None
    family_posts: frozenset[str] = frozenset()
    problem: str = ""


def read_attempt_details(path: Path, number: int) -> AttemptDetails:
    try:
        with History(path) as history:
            entry = history.get(number)
            try:
                return AttemptDetails(entry, frozenset(history.family(number).posts))
            except HistoryUnavailable as exc:  # shown, but not offered for retry: what it would send is not known
                return AttemptDetails(entry, problem=family_unreadable(number, str(exc)))
    except HistoryUnavailable as exc:  # the disk, the folder or a lock: said in the status line
        return AttemptDetails(problem=str(exc))


class HistoryDialog(QDialog):
    #: (the attempt's number, its draft as sent).  ``object``, not ``dict``: a dict through a Qt
    #: signal becomes a QVariantMap, whose keys come out sorted, and the draft must not change
    open_as_draft = Signal(int, object)
    #: (draft, result, the attempt's number, its profile, its draft's name)
    retry_requested = Signal(object, object, int, str, str)

    def __init__(self, parent: QWidget | None = None, history_path: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle("Publish history")
        resize_to_fit(self, 1100, 700)  # our choice: room for every column of the table
        self.history_path = history_path or files.data_dir() / "history.sqlite"
        self.runner = TaskRunner(self, HISTORY_TASKS)
        self._generation = 0
        self.entry: Any = None
        #: counts the rows chosen: a read for an earlier choice is not shown
        self._selection = 0
        #: the number of the attempt whose details are wanted (None once shown), and whether a
        #: read of details is on the worker
        self._wanted: int | None = None
        self._reading = False

        self.outcome = QComboBox()
        self.outcome.addItem("any outcome", "")
        for value in ("posted", "partial", "failed", "unknown"):
            self.outcome.addItem(value, value)
        self.outcome.setAccessibleName("Filter by outcome")
        self.provider = QComboBox()
        self.provider.addItem("any network", "")
        for p in PROVIDERS:
            self.provider.addItem(PROVIDER_LABELS[p], p)
        self.provider.setAccessibleName("Filter by network")
        self.text = QLineEdit()
        self.text.setPlaceholderText("Filter by UID, content, profile or test plan")
        self.text.setAccessibleName("Filter by text")
        self.text.setClearButtonEnabled(True)
        self.count = QLabel()
        filters = QHBoxLayout()
        for label, widget in (("&Outcome:", self.outcome), ("&Network:", self.provider), ("&Text:", self.text)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget, 1 if widget is self.text else 0)
        filters.addWidget(self.count)

        self.model = HistoryModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Publish attempts")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((60, 150, 80, 110, 130, 200, 130, 160)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._select(current.row()))

        self.details = ResultsPanel(curl=False)
        self.details.retry_requested.connect(self._retry)
        self.details.export_requested.connect(lambda: self.export(selected_only=True))
        self.open_button = QPushButton("Open as &draft")
        self.open_button.setToolTip("Load this attempt's content and options into the window")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(lambda: self.entry and self.open_as_draft.emit(self.entry.row.id, self.entry.draft))
        self.export_all_button = QPushButton("&Export shown…")
        self.export_all_button.setToolTip("Save every attempt the filters show, as JSON or CSV")
        self.export_all_button.clicked.connect(lambda: self.export(selected_only=False))
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("History status")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.export_all_button)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setSizes([330, 370])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FILTER_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.reload)
        self.text.textChanged.connect(lambda _t: self._debounce.start())
        self.outcome.currentIndexChanged.connect(lambda _i: self.reload())
        self.provider.currentIndexChanged.connect(lambda _i: self.reload())

    # --- loading (worker thread) ---

    def reload(self) -> None:
        """Query with the current filters off the GUI thread; a newer query supersedes an older one."""
        self._generation += 1
        generation = self._generation
        path = self.history_path
        filters = {"outcome": self.outcome.currentData(), "provider": self.provider.currentData(), "text": self.text.text().strip()}

        def query() -> tuple[list[Row], str]:
            with History(path) as history:
                return history.rows(**filters), history.recovered

        self.count.setText("loading…")
        self.runner.start(query, lambda value: self._loaded(generation, value), self._failed)

    def _loaded(self, generation: int, value: tuple[list[Row], str]) -> None:
        if generation != self._generation:
            return
        rows, recovered = value
        self.model.set_rows(rows)
        self.count.setText(f"{len(rows)} attempt(s)")
        if recovered:
            self.status.setText(recovered)
        if rows:
            self.table.selectRow(0)
        else:
            self._select(-1)

    def _failed(self, message: str) -> None:
        self.count.setText("")
        self.status.setText(f"The history could not be read: {message.splitlines()[0]}")

    def _select(self, row: int) -> None:
        """Show the attempt on ``row`` (-1: none).  Its details are read on the worker: a large
        history, a slow disk or a file another program holds locked must not stop the window while
        the user moves through the list.  Only the last row chosen is shown."""
        self._selection += 1
        self.entry = None
        self.open_button.setEnabled(False)
        if not 0 <= row < len(self.model.rows):
            self._wanted = None
            self.details.show_message("No attempt selected.")
            return
        self._wanted = self.model.rows[row].id
        self.details.show_busy(f"Loading #{self._wanted}…")
        if not self._reading:
            self._read_details()

    def _read_details(self) -> None:
        """Read the wanted attempt; one read at a time, so moving quickly through a locked history
        queues no pile of reads: the newest choice is read when the running read returns."""
        selection, number, path = self._selection, self._wanted, self.history_path
        self._reading = True
        self.runner.start(
            lambda: read_attempt_details(path, number),
            lambda details: self._details_read(selection, details),
            lambda message: self._details_read(selection, AttemptDetails(problem=message.splitlines()[0])),
        )

    def _details_read(self, selection: int, details: AttemptDetails) -> None:
        self._reading = False
        if selection != self._selection:  # the user moved on meanwhile: read what is selected now
            if self._wanted is not None:
                self._read_details()
            return
        number, self._wanted = self._wanted, None
        if details.entry is None:
            self.details.show_message(f"#{number} could not be read." if details.problem else f"#{number} is no longer in the history.")
            if details.problem:
                self.status.setText(details.problem)
            return
        self.entry = details.entry
        self.open_button.setEnabled(True)
        result = PublishResult.from_json(self.entry.result)
        row_of = self.entry.row
        caption = attempt_caption(
            number=row_of.id, draft_name=row_of.draft_name, uid=row_of.uid, profile=row_of.profile, time=row_of.time,
            retry_of=row_of.retry_of, plan=row_of.plan, case=row_of.case,
        )
        # what an attempt of its family posted is not offered again
        left = [p for p in result.failed_providers() if p not in details.family_posts]
        retryable = not details.problem and (bool(left) or (result.retryable and not result.failed_providers()))
        self.details.show_result(result, retryable, caption)
        if retryable:
            self.details.set_retry(True, f"Publish #{row_of.id}'s draft again, as it was sent, only to {_labels(left) or 'its networks'}.")
        if details.problem:
            self.status.setText(f"Retry is not offered: {details.problem}")

    def show_status(self, message: str) -> None:
        """What came of an action made in this window (a retry, opening a draft)."""
        self.status.setText(message)

    # --- actions ---

    def _retry(self) -> None:
        if self.entry is not None:
            row = self.entry.row
            self.retry_requested.emit(self.entry.draft, self.entry.result, row.id, row.profile, row.draft_name)

    def export(self, selected_only: bool) -> None:
        chosen = Dialogs(self).export_name("Export history", Path.home() / "history.csv")
        if chosen is not None:
            path, kind = chosen
            self.write_export(path, kind, selected_only)

    def write_export(self, path: Path, kind: str, selected_only: bool) -> None:
        """Export on the worker (ten thousand entries take seconds); the status line reports."""
        ids = [self.entry.row.id] if selected_only and self.entry else [r.id for r in self.model.rows]
        history_path = self.history_path

        def export() -> str:
            try:
                with History(history_path) as history:
                    entries, damaged = history.readable(ids)
            except HistoryUnavailable as exc:
                return str(exc)
            try:
                files.atomic_write(path, export_json(entries) if kind == "json" else export_csv(entries), mode=None)
            except OSError as exc:
                return files.why_not_written(path, exc, EXPORT_INSTEAD)
            return f"Exported {len(entries)} attempt(s) to {path.name}" + (f"; {left_out(damaged)}" if damaged else "")

        self.status.setText(f"Exporting {len(ids)} attempt(s)…")
        self.runner.start(export, self.status.setText, lambda message: self.status.setText(f"Cannot export to {path}: {message.splitlines()[0]}"))
