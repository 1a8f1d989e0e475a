"""The main window: layout, menus, actions and the parts the controller drives.  No decisions here."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolBar,
    QWidget,
)

from composer.core.model import PROVIDER_LABELS, PROVIDERS
from composer.gui.content_editor import ProviderContentTab, UserActionEditor
from composer.gui.options_editor import OptionsEditor
from composer.gui.preview_panel import PreviewPanel
from composer.gui.results_panel import ProblemsList, ResultsPanel


def _scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` at its natural height in a scroll area (the space left over goes below it)."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(widget)
    column.addStretch(1)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(holder)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


class LazyTabs(dict):
    """provider -> ProviderContentTab, built on first access; ``created`` hooks wire a new tab."""

    def __init__(self, build: Callable[[str], ProviderContentTab]):
        super().__init__()
        self._build = build
        self.created: list[Callable[[str, ProviderContentTab], None]] = []

    def __missing__(self, provider: str) -> ProviderContentTab:
        if provider not in PROVIDERS:
            raise KeyError(provider)
        tab = self._build(provider)
        self[provider] = tab
        for hook in self.created:
            hook(provider, tab)
        return tab


class RestoreBanner(QFrame):
    """Offers to restore the autosaved draft after a crash, without blocking start-up."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("banner")
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.restore_button = QPushButton("Restore")
        self.restore_button.setToolTip("Bring back every field, override and option of the unsaved draft")
        self.discard_button = QPushButton("Discard")
        self.discard_button.setToolTip("Delete the autosaved draft")
        layout = QHBoxLayout(self)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.restore_button)
        layout.addWidget(self.discard_button)
        self.setVisible(False)

    def offer(self, message: str) -> None:
        self.message.setText(message)
        self.setVisible(True)


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("composerWindow")
        self.setWindowTitle("Composer[*]")
        self.resize(1280, 800)

        # --- the form ---
        self.content = UserActionEditor("userAction")
        self.content.setObjectName("defaultContent")
        #: a network's tab is built the first time it is needed (shown, or asked for): start-up
        #: builds only what the first screen shows
        self.overrides = LazyTabs(self._build_override_tab)
        self.network_tabs = QTabWidget()
        self.network_tabs.setAccessibleName("Per-network content")
        for provider in PROVIDERS:
            placeholder = QWidget()
            placeholder.setObjectName(f"placeholder.{provider}")
            self.network_tabs.addTab(placeholder, PROVIDER_LABELS[provider])
        self.network_tabs.currentChanged.connect(lambda index: self.overrides[PROVIDERS[index]])
        self.options = OptionsEditor()
        self.form_tabs = QTabWidget()
        self.form_tabs.setAccessibleName("Form")
        self.form_tabs.addTab(_scrolling(self.content), "&Content")
        self.form_tabs.addTab(self.network_tabs, "Per &network")
        self.form_tabs.currentChanged.connect(
            lambda index: self.overrides[PROVIDERS[self.network_tabs.currentIndex()]] if self.form_tabs.widget(index) is self.network_tabs else None
        )
        self.form_tabs.addTab(_scrolling(self.options), "&Options")

        # --- previews, problems, results ---
        self.previews = PreviewPanel()
        self.problems = ProblemsList()
        self.results = ResultsPanel()
        self.bottom_tabs = QTabWidget()
        self.bottom_tabs.addTab(self.problems, "Problems")
        self.bottom_tabs.addTab(self.results, "Result")
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.previews)
        right.addWidget(self.bottom_tabs)
        right.setSizes([400, 400])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.form_tabs)
        split.addWidget(right)
        split.setSizes([680, 600])
        split.setChildrenCollapsible(False)
        self.restore_banner = RestoreBanner()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.restore_banner)
        column.addWidget(split, 1)
        self.setCentralWidget(central)
        #: set by the controller: decides whether the window may close
        self.close_handler: Callable[[QCloseEvent], None] | None = None

        # --- actions ---
        self.new_action = self._action("&New", QKeySequence.StandardKey.New, "Start a new, empty draft")
        self.open_action = self._action("&Open…", QKeySequence.StandardKey.Open, "Open a draft file")
        self.save_action = self._action("&Save", QKeySequence.StandardKey.Save, "Save the draft")
        self.save_as_action = self._action("Save &As…", QKeySequence.StandardKey.SaveAs, "Save the draft under a new name")
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, "Close the window")
        self.undo_action = self._action("&Undo", QKeySequence.StandardKey.Undo, "Undo the last change in any field")
        self.redo_action = self._action("&Redo", QKeySequence.StandardKey.Redo, "Redo")
        self.publish_action = self._action("&Publish", QKeySequence("Ctrl+Return"), "Publish to every network (Ctrl+Enter)")
        self.publish_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.retry_action = self._action("&Retry failed networks", None, "Publish again only to the networks that failed")
        self.curl_action = self._action("Copy as c&URL", QKeySequence("Ctrl+Shift+C"), "Copy the last request as a cURL command (secret redacted)")
        self.explain_action = self._action("E&xplain signature…", None, "Show the signature base string of the current draft (never the secret)")
        self.history_action = self._action("&History…", QKeySequence("Ctrl+Shift+H"), "Every publish attempt, with filters, retry and export")
        self.profiles_action = self._action("&Manage profiles…", QKeySequence("Ctrl+Shift+P"), "Add and edit credential profiles")
        self.about_action = self._action("&About Composer", None, "")

        file_menu = self.menuBar().addMenu("&File")
        for a in (self.new_action, self.open_action):
            file_menu.addAction(a)
        self.recent_menu = QMenu("Open &Recent", self)
        file_menu.addMenu(self.recent_menu)
        for a in (self.save_action, self.save_as_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        publish_menu = self.menuBar().addMenu("&Publish")
        for a in (self.publish_action, self.retry_action, self.curl_action, self.explain_action):
            publish_menu.addAction(a)
        publish_menu.addSeparator()
        publish_menu.addAction(self.history_action)
        profile_menu = self.menuBar().addMenu("P&rofiles")
        profile_menu.addAction(self.profiles_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.about_action)

        # --- toolbar ---
        bar = QToolBar("Main")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        for a in (self.new_action, self.open_action, self.save_action):
            bar.addAction(a)
        bar.addSeparator()
        profile_label = QLabel("Profile: ")
        self.profile_combo = QComboBox()
        self.profile_combo.setAccessibleName("Profile")
        self.profile_combo.setToolTip("Where and as whom to publish. The built-in Sandbox needs no account.")
        self.profile_combo.setMinimumContentsLength(18)
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        profile_label.setBuddy(self.profile_combo)
        bar.addWidget(profile_label)
        bar.addWidget(self.profile_combo)
        self.profile_status = QLabel()
        self.profile_status.setObjectName("hint")
        self.profile_status.setTextFormat(Qt.TextFormat.PlainText)
        bar.addWidget(self.profile_status)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.publish_button = QPushButton("Publish")
        self.publish_button.setObjectName("publish")
        self.publish_button.setAccessibleName("Publish")
        self.publish_button.clicked.connect(self.publish_action.trigger)
        bar.addWidget(self.publish_button)
        self.addToolBar(bar)

        # --- status bar ---
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.setAccessibleName("Publishing")
        self.busy.setVisible(False)
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.busy)

        self.setTabOrder(self.profile_combo, self.publish_button)

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | None, tip: str) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        self.addAction(action)
        return action

    def _build_override_tab(self, provider: str) -> ProviderContentTab:
        tab = ProviderContentTab(provider, PROVIDER_LABELS[provider])
        index = PROVIDERS.index(provider)
        current = self.network_tabs.currentIndex()
        self.network_tabs.blockSignals(True)
        old = self.network_tabs.widget(index)
        self.network_tabs.removeTab(index)
        self.network_tabs.insertTab(index, _scrolling(tab), PROVIDER_LABELS[provider])
        self.network_tabs.setCurrentIndex(current)
        self.network_tabs.blockSignals(False)
        old.deleteLater()
        return tab

    def commit_edits(self) -> None:
        """Finish any table cell still being edited, so its text reaches the model."""
        editors = [self.content, *(tab.editor for tab in self.overrides.values())]
        for editor in editors:
            editor.links.commit()
            editor.media.commit()
        self.options.attributes.commit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.close_handler is not None:
            self.close_handler(event)
        else:
            event.accept()

    def set_busy(self, busy: bool, message: str = "") -> None:
        self.busy.setVisible(busy)
        self.status_label.setText(message)

    def show_results(self) -> None:
        self.bottom_tabs.setCurrentWidget(self.results)
