"""A second floor for start-up: composer's first screen rebuilt in plain PySide6, with the same
kinds and numbers of widgets (menus and shortcuts, toolbar, the content form with its two tables,
six preview cards, the problems list, splitters, tabs) and none of our code: no model, previews,
validation, profiles or stylesheet.  It prints ``painted`` at its first paint and leaves.

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


def content_form() -> QWidget:
    holder = QWidget()
    form = QFormLayout(holder)
    for name in ("User message", "Title", "Link back", "Subtitle", "Description"):
        box = QWidget()
        column = QVBoxLayout(box)
        column.addWidget(QPlainTextEdit() if name in ("User message", "Description") else QLineEdit())
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


def preview_cards() -> QWidget:
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
        for index in range(6):
            label = QLabel(f"line {index}")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            lines.addWidget(label)
        column.addWidget(card)
    return holder


def main() -> int:
    app = QApplication(sys.argv)
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
    form_tabs.addTab(scrolling(content_form()), "&Content")
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
    right.addWidget(scrolling(preview_cards()))
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
    return show_until_painted(app, window)  # reports the first paint as the bare floor does


if __name__ == "__main__":
    raise SystemExit(main())
