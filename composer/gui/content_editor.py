"""The UserAction editor view: text fields, the action-links editor and the media editor.

A view only: it shows a UserAction handed to it and reports what the user changed through signals
(``text_edited(name, value)``, ``links_edited(list)``, ``media_edited(list)``,
``reset_requested(name)``).  The controller writes the model and hands the view the result.
"""

from __future__ import annotations

import html
from collections.abc import Collection

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from composer.core.call.docs import MEDIA_FIELDS_DOC, USER_ACTION_FIELDS
from composer.core.call.model import MEDIA_FIELDS, ActionLink, MediaItem, UserAction
from composer.core.call.networks import rules_for
from composer.gui.labels import WrappedLabel
from composer.gui.theme import hint, set_state

MEDIA_TYPE_LABELS = {"image": "Images", "flash": "Video / Flash", "mp3": "MP3 audio"}
#: short column titles for the media table (the tooltip names the wire field)
MEDIA_COLUMN_LABELS = {
    "src": "File URL",
    "href": "Link URL",
    "previewImageURL": "Preview image URL",
    "previewImageWidth": "Prev. W",
    "previewImageHeight": "Prev. H",
    "width": "Width",
    "height": "Height",
    "title": "Title",
    "artist": "Artist",
    "album": "Album",
}
_NARROW_MEDIA_COLUMNS = {"previewImageWidth", "previewImageHeight", "width", "height"}


class UndoKeyFilter(QObject):
    """Hands Ctrl+Z / Ctrl+Shift+Z from text inputs to the window's undo stack, so undo covers every
    field (checkboxes, lists, overrides) in one history instead of each input keeping its own."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.ShortcutOverride:
            if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
                event.ignore()
                return True
        return False


UNDO_KEY_FILTER: UndoKeyFilter | None = None


def undo_key_filter() -> UndoKeyFilter:
    global UNDO_KEY_FILTER
    if UNDO_KEY_FILTER is None:
        UNDO_KEY_FILTER = UndoKeyFilter()
    return UNDO_KEY_FILTER


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as it is: Qt renders tooltips that look like HTML as HTML,
    so user and server text is escaped and wrapped as rich text."""
    if not text:
        return ""
    return "<qt>" + html.escape(text, quote=False).replace("\n", "<br>") + "</qt>"


