"""The call's options view: UID, provider lists, shortURLs, tags, cid, action attributes, user
location and the request's format.  Reports edits as ``edited(param, value)``; shows a PublishCall."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from composer.core.accounts.users import UidChoices
from composer.core.call.docs import PARAMS
from composer.core.call.model import ACTION_ATTRIBUTE_VALUES_MAX, CID_MAX, SHORT_URLS, PublishCall, attribute_value_count
from composer.core.contract import PROVIDER_LABELS, PROVIDERS
from composer.core.wire.endpoint import DEFAULT_TIMEOUT
from composer.gui.content_editor import ListEditor, set_text_quietly, undo_key_filter
from composer.gui.labels import WrappedLabel
from composer.gui.preview_panel import plain_label
from composer.gui.theme import hint, set_state


class AttributesEditor(ListEditor):
    """actionAttributes as rows of key and comma-separated values."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(["Key", "Values (comma-separated)"], "attribute", parent)
        self.table.setToolTip(PARAMS["actionAttributes"])
        self.table.setAccessibleName("Action attributes")

    def attributes(self) -> dict[str, Any]:
        """The rows as actionAttributes: a key given on several rows gathers all their values; a
        row without a key (still being typed) stays in the table but not in the model."""
        out: dict[str, Any] = {}
        for key, values in self.row_values():
            key = key.strip()
            parts = [v.strip() for v in values.split(",") if v.strip()]
            if not key:
                continue
            existing = out.get(key, [])
            merged = (existing if isinstance(existing, list) else [existing]) + parts
            out[key] = merged[0] if len(merged) == 1 else merged
        return out

    def show_attributes(self, attributes: dict[str, Any]) -> None:
        if self.attributes() == _normalized(attributes):
            return  # the rows already say this, including rows still being filled in
        rows = [[key, ", ".join(value) if isinstance(value, list) else str(value)] for key, value in attributes.items()]
        self.set_rows(rows)


