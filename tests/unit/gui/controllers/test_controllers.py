"""The window's controllers built with a fake view: no MainWindow, only the signals and ``show_*``
methods their view interfaces name.  The publishing controller talks to the real built-in sandbox
over loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal

from composer.core.call.model import ActionLink, PublishCall
from composer.core.call.preview import ProviderPreview
from composer.core.call.validation import Problem
from composer.core.wire.result import PublishResult
from composer.gui.controllers.editing import EditingController
from composer.gui.controllers.publishing import PublishingController
from composer.gui.dialogs import Dialogs


class FakeView(QObject):
    """Everything EditingView and PublishingView name, recording what it is told to show."""

    text_edited = Signal(object, str, str)
    list_edited = Signal(object, str, list)
    option_edited = Signal(str, object)
    customize_requested = Signal(str)
    reset_all_requested = Signal(str)
    reset_field_requested = Signal(str, str)
    media_type_requested = Signal(object, str)
    page_built = Signal()
    problem_activated = Signal(str)
    undo_requested = Signal()
    redo_requested = Signal()
    publish_requested = Signal()
    retry_requested = Signal()
    curl_requested = Signal()
    export_requested = Signal()
    explain_requested = Signal()
    history_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[PublishCall] = []
        self.previews: list[ProviderPreview] = []
        self.problems: list[Problem] = []
        self.content_problems: dict = {}
        self.option_problems: dict = {}
        self.problems_title = ""
        self.focused: tuple[str | None, str] | None = None
        self.undo_enabled = self.redo_enabled = None
        self.publish_enabled: tuple[bool, str] | None = None
        self.retry_enabled = None
        self.results: list[tuple[PublishResult, bool]] = []
        self.statuses: list[str] = []
        self.publishing_message = ""
        #: what a widget would echo back while the model is shown in it
        self.echo: tuple[object, str, str] | None = None

    # EditingView
    def show_call(self, call: PublishCall) -> None:
        self.shown.append(call.copy())
        if self.echo is not None:  # a text field emitting textChanged as setText fills it
            self.text_edited.emit(*self.echo)

    def show_previews(self, previews: list[ProviderPreview]) -> None:
        self.previews = previews

    def show_problems(self, problems, content, options, title) -> None:  # noqa: ANN001
        self.problems, self.content_problems, self.option_problems, self.problems_title = problems, content, options, title

    def focus_content_field(self, provider: str | None, name: str) -> None:
        self.focused = (provider, name)

    def focus_option(self, path: str) -> None:
        self.focused = ("options", path)

    def set_undo_enabled(self, enabled: bool) -> None:
        self.undo_enabled = enabled

    def set_redo_enabled(self, enabled: bool) -> None:
        self.redo_enabled = enabled

    # PublishingView
    publish_timeout = 15.0

    def commit_edits(self) -> None:
        pass

    def set_publish_enabled(self, enabled: bool, tip: str) -> None:
        self.publish_enabled = (enabled, tip)

    def set_retry_enabled(self, enabled: bool, tip: str = "") -> None:
        self.retry_enabled = enabled
        self.retry_tip = tip

    def show_publishing(self, message: str, caption: str = "") -> None:
        self.publishing_message = message
        self.publishing_caption = caption

    def show_result(self, result: PublishResult, retryable: bool, caption: str = "") -> None:
        self.results.append((result, retryable))
        self.result_caption = caption

    def show_status(self, message: str) -> None:
        self.statuses.append(message)


@pytest.fixture
def view(qapp):
    return FakeView()


@pytest.fixture
def editing(view, qtbot):
    controller = EditingController(view)
    with qtbot.waitSignal(controller.refreshed, timeout=2000):  # the first refresh is scheduled
        pass
    return controller


def preview_of(view: FakeView, provider: str) -> ProviderPreview:
    return next(p for p in view.previews if p.provider == provider)


def test_keystrokes_edit_the_model_and_every_derived_view_follows(view, editing, qtbot):
    with qtbot.waitSignal(editing.refreshed, timeout=2000), qtbot.waitSignal(editing.changed, timeout=2000):
        for text in ("S", "Sp", "Spring sale"):
            view.text_edited.emit(None, "title", text)
    assert editing.call.userAction.title == "Spring sale"
    assert "Spring sale" in preview_of(view, "twitter").text
    assert view.shown[-1].userAction.title == "Spring sale"
    assert view.undo_enabled is True and view.redo_enabled is False
    # consecutive keystrokes in one field are one undo step
    view.undo_requested.emit()
    assert editing.call.userAction.title == ""
    assert view.undo_enabled is False and view.redo_enabled is True
    view.redo_requested.emit()
    assert editing.call.userAction.title == "Spring sale"


def test_showing_the_model_is_never_taken_for_an_edit(view, editing):
    editing.call.userAction.title = "from the model"
    view.echo = (None, "title", "echoed by a widget")
    editing.refresh()
    assert editing.call.userAction.title == "from the model"
    assert editing.undo_stack.count() == 0


def test_a_network_takes_edits_only_once_customized(view, editing):
    view.text_edited.emit("twitter", "title", "ignored: Twitter shows the default")
    assert "twitter" not in editing.call.overrides and editing.undo_stack.count() == 0
    editing.call.userAction.title = "Default"
    view.customize_requested.emit("twitter")
    assert editing.call.overrides["twitter"].title == "Default"
    assert view.focused == ("twitter", "title")
    view.text_edited.emit("twitter", "title", "Tweet")
    assert editing.call.overrides["twitter"].title == "Tweet" and editing.call.userAction.title == "Default"
    view.reset_field_requested.emit("twitter", "title")
    assert editing.call.overrides["twitter"].title == "Default"
    view.reset_all_requested.emit("twitter")
    assert "twitter" not in editing.call.overrides


def test_problems_go_to_their_fields_and_the_title_counts_them(view, editing):
    view.list_edited.emit(None, "actionLinks", [ActionLink(title="Shop", href="not a url")])
    assert view.problems_title.startswith("Problems (") and "errors" in view.problems_title
    assert "actionLinks" in view.content_problems[None]
    assert "UID" in view.option_problems
    # a network that is not customized shows no problems of its own
    assert view.content_problems["facebook"] == {}
    errors = sum(1 for p in view.problems if p.severity.value == "error")
    assert view.problems_title == f"Problems ({errors} errors, {len(view.problems) - errors} warnings)"


@pytest.mark.parametrize(
    ("path", "focused"),
    [
        ("userAction.title", (None, "title")),
        ("userAction", (None, "title")),
        ("twitterUserAction.actionLinks[0].href", ("twitter", "actionLinks")),
        ("userLocation.latitude", ("options", "userLocation.latitude")),
        ("cid", ("options", "cid")),
    ],
)
def test_an_activated_problem_focuses_its_field(view, editing, path, focused):
    view.problem_activated.emit(path)
    assert view.focused == focused


def test_a_page_built_later_is_shown_the_model_without_an_edit(view, editing):
    editing.call.userAction.title = "Shown on the new page"
    shown = len(view.shown)
    view.page_built.emit()
    assert view.shown[shown:] and view.shown[-1].userAction.title == "Shown on the new page"
    assert editing.undo_stack.count() == 0


def test_publishing_controller_publishes_to_the_real_sandbox(view, editing, qtbot, tmp_path: Path):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    publishing = PublishingController(view, editing, lambda: "Sandbox", Dialogs(parent))
    editing.refresh()
    assert view.publish_enabled is not None and view.publish_enabled[0] is False  # nothing to share, no UID
    assert "Fix" in view.publish_enabled[1]
    view.option_edited.emit("UID", "demo-partial")
    view.text_edited.emit(None, "title", f"Fake view {tmp_path.name}")
    view.text_edited.emit(None, "linkBack", "https://example.com/fake-view")
    editing.refresh()
    assert view.publish_enabled == (True, "Publish to every network (Ctrl+Enter)")
    with qtbot.waitSignal(publishing.finished, timeout=15000) as blocker:
        view.publish_requested.emit()
        assert view.publish_enabled[0] is False  # one publish at a time
        assert view.retry_enabled is False  # nothing of an earlier attempt can be retried meanwhile
        assert publishing.retry_failed() is False and "in flight" in view.statuses[-1]
    output = blocker.args[0]
    assert output.result.outcome.value == "partial"
    result, retryable = view.results[-1]
    assert result is output.result and retryable is True and view.retry_enabled is True
    assert "Sandbox" in view.publishing_message
    assert view.publish_enabled[0] is True
    parent.deleteLater()