def set_text_quietly(widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    current = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
    if current == text:
        return
    widget.blockSignals(True)
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(text)
    else:
        widget.setText(text)
        widget.setCursorPosition(len(text))
    widget.blockSignals(False)


class ListEditor(QWidget):
    """A table with Add, Remove, Up and Down buttons.  Subclasses map rows to model objects."""

    rows_edited = Signal()

    def __init__(
        self, columns: list[str], noun: str, parent: QWidget | None = None, table_class: type = QTableWidget, above: QLayout | None = None
    ):
        """``above``: a row shown above the table, and reached by Tab before it."""
        super().__init__(parent)
        self.noun = noun
        self.table = table_class(0, len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.table.setMinimumHeight(80)
        self.table.setMaximumHeight(130)
        self.table.setTabKeyNavigation(False)
        #: the table's own edit triggers, given back when a read-only table becomes editable, so a
        #: customized network's tables edit exactly as the default content's do
        self._edit_triggers = self.table.editTriggers()
        self.table.itemChanged.connect(lambda _item: self.rows_edited.emit())
        article = "an" if noun[0] in "aeiou" else "a"
        self.add_button = self._button("Add", f"Add {article} {noun}")
        self.remove_button = self._button("Remove", f"Remove the selected {noun}")
        self.up_button = self._button("Up", f"Move the selected {noun} up")
        self.down_button = self._button("Down", f"Move the selected {noun} down")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        self.up_button.clicked.connect(lambda: self.move_row(-1))
        self.down_button.clicked.connect(lambda: self.move_row(1))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.extra_buttons = buttons
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if above is not None:
            layout.addLayout(above)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        return button

    def commit(self) -> None:
        """Close an open cell editor, keeping what was typed in it."""
        index = self.table.currentIndex()
        if not index.isValid() or self.table.state() != QAbstractItemView.State.EditingState:
            return
        editor = self.table.indexWidget(index)
        if editor is not None:
            self.table.commitData(editor)
            self.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def row_values(self) -> list[list[str]]:
        out = []
        for r in range(self.table.rowCount()):
            out.append([(self.table.item(r, c).text() if self.table.item(r, c) else "") for c in range(self.table.columnCount())])
        return out

    def set_rows(self, rows: list[list[str]]) -> None:
        if rows == self.row_values():
            return
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = self.table.item(r, c)
                if item is None:
                    self.table.setItem(r, c, QTableWidgetItem(value))
                elif item.text() != value:
                    item.setText(value)
        self.table.blockSignals(False)

    def add_row(self, values: list[str] | None = None) -> None:
        rows = self.row_values()
        rows.append(values if isinstance(values, list) else [""] * self.table.columnCount())
        self.set_rows(rows)
        self.table.setCurrentCell(len(rows) - 1, 0)
        self.rows_edited.emit()
        if not isinstance(values, list):
            self.table.editItem(self.table.item(len(rows) - 1, 0))

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        rows = self.row_values()
        del rows[row]
        self.set_rows(rows)
        self.rows_edited.emit()

    def move_row(self, delta: int) -> None:
        row = self.table.currentRow()
        target = row + delta
        rows = self.row_values()
        if row < 0 or not 0 <= target < len(rows):
            return
        rows[row], rows[target] = rows[target], rows[row]
        self.set_rows(rows)
        self.table.setCurrentCell(target, self.table.currentColumn())
        self.rows_edited.emit()

    def set_read_only(self, read_only: bool) -> None:
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if read_only else self._edit_triggers)
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            b.setEnabled(not read_only)


class ActionLinksEditor(ListEditor):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(["Text", "URL"], "action link", parent)
        self.table.setToolTip(USER_ACTION_FIELDS["actionLinks"])
        self.table.setAccessibleName("Action links")

    def links(self) -> list[ActionLink]:
        return [ActionLink(title=t.strip(), href=h.strip()) for t, h in self.row_values()]

    def show_links(self, links: list[ActionLink]) -> None:
        self.set_rows([[link.title, link.href] for link in links])


class MediaTable(QTableWidget):
    """Accepts an image URL (or several) dropped onto it."""

    urls_dropped = Signal(list)

    def __init__(self, *args: object):
        super().__init__(*args)
        self.setAcceptDrops(True)  # a scroll area passes this on to its viewport

    def _urls(self, event) -> list[str]:  # noqa: ANN001 - QDropEvent / QDragEnterEvent
        mime = event.mimeData()
        if mime.hasUrls():
            return [u.toString() for u in mime.urls() if u.scheme() in ("http", "https")]
        if mime.hasText():
            return [line.strip() for line in mime.text().splitlines() if line.strip().startswith(("http://", "https://"))]
        return []

    def dragEnterEvent(self, event) -> None:  # noqa: N802, ANN001
        if self._urls(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: N802, ANN001
        if self._urls(event):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802, ANN001
        urls = self._urls(event)
        if urls:
            event.acceptProposedAction()
            self.urls_dropped.emit(urls)
        else:
            super().dropEvent(event)


class MediaEditor(ListEditor):
    """Media items of exactly one type: the chooser sets the type of every item, and the table shows
    that type's own fields."""

    type_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        type_combo = QComboBox()
        for key, label in MEDIA_TYPE_LABELS.items():
            type_combo.addItem(label, key)
        type_combo.setToolTip("The one media type of this action; changing it converts every item.")
        type_combo.setAccessibleName("Media type")
        type_label = QLabel("T&ype:")
        type_label.setBuddy(type_combo)
        # a row of its own above the table, so the buttons' row stays narrow in a narrow window
        type_row = QHBoxLayout()
        type_row.addWidget(type_label)
        type_row.addWidget(type_combo)
        type_row.addStretch(1)
        super().__init__([MEDIA_COLUMN_LABELS[n] for n in MEDIA_FIELDS["image"]], "media item", parent, table_class=MediaTable, above=type_row)
        self.type_combo = type_combo
        self.type_combo.currentIndexChanged.connect(self._type_chosen)
        self._shown_columns: tuple[str, ...] = MEDIA_FIELDS["image"]
        #: the items last shown, in row order (the table shows only some of their fields)
        self._items: list[MediaItem] = []
        self.table.setToolTip(USER_ACTION_FIELDS["mediaItems"] + " Drop an image URL here to add it.")
        self.table.setAccessibleName("Media items")
        self.table.urls_dropped.connect(self._add_dropped)

    def media_type(self) -> str:
        return str(self.type_combo.currentData())

    def _type_chosen(self, _index: int) -> None:
        if self.table.rowCount() == 0:
            # no item to convert, so the model does not change: the columns follow the choice
            # here, and a row added next has the fields of the type chosen
            self.show_media([])
        self.type_changed.emit(self.media_type())

    def _add_dropped(self, urls: list[str]) -> None:
        if self.media_type() != "image":
            self.type_combo.setCurrentIndex(self.type_combo.findData("image"))
        for url in urls:
            self.add_row([url] + [""] * (self.table.columnCount() - 1))

    def items(self) -> list[MediaItem]:
        """The items as the table shows them: each row updates a copy of the item it shows, so
        fields the table does not show (another type's, or unknown ones) are kept; a new row takes
        the chosen type."""
        columns = self._shown_columns
        out = []
        for row, values in enumerate(self.row_values()):
            base = self._items[row] if row < len(self._items) else MediaItem(type=self.media_type())
            item = MediaItem(type=base.type, values=dict(base.values))
            for name, value in zip(columns, values):
                item.set(name, value.strip())
            out.append(item)
        return out

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._items):
            del self._items[row]
        super().remove_row()

    def move_row(self, delta: int) -> None:
        row, target = self.table.currentRow(), self.table.currentRow() + delta
        if 0 <= row < len(self._items) and 0 <= target < len(self._items):
            self._items[row], self._items[target] = self._items[target], self._items[row]
        super().move_row(delta)

    def show_media(self, items: list[MediaItem]) -> None:
        self._items = [MediaItem(type=i.type, values=dict(i.values)) for i in items]
        kind = items[0].type if items and items[0].type in MEDIA_FIELDS else self.media_type()
        if kind != self.media_type():
            self.type_combo.blockSignals(True)
            self.type_combo.setCurrentIndex(self.type_combo.findData(kind))
            self.type_combo.blockSignals(False)
        columns = MEDIA_FIELDS[kind]
        if self._shown_columns != columns:
            self._shown_columns = columns
            self.table.blockSignals(True)
            self.table.setRowCount(0)
            self.table.setColumnCount(len(columns))
            self.table.setHorizontalHeaderLabels([MEDIA_COLUMN_LABELS.get(name, name) for name in columns])
            header = self.table.horizontalHeader()
            for i, name in enumerate(columns):
                self.table.horizontalHeaderItem(i).setToolTip(f"{name}: {MEDIA_FIELDS_DOC.get(name, '')}")
                narrow = name in _NARROW_MEDIA_COLUMNS
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents if narrow else QHeaderView.ResizeMode.Stretch)
            self.table.blockSignals(False)
        self.set_rows([[item.get(name) for name in columns] for item in items])

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.type_combo.setEnabled(not read_only)
        self.table.setAcceptDrops(not read_only)


