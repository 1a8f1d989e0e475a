"""The results view: which attempt it is (draft, UID, profile, time), each provider's outcome,
the call's id and time, the raw response as pretty, copyable JSON, and the actions that follow a
publish (copy as cURL, retry the failed networks, export)."""

from __future__ import annotations

import json

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from composer.core.contract import PROVIDER_LABELS
from composer.core.wire.result import ProviderResult, PublishResult, Status
from composer.gui.content_editor import plain_tooltip
from composer.gui.labels import hold_wrapped_height
from composer.gui.preview_panel import plain_label
from composer.gui.theme import hint, set_state, set_weight

STATUS_TEXT = {
    Status.POSTED: "posted",
    Status.FAILED: "failed",
    Status.NOT_ATTEMPTED: "not attempted",
    Status.UNKNOWN: "unknown",
}
RETRY_TIP = "Publish this attempt's draft again, as it was sent, only to the networks that failed (enabledProviders = those)."
#: "Reason" is the server's message and its details together: the details say why ("Limit reached:
#: Status is a duplicate."), so they get the room that is left, and wrap
COLUMNS = ["Network", "Outcome", "Post ID", "Error code", "Reason"]
POST_ID, REASON = COLUMNS.index("Post ID"), COLUMNS.index("Reason")
#: our choice: most post IDs fit; the tooltip has all of one
POST_ID_WIDTH = 150
#: our choice: four or five words a line.  Narrower, a reason reads as a column of single words
#: taller than the table; the table scrolls sideways instead
REASON_MIN_CHARS = 20


