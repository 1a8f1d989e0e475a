"""A second floor for start-up: composer's first screen rebuilt in plain PySide6, with the same
kinds and numbers of widgets (menus and shortcuts, toolbar, the content form with its two tables,
six preview cards, the problems list, splitters, tabs) and none of our code: no model, previews,
validation, profiles or stylesheet.  It prints ``painted`` at its first paint and leaves.
``--maximal`` fills the fields and the preview cards with the maximal draft's text (the memory
figure's floor for that draft).

The gap between this and the bare window is what Qt costs for such a screen; the gap between
composer and this is what our own code costs before the first paint."""

import sys

from bare_window import show_until_painted
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)


def scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


FIELDS = {"userMessage": "User message", "title": "Title", "linkBack": "Link back", "subtitle": "Subtitle", "description": "Description"}


def content_form(texts: dict[str, str]) -> QWidget:
    holder = QWidget()
    form = QFormLayout(holder)
    for field, name in FIELDS.items():
        box = QWidget()
        column = QVBoxLayout(box)
        column.addWidget(QPlainTextEdit(texts[field]) if field in ("userMessage", "description") else QLineEdit(texts[field]))
        message = QLabel()
        message.setVisible(False)
        column.addWidget(message)
        form.addRow(QLabel(name), box)
    for name in ("Action links", "Media"):
        box = QWidget()
        column = QVBoxLayout(box)
        table = QTableWidget(0, 2)
        table.setHorizontalHeaderLabels(["Text", "URL"])
        column.addWidget(table)
        buttons = QHBoxLayout()
        if name == "Media":
            buttons.addWidget(QComboBox())
        for text in ("Add", "Remove", "Up", "Down"):
            buttons.addWidget(QPushButton(text))
        column.addLayout(buttons)
        form.addRow(QLabel(name), box)
    return holder


def preview_cards(texts: dict[str, str]) -> QWidget:
    lines_shown = [texts[field] or f"line {index}" for index, field in enumerate(("userMessage", "title", "subtitle", "description", "linkBack", "title"))]
    holder = QWidget()
    column = QVBoxLayout(holder)
    for _ in range(6):
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        lines = QVBoxLayout(card)
        header = QHBoxLayout()
        header.addWidget(QLabel("Network"))
        header.addWidget(QLabel("will be attempted"))
        lines.addLayout(header)
        for text in lines_shown:
            label = QLabel(text)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            lines.addWidget(label)
        column.addWidget(card)
    return holder


def build(texts: dict[str, str]) -> QMainWindow:
    window = QMainWindow()
    window.resize(1280, 800)
    for title in ("&File", "&Edit", "&Publish", "P&rofiles", "&Help"):
        menu = window.menuBar().addMenu(title)
        for index in range(3):
            action = QAction(f"Action {index}", window)
            action.setShortcut(QKeySequence(f"Ctrl+{index}"))
            menu.addAction(action)
    bar = QToolBar()
    for text in ("New", "Open", "Save"):
        bar.addAction(QAction(text, window))
    bar.addWidget(QLabel("Profile: "))
    profiles = QComboBox()
    profiles.addItem("Sandbox")
    bar.addWidget(profiles)
    bar.addWidget(QLabel("built-in sandbox"))
    bar.addWidget(QPushButton("Publish"))
    window.addToolBar(bar)
    form_tabs = QTabWidget()
    form_tabs.addTab(scrolling(content_form(texts)), "&Content")
    networks = QTabWidget()
    for name in ("Facebook", "Twitter", "LinkedIn", "VKontakte", "Renren", "Sina Weibo"):
        networks.addTab(QWidget(), name)
    form_tabs.addTab(networks, "Per &network")
    form_tabs.addTab(QWidget(), "&Options")
    problems = QListWidget()
    problems.addItem("UID: the UID of the user who shares is required")
    bottom = QTabWidget()
    bottom.addTab(problems, "Problems")
    bottom.addTab(QWidget(), "Result")
    right = QSplitter(Qt.Orientation.Vertical)
    right.addWidget(scrolling(preview_cards(texts)))
    right.addWidget(bottom)
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(form_tabs)
    split.addWidget(right)
    central = QWidget()
    QVBoxLayout(central).addWidget(split)
    window.setCentralWidget(central)
    busy = QProgressBar()
    busy.setVisible(False)
    window.statusBar().addPermanentWidget(busy)
    return window


def texts_for(argv: list[str]) -> dict[str, str]:
    if "--maximal" in argv:
        from drafts import maximal_texts

        return maximal_texts("default")
    return dict.fromkeys(FIELDS, "")


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = build(texts_for(sys.argv))
    return show_until_painted(app, window)  # reports the first paint as the bare floor does


if __name__ == "__main__":
    raise SystemExit(main())
