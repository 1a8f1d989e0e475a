"""The profile dialog and a whole session with a real profile: the secret goes to the keyring and
is found in no file the app writes; closing the dialog never waits for the keyring, and a change
already started still ends, told in the main window."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import keyring
import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit

from composer.core.accounts.credentials import CredentialStore, forget_session_secrets
from composer.core.accounts.profiles import Profile, ProfileStore
from composer.gui.app import build_window, create_application
from composer.gui.controllers.profiles import MEMORY_ONLY
from composer.gui.dialogs import Choice
from composer.gui.profile_dialog import CUSTOM, KEYRING_CHANGES, ProfileDialog
from composer.sandbox.server import SandboxServer
from tests.helpers.fixtures import put_keyring_back
from tests.helpers.gui import compose, mnemonic_clashes, type_into
from tests.helpers.stubs import BlockingKeyring, FaultyServer, Hang, MemoryKeyring


def fill_profile(qtbot, dialog: ProfileDialog, sandbox: SandboxServer, name: str = "QA staging") -> str:
    info = sandbox.info()
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.name, name)
    dialog.data_center.setCurrentText(CUSTOM)
    qtbot.keyClicks(dialog.base_url, sandbox.url)
    qtbot.keyClicks(dialog.api_key, info["apiKey"])
    qtbot.keyClicks(dialog.user_key, info["userKey"])
    dialog.secret.setText(info["secret"])
    qtbot.keyClicks(dialog.domains, "example.com")
    return info["secret"]


def test_dialog_adds_profile_secret_in_keyring_only(qtbot, sandbox, memory_keyring, isolated_home):
    create_application()
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    assert dialog.secret.echoMode() == QLineEdit.EchoMode.Password
    qtbot.waitUntil(lambda: "keyring" in dialog.where.text())
    secret = fill_profile(qtbot, dialog, sandbox)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: memory_keyring.store.get(("composer", "QA staging")) == secret)
    assert dialog.secret.text() == ""
    profile = ProfileStore().get("QA staging")
    assert profile is not None and profile.base_url == sandbox.url and profile.approved_domains == ["example.com"]
    stored = ProfileStore().path.read_text()
    assert secret not in stored
    # Test: the server accepts the credentials and nothing is published
    before = len(sandbox.posts())
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled() and dialog.status.text().startswith("Tested"), timeout=10000)
    assert dialog.status.text().startswith("Tested the saved profile QA staging. OK"), dialog.status.text()
    assert len(sandbox.posts()) == before
    # a wrong secret is refused with the server's code
    memory_keyring.store[("composer", "QA staging")] = "d3Jvbmc="
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled() and "403003" in dialog.status.text(), timeout=10000)
    # remove asks first, then deletes the secret from the keyring too
    dialog.dialogs.confirm = lambda title, question: "delete its secret" in question
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ("composer", "QA staging") not in memory_keyring.store)
    assert ProfileStore().get("QA staging") is None
    dialog.runner.wait(5000)


def test_every_alt_key_of_the_dialog_reaches_one_control(qtbot):
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert mnemonic_clashes(dialog) == {}


def test_builtin_sandbox_is_read_only(qtbot):
    create_application()
    dialog = ProfileDialog(select="Sandbox")
    qtbot.addWidget(dialog)
    assert dialog.name.isReadOnly() and not dialog.save_button.isEnabled() and not dialog.remove_button.isEnabled()
    dialog.runner.wait(5000)


def test_no_keyring_keeps_secret_for_session_and_says_so(qtbot, sandbox):
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    create_application()
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "session only" in dialog.where.text())
    fill_profile(qtbot, dialog, sandbox, name="No keyring")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "session only" in dialog.status.text())
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "OK:" in dialog.status.text(), timeout=10000)
    dialog.runner.wait(5000)


def test_test_uses_the_form_and_says_whether_it_is_saved(qtbot, sandbox, memory_keyring):
    create_application()
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    secret = fill_profile(qtbot, dialog, sandbox, name="Typed")
    # not saved at all: the form is what is tested
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled() and dialog.status.text().startswith("Tested"), timeout=10000)
    assert dialog.status.text().startswith("Tested the form as typed (not saved yet). OK"), dialog.status.text()
    assert ProfileStore().get("Typed") is None and not memory_keyring.store
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: memory_keyring.store.get(("composer", "Typed")) == secret)
    # a wrong secret typed (not saved): the form's secret is tested, not the saved one
    dialog.secret.setText("d3Jvbmc=")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled() and dialog.status.text().startswith("Tested"), timeout=10000)
    assert dialog.status.text().startswith("Tested the form as typed (not saved yet). Refused") and "403003" in dialog.status.text()
    assert memory_keyring.store[("composer", "Typed")] == secret
    dialog.runner.wait(5000)


def test_remove_asks_first(qtbot, sandbox, memory_keyring):
    create_application()
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    secret = fill_profile(qtbot, dialog, sandbox, name="Kept")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: memory_keyring.store.get(("composer", "Kept")) == secret)
    asked: list[str] = []
    dialog.dialogs.confirm = lambda title, question: asked.append(question) or False
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert asked and "'Kept'" in asked[0]
    assert ProfileStore().get("Kept") is not None and memory_keyring.store[("composer", "Kept")] == secret
    assert dialog.status.text() == "Kept was kept."
    dialog.runner.wait(5000)


def test_rename_moves_the_secret(qtbot, sandbox, memory_keyring):
    create_application()
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    secret = fill_profile(qtbot, dialog, sandbox, name="Old name")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: memory_keyring.store.get(("composer", "Old name")) == secret)
    type_into(qtbot, dialog.name, "New name", replace=True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Renamed"))
    assert memory_keyring.store == {("composer", "New name"): secret}
    assert ProfileStore().names() == ["Sandbox", "New name"]
    assert dialog.list.currentItem().text() == "New name" and dialog.editing == "New name"
    dialog.runner.wait(5000)


CHANGED_ELSEWHERE = "was changed in another window or by a command since it was read here; its changes are kept"


@pytest.mark.parametrize("rename", [False, True], ids=["save", "rename"])
def test_a_profile_changed_elsewhere_while_shown_keeps_that_change(qtbot, sandbox, memory_keyring, rename):
    """Another window or ``composer profile edit`` changes the profile the form shows; Save here
    (or a rename) is refused instead of writing back the settings from before."""
    create_application()
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    secret = fill_profile(qtbot, dialog, sandbox, name="Shared")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: memory_keyring.store.get(("composer", "Shared")) == secret)
    elsewhere = ProfileStore().get("Shared")
    elsewhere.user_key = "changed-elsewhere"
    ProfileStore().update(elsewhere)

    type_into(qtbot, dialog.domains, "example.org", replace=True)
    if rename:
        type_into(qtbot, dialog.name, "Renamed", replace=True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: CHANGED_ELSEWHERE in dialog.status.text())

    stored = ProfileStore()
    assert stored.names() == ["Sandbox", "Shared"]
    assert stored.get("Shared").user_key == "changed-elsewhere" and stored.get("Shared").approved_domains == ["example.com"]
    assert memory_keyring.store == {("composer", "Shared"): secret}
    dialog.runner.wait(5000)


def test_a_test_answering_after_the_dialog_is_gone_reaches_none_of_its_widgets(qtbot, sandbox):
    create_application()
    dialog = ProfileDialog()
    # a server that holds the Test's request for a second: the dialog is deleted meanwhile (as
    # with the window it belongs to), and the answer comes after
    with FaultyServer([Hang(seconds=1)]) as server:
        fill_profile(qtbot, dialog, sandbox, name="Slow")
        dialog.base_url.setText(server.url)
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: server.request_count == 1)
        pool, test_button = dialog.runner.pool, dialog.test_button
        dialog.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        assert not shiboken6.isValid(test_button)
        assert pool.waitForDone(5000)
        for _ in range(3):  # the Test's report, were it still delivered, would raise here
            QApplication.processEvents()


def test_whole_session_never_writes_the_secret(qtbot, sandbox, memory_keyring, isolated_home, open_window):
    """Add a profile, publish with it, save a draft, let autosave, settings and history write:
    the secret is in the keyring and in no file under HOME."""
    create_application()
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    secret = fill_profile(qtbot, dialog, sandbox, name="Session")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ("composer", "Session") in memory_keyring.store)
    dialog.runner.wait(5000)

    win, ctl = open_window()
    try:
        ctl.profiles.reload_profiles("Session")
        assert win.profile_combo.currentText() == "Session"
        title = f"Session test {time.time_ns()}"
        type_into(qtbot, win.content.inputs["title"], title)
        type_into(qtbot, win.content.inputs["linkBack"], "https://example.com/session")
        type_into(qtbot, win.options.uid, "demo-all-ok")
        qtbot.waitUntil(win.publish_button.isEnabled)
        with qtbot.waitSignal(ctl.publishing.finished, timeout=15000) as blocker:
            qtbot.mouseClick(win.publish_button, Qt.MouseButton.LeftButton)
        assert blocker.args[0].result.outcome.value == "posted"
        assert [p["provider"] for p in sandbox.posts() if p["userAction"].get("title") == title]
        ctl.publishing.copy_curl()
        ctl.drafts._save_to(isolated_home / "draft.json")
        type_into(qtbot, win.content.inputs["description"], "more")  # autosave
        autosave = ctl.drafts.autosave.path
        assert autosave.is_relative_to(isolated_home)
        qtbot.waitUntil(autosave.exists, timeout=5000)
        ctl.publishing.write_export(isolated_home / "result.json", ctl.publishing.last_output, "json")
        ctl.publishing.write_export(isolated_home / "result.csv", ctl.publishing.last_output, "csv")
        assert secret not in QApplication.clipboard().text()
    finally:
        open_window.close(win)  # its publish and autosave workers finish before the files are read

    written = [p for p in Path(isolated_home).rglob("*") if p.is_file()]
    names = {p.name for p in written}
    for expected in ("profiles.json", "composer.ini", "history.sqlite", "draft.json", autosave.name, "result.json", "result.csv"):
        assert expected in names, f"{expected} was not written"
    needle = secret.encode()
    for path in written:
        assert needle not in path.read_bytes(), f"the secret is in {path}"


# --- closing while the keyring works ----------------------------------------------------------


def in_profiles_dialog(win, qtbot, act: Callable[[ProfileDialog], None]) -> None:
    """Open Profiles > Manage profiles… (modal) and do ``act`` in it; returns once it is closed."""

    def when_shown() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ProfileDialog):
            QTimer.singleShot(10, when_shown)  # not shown yet
            return
        try:
            act(dialog)
        finally:
            if dialog.isVisible():  # ``act`` failed before closing it: do not leave the test waiting
                dialog.reject()

    QTimer.singleShot(0, when_shown)
    win.profiles_action.trigger()


def close(qtbot, dialog: ProfileDialog) -> None:
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton)


def the_event_loop_runs(qtbot) -> None:
    """A timer started now fires: the GUI thread is not held."""
    beat = QTimer()
    beat.setSingleShot(True)
    with qtbot.waitSignal(beat.timeout, timeout=5000):
        beat.start(1)


def qa_profile_chosen(win, ctl, qtbot, sandbox) -> str:
    """Profile QA, without its secret, chosen for a composed draft: Publish is off until the secret
    is entered.  Returns the secret."""
    info = sandbox.info()
    ProfileStore().add(Profile(name="QA", base_url=sandbox.url, api_key=info["apiKey"], user_key=info["userKey"]))
    compose(qtbot, win, "demo-all-ok", "Closed while saving")
    ctl.profiles.reload_profiles("QA")
    qtbot.waitUntil(lambda: "no secret" in win.profile_status.text())
    assert not win.publish_button.isEnabled()
    return info["secret"]


#: how long the keyring holds a write before giving up (our choice): far longer than a test takes from
#: closing the dialog to releasing the keyring, so only a close that waited for the keyring fails it
PATIENCE = 5.0


@pytest.fixture
def held() -> BlockingKeyring:
    """A keyring that holds each write and delete until the test releases it, installed for the
    test (memory_keyring puts the previous one back and lets whatever is still held go)."""
    holding = BlockingKeyring(patience=PATIENCE)
    keyring.set_keyring(holding)
    return holding


def save_and_close(qtbot, held: BlockingKeyring, secret: str) -> Callable[[ProfileDialog], None]:
    def act(dialog: ProfileDialog) -> None:
        assert dialog.editing == "QA"
        dialog.secret.setText(secret)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(held.held.is_set)  # the keyring holds the write, as while it asks to be unlocked
        close(qtbot, dialog)

    return act


def test_closing_profiles_while_the_keyring_saves_waits_for_nothing_and_the_secret_is_saved(window, qtbot, sandbox, held):
    try:
        win, ctl = window
        secret = qa_profile_chosen(win, ctl, qtbot, sandbox)
        in_profiles_dialog(win, qtbot, save_and_close(qtbot, held, secret))

        # closed, with the secret still on its way: the window runs and says so
        dialog = win.findChild(ProfileDialog)
        assert dialog is not None and not dialog.isVisible()
        assert dialog.unfinished == ["saving the secret of QA"]
        assert win.status_label.text() == "Profiles: still saving the secret of QA…"
        the_event_loop_runs(qtbot)
        assert ("composer", "QA") not in held.store
    finally:
        held.release()
    qtbot.waitUntil(lambda: win.findChild(ProfileDialog) is None, timeout=10000)  # deleted once its work reported
    assert held.store[("composer", "QA")] == secret
    assert win.status_label.text() == (
        "Profiles: The secret of profile 'QA' is saved in the system keyring (blocking keyring BlockingKeyring), service 'composer'."
    )
    # the window looked again for the secret: Publish is back
    qtbot.waitUntil(win.publish_button.isEnabled, timeout=10000)
    assert "no secret" not in win.profile_status.text()


def test_a_keyring_error_after_the_dialog_closed_is_told_and_the_secret_kept_for_the_session(window, qtbot, sandbox):
    held = BlockingKeyring(fail_set=("QA",), patience=PATIENCE)
    keyring.set_keyring(held)
    win, ctl = window
    secret = qa_profile_chosen(win, ctl, qtbot, sandbox)
    try:
        in_profiles_dialog(win, qtbot, save_and_close(qtbot, held, secret))
        assert win.status_label.text() == "Profiles: still saving the secret of QA…"
        the_event_loop_runs(qtbot)

        held.release()
        qtbot.waitUntil(lambda: win.findChild(ProfileDialog) is None, timeout=10000)
        told = win.status_label.text()
        assert told.startswith("Profiles: The keyring (blocking keyring BlockingKeyring) failed while saving the secret of profile 'QA'")
        assert "the keyring daemon went away" in told and "memory" in told and secret not in told
        assert ("composer", "QA") not in held.store
        assert CredentialStore().get("QA").secret == secret  # kept for this session, as the message says
        qtbot.waitUntil(lambda: MEMORY_ONLY in win.profile_status.text(), timeout=10000)
        assert win.publish_button.isEnabled()
    finally:
        forget_session_secrets()  # the session's memory outlives the test


def test_closing_profiles_while_a_secret_is_deleted_still_deletes_it(window, qtbot, sandbox, held):
    win, ctl = window
    ProfileStore().add(Profile(name="Gone", base_url=sandbox.url, api_key="key", user_key="user"))
    held.store[("composer", "Gone")] = "c2VjcmV0"

    def remove_and_close(dialog: ProfileDialog) -> None:
        dialog.list.setCurrentRow(dialog.store.names().index("Gone"))
        dialog.dialogs.confirm = lambda title, question: True
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(held.held.is_set)
        close(qtbot, dialog)

    try:
        in_profiles_dialog(win, qtbot, remove_and_close)
        assert win.status_label.text() == "Profiles: still deleting the secret of Gone…"
        the_event_loop_runs(qtbot)
        assert ("composer", "Gone") in held.store
    finally:
        held.release()
    qtbot.waitUntil(lambda: win.findChild(ProfileDialog) is None, timeout=10000)
    assert held.store == {}
    assert win.status_label.text() == (
        "Profiles: Removed Gone. The secret of profile 'Gone' was deleted from the system keyring (blocking keyring BlockingKeyring)."
    )
    assert [win.profile_combo.itemText(i) for i in range(win.profile_combo.count())] == ["Sandbox"]


def test_reopening_profiles_while_a_save_runs_shows_it_and_the_next_save_lands_after_it(window, qtbot, sandbox, held):
    try:
        win, ctl = window
        first = qa_profile_chosen(win, ctl, qtbot, sandbox)
        in_profiles_dialog(win, qtbot, save_and_close(qtbot, held, first))
        closed = win.findChild(ProfileDialog)
        second = "c2Vjb25kIHNlY3JldA=="
        seen: list[tuple[ProfileDialog, str]] = []

        def save_again(dialog: ProfileDialog) -> None:
            seen.append((dialog, dialog.status.text()))
            dialog.secret.setText(second)
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
            seen.append((dialog, dialog.status.text()))
            close(qtbot, dialog)

        # opened again: the dialog still saving, shown as it was, says so
        in_profiles_dialog(win, qtbot, save_again)
        assert seen == [(closed, "Still saving the secret of QA…"), (closed, "Saving the secret of QA… (after saving the secret of QA)")]
        assert win.findChildren(ProfileDialog) == [closed]
        assert win.status_label.text() == "Profiles: still saving the secret of QA twice…"
        the_event_loop_runs(qtbot)
        assert held.writes == [("QA", first)]  # the second save waits for the first: never two at once
    finally:
        held.release()
    qtbot.waitUntil(lambda: win.findChild(ProfileDialog) is None, timeout=10000)
    assert held.writes == [("QA", first), ("QA", second)]
    assert held.store[("composer", "QA")] == second
    assert win.status_label.text() == (
        "Profiles: The secret of profile 'QA' is saved in the system keyring (blocking keyring BlockingKeyring), service 'composer'."
    )


def test_closing_profiles_while_a_profile_is_renamed_still_moves_its_secret(window, qtbot, sandbox, held):
    win, ctl = window
    ProfileStore().add(Profile(name="Old", base_url=sandbox.url, api_key="key", user_key="user"))
    held.store[("composer", "Old")] = "c2VjcmV0"

    def rename_and_close(dialog: ProfileDialog) -> None:
        dialog.list.setCurrentRow(dialog.store.names().index("Old"))
        type_into(qtbot, dialog.name, "New", replace=True)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(held.held.is_set)  # the secret's copy under the new name waits for the keyring
        close(qtbot, dialog)

    try:
        in_profiles_dialog(win, qtbot, rename_and_close)
        assert win.status_label.text() == "Profiles: still renaming Old to New…"
        the_event_loop_runs(qtbot)
        assert held.store == {("composer", "Old"): "c2VjcmV0"} and ProfileStore().names() == ["Sandbox", "Old"]
    finally:
        held.release()
    qtbot.waitUntil(lambda: win.findChild(ProfileDialog) is None, timeout=10000)
    assert held.store == {("composer", "New"): "c2VjcmV0"}
    assert ProfileStore().names() == ["Sandbox", "New"]
    assert win.status_label.text().startswith("Profiles: Renamed 'Old' to 'New'. The secret of profile 'New' is saved"), win.status_label.text()
    assert [win.profile_combo.itemText(i) for i in range(win.profile_combo.count())] == ["Sandbox", "New"]


def test_closing_the_window_while_the_keyring_saves_asks_first_and_waits_for_nothing(qtbot, sandbox, held):
    create_application()
    win, ctl = build_window()  # not the ``window`` fixture: this test deletes the window itself
    try:
        ctl.start(None)
        win.show()
        qtbot.waitExposed(win)
        secret = qa_profile_chosen(win, ctl, qtbot, sandbox)
        in_profiles_dialog(win, qtbot, save_and_close(qtbot, held, secret))
        ctl.dialogs.ask_save_changes = lambda name: Choice.DISCARD
        asked: list[str] = []
        ctl.dialogs.confirm = lambda title, question: asked.append(question) or False
        win.close()
        assert win.isVisible()
        assert len(asked) == 1 and asked[0].startswith("Composer is still saving the secret of QA in the keyring, which may be waiting for you to unlock it.")
        ctl.dialogs.confirm = lambda title, question: True
        win.close()
        assert not win.isVisible()
        win.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        assert held.waiting == 1  # deleting the window and its hidden dialog did not wait for the keyring
        the_event_loop_runs(qtbot)
    finally:
        if shiboken6.isValid(win):  # the test failed before deleting it
            win.deleteLater()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        held.release()
    qtbot.waitUntil(lambda: held.store.get(("composer", "QA")) == secret, timeout=10000)  # the change still ends
    assert KEYRING_CHANGES.waitForDone(5000)
    for _ in range(3):  # its outcome, were it still delivered, would reach the deleted dialog here
        QApplication.processEvents()


def editable(dialog: ProfileDialog) -> dict[str, bool]:
    """Which of the form's fields and actions can be used now."""
    fields = {field.accessibleName(): not field.isReadOnly() for field in (dialog.name, dialog.base_url, dialog.api_key, dialog.user_key, dialog.secret, dialog.domains)}
    return {**fields, "Data center": dialog.data_center.isEnabled(), "Authorization": dialog.auth.isEnabled(),
            "Save": dialog.save_button.isEnabled(), "Remove": dialog.remove_button.isEnabled(), "New": dialog.new_button.isEnabled()}


