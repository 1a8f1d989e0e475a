"""What the main window says about the chosen profile's secret: kept in memory only (no keyring),
or missing, in which case Publish stays off until it is entered."""

from __future__ import annotations

import keyring
from keyring.backends import fail

from composer.core.accounts.credentials import CredentialStore, forget_session_secrets
from composer.core.accounts.profiles import Profile, ProfileStore
from composer.gui.controllers.profiles import MEMORY_ONLY
from tests.helpers.gui import compose


def add_profile(sandbox, name: str) -> str:
    info = sandbox.info()
    ProfileStore().add(Profile(name=name, base_url=sandbox.url, api_key=info["apiKey"], user_key=info["userKey"]))
    return info["secret"]


def choose(win, ctl, qtbot, name: str) -> None:
    ctl.profiles.reload_profiles(name)
    assert win.profile_combo.currentText() == name
    qtbot.waitUntil(lambda: not ctl.profiles.runner.busy)


def test_a_profile_without_its_secret_is_marked_and_cannot_publish(open_window, qtbot, sandbox):
    add_profile(sandbox, "QA")
    win, ctl = open_window()
    compose(qtbot, win, "demo-all-ok")
    choose(win, ctl, qtbot, "QA")
    qtbot.waitUntil(lambda: "no secret" in win.profile_status.text())
    assert not win.publish_button.isEnabled()
    assert "Profile QA has no secret" in win.publish_button.toolTip()
    assert ctl.publishing.publish() is False
    # the secret is entered (as the profile dialog does): Publish comes back
    CredentialStore().set("QA", sandbox.info()["secret"])
    choose(win, ctl, qtbot, "QA")
    qtbot.waitUntil(win.publish_button.isEnabled)
    assert "no secret" not in win.profile_status.text()


def test_a_memory_only_secret_is_shown_and_gone_after_a_restart(open_window, qtbot, sandbox):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        secret = add_profile(sandbox, "No keyring")
        assert CredentialStore().set("No keyring", secret).session_only
        win, ctl = open_window()
        compose(qtbot, win, "demo-all-ok")
        choose(win, ctl, qtbot, "No keyring")
        qtbot.waitUntil(lambda: MEMORY_ONLY in win.profile_status.text())
        assert win.publish_button.isEnabled()
        open_window.close(win)
        # a new run: the profile is still the chosen one, its secret is not
        forget_session_secrets()
        win, ctl = open_window()
        assert win.profile_combo.currentText() == "No keyring"
        qtbot.waitUntil(lambda: "no secret" in win.profile_status.text())
        assert not win.publish_button.isEnabled() and "Profile No keyring has no secret" in win.publish_button.toolTip()
    finally:
        keyring.set_keyring(previous)
        forget_session_secrets()
