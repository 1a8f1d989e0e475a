"""The main window: layout, menus, actions and the parts the controller drives.  No decisions here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from composer.core.call.model import PROVIDER_LABELS, PROVIDERS
from composer.core.wire.endpoint import DEFAULT_TIMEOUT
from composer.gui.content_editor import ProviderContentTab, UserActionEditor
from composer.gui.preview_panel import PreviewPanel
from composer.gui.problems_list import ProblemsList
from composer.gui.theme import hint, plain_text, set_named, set_weight

if TYPE_CHECKING:
    from composer.gui.options_editor import OptionsEditor
    from composer.gui.results_panel import ResultsPanel

W = TypeVar("W", bound=QWidget)


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


def _options_editor() -> OptionsEditor:
    from composer.gui.options_editor import OptionsEditor

    return OptionsEditor()


def _results_panel() -> ResultsPanel:
    from composer.gui.results_panel import ResultsPanel

    return ResultsPanel()


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


def _tabs_to(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus)


def replace_page(tabs: QTabWidget, old: QWidget, new: QWidget) -> None:
    """Put ``new`` in ``old``'s tab (same place, title, current tab) and delete ``old``.

    Qt appends widgets added to a finished window to the end of its Tab order; ``new``'s widgets
    are moved to where ``old`` was, so Tab still walks the window from left to right."""
    anchor = old.previousInFocusChain()
    while not _tabs_to(anchor) and anchor is not old:
        anchor = anchor.previousInFocusChain()
    index = tabs.indexOf(old)
    current = tabs.currentIndex()
    title = tabs.tabText(index)
    tabs.blockSignals(True)
    tabs.removeTab(index)
    tabs.insertTab(index, new, title)
    tabs.setCurrentIndex(current)
    tabs.blockSignals(False)
    old.deleteLater()
    if anchor is old:
        return
    chain, widget = [], new.nextInFocusChain()
    while widget is not new:
        if new.isAncestorOf(widget) and _tabs_to(widget):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    previous = anchor
    for widget in [new, *chain] if _tabs_to(new) else chain:
        QWidget.setTabOrder(previous, widget)
        previous = widget


class DeferredPage(Generic[W]):
    """A tab's page built the first time it is needed: shown, or asked for (a publish asks for the
    Result page).  Until then the tab holds an empty placeholder, so neither the first frame nor
    memory pays for a page nobody has opened.  ``created`` hooks wire the page."""

    def __init__(self, tabs: QTabWidget, title: str, build: Callable[[], W], wrap: Callable[[W], QWidget] = lambda w: w):
        self._tabs = tabs
        self._build = build
        self._wrap = wrap
        self.placeholder = QWidget()
        self.widget: W | None = None
        self.created: list[Callable[[W], None]] = []
        tabs.addTab(self.placeholder, title)

    def get(self) -> W:
        if self.widget is None:
            widget = self.widget = self._build()
            replace_page(self._tabs, self.placeholder, self._wrap(widget))
            for hook in self.created:
                hook(widget)
        return self.widget


class FirstPaintWatch(QObject):
    """Calls ``then`` once ``widget`` has painted its first frame, and stops watching."""

    def __init__(self, widget: QWidget, then: Callable[[], None]):
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)  # after the frame is on screen
        return False


class RestoreBanner(QFrame):
    """Offers to restore the autosaved draft after a crash, without blocking start-up."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("banner")
        self.message = QLabel()
        plain_text(self.message)
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
    #: the window has painted its first frame
    first_painted = Signal()
    #: start-up is over: the first frame is on screen and the event loop is idle
    ready = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("composerWindow")
        self._first_paint = FirstPaintWatch(self, self._first_frame)
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
        self.form_tabs = QTabWidget()
        self.form_tabs.setAccessibleName("Form")
        self.form_tabs.addTab(_scrolling(self.content), "&Content")
        self.form_tabs.addTab(self.network_tabs, "Per &network")
        self.options_page: DeferredPage[OptionsEditor] = DeferredPage(self.form_tabs, "&Options", _options_editor, _scrolling)
        self.form_tabs.currentChanged.connect(self._form_tab_shown)

        # --- previews, problems, results ---
        self.previews = PreviewPanel()
        self.problems = ProblemsList()
        self.bottom_tabs = QTabWidget()
        self.bottom_tabs.addTab(self.problems, "Problems")
        self.results_page: DeferredPage[ResultsPanel] = DeferredPage(self.bottom_tabs, "Result", _results_panel)
        self.bottom_tabs.currentChanged.connect(lambda index: self.results if self.bottom_tabs.widget(index) is self.results_page.placeholder else None)
        right = set_named(QSplitter(), orientation="Vertical")
        right.addWidget(self.previews)
        right.addWidget(self.bottom_tabs)
        right.setSizes([400, 400])
        split = QSplitter()  # horizontal, Qt's default
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
        hint(self.profile_status)
        plain_text(self.profile_status)
        bar.addWidget(self.profile_status)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.publish_button = QPushButton("Publish")
        self.publish_button.setObjectName("publish")
        self.publish_button.setAccessibleName("Publish")
        set_weight(self.publish_button, QFont.Weight.Bold)
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
        plain_text(self.status_label)
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.busy)

        self.setTabOrder(self.profile_combo, self.publish_button)

    @property
    def options(self) -> OptionsEditor:
        return self.options_page.get()

    @property
    def results(self) -> ResultsPanel:
        return self.results_page.get()

    def _form_tab_shown(self, index: int) -> None:
        page = self.form_tabs.widget(index)
        if page is self.network_tabs:
            self.overrides[PROVIDERS[self.network_tabs.currentIndex()]]
        elif page is self.options_page.placeholder:
            self.options_page.get()

    def _first_frame(self) -> None:
        self.first_painted.emit()
        QTimer.singleShot(0, self.ready.emit)

    @property
    def publish_timeout(self) -> float:
        """Seconds to wait for the answer: the Options page's, or its default while it is unbuilt."""
        page = self.options_page.widget
        return DEFAULT_TIMEOUT if page is None else float(page.timeout.value())

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | None, tip: str) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)  # every binding the platform has for it
        elif shortcut is not None:
            action.setShortcuts([shortcut])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        self.addAction(action)
        return action

    def _build_override_tab(self, provider: str) -> ProviderContentTab:
        tab = ProviderContentTab(provider, PROVIDER_LABELS[provider])
        replace_page(self.network_tabs, self.network_tabs.widget(PROVIDERS.index(provider)), _scrolling(tab))
        return tab

    def commit_edits(self) -> None:
        """Finish any table cell still being edited, so its text reaches the model."""
        editors = [self.content, *(tab.editor for tab in self.overrides.values())]
        for editor in editors:
            editor.links.commit()
            editor.media.commit()
        if self.options_page.widget is not None:
            self.options_page.widget.attributes.commit()

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