def _normalized(attributes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attributes.items():
        values = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        values = [v for v in values if v]
        if key and values:
            out[key] = values[0] if len(values) == 1 else values
        elif key:
            out[key] = []
    return out


class OptionsEditor(QWidget):
    edited = Signal(str, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.messages: dict[str, WrappedLabel] = {}
        self.inputs: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)

        who = QFormLayout()
        self.uid = self._line("UID", "&UID:", who, placeholder="the user's Gigya UID")
        # the picker: the sandbox's demo users with what each rehearses, or a profile's recent UIDs
        # a push button with a menu: the style leaves room for its arrow beside the text
        self.uid_picker = QPushButton("Pick a user")
        self.uid_picker.setAccessibleName("Pick a UID")
        self.uid_picker.setMenu(QMenu(self.uid_picker))
        self.uid_about = hint(plain_label("uidAbout"))
        self.uid_about.setAccessibleName("What this user rehearses")
        self.uid_choices: UidChoices | None = None
        picker = QHBoxLayout()
        picker.addWidget(self.uid_picker, 0, Qt.AlignmentFlag.AlignTop)
        picker.addWidget(self.uid_about, 1)
        who.addRow("", picker)
        self.show_uid_choices(UidChoices("Users", [], "loading…"))
        layout.addLayout(who)

        providers = QGroupBox("Networks")
        grid = QGridLayout(providers)
        for column, text in ((1, "Only these (enabledProviders)"), (2, "Never these (disabledProviders)")):
            heading = QLabel(text)
            heading.setWordWrap(True)  # two lines rather than a form scrolling sideways when narrow
            grid.addWidget(heading, 0, column)
        self.enabled: dict[str, QCheckBox] = {}
        self.disabled: dict[str, QCheckBox] = {}
        for row, provider in enumerate(PROVIDERS, start=1):
            label = PROVIDER_LABELS[provider]
            grid.addWidget(QLabel(label), row, 0)
            for column, (store, param) in enumerate(((self.enabled, "enabledProviders"), (self.disabled, "disabledProviders")), start=1):
                box = QCheckBox()
                box.setObjectName(f"{param}.{provider}")
                box.setAccessibleName(f"{'Only' if column == 1 else 'Never'} {label}")
                box.setToolTip(PARAMS[param])
                box.toggled.connect(lambda _on, p=param: self.edited.emit(p, self._checked(p)))
                store[provider] = box
                grid.addWidget(box, row, column, Qt.AlignmentFlag.AlignHCenter)
        self.providers_message = self._message("enabledProviders")
        self.disabled_message = self._message("disabledProviders")
        grid.addWidget(self.providers_message, len(PROVIDERS) + 1, 0, 1, 3)
        grid.addWidget(self.disabled_message, len(PROVIDERS) + 2, 0, 1, 3)
        layout.addWidget(providers)

        share = QGroupBox("Sharing")
        form = QFormLayout(share)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.short_urls = QComboBox()
        self.short_urls.addItem(f"default ({SHORT_URLS[0]})", "")
        for value in SHORT_URLS:
            self.short_urls.addItem(value, value)
        self.short_urls.setAccessibleName("Short URLs")
        self.short_urls.setToolTip(PARAMS["shortURLs"])
        self.short_urls.currentIndexChanged.connect(lambda _i: self.edited.emit("shortURLs", self.short_urls.currentData()))
        self.inputs["shortURLs"] = self.short_urls
        form.addRow("&Short URLs:", self._with_message("shortURLs", self.short_urls))
        self.tags = self._line("tags", "Ta&gs:", form, placeholder="comma-separated, e.g. spring, launch")
        cid_row = QHBoxLayout()
        self.cid = QLineEdit()
        self.cid.setObjectName("cid")
        self.cid.setAccessibleName("Context ID")
        self.cid.setToolTip(PARAMS["cid"])
        self.cid.installEventFilter(undo_key_filter())
        self.cid.textEdited.connect(lambda text: self.edited.emit("cid", text))
        self.cid_counter = QLabel(f"0/{CID_MAX}")
        self.cid_counter.setObjectName("counter")
        self.cid_counter.setAccessibleName("Context ID length")
        cid_row.addWidget(self.cid, 1)
        cid_row.addWidget(self.cid_counter)
        cid_box = QWidget()
        cid_box.setLayout(cid_row)
        cid_row.setContentsMargins(0, 0, 0, 0)
        self.inputs["cid"] = self.cid
        form.addRow(self._buddy("Conte&xt ID (cid):", self.cid), self._with_message("cid", cid_box))
        self.attributes = AttributesEditor()
        self.attributes.setObjectName("actionAttributes")
        self.attributes.rows_edited.connect(lambda: self.edited.emit("actionAttributes", self.attributes.attributes()))
        self.attributes_counter = QLabel(f"0/{ACTION_ATTRIBUTE_VALUES_MAX} values")
        self.attributes_counter.setObjectName("counter")
        self.attributes.extra_buttons.addWidget(self.attributes_counter)
        form.addRow(self._buddy("Action &attributes:", self.attributes.table), self._with_message("actionAttributes", self.attributes))
        layout.addWidget(share)

        where = QGroupBox("User location (Twitter only)")
        loc = QFormLayout(where)
        loc.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.latitude = self._line("userLocation.latitude", "La&titude:", loc, placeholder="-90 to 90")
        self.latitude.setValidator(RangeValidator(-90, 90, self))
        self.longitude = self._line("userLocation.longitude", "Longitu&de:", loc, placeholder="-180 to 180")
        self.longitude.setValidator(RangeValidator(-180, 180, self))
        self.place_id = self._line("userLocation.placeID", "P&lace ID:", loc, placeholder="from socialize.getPlaces")
        layout.addWidget(where)

        request = QGroupBox("Request")
        req = QFormLayout(request)
        req.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.format = QComboBox()
        self.format.addItems(["json", "jsonp"])
        self.format.setAccessibleName("Response format")
        self.format.setToolTip(PARAMS["format"])
        self.format.currentTextChanged.connect(lambda text: self.edited.emit("format", text))
        self.inputs["format"] = self.format
        req.addRow("For&mat:", self._with_message("format", self.format))
        self.callback = self._line("callback", "Call&back:", req, placeholder="only for jsonp")
        self.http_status = QComboBox()
        self.http_status.addItem("not sent (always HTTP 200)", None)
        self.http_status.addItem("true: real HTTP statuses", True)
        self.http_status.addItem("false", False)
        self.http_status.setAccessibleName("HTTP status codes")
        self.http_status.setToolTip(PARAMS["httpStatusCodes"])
        self.http_status.currentIndexChanged.connect(lambda _i: self.edited.emit("httpStatusCodes", self.http_status.currentData()))
        req.addRow("HTTP status codes:", self.http_status)
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(0.5, 300)
        self.timeout.setDecimals(1)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(DEFAULT_TIMEOUT)
        self.timeout.setAccessibleName("Timeout")
        self.timeout.setToolTip("How long to wait for the answer. After a timeout the outcome is unknown and nothing is resent.")
        req.addRow("T&imeout:", self.timeout)
        layout.addWidget(request)
        layout.addStretch(1)

    # --- building ---

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    def _message(self, name: str) -> WrappedLabel:
        label = WrappedLabel()  # what is wrong with the field, under it
        label.setVisible(False)
        self.messages[name] = label
        return label

    def _with_message(self, name: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self._message(name))
        return box

    def _line(self, param: str, label: str, form: QFormLayout, placeholder: str = "") -> QLineEdit:
        widget = QLineEdit()
        widget.setObjectName(param)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        widget.setToolTip(PARAMS.get(param, ""))
        widget.setPlaceholderText(placeholder)
        widget.setClearButtonEnabled(True)
        widget.installEventFilter(undo_key_filter())
        widget.textEdited.connect(lambda text, p=param: self.edited.emit(p, text))
        self.inputs[param] = widget
        form.addRow(self._buddy(label, widget), self._with_message(param, widget))
        return widget

    def _checked(self, param: str) -> list[str]:
        boxes = self.enabled if param == "enabledProviders" else self.disabled
        return [p for p, box in boxes.items() if box.isChecked()]

    # --- showing the model ---

    def show_uid_choices(self, choices: UidChoices) -> None:
        """List ``choices`` in the picker's menu: one action per UID, with what it rehearses."""
        self.uid_choices = choices
        menu = self.uid_picker.menu()
        menu.clear()
        menu.addSection(choices.heading)
        for choice in choices.choices:
            action = menu.addAction(f"{choice.uid} — {choice.about}" if choice.about else choice.uid)
            action.triggered.connect(lambda _checked=False, uid=choice.uid: self._pick(uid))
        if choices.note:
            menu.addAction(choices.note).setEnabled(False)
        self._show_about(self.uid.text())

    def _pick(self, uid: str) -> None:
        set_text_quietly(self.uid, uid)
        self.edited.emit("UID", uid)
        self._show_about(uid)

    def _show_about(self, uid: str) -> None:
        about = next((c.about for c in self.uid_choices.choices if c.uid == uid), "") if self.uid_choices else ""
        self.uid_about.setText(about)

    def show_call(self, call: PublishCall) -> None:
        set_text_quietly(self.uid, call.UID)
        self._show_about(call.UID)
        enabled = {p.lower() for p in call.enabledProviders or []}
        disabled = {p.lower() for p in call.disabledProviders}
        for provider in PROVIDERS:
            for box, on in ((self.enabled[provider], provider in enabled), (self.disabled[provider], provider in disabled)):
                if box.isChecked() != on:
                    box.blockSignals(True)
                    box.setChecked(on)
                    box.blockSignals(False)
        _select(self.short_urls, call.shortURLs)
        if ", ".join(call.tags) != ", ".join(t.strip() for t in self.tags.text().split(",") if t.strip()):
            set_text_quietly(self.tags, ", ".join(call.tags))
        set_text_quietly(self.cid, call.cid)
        self.cid_counter.setText(f"{len(call.cid)}/{CID_MAX}")
        set_state(self.cid_counter, "over", "true" if len(call.cid) > CID_MAX else "false")
        self.attributes.show_attributes(call.actionAttributes)
        count = attribute_value_count(call.actionAttributes)
        self.attributes_counter.setText(f"{count}/{ACTION_ATTRIBUTE_VALUES_MAX} values")
        set_state(self.attributes_counter, "over", "true" if count > ACTION_ATTRIBUTE_VALUES_MAX else "false")
        set_text_quietly(self.latitude, call.userLocation.latitude)
        set_text_quietly(self.longitude, call.userLocation.longitude)
        set_text_quietly(self.place_id, call.userLocation.placeID)
        if self.format.currentText() != call.format:
            self.format.blockSignals(True)
            index = self.format.findText(call.format)
            if index < 0:
                self.format.addItem(call.format)
                index = self.format.count() - 1
            self.format.setCurrentIndex(index)
            self.format.blockSignals(False)
        set_text_quietly(self.callback, call.callback)
        _select(self.http_status, call.httpStatusCodes)

    def show_problems(self, problems: dict[str, list[tuple[str, str]]]) -> None:
        for name, label in self.messages.items():
            found = [(s, m) for key, items in problems.items() if key == name or key.startswith(name + ".") for s, m in items]
            label.setVisible(bool(found))
            if found:
                error = any(s == "error" for s, _ in found)
                label.setObjectName("fieldError" if error else "fieldWarning")
                label.setText("\n".join(m for _, m in found))
                set_state(label, "severity", "error" if error else "warning")
            widget = self.inputs.get(name)
            if isinstance(widget, QLineEdit):
                set_state(widget, "invalid", any(s == "error" for s, _ in found))
            if widget is not None:
                widget.setAccessibleDescription("\n".join(m for _, m in found))

    def focus_field(self, path: str) -> None:
        name = path.split("[")[0]
        widget = self.inputs.get(name) or self.inputs.get(name.split(".")[0])
        if name.startswith("actionAttributes"):
            widget = self.attributes.table
        elif name.startswith(("enabledProviders", "disabledProviders")):
            widget = next(iter((self.enabled if name.startswith("enabled") else self.disabled).values()))
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)


def _select(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    if index < 0 and isinstance(data, str) and data:
        combo.addItem(f"{data} (not valid)", data)
        index = combo.count() - 1
    if index >= 0 and combo.currentIndex() != index:
        combo.blockSignals(True)
        combo.setCurrentIndex(index)
        combo.blockSignals(False)


class RangeValidator(QValidator):
    """Refuses, while typing, any number outside [low, high]: the range is enforced at the keyboard
    (a draft that carries a bad value still loads, and validation names it)."""

    def __init__(self, low: float, high: float, parent: QWidget):
        super().__init__(parent)
        self.low, self.high = low, high

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        stripped = text.strip()
        if stripped in ("", "-", "+", ".", "-.", "+."):
            return QValidator.State.Intermediate, text, pos
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", stripped):
            return QValidator.State.Invalid, text, pos
        value = float(stripped)
        if self.low <= value <= self.high:
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Invalid, text, pos

