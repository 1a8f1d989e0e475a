"""The main window: layout, menus, actions and the parts the controller drives.  No decisions here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QImage, QKeySequence, QPalette
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

from composer.core.accounts.users import UidChoices
from composer.core.call.model import PublishCall
from composer.core.call.preview import ProviderPreview
from composer.core.call.validation import Problem
from composer.core.contract import PROVIDER_LABELS, PROVIDERS
from composer.core.pages.cards import CardCheck
from composer.core.wire.endpoint import DEFAULT_TIMEOUT
from composer.core.wire.result import PublishResult
from composer.gui.content_editor import ProviderContentTab, UserActionEditor
from composer.gui.labels import ElidedLabel
from composer.gui.options_editor import OptionsEditor
from composer.gui.preview_panel import PreviewPanel
from composer.gui.problems_list import ProblemsList
from composer.gui.results_panel import ResultsPanel
from composer.gui.theme import CAUTION, hint, set_tone, set_weight
from composer.gui.window_size import resize_to_fit

W = TypeVar("W", bound=QWidget)

#: Qt's "no maximum" for a widget's size (QWIDGETSIZE_MAX in qwidget.h)
QWIDGETSIZE_MAX = (1 << 24) - 1


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


def _tabs_to(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


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
    """The main window.  It lays out the form, previews, problems and results, and says what the
    user asks for through its signals; the controllers (``gui.controllers``) decide and tell it
    what to show through its ``show_*`` and ``set_*`` methods."""

    #: the window has painted its first frame
    first_painted = Signal()
    #: start-up is over: the first frame is on screen and the event loop is idle
    ready = Signal()

    # --- editing: (provider or None for the default content, ...) ---
    text_edited = Signal(object, str, str)
    list_edited = Signal(object, str, list)
    option_edited = Signal(str, object)
    customize_requested = Signal(str)
    reset_all_requested = Signal(str)
    reset_field_requested = Signal(str, str)
    #: (provider or None, media type)
    media_type_requested = Signal(object, str)
    #: a page built on first use (a network's tab, Options) needs the model shown on it
    page_built = Signal()
    problem_activated = Signal(str)
    undo_requested = Signal()
    redo_requested = Signal()
    # --- drafts ---
    new_requested = Signal()
    open_requested = Signal()
    open_recent_requested = Signal(str)
    save_requested = Signal()
    save_as_requested = Signal()
    restore_requested = Signal()
    discard_restore_requested = Signal()
    # --- publishing ---
    publish_requested = Signal()
    retry_requested = Signal()
    curl_requested = Signal()
    export_requested = Signal()
    explain_requested = Signal()
    history_requested = Signal()
    test_plans_requested = Signal()
    # --- profiles, help ---
    profile_chosen = Signal(str)
    manage_profiles_requested = Signal()
    #: the UID picker is there to be filled (the Options page was built)
    uid_choices_requested = Signal()
    about_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("composerWindow")
        self._first_paint = FirstPaintWatch(self, self._first_frame)
        self.setWindowTitle("Composer[*]")
        resize_to_fit(self, 1280, 800)  # our choice: the size the window is designed and screenshot at

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
        self.network_tabs.currentChanged.connect(lambda index: self.previews.scroll_to(PROVIDERS[index]))
        self.form_tabs = QTabWidget()
        self.form_tabs.setAccessibleName("Form")
        self.form_tabs.addTab(_scrolling(self.content), "&Content")
        self.form_tabs.addTab(self.network_tabs, "Per &network")
        self.options_page: DeferredPage[OptionsEditor] = DeferredPage(self.form_tabs, "&Options", OptionsEditor, _scrolling)
        self.form_tabs.currentChanged.connect(self._form_tab_shown)

        # --- previews, problems, results ---
        self.previews = PreviewPanel()
        self.problems = ProblemsList()
        self.bottom_tabs = QTabWidget()
        self.bottom_tabs.addTab(self.problems, "Problems")
        self.results_page: DeferredPage[ResultsPanel] = DeferredPage(self.bottom_tabs, "Result", ResultsPanel)
        self.bottom_tabs.currentChanged.connect(lambda index: self.results if self.bottom_tabs.widget(index) is self.results_page.placeholder else None)
        self.bottom_tabs.currentChanged.connect(lambda _index: self._fit_bottom_pane())
        right = self.right_split = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.previews)
        right.addWidget(self.bottom_tabs)
        right.setSizes([400, 400])
        #: the bottom pane's height before it folded to one line, given back when it unfolds
        self._bottom_height = 0
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.form_tabs)
        split.addWidget(right)
        split.setSizes([680, 600])
        split.setChildrenCollapsible(False)
        self.restore_banner = RestoreBanner()
        #: what the window cannot do this session, and why (shown until it closes)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.restore_banner)
        column.addWidget(self.notice)
        column.addWidget(split, 1)
        self.setCentralWidget(central)
        #: what the UID picker offers, kept until the Options page is built
        self._uid_choices: UidChoices | None = None
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
        self.test_plans_action = self._action("&Test plans…", None, "Run many shares at once, each against its expected outcome")
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
        publish_menu.addAction(self.test_plans_action)
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
        self.profile_status.setTextFormat(Qt.TextFormat.PlainText)
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
        self.status_label = ElidedLabel()
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.busy)

        self.setTabOrder(self.profile_combo, self.publish_button)
        self._forward_requests()

    def _forward_requests(self) -> None:
        """Say what the user asks for through the window's own signals."""
        self.content.text_edited.connect(lambda name, value: self.text_edited.emit(None, name, value))
        self.content.links_edited.connect(lambda links: self.list_edited.emit(None, "actionLinks", links))
        self.content.media_edited.connect(lambda items: self.list_edited.emit(None, "mediaItems", items))
        self.content.media_type_requested.connect(lambda kind: self.media_type_requested.emit(None, kind))
        self.overrides.created.append(self._override_tab_built)
        self.options_page.created.append(self._options_built)
        self.results_page.created.append(self._results_built)
        self.problems.field_activated.connect(self.problem_activated)
        self.restore_banner.restore_button.clicked.connect(lambda: self.restore_requested.emit())
        self.restore_banner.discard_button.clicked.connect(lambda: self.discard_restore_requested.emit())
        self.profile_combo.currentIndexChanged.connect(lambda _index: self.profile_chosen.emit(self.chosen_profile()))
        self.quit_action.triggered.connect(self.close)
        for action, signal in (
            (self.undo_action, self.undo_requested),
            (self.redo_action, self.redo_requested),
            (self.new_action, self.new_requested),
            (self.open_action, self.open_requested),
            (self.save_action, self.save_requested),
            (self.save_as_action, self.save_as_requested),
            (self.publish_action, self.publish_requested),
            (self.retry_action, self.retry_requested),
            (self.curl_action, self.curl_requested),
            (self.explain_action, self.explain_requested),
            (self.history_action, self.history_requested),
            (self.test_plans_action, self.test_plans_requested),
            (self.profiles_action, self.manage_profiles_requested),
            (self.about_action, self.about_requested),
        ):
            action.triggered.connect(lambda _checked=False, s=signal: s.emit())

    def _override_tab_built(self, provider: str, tab: ProviderContentTab) -> None:
        editor = tab.editor
        editor.text_edited.connect(lambda _name, _value: self.previews.scroll_to(provider))
        editor.text_edited.connect(lambda name, value: self.text_edited.emit(provider, name, value))
        editor.links_edited.connect(lambda links: self.list_edited.emit(provider, "actionLinks", links))
        editor.media_edited.connect(lambda items: self.list_edited.emit(provider, "mediaItems", items))
        editor.reset_requested.connect(lambda name: self.reset_field_requested.emit(provider, name))
        editor.media_type_requested.connect(lambda kind: self.media_type_requested.emit(provider, kind))
        tab.customize_requested.connect(self.customize_requested)
        tab.reset_all_requested.connect(self.reset_all_requested)
        self.page_built.emit()

    def _options_built(self, options: OptionsEditor) -> None:
        options.edited.connect(self.option_edited)
        if self._uid_choices is not None:
            options.show_uid_choices(self._uid_choices)
        self.uid_choices_requested.emit()
        self.page_built.emit()

    def _results_built(self, results: ResultsPanel) -> None:
        results.retry_requested.connect(self.retry_requested)
        results.export_requested.connect(self.export_requested)
        results.copy_curl_requested.connect(self.curl_requested)

    @property
    def options(self) -> OptionsEditor:
        return self.options_page.get()

    @property
    def results(self) -> ResultsPanel:
        return self.results_page.get()

    def _form_tab_shown(self, index: int) -> None:
        page = self.form_tabs.widget(index)
        if page is self.network_tabs:
            provider = PROVIDERS[self.network_tabs.currentIndex()]
            self.overrides[provider]
            self.previews.scroll_to(provider)
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

    def set_close_handler(self, handler: Callable[[QCloseEvent], None] | None) -> None:
        """``handler`` decides whether the window may close (it accepts or ignores the event)."""
        self.close_handler = handler

    # --- editing ---

    def show_call(self, call: PublishCall) -> None:
        """Show the model in the form: the default content, every network tab built so far, and
        the Options page once it is built (it shows the call when it is)."""
        self.content.show_content(call.userAction)
        for provider, tab in self.overrides.items():
            tab.show_state(call.overrides.get(provider, call.userAction), call.userAction, provider in call.overrides, call.inherited.get(provider, ()))
        if self.options_page.widget is not None:
            self.options_page.widget.show_call(call)

    def show_previews(self, previews: list[ProviderPreview]) -> None:
        self.previews.show_previews(previews)

    def show_link_cards(self, cards: Mapping[str, CardCheck], notes: Mapping[str, str]) -> None:
        self.previews.show_link_cards(cards, notes)

    def show_thumbnail(self, url: str, image: QImage, note: str) -> None:
        self.previews.show_thumbnail(url, image, note)

    def show_problems(
        self,
        problems: list[Problem],
        content: Mapping[str | None, Mapping[str, list[tuple[str, str]]]],
        options: Mapping[str, list[tuple[str, str]]],
        title: str,
    ) -> None:
        """Every problem in the list; each also under its field (``content`` by network, None for
        the default content; ``options`` by parameter)."""
        self.problems.show_problems(problems)
        self._fit_bottom_pane()
        self.content.show_problems(dict(content.get(None, {})))
        for provider, tab in self.overrides.items():
            tab.editor.show_problems(dict(content.get(provider, {})))
        if self.options_page.widget is not None:
            self.options_page.widget.show_problems(dict(options))
        self.bottom_tabs.setTabText(self.bottom_tabs.indexOf(self.problems), title)

    def _fit_bottom_pane(self) -> None:
        """With no problem to list, the Problems tab folds to its one-line note and the previews
        take the room; it unfolds to its earlier height when there is something to show."""
        tabs = self.bottom_tabs
        quiet = tabs.currentWidget() is self.problems and self.problems.empty
        folded = tabs.maximumHeight() < QWIDGETSIZE_MAX
        if quiet and not folded:
            self._bottom_height = tabs.height()
            row = self.problems.sizeHintForRow(0) if self.problems.count() else self.problems.fontMetrics().height()
            tabs.setMaximumHeight(tabs.tabBar().sizeHint().height() + row + 2 * self.problems.frameWidth() + 6)
        elif not quiet and folded:
            tabs.setMaximumHeight(QWIDGETSIZE_MAX)
            total = sum(self.right_split.sizes())
            bottom = max(self._bottom_height, total // 3)
            self.right_split.setSizes([total - bottom, bottom])

    def focus_content_field(self, provider: str | None, name: str) -> None:
        if provider is None:
            self.form_tabs.setCurrentIndex(0)
            self.content.focus_field(name)
        else:
            self.form_tabs.setCurrentIndex(1)
            self.network_tabs.setCurrentIndex(PROVIDERS.index(provider))
            self.overrides[provider].editor.focus_field(name)

    def focus_option(self, path: str) -> None:
        self.form_tabs.setCurrentIndex(2)
        self.options.focus_field(path)

    def set_undo_enabled(self, enabled: bool) -> None:
        self.undo_action.setEnabled(enabled)

    def set_redo_enabled(self, enabled: bool) -> None:
        self.redo_action.setEnabled(enabled)

    # --- drafts ---

    def show_title(self, name: str, modified: bool) -> None:
        self.setWindowTitle(f"{name}[*] — Composer")
        self.setWindowModified(modified)

    def set_modified(self, modified: bool) -> None:
        self.setWindowModified(modified)

    def show_recent(self, paths: list[str]) -> None:
        menu = self.recent_menu
        menu.clear()
        for number, name in enumerate(paths, start=1):
            action = QAction(f"&{number} {Path(name).name}", menu)
            action.setToolTip(name)
            action.setStatusTip(name)
            action.triggered.connect(lambda _checked=False, n=name: self.open_recent_requested.emit(n))
            menu.addAction(action)
        menu.setEnabled(bool(paths))

    def offer_restore(self, message: str) -> None:
        self.restore_banner.offer(message)

    def hide_restore(self) -> None:
        self.restore_banner.hide()

    def show_status(self, message: str) -> None:
        self.status_label.setText(message)

    def show_notice(self, message: str) -> None:
        self.notice.setText(message)
        self.notice.setVisible(bool(message))

    # --- publishing ---

    def set_publish_enabled(self, enabled: bool, tip: str) -> None:
        self.publish_button.setEnabled(enabled)
        self.publish_action.setEnabled(enabled)
        self.publish_button.setToolTip(tip)

    def set_retry_enabled(self, enabled: bool, tip: str = "") -> None:
        self.retry_action.setEnabled(enabled)
        self.retry_action.setToolTip(tip or "Publish again only to the networks that failed")
        if self.results_page.widget is not None:
            self.results_page.widget.set_retry(enabled, tip)

    def show_publishing(self, message: str, caption: str = "") -> None:
        self.busy.setVisible(True)
        self.status_label.setText(message)
        self.results.show_busy(message, caption)
        self.bottom_tabs.setCurrentWidget(self.results)

    def show_result(self, result: PublishResult, retryable: bool, caption: str = "") -> None:
        self.busy.setVisible(False)
        self.results.show_result(result, retryable, caption)

    # --- profiles ---

    def show_profiles(self, names: list[str], current: str) -> None:
        """List ``names`` and choose ``current`` (else the first) without announcing a choice."""
        combo = self.profile_combo
        combo.blockSignals(True)
        combo.clear()
        for name in names:
            combo.addItem(name, name)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def show_uid_choices(self, choices: UidChoices) -> None:
        self._uid_choices = choices
        if self.options_page.widget is not None:
            self.options_page.widget.show_uid_choices(choices)

    def chosen_profile(self) -> str:
        return self.profile_combo.currentData() or ""

    def show_profile_summary(self, text: str, warning: bool = False) -> None:
        """Where the profile publishes; ``warning``: about its secret (kept in memory only, or
        missing), in the caution colour."""
        self.profile_status.setText(text)
        if warning:
            self.profile_status.setForegroundRole(QPalette.ColorRole.WindowText)
            set_tone(self.profile_status, CAUTION)
        else:
            set_tone(self.profile_status, None)
            hint(self.profile_status)