class UserActionEditor(QWidget):
    """Edits one UserAction.  ``prefix`` is its parameter name (``userAction``,
    ``twitterUserAction``) and names the inputs for accessibility and problem routing."""

    text_edited = Signal(str, str)
    links_edited = Signal(list)
    media_edited = Signal(list)
    reset_requested = Signal(str)
    #: the media type chosen for the items (the controller converts them, or asks first)
    media_type_requested = Signal(str)

    TEXT_FIELDS = (
        ("userMessage", "User &message:"),
        ("title", "&Title:"),
        ("linkBack", "&Link back:"),
        ("subtitle", "Su&btitle:"),
        ("description", "&Description:"),
    )

    def __init__(self, prefix: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.prefix = prefix
        self.inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.reset_buttons: dict[str, QToolButton] = {}
        self.link_labels: dict[str, QLabel] = {}
        self.messages: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # in a narrow window (or at a large scale factor) a label goes above its field rather
        # than the form scrolling sideways
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for name, label in self.TEXT_FIELDS:
            if name in ("userMessage", "description"):
                widget: QLineEdit | QPlainTextEdit = QPlainTextEdit()
                widget.setTabChangesFocus(True)
                widget.setFixedHeight(64 if name == "userMessage" else 52)
                widget.textChanged.connect(lambda n=name, w=widget: self.text_edited.emit(n, w.toPlainText()))
            else:
                widget = QLineEdit()
                widget.setClearButtonEnabled(True)
                widget.textEdited.connect(lambda text, n=name: self.text_edited.emit(n, text))
            if name == "linkBack":
                widget.setPlaceholderText("https://example.com/article")
            widget.setObjectName(f"{prefix}.{name}")
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
            widget.setToolTip(USER_ACTION_FIELDS[name])
            widget.installEventFilter(undo_key_filter())
            self.inputs[name] = widget
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, self._with_reset(name, widget))
        if prefix == "userAction":
            kept = hint(QLabel("Kept HTML: <b> <i> <u> <strong> <br> <p>; other tags are removed by Gigya."))
            kept.setTextFormat(Qt.TextFormat.PlainText)
            kept.setWordWrap(True)
            kept.setObjectName("hint")
            form.insertRow(1, "", kept)
        self.links = ActionLinksEditor()
        self.links.setObjectName(f"{prefix}.actionLinks")
        self.links.rows_edited.connect(lambda: self.links_edited.emit(self.links.links()))
        self.media = MediaEditor()
        self.media.setObjectName(f"{prefix}.mediaItems")
        self.media.rows_edited.connect(lambda: self.media_edited.emit(self.media.items()))
        self.media.type_changed.connect(self.media_type_requested)
        links_label = QLabel("&Action links:")
        links_label.setBuddy(self.links.table)
        form.addRow(links_label, self._with_reset("actionLinks", self.links))
        media_label = QLabel("Med&ia:")
        media_label.setBuddy(self.media.table)
        form.addRow(media_label, self._with_reset("mediaItems", self.media))

    def _with_reset(self, name: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(widget, 1)
        if self.prefix != "userAction":
            button = QToolButton()
            button.setText("↺")
            button.setToolTip(f"Reset {name} to the default content")
            button.setAccessibleName(f"Reset {name} to default")
            button.setVisible(False)
            button.clicked.connect(lambda _=False, n=name: self.reset_requested.emit(n))
            self.reset_buttons[name] = button
            # whether the field follows the default ("linked") or was edited here ("own")
            link = hint(QLabel())
            link.setObjectName("linkState")
            self.link_labels[name] = link
            top = QVBoxLayout()  # at the top of a tall field: an alignment would be a Qt value (see gui.theme)
            top.addWidget(button)
            top.addWidget(link)
            top.addStretch(1)
            row.addLayout(top)
        layout.addLayout(row)
        message = WrappedLabel()  # what is wrong with the field, under it
        message.setVisible(False)
        self.messages[name] = message
        layout.addWidget(message)
        return box

    # --- showing the model ---

    def show_content(
        self,
        ua: UserAction,
        reference: UserAction | None = None,
        inherited: Collection[str] = (),
        posted: Collection[str] = (),
    ) -> None:
        """Show ``ua``.  With ``reference`` (the default content) it is an override: each field
        says whether it follows the default (``inherited``) or is its own, with a reset for its
        own; the outline marks the fields that differ from the default and that the network posts
        (``posted``)."""
        for name, widget in self.inputs.items():
            set_text_quietly(widget, getattr(ua, name))
        self.links.show_links(ua.actionLinks)
        self.media.show_media(ua.mediaItems)
        for name in self.reset_buttons:
            own = reference is not None and name not in inherited
            differs = reference is not None and _field_value(ua, name) != _field_value(reference, name)
            self.reset_buttons[name].setVisible(own)
            label = self.link_labels[name]
            label.setVisible(reference is not None)
            label.setText("own" if own else "linked")
            label.setToolTip(
                "Edited for this network; ↺ links it to the default again" if own else "Follows the default content until edited here"
            )
            set_state(self._widget_for(name), "overridden", differs and name in posted)

    def set_read_only(self, read_only: bool) -> None:
        for widget in self.inputs.values():
            widget.setReadOnly(read_only)
        self.links.set_read_only(read_only)
        self.media.set_read_only(read_only)

    def show_problems(self, problems: dict[str, list[tuple[str, str]]]) -> None:
        """``problems`` maps a field name (relative to this UserAction) to (severity, message) pairs."""
        for name, label in self.messages.items():
            found = problems.get(name, [])
            text = "\n".join(m for _, m in found)
            label.setVisible(bool(found))
            if found:
                severity = "error" if any(s == "error" for s, _ in found) else "warning"
                label.setObjectName("fieldError" if severity == "error" else "fieldWarning")
                label.setText(text)
                set_state(label, "severity", severity)
            target = self._widget_for(name)
            if target is not None:
                set_state(target, "invalid", any(s == "error" for s, _ in found))
                # a screen reader says what is wrong when focus enters the field
                target.setAccessibleDescription(text)

    def _widget_for(self, name: str) -> QWidget | None:
        """The input that edits field ``name`` (a text input, or the links or media table)."""
        return self.inputs.get(name) or {"actionLinks": self.links.table, "mediaItems": self.media.table}.get(name)

    def focus_field(self, name: str) -> None:
        target = self._widget_for(name)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)


