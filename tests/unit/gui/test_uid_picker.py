"""The UID picker on the Options page: the built-in sandbox's demo users with what each
rehearses, read from the sandbox itself; for another profile, the UIDs recently published for."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QStyle

from composer.core.accounts.credentials import CredentialStore
from composer.core.accounts.profiles import Profile, ProfileStore
from composer.core.accounts.users import recent_uids, sandbox_users
from composer.sandbox.builtin import ensure_builtin_sandbox
from tests.helpers.gui import compose, publish_and_wait, show_tab


def picker_entries(options) -> list[str]:
    return [a.text() for a in options.uid_picker.menu().actions() if not a.isSeparator() and a.isEnabled()]


def test_sandbox_users_come_from_the_sandbox_itself():
    listed = sandbox_users()
    described = {u["UID"]: u.get("description", "") for u in ensure_builtin_sandbox().info()["users"]}
    assert {c.uid: c.about for c in listed.choices} == described and not listed.note
    assert "demo-duplicate" in described


def test_picking_a_demo_user_fills_the_uid_and_says_what_it_rehearses(window, qtbot):
    win, ctl = window
    show_tab(win, win.options)
    options = win.options
    qtbot.waitUntil(lambda: options.uid_choices is not None and bool(options.uid_choices.choices))
    entries = picker_entries(options)
    partial = next(a for a in options.uid_picker.menu().actions() if a.text().startswith("demo-partial — "))
    assert "twitter answers 403048" in partial.text() and len(entries) == len(ensure_builtin_sandbox().info()["users"])
    partial.trigger()
    assert options.uid.text() == "demo-partial" and ctl.editing.call.UID == "demo-partial"
    assert "403048" in options.uid_about.text()
    ctl.editing.undo_stack.undo()  # a pick is an edit like any other
    assert ctl.editing.call.UID == ""


# a popup menu grabs the keyboard, which the offscreen platform cannot do
@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_the_picker_opens_on_a_click_and_its_arrow_leaves_its_text_readable(window, qtbot):
    win, ctl = window
    show_tab(win, win.options)
    picker = win.options.uid_picker
    qtbot.waitUntil(lambda: win.options.uid_choices is not None and bool(win.options.uid_choices.choices))
    style = picker.style()
    text = picker.fontMetrics().horizontalAdvance(picker.text())
    room = 2 * style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin) + style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator)
    assert picker.width() >= text + room  # the arrow is drawn beside the text, not over it
    menu = picker.menu()

    def pick() -> None:  # runs once the menu the click opened is up
        next(a for a in menu.actions() if a.text().startswith("demo-slow — ")).trigger()
        menu.close()

    QTimer.singleShot(0, pick)
    qtbot.mouseClick(picker, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctl.editing.call.UID == "demo-slow")
    assert win.options.uid.text() == "demo-slow" and "2 seconds" in win.options.uid_about.text()


def test_another_profile_offers_its_recent_uids(window, qtbot, sandbox):
    win, ctl = window
    info = sandbox.info()
    ProfileStore().add(Profile(name="QA", base_url=sandbox.url, api_key=info["apiKey"], user_key=info["userKey"]))
    CredentialStore().set("QA", info["secret"])
    ctl.profiles.reload_profiles("QA")
    compose(qtbot, win, "demo-partial")
    publish_and_wait(qtbot, win, ctl)
    qtbot.waitUntil(lambda: win.options.uid_choices.heading == "Recent UIDs of profile QA" and bool(win.options.uid_choices.choices))
    [entry] = picker_entries(win.options)
    assert entry.startswith("demo-partial — last used ")
    assert [c.uid for c in recent_uids("Sandbox").choices] == []  # each profile has its own