def test_while_a_rename_runs_nothing_can_be_typed_saved_removed_or_added_so_the_rename_loses_nothing(qtbot, sandbox, held):
    ProfileStore().add(Profile(name="A", base_url=sandbox.url, api_key="key", user_key="user"))
    held.store[("composer", "A")] = "c2VjcmV0"
    create_application()
    dialog = ProfileDialog(select="A")
    qtbot.addWidget(dialog)
    why = "Editing, Save, Remove and New are off until it ends, so the rename cannot overwrite a change made meanwhile."
    all_off = dict.fromkeys(editable(dialog), False)
    try:
        type_into(qtbot, dialog.name, "B", replace=True)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(held.held.is_set)  # the secret's copy under B waits for the keyring
        assert editable(dialog) == all_off
        assert dialog.status.text() == f"Renaming A to B… {why}"
        # A, not renamed yet, chosen again: it can be looked at, not edited, saved or removed
        dialog.list.setCurrentRow(dialog.store.names().index("Sandbox"))
        assert dialog.status.text() == f"The built-in sandbox needs no set-up. Still renaming A to B… {why}"
        dialog.list.setCurrentRow(dialog.store.names().index("A"))
        assert dialog.editing == "A" and dialog.name.text() == "A"
        assert editable(dialog) == all_off
        assert dialog.status.text() == f"Still renaming A to B… {why}"
        type_into(qtbot, dialog.base_url, "http://127.0.0.1:9", replace=True)
        assert dialog.base_url.text() == sandbox.url  # nothing typed, so nothing for the rename to wipe
        assert not dialog.save_profile()  # nor saved through its shortcut
        assert dialog.status.text() == f"Still renaming A to B… {why}"
        # nor a new profile: its write would come before the rename's, and its form be wiped by it
        qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
        dialog.new_profile()  # nor through its shortcut
        assert dialog.editing == "A" and dialog.name.text() == "A" and editable(dialog) == all_off
        assert ProfileStore().names() == ["Sandbox", "A"] and ProfileStore().get("A").base_url == sandbox.url
    finally:
        held.release()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.status.text().startswith("Renamed 'A' to 'B'."), dialog.status.text()
    assert dialog.editing == "B" and editable(dialog) == dict.fromkeys(all_off, True)
    # the rename ended: a save of the renamed profile lands after it, and both stay
    type_into(qtbot, dialog.base_url, "http://127.0.0.1:9", replace=True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Saved B."
    assert ProfileStore().names() == ["Sandbox", "B"] and ProfileStore().get("B").base_url == "http://127.0.0.1:9"
    assert held.store == {("composer", "B"): "c2VjcmV0"}


def test_profiles_opened_again_while_a_save_runs_reads_the_profiles_again_and_forgets_what_was_typed(window, qtbot, sandbox, held):
    win, ctl = window
    secret = qa_profile_chosen(win, ctl, qtbot, sandbox)
    seen: list = []

    def save_type_and_close(dialog: ProfileDialog) -> None:
        dialog.secret.setText(secret)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(held.held.is_set)
        dialog.secret.setText("dHlwZWQsIG5vdCBzYXZlZA==")  # typed, then closed without saving
        type_into(qtbot, dialog.api_key, "typed, not saved", replace=True)
        close(qtbot, dialog)

    def look(dialog: ProfileDialog) -> None:
        names = [dialog.list.item(row).text() for row in range(dialog.list.count())]
        seen.append((dialog, names, dialog.editing, dialog.secret.text(), dialog.status.text()))
        dialog.list.setCurrentRow(names.index("QA"))
        seen.append((dialog.api_key.text(), dialog.secret.text()))
        close(qtbot, dialog)

    try:
        in_profiles_dialog(win, qtbot, save_type_and_close)
        closed = win.findChild(ProfileDialog)
        # meanwhile the command line adds a profile, and the window goes back to the sandbox
        ProfileStore().add(Profile(name="Added", base_url=sandbox.url, api_key="key", user_key="user"))
        ctl.profiles.reload_profiles("Sandbox")
        in_profiles_dialog(win, qtbot, look)
        assert seen == [
            (closed, ["Sandbox", "Added", "QA"], "Sandbox", "", "Still saving the secret of QA…"),
            (sandbox.info()["apiKey"], ""),
        ]
    finally:
        held.release()
    qtbot.waitUntil(lambda: win.findChild(ProfileDialog) is None, timeout=10000)
    assert held.store == {("composer", "QA"): secret}


def test_profiles_opened_again_while_a_rename_runs_keeps_the_form_read_only_and_says_why(window, qtbot, sandbox, held):
    win, ctl = window
    ProfileStore().add(Profile(name="Old", base_url=sandbox.url, api_key="key", user_key="user"))
    held.store[("composer", "Old")] = "c2VjcmV0"
    ctl.profiles.reload_profiles("Old")
    seen: list = []

    def rename_and_close(dialog: ProfileDialog) -> None:
        type_into(qtbot, dialog.name, "New", replace=True)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(held.held.is_set)  # the secret's copy under the new name waits for the keyring
        close(qtbot, dialog)

    def look(dialog: ProfileDialog) -> None:
        seen.append((dialog.editing, editable(dialog), dialog.status.text()))
        close(qtbot, dialog)

    try:
        in_profiles_dialog(win, qtbot, rename_and_close)
        in_profiles_dialog(win, qtbot, look)
        (editing, actions, status), = seen
        assert editing == "Old" and actions == dict.fromkeys(actions, False)
        assert status == (
            "Still renaming Old to New… Editing, Save, Remove and New are off until it ends, so the rename cannot overwrite a change made meanwhile."
        )
    finally:
        held.release()
    qtbot.waitUntil(lambda: win.findChild(ProfileDialog) is None, timeout=10000)
    assert ProfileStore().names() == ["Sandbox", "New"] and held.store == {("composer", "New"): "c2VjcmV0"}


def test_profiles_opened_again_over_a_damaged_profiles_file_says_so_and_what_still_runs(window, qtbot, sandbox, held):
    win, ctl = window
    secret = qa_profile_chosen(win, ctl, qtbot, sandbox)
    seen: list[str] = []
    try:
        in_profiles_dialog(win, qtbot, save_and_close(qtbot, held, secret))
        ProfileStore().path.write_text("{ damaged", encoding="utf-8")  # meanwhile, by another program
        in_profiles_dialog(win, qtbot, lambda dialog: (seen.append(dialog.status.text()), close(qtbot, dialog)))
        (status,) = seen
        assert status.startswith("profiles.json was damaged (") and "set aside as profiles.json.corrupt-" in status, status
        assert status.endswith("Add the others again: their secrets are still in the keyring. Still saving the secret of QA…"), status
    finally:
        held.release()
    qtbot.waitUntil(lambda: win.findChild(ProfileDialog) is None, timeout=10000)
    assert held.store == {("composer", "QA"): secret}


def test_a_change_a_failed_test_left_queued_ends_on_its_keyring_before_the_next_keyring_is_installed(qtbot, sandbox, held):
    create_application()
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    first = fill_profile(qtbot, dialog, sandbox, name="QA")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(held.held.is_set)
    second = "c2Vjb25kIHNlY3JldA=="
    dialog.secret.setText(second)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # queued behind the first
    assert dialog.unfinished == ["saving the secret of QA", "saving the secret of QA"]
    # the test fails here, before its release(): the memory_keyring fixture puts the keyring back
    following = MemoryKeyring()
    put_keyring_back(following)
    assert keyring.get_keyring() is following
    assert held.writes == [("QA", first), ("QA", second)] and held.store == {("composer", "QA"): second}
    assert KEYRING_CHANGES.activeThreadCount() == 0 and following.store == {}