def _field_value(ua: UserAction, name: str) -> object:
    if name == "actionLinks":
        return [link.to_json() for link in ua.actionLinks]
    if name == "mediaItems":
        return [item.to_json() for item in ua.mediaItems]
    return getattr(ua, name)


class ProviderContentTab(QWidget):
    """A provider's tab: "same as default" until the user customizes it."""

    customize_requested = Signal(str)
    reset_all_requested = Signal(str)

    def __init__(self, provider: str, label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.provider = provider
        self.label = label
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.customize_button = QPushButton(f"Customize for {label}")
        self.customize_button.setToolTip(
            f"Send {label} its own content ({provider}UserAction) instead of the default; starts as a copy of the default."
        )
        self.customize_button.clicked.connect(lambda: self.customize_requested.emit(provider))
        self.reset_button = QPushButton("Reset all to default")
        self.reset_button.setToolTip(f"Drop {label}'s own content; it gets the default content again.")
        self.reset_button.clicked.connect(lambda: self.reset_all_requested.emit(provider))
        # this button hides with the network's own content: focus goes to the one shown instead
        self.reset_button.clicked.connect(lambda: self.customize_button.setFocus(Qt.FocusReason.OtherFocusReason))
        header = QHBoxLayout()
        header.addWidget(self.status, 1)
        header.addWidget(self.customize_button)
        header.addWidget(self.reset_button)
        self.editor = UserActionEditor(f"{provider}UserAction")
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.editor)
        layout.addStretch(1)

    def show_state(self, ua: UserAction, default: UserAction, overridden: bool, inherited: Collection[str] = ()) -> None:
        self.customize_button.setVisible(not overridden)
        self.reset_button.setVisible(overridden)
        self.editor.set_read_only(not overridden)
        if overridden:
            self.status.setText(
                f"{self.label} gets its own content. Linked fields follow the default until edited; "
                f"outlined ones differ from it and {self.label} posts them."
            )
            self.editor.show_content(ua, default, inherited, rules_for(self.provider).fields)
        else:
            self.status.setText(f"{self.label} gets the default content (shown read-only).")
            self.editor.show_content(default, None)
