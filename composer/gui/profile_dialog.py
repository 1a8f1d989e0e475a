"""Add, edit, remove and test credential profiles.

The secret is typed into a masked field and goes to the OS keyring (through CredentialStore) and
nowhere else; a status line says where secrets are kept, or that they are kept for this session
only.  Keyring calls and the credential test run on a worker thread: an unlock prompt or a slow
server never freezes the window.

A change to the keyring (saving, renaming or removing a secret) runs on :data:`KEYRING_CHANGES`,
one thread, so changes land in the order they were made; no widget owns it (why:
:mod:`composer.gui.worker`).  Closing the dialog waits for none: a change already started runs to
its end, the controller that opened the dialog keeps it, hidden, while :attr:`ProfileDialog.busy`,
shows it again (:meth:`ProfileDialog.reopen`) if asked, and tells each change's outcome
(:attr:`ProfileDialog.reported`) in the window.  Once the window is gone the process waits for
them before it exits: :func:`finish_keyring_changes`.
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from composer.core.accounts.check import check_form
from composer.core.accounts.credentials import CredentialStore
from composer.core.accounts.profiles import Profile, ProfileError, ProfileStore
from composer.core.accounts.rename import Renamed, rename_profile
from composer.core.contract import DATA_CENTERS
from composer.core.wire.endpoint import AuthMode
from composer.gui.dialogs import Dialogs
from composer.gui.theme import hint
from composer.gui.window_size import resize_to_fit
from composer.gui.worker import TaskRunner

CUSTOM = "Custom base URL…"

#: every change to the keyring, whichever dialog makes it: one thread, so that the keyring ends as
#: the user last asked.  Owned by no widget: the keyring may wait for its user (see composer.gui.worker)
KEYRING_CHANGES = QThreadPool()
KEYRING_CHANGES.setMaxThreadCount(1)
#: the changes on KEYRING_CHANGES not ended yet, in words, whichever dialog made them: what
#: finish_keyring_changes waits for.  A dialog's ``unfinished`` ends when the dialog is told, and a
#: dialog deleted with its window is told nothing
_ON_THE_WAY: list[str] = []
_ON_THE_WAY_LOCK = threading.Lock()


def finish_keyring_changes() -> None:
    """Wait, however long it takes, for every change to the keyring to end, saying so first on
    stderr (for whoever started Composer in a terminal).  ``composer.gui.app.run`` calls it once
    the event loop is over: closing the window over a change asks first and says that Composer
    keeps running without a window until the keyring answers."""
    with _ON_THE_WAY_LOCK:
        under_way = in_words(_ON_THE_WAY)
    if not under_way:
        return
    print(f"composer: still {under_way} in the keyring; Composer exits once the keyring answers", file=sys.stderr, flush=True)
    # -1: no time limit, until the last task has ended (https://doc.qt.io/qt-6/qthreadpool.html#waitForDone)
    KEYRING_CHANGES.waitForDone(-1)


#: why the form is read-only and Save, Remove and New are off while a rename runs (see
#: ProfileDialog._set_actions); said after the rename in the status line
WHILE_RENAMING = "Editing, Save, Remove and New are off until it ends, so the rename cannot overwrite a change made meanwhile."


class ProfileDialog(QDialog):
    #: the outcome of a change to the keyring (a secret saved, moved or removed, or why not), in
    #: words: whoever opened the dialog tells it once it is closed
    reported = Signal(str)
    #: every change to the keyring made here has reported (:attr:`busy` is False again)
    idle = Signal()

    def __init__(self, parent: QWidget | None = None, select: str | None = None, store: ProfileStore | None = None):
        super().__init__(parent)
        self.setWindowTitle("Profiles")
        resize_to_fit(self, 760, 460)  # our choice: the list beside the whole form
        self.store = store or ProfileStore()
        self.dialogs = Dialogs(self)
        # reading where secrets are kept and the credential test change nothing: the global pool
        self.runner = TaskRunner(self)
        self.changes = TaskRunner(self, KEYRING_CHANGES)
        #: the changes to the keyring under way, in words ("saving the secret of Shop staging")
        self.unfinished: list[str] = []
        #: the rename under way, in words ("renaming QA to QA staging"); "" when none.  It rewrites
        #: profiles.json once the keyring has moved the secret: see :meth:`_set_actions`
        self.renaming = ""
        self.editing: str | None = None

        self.list = QListWidget()
        self.list.setAccessibleName("Profiles")
        self.list.currentTextChanged.connect(self._show)
        self.new_button = QPushButton("&New")
        self.new_button.clicked.connect(self.new_profile)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setToolTip("Remove the profile and delete its secret from the keyring")
        self.remove_button.clicked.connect(self.remove_profile)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.remove_button)
        left.addLayout(row)

        form = QFormLayout()
        self.name = self._field(form, "Na&me:", "A name for this site and environment, e.g. 'Shop staging'")
        self.data_center = QComboBox()
        self.data_center.addItems(list(DATA_CENTERS) + [CUSTOM])
        self.data_center.setEditable(False)
        self.data_center.setAccessibleName("Data center")
        self.data_center.setToolTip("The site's data center; staging hosts and sandboxes use a custom base URL.")
        self.data_center.currentTextChanged.connect(lambda text: self.base_url.setEnabled(text == CUSTOM))
        form.addRow("&Data center:", self.data_center)
        self.base_url = self._field(form, "&Base URL:", "e.g. https://socialize.us1-st1.gigya.com (plain http only for 127.0.0.1)")
        self.api_key = self._field(form, "&API key:", "The site's API key")
        self.user_key = self._field(
            form, "&User key:", "The application's user key. Leave empty for the legacy partner secret (Gigya stopped accepting it in 2023)."
        )
        self.secret = self._field(form, "&Secret:", "The secret, base64 as shown in the console. Kept in the OS keyring only.")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.auth = QComboBox()
        self.auth.addItem("signed request (recommended)", AuthMode.SIGNED.value)
        self.auth.addItem("secret over HTTPS", AuthMode.SECRET.value)
        self.auth.setAccessibleName("Authorization")
        self.auth.setToolTip("A signed request never puts the secret on the wire.")
        form.addRow("Au&thorization:", self.auth)
        self.domains = self._field(form, "Approved d&omains:", "Comma-separated domains the site may share; links elsewhere are warned about.")
        self.where = QLabel()
        self.where.setObjectName("hint")
        hint(self.where)
        self.where.setWordWrap(True)
        self.where.setTextFormat(Qt.TextFormat.PlainText)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("Profile status")
        self.save_button = QPushButton("Sa&ve")
        self.save_button.clicked.connect(self.save_profile)
        self.test_button = QPushButton("T&est")
        self.test_button.setToolTip(
            "Check that the server accepts the credentials in the form (saved or not), publishing nothing. "
            "With the secret field empty, the saved secret is used."
        )
        self.test_button.clicked.connect(self.test_profile)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.test_button)
        actions.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.where)
        right.addWidget(self.status)
        right.addStretch(1)
        right.addLayout(actions)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self._reload(select)
        self.runner.start(_where, self.where.setText, lambda message: self.where.setText(message.splitlines()[0]))

    def _field(self, form: QFormLayout, label: str, tip: str) -> QLineEdit:
        widget = QLineEdit()
        widget.setToolTip(tip)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        form.addRow(label, widget)
        return widget

    def _reload(self, select: str | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems(self.store.names())
        self.list.blockSignals(False)
        items = self.list.findItems(select or "", Qt.MatchFlag.MatchExactly) if select else []
        self.list.setCurrentRow(self.list.row(items[0]) if items else 0)
        self._show(self.list.currentItem().text() if self.list.currentItem() else "")
        if self.store.recovered:
            self.status.setText(self.store.recovered)

    @property
    def _text_fields(self) -> tuple[QLineEdit, ...]:
        return (self.name, self.base_url, self.api_key, self.user_key, self.secret, self.domains)

    def _show(self, name: str) -> None:
        profile = self.store.get(name) if name else None
        self.editing = profile.name if profile else None
        builtin = bool(profile and profile.builtin)
        self._set_actions()
        if profile is None:
            return
        self.name.setText(profile.name)
        if profile.base_url or builtin:
            self.data_center.setCurrentText(CUSTOM)
            self.base_url.setText(profile.base_url if not builtin else "started on demand on a loopback port")
        else:
            self.data_center.setCurrentText(profile.data_center or DATA_CENTERS[0])
            self.base_url.clear()
        self.base_url.setEnabled(self.data_center.currentText() == CUSTOM and not builtin)
        self.api_key.setText("demo credentials of the built-in sandbox" if builtin else profile.api_key)
        self.user_key.setText(profile.user_key)
        self.secret.clear()
        self.secret.setPlaceholderText("not needed" if builtin else "unchanged (type to replace)")
        self.auth.setCurrentIndex(self.auth.findData(profile.auth.value))
        self.domains.setText(", ".join(profile.approved_domains))
        # what still runs is said for the sandbox too: it tells why New may be off
        self.status.setText(_sentences("The built-in sandbox needs no set-up." if builtin else "", self._still_running()))

    def new_profile(self) -> None:
        if self.renaming:  # New is off meanwhile (see _set_actions)
            return
        self.list.clearSelection()
        self.editing = None
        for widget in self._text_fields:
            widget.clear()
        self.secret.setPlaceholderText("required")
        self.data_center.setCurrentIndex(0)
        self._set_actions()
        self.status.setText(self._still_running() or "A new profile: fill it in and save.")
        self.name.setFocus()

    def _form_profile(self) -> Profile:
        custom = self.data_center.currentText() == CUSTOM
        return Profile(
            name=self.name.text().strip(),
            data_center="" if custom else self.data_center.currentText(),
            base_url=self.base_url.text().strip() if custom else "",
            api_key=self.api_key.text().strip(),
            user_key=self.user_key.text().strip(),
            auth=AuthMode(self.auth.currentData()),
            approved_domains=[d.strip() for d in self.domains.text().split(",") if d.strip()],
        )

    def save_profile(self) -> bool:
        if self.renaming:  # Save is off meanwhile (see _set_actions)
            self.status.setText(self._still_running())
            return False
        profile = self._form_profile()
        secret = self.secret.text().strip()
        old_name = self.editing
        if old_name is not None and profile.name != old_name:
            return self._rename(old_name, profile, secret)
        try:
            if old_name is None:
                if not secret:
                    raise ProfileError("a new profile needs its secret")
                self.store.add(profile)
            else:
                self.store.update(profile, expected=self.store.get(old_name))  # as the form showed it
        except ProfileError as exc:
            self.status.setText(str(exc))
            return False
        self.secret.clear()
        self._reload(profile.name)
        if secret:
            name = profile.name
            self._change(f"saving the secret of {name}", lambda: _save_secret(name, secret), self._said)
        else:
            self.status.setText(f"Saved {profile.name}.")
        return True

    def _rename(self, old_name: str, profile: Profile, secret: str) -> bool:
        """Rename on the worker: the secret moves in the keyring, which may wait on an unlock, and
        profiles.json is written after it (see :meth:`_set_actions`)."""
        path = self.store.path
        shown = self.store.get(old_name)  # as the form showed it: a change made elsewhere since is kept
        self.renaming = f"renaming {old_name} to {profile.name}"
        self._set_actions()

        def ended() -> None:
            self.renaming = ""
            self.store = ProfileStore(path)
            self._set_actions()

        def done(renamed: Renamed) -> str:
            ended()
            if renamed.ok:  # nothing was typed meanwhile (see _set_actions): nothing is lost here
                self.secret.clear()
                self._reload(profile.name)
            # else the form keeps what was typed, to choose another name
            return self._said(renamed.message)

        self._change(self.renaming, lambda: rename_profile(old_name, profile, secret, store=ProfileStore(path), expected=shown), done, ended)
        return True

    def _set_actions(self) -> None:
        """What the form allows for the profile shown: no change to the built-in sandbox, and only
        looking while a rename runs.  The rename writes profiles.json once the keyring has moved
        the secret, then shows the renamed profile: a save, a removal or a new profile written
        before that would be overwritten by it or change the file under it, and anything typed
        meanwhile would be replaced.  So until it ends the form is read-only and Save, Remove and
        New are off (:data:`WHILE_RENAMING` says so)."""
        profile = self.store.get(self.editing) if self.editing else None
        locked = bool(profile and profile.builtin) or bool(self.renaming)
        for widget in self._text_fields:
            widget.setReadOnly(locked)
        self.data_center.setEnabled(not locked)
        self.auth.setEnabled(not locked)
        self.save_button.setEnabled(not locked)
        self.remove_button.setEnabled(profile is not None and not locked)
        self.new_button.setEnabled(not self.renaming)

    def _still_running(self) -> str:
        """What still runs ("" when nothing does); while a rename runs, also what is off until it ends."""
        if not self.unfinished:
            return ""
        still = f"Still {self.under_way}…"
        return f"{still} {WHILE_RENAMING}" if self.renaming else still

    def _worker_failed(self, message: str) -> None:
        self.status.setText(f"Failed: {message.splitlines()[0]}")

    def remove_profile(self) -> None:
        name = self.editing
        if not name or self.renaming:  # Remove is off meanwhile (see _set_actions)
            return
        if not self.dialogs.confirm(
            "Remove profile",
            f"Remove profile {name!r} and delete its secret from the keyring? The secret cannot be brought back from Composer.",
        ):
            self.status.setText(f"{name} was kept.")
            return
        try:
            self.store.remove(name)
        except ProfileError as exc:
            self.status.setText(str(exc))
            return
        self._reload("Sandbox")
        self._change(f"deleting the secret of {name}", lambda: _delete_secret(name), self._said)

    def test_profile(self) -> None:
        """Test what the form holds, saved or not, and say which it was."""
        saved = self.store.get(self.editing) if self.editing else None
        if saved is not None and saved.builtin:
            profile, secret, which = saved, "", "the built-in sandbox"
        else:
            profile, secret = self._form_profile(), self.secret.text().strip()
            if saved is None and not secret:
                self.status.setText("Type the secret to test a new profile (it is saved only with Save).")
                return
            unsaved = saved is None or bool(secret) or _comparable(saved) != _comparable(profile)
            which = "the form as typed (not saved yet)" if unsaved else f"the saved profile {profile.name}"
        self.status.setText(f"Testing {which}…")
        self.test_button.setEnabled(False)

        def done(message: str) -> None:
            self.test_button.setEnabled(True)
            self.status.setText(f"Tested {which}. {message}")

        def failed(message: str) -> None:
            self.test_button.setEnabled(True)
            self._worker_failed(message)

        self.runner.start(lambda: _test(profile, secret), done, failed)

    @property
    def busy(self) -> bool:
        """A change to the keyring made here has not reported yet."""
        return bool(self.unfinished)

    @property
    def under_way(self) -> str:
        """The changes to the keyring under way, in words ("saving the secret of QA twice"); "" when none."""
        return in_words(self.unfinished)

    def reopen(self, select: str | None = None) -> None:
        """Ready the dialog, kept while its changes run, to be shown again as if new: profiles.json
        read again (another window or the command line may have changed it), the list reloaded with
        ``select`` chosen, nothing typed earlier left in the form (the secret least of all), and
        what still runs said."""
        self.store = ProfileStore(self.store.path)
        self._reload(select)
        self.secret.clear()
        if self.unfinished:  # after what reading profiles.json found, if it had to set the file aside
            self.status.setText(_sentences(self.store.recovered, self._still_running()))

    def _change(
        self, change: str, fn: Callable[[], Any], on_done: Callable[[Any], str], on_failed: Callable[[], None] = lambda: None
    ) -> None:
        """Run ``fn``, a ``change`` to the keyring, after every change started before it.
        ``on_done`` shows its outcome and returns it in words; that, or why the change failed, is
        ``reported``, and ``idle`` follows the last change's report."""
        earlier = list(self.unfinished)
        self.unfinished.append(change)
        said = f"{change[0].upper()}{change[1:]}…"
        if earlier:
            said += f" (after {in_words(earlier)})"
        if self.renaming:  # this change is the rename: nothing else starts while it runs
            said += f" {WHILE_RENAMING}"
        self.status.setText(said)

        def failed(message: str) -> None:
            on_failed()
            self._changed(change, self._said(f"Failed {change}: {message.splitlines()[0]}"))

        def run() -> Any:  # on the worker
            try:
                return fn()
            finally:
                with _ON_THE_WAY_LOCK:
                    _ON_THE_WAY.remove(change)

        with _ON_THE_WAY_LOCK:
            _ON_THE_WAY.append(change)
        self.changes.start(run, lambda value: self._changed(change, on_done(value)), failed)

    def _said(self, message: str) -> str:
        self.status.setText(message)
        return message

    def _changed(self, change: str, message: str) -> None:
        self.unfinished.remove(change)
        if self.unfinished:  # the status line said how this one ended: it also says what still runs
            self.status.setText(f"{message} {self._still_running()}")
        self.reported.emit(message)
        if not self.unfinished:
            self.idle.emit()