class ElidedCell(QStyledItemDelegate):
    """A cell whose text does not fit ends in "…" in the middle (its start and end stay), on one
    line: a post ID cut without a mark reads as a whole, wrong ID."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802 - Qt override
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText


class ResultsPanel(QWidget):
    copy_curl_requested = Signal()
    retry_requested = Signal()
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None, curl: bool = True):
        """``curl=False``: no "Copy as cURL" (a window that keeps no request to copy)."""
        super().__init__(parent)
        self.headline = plain_label("headline")
        self.headline.setText("Nothing published yet. Press Publish (Ctrl+Enter) to send the share.")
        set_weight(self.headline, QFont.Weight.DemiBold, pixel_size=14)
        #: which attempt this is: its number, draft, UID, profile and time
        self.caption = plain_label("attempt")
        self.caption.setAccessibleName("Attempt")
        self.meta = hint(plain_label("domain"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # how long the server takes is unknown: a busy indicator
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Publishing")
        self.progress.setVisible(False)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Results per network")
        # Tab leaves the table (the arrows move between its cells), so Retry and Export are a
        # few presses away rather than one per cell
        self.table.setTabKeyNavigation(False)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        # our choice: the header and four rows; a shorter tab gives its room to the wrapped lines
        # above and scrolls the table
        self.table.setMinimumHeight(4 * (self.fontMetrics().height() + 8) + 30)
        # the server's words are the reason: they wrap rather than end in "..."
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        # a post ID has no word to wrap at: one that does not fit shows it is cut (the tooltip,
        # the raw response and Export have all of it)
        self._elided = ElidedCell(self.table)
        self.table.setItemDelegateForColumn(POST_ID, self._elided)
        # the columns are fitted to the table's width (_fit_columns); when even the Reason's
        # minimum does not fit, the table scrolls sideways
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.viewport().installEventFilter(self)
        # each row as tall as its wrapped reason, kept so as the column's width changes
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.raw = QPlainTextEdit()
        self.raw.setReadOnly(True)
        self.raw.setAccessibleName("Raw response")
        self.raw.setPlaceholderText("The server's raw response appears here.")
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.raw.setToolTip("The server's answer, verbatim (pretty-printed when it is JSON). Select and copy freely.")
        self.curl_button = QPushButton("Copy as cURL")
        self.curl_button.setToolTip("Copy the equivalent cURL command of the last request; the secret and signature are redacted.")
        self.curl_button.clicked.connect(self.copy_curl_requested)
        self.retry_button = QPushButton("Retry failed networks")
        self.retry_button.setToolTip(RETRY_TIP)
        self.retry_button.clicked.connect(self.retry_requested)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save this result as JSON or CSV for a QA report.")
        self.export_button.clicked.connect(self.export_requested)
        for b in (self.curl_button, self.retry_button, self.export_button):
            b.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addStretch(1)
        buttons.addWidget(self.curl_button)
        buttons.addWidget(self.export_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.raw)
        split.setSizes([230, 120])
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.progress)
        layout.addWidget(self.caption)
        layout.addWidget(self.meta)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        if not curl:
            self.curl_button.hide()
        self.result: PublishResult | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._hold_wrapped_lines()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return False

    def _fit_columns(self) -> None:
        """Each column as wide as its contents (the post ID at most ``POST_ID_WIDTH``), the Reason
        the room left, never under ``REASON_MIN_CHARS``.  Where the room is short, the post ID gives
        up its width first, down to its title's."""
        table = self.table
        header = table.horizontalHeader()
        room = table.viewport().width()
        widths = [max(table.sizeHintForColumn(column), header.sectionSizeHint(column)) for column in range(REASON)]
        widths[POST_ID] = min(widths[POST_ID], POST_ID_WIDTH)
        reason_min = REASON_MIN_CHARS * table.fontMetrics().averageCharWidth()
        short = sum(widths) + reason_min - room
        if short > 0:
            widths[POST_ID] = max(header.sectionSizeHint(POST_ID), widths[POST_ID] - short)
        for column, width in enumerate(widths):
            table.setColumnWidth(column, width)
        table.setColumnWidth(REASON, max(reason_min, room - sum(widths)))

    def _hold_wrapped_lines(self) -> None:
        """Keep room for every line of the wrapped labels (a long reason in the headline, the
        notes): a layout's minimum counts a wrapped label at its widest, one line, so a short
        panel would otherwise lay the table over the lines it wraps into."""
        width = self.layout().contentsRect().width()
        if width <= 0 or not self.isVisible():  # not laid out yet: its resize comes with its width
            return
        for label in (self.headline, self.caption, self.meta):
            hold_wrapped_height(label, width)

    def show_busy(self, message: str, caption: str = "") -> None:
        """A publish is in flight: the previous result goes, so nothing of it can be read as this
        attempt's or acted on meanwhile."""
        self._clear(message, busy=True, caption=caption)

    def show_message(self, message: str) -> None:
        """Only ``message``: no attempt is shown and nothing is on its way."""
        self._clear(message, busy=False)

    def _clear(self, message: str, busy: bool, caption: str = "") -> None:
        """Nothing of the previous result left to read or act on; ``message`` says why."""
        self.result = None
        for button in (self.retry_button, self.export_button, self.curl_button):
            button.setEnabled(False)
        self.headline.setText(message)
        set_state(self.headline, "outcome", "")
        self.progress.setVisible(busy)
        self.caption.setText(caption)
        self.meta.clear()
        self.table.setRowCount(0)
        self.raw.clear()
        self._hold_wrapped_lines()

    def show_result(self, result: PublishResult, retryable: bool | None = None, caption: str = "") -> None:
        """Show ``result`` of the attempt ``caption`` names; Retry is offered when ``retryable``
        (by default, when the result says some networks can be retried)."""
        self.result = result
        self.progress.setVisible(False)
        self.headline.setText(result.headline)
        set_state(self.headline, "outcome", result.outcome.value)
        self.caption.setText(caption)
        meta = []
        if result.call_id:
            meta.append(f"callId {result.call_id}")
        if result.time:
            meta.append(f"server time {result.time}")
        if result.http_status is not None:
            meta.append(f"HTTP {result.http_status}")
        meta.extend(result.notes)
        self.meta.setText("   ".join(meta))
        self._hold_wrapped_lines()
        self.table.setRowCount(len(result.providers))
        for row, p in enumerate(result.providers):
            values = [
                PROVIDER_LABELS.get(p.provider, p.provider),
                STATUS_TEXT[p.status],
                p.post_id,
                "" if p.error_code is None else str(p.error_code),
                _reason(p),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(plain_tooltip(value))
                self.table.setItem(row, column, item)
        self._fit_columns()
        self.raw.setPlainText(_pretty(result))
        self.curl_button.setEnabled(bool(result.url))
        self.set_retry(result.retryable if retryable is None else retryable)
        self.export_button.setEnabled(True)

    def set_retry(self, enabled: bool, tip: str = "") -> None:
        """Offer Retry (or not), with what it will send: the attempt's own draft."""
        self.retry_button.setEnabled(enabled and self.result is not None)
        self.retry_button.setToolTip(tip or RETRY_TIP)

    def row_for(self, provider: str) -> dict[str, str]:
        """The cells shown for ``provider`` by column name (tests and accessibility)."""
        label = PROVIDER_LABELS.get(provider, provider)
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).text() == label:
                return {COLUMNS[c]: self.table.item(row, c).text() for c in range(len(COLUMNS))}
        return {}


def _reason(p: ProviderResult) -> str:
    if p.error_message and p.error_details and p.error_details != p.error_message:
        return f"{p.error_message}: {p.error_details}"
    return p.error_details or p.error_message


def _pretty(result: PublishResult) -> str:
    if result.response is not None:
        return json.dumps(result.response, ensure_ascii=False, indent=2)
    if result.raw:
        return result.raw
    return f"(no answer from the server: {result.error_message})"
