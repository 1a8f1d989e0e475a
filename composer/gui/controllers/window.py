"""The window's controllers, composed: editing, drafts, publishing and profiles, plus what belongs
to the window as a whole (start, close, About)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QByteArray, QObject, SignalInstance
from PySide6.QtGui import QCloseEvent

from composer import __version__
from composer.core.call.model import PublishCall
from composer.core.live_service import LIVE_SERVICE_TRUTH
from composer.gui.controllers.drafts import DraftsController, DraftsView
from composer.gui.controllers.editing import EditingController, EditingView
from composer.gui.controllers.pages import PagesController, PagesView
from composer.gui.controllers.profiles import ProfilesController, ProfilesView
from composer.gui.controllers.publishing import PublishingController, PublishingView
from composer.gui.dialogs import Dialogs
from composer.gui.settings import settings

if TYPE_CHECKING:
    from composer.gui.controllers.plans import PlanController
    from composer.gui.plan_window import PlanWindow

ABOUT = "Compose, preview and publish socialize.publishUserAction shares; a QA bench with a built-in sandbox server."


class WindowView(EditingView, DraftsView, PublishingView, ProfilesView, PagesView, Protocol):
    """The whole window, as the controllers see it."""

    about_requested: SignalInstance
    test_plans_requested: SignalInstance

    def set_close_handler(self, handler: object) -> None: ...
    def saveGeometry(self) -> QByteArray: ...  # noqa: N802 - Qt API
    def restoreGeometry(self, geometry: QByteArray) -> bool: ...  # noqa: N802 - Qt API


class WindowController(QObject):
    def __init__(self, view: WindowView, dialogs: Dialogs):
        # a child of the window: Qt deletes both together, never one under the other's signals
        super().__init__(dialogs.parent)
        self.view = view
        self.dialogs = dialogs
        self.editing = EditingController(view, self)
        # looked up at each question, so that whoever answers dialogs.confirm answers this one too
        self.editing.confirm = lambda title, question: dialogs.confirm(title, question)
        self.pages = PagesController(view, self.editing, self)
        self.drafts = DraftsController(view, self.editing, dialogs, self)
        self.profiles = ProfilesController(view, self.editing, dialogs, self)
        self.publishing = PublishingController(
            view, self.editing, self.profiles.current_profile, dialogs, self, lambda: self.drafts.path.name if self.drafts.path else ""
        )
        self.publishing.open_draft_requested.connect(self.drafts.open_history_draft)
        self.profiles.blocked.connect(self.publishing.set_profile_problem)
        self.publishing.finished.connect(lambda _output: self.profiles.load_uid_choices())  # a new recent UID
        view.about_requested.connect(self.about)
        view.test_plans_requested.connect(self.show_test_plans)
        #: the Test plan window and its controller, built when first opened
        self.plans: PlanController | None = None
        self.plan_window: PlanWindow | None = None
        view.set_close_handler(self.close_requested)

    def start(self, path: str | None = None) -> None:
        """Restore the window's geometry, list the profiles and recent files, offer an earlier
        run's unsaved draft, and open ``path`` if given."""
        geometry = settings().value("window/geometry", None, type=QByteArray)
        if geometry:
            self.view.restoreGeometry(geometry)
        self.profiles.reload_profiles(refresh=not path)  # a draft to open derives everything once loaded
        self.drafts.show_recent()
        self.drafts.check_autosave()
        if path and not self.drafts.open_path(Path(path)):
            self.editing.refresh()

    def close_requested(self, event: QCloseEvent) -> None:
        if self.publishing.publishing and not self.dialogs.confirm(
            "Publishing",
            "A publish is still in flight; its result will be lost from this window (it is still recorded in the history). Close anyway?",
        ):
            event.ignore()
            return
        under_way = self.profiles.under_way
        if under_way and not self.dialogs.confirm(
            "Profiles",
            f"Composer is still {under_way} in the keyring, which may be waiting for you to unlock it. If you close now, "
            "Composer keeps running without a window until the keyring answers, and cannot tell you how the change ended. Close anyway?",
        ):
            event.ignore()
            return
        if self.plans is not None and not self.plans.may_close():
            event.ignore()
            return
        if not self.drafts.close():
            event.ignore()
            return
        s = settings()
        s.setValue("window/geometry", self.view.saveGeometry())
        s.sync()
        event.accept()

    def show_test_plans(self) -> None:
        # the window and the plan runner (the publish pipeline under it) load when first opened
        from composer.gui.controllers.plans import PlanController
        from composer.gui.plan_window import PlanWindow

        if self.plans is None:
            self.plan_window = window = PlanWindow(self.dialogs.parent)
            self.plans = PlanController(
                window, Dialogs(window), self.profiles.current_profile, self._current_call, lambda: self.publishing.last_output, self
            )
            self.plans.open_draft_requested.connect(self.drafts.open_history_draft)
        window = self.plan_window
        window.show()
        window.raise_()
        window.activateWindow()

    def _current_call(self) -> PublishCall:
        self.view.commit_edits()  # a table cell still being edited belongs to the draft
        return self.editing.call.copy()

    def about(self) -> None:
        self.dialogs.about("About Composer", f"Composer {__version__}\n{ABOUT}\n\n{LIVE_SERVICE_TRUTH}")