def in_words(changes: list[str]) -> str:
    """Changes in words, each once, in the order they were made: "saving the secret of QA twice
    and renaming QA to Shop"."""
    counted = Counter(changes)  # a dict: the first change made comes first
    return " and ".join(change if n == 1 else f"{change} twice" if n == 2 else f"{change} {n} times" for change, n in counted.items())


def _sentences(*said: str) -> str:
    """What is said, one after the other, leaving out what is empty."""
    return " ".join(sentence for sentence in said if sentence)


def _where() -> str:
    return CredentialStore().where()


def _save_secret(name: str, secret: str) -> str:
    return CredentialStore().set(name, secret).message


def _delete_secret(name: str) -> str:
    return f"Removed {name}. " + CredentialStore().delete(name).message


def _test(profile: Profile, secret: str) -> str:
    checked = check_form(profile, secret)
    return checked.message + (f" ({checked.hint})" if checked.hint else "")


def _comparable(profile: Profile) -> dict:
    """A profile as saving it would store it (a form's empty data center and spaces aside)."""
    stored = profile.to_json()
    stored["approvedDomains"] = sorted(d.strip().lower().rstrip(".") for d in profile.approved_domains)
    stored["baseUrl"] = stored.get("baseUrl", "").strip().rstrip("/")
    return stored
