"""Editing: the one model (a ``PublishCall``), the user's edits to it, undo, and everything derived
from it (the form's state, previews, problems).

Every edit goes through :meth:`EditingController.edit`, which records an undo step (consecutive
keystrokes in one field merge into one step), then schedules the refresh.  Showing the model in
the widgets happens inside :meth:`EditingController.showing_model`, so the change signals the
widgets emit meanwhile are not taken for edits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance
from PySide6.QtGui import QUndoCommand, QUndoStack

from composer.core.call.model import ActionLink, MediaItem, PublishCall, UserAction, convert_media
from composer.core.call.preview import ProviderPreview, preview
from composer.core.call.validation import Problem, Severity, validate
from composer.core.contract import PROVIDERS

#: Our choice: edits restart this single-shot timer at 0 ms, which folds a burst of edits (a paste,
#: an undo, a draft loaded field by field) into one refresh per turn of the event loop without a
#: delay anyone could see.
REFRESH_DEBOUNCE_MS = 0

#: field name -> [(severity, message)], for one UserAction or for the options
FieldProblems = dict[str, list[tuple[str, str]]]


class EditingView(Protocol):
    """What the editing controller needs of the window."""

    #: (provider or None for the default content, field name, text)
    text_edited: SignalInstance
    #: (provider or None, "actionLinks" or "mediaItems", the new list)
    list_edited: SignalInstance
    #: (parameter, value) from the Options page
    option_edited: SignalInstance
    customize_requested: SignalInstance
    reset_all_requested: SignalInstance
    #: (provider, field name)
    reset_field_requested: SignalInstance
    #: (provider or None, media type) chosen for the media items
    media_type_requested: SignalInstance
    #: a page built on first use (a network's tab, Options) needs the model shown on it
    page_built: SignalInstance
    #: a problem was activated: (its field path)
    problem_activated: SignalInstance
    undo_requested: SignalInstance
    redo_requested: SignalInstance

    def show_call(self, call: PublishCall) -> None: ...
    def show_previews(self, previews: list[ProviderPreview]) -> None: ...
    def show_problems(
        self, problems: list[Problem], content: Mapping[str | None, FieldProblems], options: FieldProblems, title: str
    ) -> None: ...
    def focus_content_field(self, provider: str | None, name: str) -> None: ...
    def focus_option(self, path: str) -> None: ...
    def set_undo_enabled(self, enabled: bool) -> None: ...
    def set_redo_enabled(self, enabled: bool) -> None: ...


class SnapshotCommand(QUndoCommand):
    """One undo step: the whole call before and after.  A call is small, so snapshots are cheap
    and undo covers every field, list and override alike.

    The model holds the "after" state both when the step is pushed and whenever it is undone, so
    that snapshot is taken at undo time: a keystroke copies the call once, not twice."""

    def __init__(self, editing: EditingController, key: str, before: PublishCall):
        super().__init__(f"edit {key}")
        self.editing = editing
        self.key = key
        self.before = before
        #: the call as this step left it, taken when the step is undone (None until then)
        self.after: PublishCall | None = None

    def id(self) -> int:  # noqa: A003 - Qt API
        return 1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        # keystrokes in one field are one step: it keeps its "before", the model holds the rest
        return isinstance(other, SnapshotCommand) and other.key == self.key and self.key.endswith(":typing")

    def redo(self) -> None:
        if self.after is None:  # pushed after the edit was made: the model already holds it
            return
        self.editing.restore(self.after)

    def undo(self) -> None:
        self.after = self.editing.call.copy()
        self.editing.restore(self.before)


class EditingController(QObject):
    #: the whole draft was replaced (open, new, restore): a fresh undo history
    model_replaced = Signal()
    #: the user changed the model (an edit, an undo or a redo)
    changed = Signal()
    #: everything derived from the model is shown again
    refreshed = Signal()
    #: the draft differs from its saved (or opened) state, or no longer does
    modified_changed = Signal(bool)

    def __init__(self, view: EditingView, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
        self.call = PublishCall()
        self.problems: list[Problem] = []
        #: validation's problems, and the linked pages' (PagesController sets them): together ``problems``
        self._validated: list[Problem] = []
        self._page_problems: list[Problem] = []
        #: the profile's approved domains, which validation checks links against (None: no rule)
        self.approved_domains: list[str] | None = None
        self.undo_stack = QUndoStack(self)
        #: asks the user a yes-or-no question (the window's Dialogs.confirm; tests answer it)
        self.confirm: Callable[[str, str], bool] = lambda _title, _question: True
        self._showing_model = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DEBOUNCE_MS)
        self._refresh_timer.timeout.connect(self.refresh)

        view.text_edited.connect(self._edit_text)
        view.list_edited.connect(self._edit_list)
        view.option_edited.connect(self._edit_option)
        view.customize_requested.connect(self.customize)
        view.reset_all_requested.connect(self.reset_provider)
        view.reset_field_requested.connect(self.reset_field)
        view.media_type_requested.connect(self._change_media_type)
        view.page_built.connect(self._show_on_new_page)
        view.problem_activated.connect(self.focus_field)
        view.undo_requested.connect(self.undo_stack.undo)
        view.redo_requested.connect(self.undo_stack.redo)
        # through methods of this controller: Qt cuts these connections before it deletes the
        # stack, so a stack emitting while the window is torn down reaches nobody
        self.undo_stack.canUndoChanged.connect(self._can_undo_changed)
        self.undo_stack.canRedoChanged.connect(self._can_redo_changed)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        view.set_undo_enabled(False)
        view.set_redo_enabled(False)
        # shown at the next turn of the event loop, unless a draft opened at start shows it first
        self.schedule_refresh()

    def _can_undo_changed(self, enabled: bool) -> None:
        self.view.set_undo_enabled(enabled)

    def _can_redo_changed(self, enabled: bool) -> None:
        self.view.set_redo_enabled(enabled)

    def _clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)

    @contextmanager
    def showing_model(self) -> Iterator[None]:
        """While the model is put into the widgets, the change signals they emit are not edits."""
        was = self._showing_model
        self._showing_model = True
        try:
            yield
        finally:
            self._showing_model = was

    # --- edits ---

    def edit(self, key: str, mutate: Callable[[PublishCall], None], *, typing: bool = False) -> None:
        """Apply one user edit to the model and record it for undo."""
        if self._showing_model:
            return
        before = self.call.copy()
        mutate(self.call)
        self.call.follow_default()  # overrides' linked fields follow the default
        if self.call == before and self.call.inherited == before.inherited:
            return
        self.undo_stack.push(SnapshotCommand(self, f"{key}:typing" if typing else key, before))
        if typing:
            self.schedule_refresh()  # keystrokes coalesce
        else:
            self.refresh()  # a click, a reset, a list change: show it at once
        self.changed.emit()

    def _content(self, call: PublishCall, provider: str | None) -> UserAction:
        return call.userAction if provider is None else call.overrides[provider]

    def _editable(self, provider: str | None) -> bool:
        """A network that is not customized shows the default read-only: it takes no edits."""
        return provider is None or provider in self.call.overrides

    def _set_field(self, call: PublishCall, provider: str | None, name: str, value: object) -> None:
        setattr(self._content(call, provider), name, value)
        if provider is not None:
            call.set_own(provider, name)  # edited in the override: it stops following the default

    def _edit_text(self, provider: str | None, name: str, value: str) -> None:
        if self._editable(provider):
            key = f"{provider or 'default'}.{name}"
            self.edit(key, lambda c: self._set_field(c, provider, name, value), typing=True)

    def _edit_list(self, provider: str | None, name: str, items: list[ActionLink] | list[MediaItem]) -> None:
        if self._editable(provider):
            self.edit(f"{provider or 'default'}.{name}", lambda c: self._set_field(c, provider, name, list(items)))

    def _change_media_type(self, provider: str | None, kind: str) -> None:
        """Convert the media items to ``kind``; when that would lose what was typed in fields the
        new type has no place for, ask first (No keeps the items as they are)."""
        if not self._editable(provider):
            return
        items = self._content(self.call, provider).mediaItems
        converted, dropped = convert_media(items, kind)
        if dropped and not self.confirm(
            "Change the media type",
            f"A {kind} item has no place for {', '.join(dropped)}: switching drops what is typed there "
            "(Undo brings it back). Switch anyway?",
        ):
            with self.showing_model():
                self.view.show_call(self.call)  # the type chooser goes back to the items' type
            return
        self.edit(f"{provider or 'default'}.mediaItems.type", lambda c: self._set_field(c, provider, "mediaItems", converted))

    def _edit_option(self, param: str, value: Any) -> None:
        def mutate(c: PublishCall) -> None:
            if param == "enabledProviders":
                c.enabledProviders = list(value) or None
            elif param == "disabledProviders":
                c.disabledProviders = list(value)
            elif param == "tags":
                c.tags = [t.strip() for t in str(value).split(",") if t.strip()]
            elif param.startswith("userLocation."):
                setattr(c.userLocation, param.split(".", 1)[1], str(value))
            elif param == "actionAttributes":
                c.actionAttributes = dict(value)
            elif param == "httpStatusCodes":
                c.httpStatusCodes = value
            else:
                setattr(c, param, value if value is not None else "")

        self.edit(param, mutate, typing=isinstance(value, str))

    def customize(self, provider: str) -> None:
        self.edit(f"{provider}.customize", lambda c: c.customize(provider))
        self.view.focus_content_field(provider, "title")

    def reset_provider(self, provider: str) -> None:
        self.edit(f"{provider}.reset", lambda c: c.drop_override(provider))

    def reset_field(self, provider: str, name: str) -> None:
        """The field takes the default's value again and follows it from now on."""
        self.edit(f"{provider}.{name}.reset", lambda c: c.inherit(provider, name))

    # --- replacing the model ---

    def restore(self, call: PublishCall) -> None:
        """Undo and redo: show ``call`` as the model; it is a change of the user's."""
        with self.showing_model():
            self.call = call.copy()
            self.refresh()
        self.changed.emit()

    def load(self, call: PublishCall) -> None:
        """Replace the whole draft (open, new): a fresh undo history, nothing modified."""
        with self.showing_model():
            self.call = call.copy()
            self.refresh()
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.model_replaced.emit()

    def load_unsaved(self, call: PublishCall) -> None:
        """Show ``call`` as unsaved work (restored after a crash, reopened from the history): an
        undoable change from an empty draft that undo can never turn back into a clean state, so
        closing the window asks before it is lost."""
        self.load(PublishCall())
        fresh = call.copy()

        def replace(target: PublishCall) -> None:
            for name in target.__dataclass_fields__:
                setattr(target, name, getattr(fresh, name))

        self.edit("replace", replace)
        self.undo_stack.resetClean()

    def set_approved_domains(self, domains: list[str] | None) -> None:
        """The profile's approved domains: links are checked against them from the next refresh."""
        self.approved_domains = domains

    # --- what is derived from the model ---

    def schedule_refresh(self) -> None:
        self._refresh_timer.start()

    def refresh(self) -> None:
        """Derive everything shown from the model: the form's state, previews and problems."""
        self._refresh_timer.stop()
        with self.showing_model():
            self.view.show_call(self.call)
        self.view.show_previews(preview(self.call))
        self._validated = validate(self.call, self.approved_domains)
        self.problems = self._validated + self._page_problems
        self._show_problems()
        self.refreshed.emit()

    def set_page_problems(self, problems: list[Problem]) -> None:
        """The linked pages' warnings about the current model, shown after validation's."""
        if problems == self._page_problems:
            return
        self._page_problems = list(problems)
        self.problems = self._validated + self._page_problems
        self._show_problems()

    def _show_on_new_page(self) -> None:
        with self.showing_model():
            self.view.show_call(self.call)
        self._show_problems()

    def _show_problems(self) -> None:
        content: dict[str | None, FieldProblems] = {None: {}}
        content.update({provider: {} for provider in PROVIDERS})
        options: FieldProblems = {}
        for problem in self.problems:
            provider, name = _content_field(problem.field)
            entry = (problem.severity.value, problem.message)
            if name is None:
                options.setdefault(problem.field, []).append(entry)
            elif provider is None or provider in self.call.overrides:
                content[provider].setdefault(name, []).append(entry)
        errors = sum(1 for p in self.problems if p.severity is Severity.ERROR)
        warnings = len(self.problems) - errors
        title = f"Problems ({_counted(errors, 'error')}, {_counted(warnings, 'warning')})" if self.problems else "Problems"
        self.view.show_problems(self.problems, content, options, title)

    def focus_field(self, path: str) -> None:
        """Show and focus the input that edits the field at ``path`` (a problem's field)."""
        provider, name = _content_field(path)
        if name is None:
            self.view.focus_option(path)
        else:
            self.view.focus_content_field(provider, name)


def _counted(count: int, noun: str) -> str:
    """``1 error``, ``0 warnings``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _content_field(path: str) -> tuple[str | None, str | None]:
    """Which content a field path belongs to: ``("twitter", "title")`` for
    ``twitterUserAction.title``, ``(None, "actionLinks")`` for ``userAction.actionLinks[0].href``;
    ``(None, None)`` for an option.  A problem about a whole UserAction goes to its title."""
    head, _, rest = path.partition(".")
    name = rest.split("[")[0].split(".")[0] if rest else "title"
    if head == "userAction":
        return None, name
    provider = head.removesuffix("UserAction")
    if head.endswith("UserAction") and provider in PROVIDERS:
        return provider, name
    return None, None
