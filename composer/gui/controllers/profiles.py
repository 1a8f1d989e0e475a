"""Profiles: which profile the next publish goes through, what the window says about it (where
its secret is: the keyring, this session's memory only, or nowhere), and the profile dialog.  The
chosen profile is remembered across starts; its approved domains are what the draft's links are
checked against.  A profile whose secret is missing cannot publish until it is entered."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance

from composer.core.accounts.credentials import CredentialStore, Location, SecretResult
from composer.core.accounts.profiles import BUILTIN_NAME, Profile, ProfileStore
from composer.core.accounts.users import UidChoices, uid_choices
from composer.gui.controllers.editing import EditingController
from composer.gui.dialogs import Dialogs
from composer.gui.settings import settings
from composer.gui.worker import TaskRunner

if TYPE_CHECKING:
    from composer.gui.profile_dialog import ProfileDialog

#: what the window says beside a profile whose secret lives in memory only
MEMORY_ONLY = "secret in memory only (no keyring): gone when Composer exits"


class ProfilesView(Protocol):
    """What the profiles controller needs of the window."""

    #: (profile name) chosen in the toolbar
    profile_chosen: SignalInstance
    manage_profiles_requested: SignalInstance
    uid_choices_requested: SignalInstance

    def show_profiles(self, names: list[str], current: str) -> None: ...
    def chosen_profile(self) -> str: ...
    def show_profile_summary(self, text: str, warning: bool = False) -> None: ...
    def show_status(self, message: str) -> None: ...
    def show_uid_choices(self, choices: UidChoices) -> None: ...


class ProfilesController(QObject):
    #: why the chosen profile cannot publish now ("" when it can): its secret is missing
    blocked = Signal(str)

    def __init__(self, view: ProfilesView, editing: EditingController, dialogs: Dialogs, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
        self.editing = editing
        self.dialogs = dialogs
        #: reading the keyring may wait on an unlock prompt: never on the GUI thread
        self.runner = TaskRunner(self)
        self._generation = 0
        self._choices_generation = 0
        #: the UID picker exists (the Options page was built): keep it filled
        self._picker = False
        #: the profile dialog, closed while its changes to the keyring still run: shown again when
        #: Profiles is opened, so that one dialog makes every change, in order, and says what runs
        self._dialog: ProfileDialog | None = None
        #: why the chosen profile cannot publish ("" when it can)
        self.problem = ""
        view.profile_chosen.connect(lambda _name: self._profile_changed())
        view.manage_profiles_requested.connect(self.manage_profiles)
        view.uid_choices_requested.connect(self._picker_shown)

    def current_profile(self) -> str:
        return self.view.chosen_profile() or BUILTIN_NAME

    def reload_profiles(self, select: str | None = None, refresh: bool = True) -> None:
        """List the profiles again and choose ``select``, else the current or remembered one.
        ``refresh=False`` leaves deriving the draft to whoever loads one next."""
        store = ProfileStore()
        current = select or self.view.chosen_profile() or settings().value("profile", BUILTIN_NAME, type=str)
        self.view.show_profiles([profile.name for profile in store.list()], current)
        if store.recovered:
            self.view.show_status(store.recovered)
        self._profile_changed(refresh=refresh)

    def _profile_changed(self, refresh: bool = True) -> None:
        name = self.current_profile()
        profile = ProfileStore().get(name)
        self.editing.set_approved_domains(list(profile.approved_domains) if profile and profile.approved_domains else None)
        self.view.show_profile_summary(_summary(profile))
        self._set_problem("")
        self._generation += 1
        if profile is not None and not profile.builtin:
            generation, summary = self._generation, _summary(profile)
            self.runner.start(lambda: _locate(name), lambda found: self._secret_located(generation, name, summary, found), self._locate_failed)
        remembered = settings()
        if remembered.value("profile", "", type=str) != name:  # unchanged at most starts: nothing to write
            remembered.setValue("profile", name)
        if self._picker:
            self.load_uid_choices()
        if refresh:
            self.editing.refresh()

    def _picker_shown(self) -> None:
        self._picker = True
        self.load_uid_choices()

    def load_uid_choices(self) -> None:
        """Fill the UID picker for the chosen profile, off the GUI thread: the sandbox's demo users
        come from the sandbox over HTTP, recent UIDs from the history.  Nothing to do until the
        picker is first shown (start-up starts no sandbox for it)."""
        if not self._picker:
            return
        name = self.current_profile()
        self._choices_generation += 1
        generation = self._choices_generation

        def show(choices: UidChoices) -> None:
            if generation == self._choices_generation:  # not a list of a profile chosen before
                self.view.show_uid_choices(choices)

        self.runner.start(lambda: uid_choices(name), show, lambda message: show(UidChoices("Users", [], message.splitlines()[0])))

    def _secret_located(self, generation: int, name: str, summary: str, found: SecretResult) -> None:
        if generation != self._generation:  # another profile was chosen meanwhile
            return
        if found.location is Location.SESSION:
            self.view.show_profile_summary(f"{summary} · {MEMORY_ONLY}", warning=True)
        elif found.location is Location.NOWHERE:
            self.view.show_profile_summary(f"{summary} · no secret: enter it in Profiles > Manage profiles…", warning=True)
            self._set_problem(f"Profile {name} has no secret, so it cannot publish: {found.message} Enter it in Profiles > Manage profiles….")

    def _locate_failed(self, message: str) -> None:
        self.view.show_status(f"Could not tell where the profile's secret is: {message.splitlines()[0]}")

    def _set_problem(self, problem: str) -> None:
        if problem != self.problem:
            self.problem = problem
            self.blocked.emit(problem)

    def manage_profiles(self) -> None:
        # the dialog, and the keyring under it, load when first opened
        from composer.gui.profile_dialog import ProfileDialog

        dialog = self._dialog
        if dialog is None:
            dialog = self._dialog = ProfileDialog(self.dialogs.parent, select=self.current_profile())
            dialog.reported.connect(self._change_reported)
            dialog.idle.connect(self._dialog_idle)
        else:
            dialog.reopen(select=self.current_profile())
        dialog.exec()
        # closed at once, even while the keyring works (it may wait for the user to unlock it): a
        # change already started finishes, and the window says how it ended
        if dialog.busy:
            self.view.show_status(f"Profiles: still {dialog.under_way}…")
        else:
            self._let_go(dialog)
        # looking at a profile in the dialog never changes where the next publish goes
        self.reload_profiles()

    @property
    def under_way(self) -> str:
        """The changes to the keyring still under way, in words ("saving the secret of QA"); "" when none."""
        return self._dialog.under_way if self._dialog is not None else ""

    def _change_reported(self, message: str) -> None:
        """A change to the keyring made in the profile dialog has ended: once the dialog is closed,
        say how, and show again where the chosen profile's secret is (it may just have been saved).
        While the dialog is open, its own status line says it."""
        if self._dialog is not None and not self._dialog.isVisible():
            self.view.show_status(f"Profiles: {message}")
            self.reload_profiles()

    def _dialog_idle(self) -> None:
        # while shown again, the dialog stays: manage_profiles lets it go once the user closes it
        if self._dialog is not None and not self._dialog.isVisible():
            self._let_go(self._dialog)

    def _let_go(self, dialog: ProfileDialog) -> None:
        self._dialog = None
        dialog.deleteLater()


def _locate(name: str) -> SecretResult:
    return CredentialStore().locate(name)


def _summary(profile: Profile | None) -> str:
    if profile is None:
        return ""
    if profile.builtin:
        return "  built-in sandbox (demo users, no account)"
    return f"  {profile.base_url or profile.data_center}"
