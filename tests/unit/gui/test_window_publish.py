"""Publishing from the window to the real built-in sandbox over loopback, as a user would."""

from __future__ import annotations

import json
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from composer.core.contract import PROVIDERS
from composer.gui.theme import CAUTION
from composer.sandbox.builtin import ensure_builtin_sandbox
from tests.helpers.gui import compose, publish_and_wait, show_tab, type_into
from tests.helpers.stubs import forwarding_session


def posts_with_title(title: str) -> list[dict]:
    return [p for p in ensure_builtin_sandbox().posts() if p["userAction"].get("title") == title]


def test_full_success(window, qtbot):
    win, ctl = window
    assert win.profile_combo.currentText() == "Sandbox"
    title = compose(qtbot, win, "demo-all-ok")
    output = publish_and_wait(qtbot, win, ctl)
    assert output.result.outcome.value == "posted"
    assert win.bottom_tabs.currentWidget() is win.results
    panel = win.results
    assert panel.headline.text().startswith("Published to 6 network(s)")
    for provider in ("facebook", "twitter", "linkedin", "vkontakte", "renren", "sina"):
        assert panel.row_for(provider)["Outcome"] == "posted"
    # only these three networks return post IDs (the reference's providerPostIDs)
    assert [provider for provider in PROVIDERS if panel.row_for(provider)["Post ID"]] == ["facebook", "twitter", "linkedin"]
    assert output.result.call_id in panel.meta.text()
    raw = json.loads(panel.raw.toPlainText())
    assert raw["errorCode"] == 0 and set(raw["providerPostIDs"]) == {"facebook", "twitter", "linkedin"}
    assert len(posts_with_title(title)) == 6
    # copy as cURL: the exact request, secret and signature redacted
    qtbot.mouseClick(panel.curl_button, Qt.MouseButton.LeftButton)
    curl = QApplication.clipboard().text()
    assert curl.startswith("curl -sS -X POST ") and "sig=<redacted>" in curl
    assert ensure_builtin_sandbox().info()["secret"] not in curl


def test_partial_failure(window, qtbot):
    win, ctl = window
    compose(qtbot, win, "demo-partial")
    output = publish_and_wait(qtbot, win, ctl)
    assert output.result.outcome.value == "partial"
    panel = win.results
    assert panel.row_for("facebook")["Outcome"] == "posted"
    assert panel.row_for("linkedin")["Outcome"] == "posted"
    twitter = panel.row_for("twitter")
    assert twitter["Outcome"] == "failed"
    assert twitter["Error code"] == "403048"
    assert twitter["Reason"] == "Api rate limit exceeded: Twitter rate limit exceeded; wait before publishing again"
    assert panel.row_for("renren")["Outcome"] == "not attempted"
    assert panel.retry_button.isEnabled()
    assert panel.headline.property("outcome") == "partial"
    assert panel.headline.palette().color(panel.headline.foregroundRole()) == QColor(CAUTION)


def test_refused_call_shows_server_message(window, qtbot):
    win, ctl = window
    compose(qtbot, win, "demo-no-connections")
    output = publish_and_wait(qtbot, win, ctl)
    assert output.result.outcome.value == "failed"
    assert "400006" in win.results.headline.text()


def test_timeout_is_unknown_and_never_resent(window, qtbot):
    win, ctl = window
    server = ensure_builtin_sandbox()
    compose(qtbot, win, "demo-slow")
    show_tab(win, win.options)
    win.options.timeout.setValue(0.5)
    before = server.request_count
    output = publish_and_wait(qtbot, win, ctl)
    result = output.result
    assert result.outcome.value == "unknown"
    assert result.sent == 1
    assert "Outcome unknown" in win.results.headline.text()
    assert win.results.headline.property("outcome") == "unknown"
    assert win.results.headline.palette().color(win.results.headline.foregroundRole()) == QColor(CAUTION)
    assert win.results.row_for("twitter")["Outcome"] == "unknown"
    assert win.publish_button.isEnabled()
    # the slow provider finishes on the server's side; the client never sends a second request
    qtbot.wait(2500)
    assert server.request_count - before == 1


def test_event_loop_runs_while_a_slow_publish_is_in_flight(window, qtbot):
    win, ctl = window
    compose(qtbot, win, "demo-slow")  # twitter answers after 2 s
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    with qtbot.waitSignal(ctl.publishing.started, timeout=2000):
        qtbot.mouseClick(win.publish_button, Qt.MouseButton.LeftButton)
    # while in flight: busy indicator shown, the button cannot send twice, typing still works
    assert win.busy.isVisible()
    assert not win.publish_button.isEnabled()
    assert ctl.publishing.publish() is False
    type_into(qtbot, win.content.inputs["description"], "typed while publishing")
    with qtbot.waitSignal(ctl.publishing.finished, timeout=15000) as blocker:
        pass
    timer.stop()
    elapsed = time.perf_counter() - started
    assert blocker.args[0].result.outcome.value == "posted"
    assert elapsed >= 1.9  # it really waited for the slow network
    assert len(ticks) >= 40  # ~100 expected: the loop kept ticking throughout
    assert ctl.editing.call.userAction.description == "typed while publishing"
    assert not win.busy.isVisible()


def test_ctrl_enter_publishes(window, qtbot):
    win, ctl = window
    compose(qtbot, win, "demo-all-ok")
    with qtbot.waitSignal(ctl.publishing.finished, timeout=15000) as blocker:
        qtbot.keyClick(win.content.inputs["title"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0].result.outcome.value == "posted"


def test_publish_refused_while_errors(window, qtbot):
    win, ctl = window
    type_into(qtbot, win.content.inputs["title"], "no UID yet")
    qtbot.waitUntil(lambda: not win.publish_button.isEnabled())
    before = ensure_builtin_sandbox().request_count
    win.publish_action.trigger()
    assert ctl.publishing.publish() is False
    assert ensure_builtin_sandbox().request_count == before


def test_saving_never_waits_for_a_publish_in_flight(window, qtbot, tmp_path):
    win, ctl = window
    compose(qtbot, win, "demo-slow")  # twitter answers after 2 s
    with qtbot.waitSignal(ctl.publishing.started, timeout=2000):
        qtbot.mouseClick(win.publish_button, Qt.MouseButton.LeftButton)
    from PySide6.QtCore import QThreadPool

    assert ctl.drafts._save_to(tmp_path / "draft.json")
    # the publish (2 s of server latency) is still running on its worker: Save did not wait for it
    assert QThreadPool.globalInstance().activeThreadCount() >= 1, "Save blocked the window until the publish finished"
    with qtbot.waitSignal(ctl.publishing.finished, timeout=15000):
        pass


def test_retry_goes_through_the_profile_of_the_attempt(window, qtbot):
    from composer.core.accounts.profiles import Profile, ProfileStore
    from composer.core.wire.client import AuthMode

    win, ctl = window
    ProfileStore().add(Profile(name="Elsewhere", base_url="http://127.0.0.1:9", api_key="k", user_key="u", auth=AuthMode.SIGNED))
    ctl.profiles.reload_profiles()
    compose(qtbot, win, "demo-partial")
    first = publish_and_wait(qtbot, win, ctl)
    assert first.result.outcome.value == "partial" and first.profile_name == "Sandbox"
    win.profile_combo.setCurrentIndex(win.profile_combo.findData("Elsewhere"))
    with qtbot.waitSignal(ctl.publishing.finished, timeout=15000) as blocker:
        qtbot.mouseClick(win.results.retry_button, Qt.MouseButton.LeftButton)
    retry = blocker.args[0]
    assert retry.profile_name == "Sandbox"
    assert retry.result.request_params["enabledProviders"] == "twitter"


def test_a_result_from_gigyas_live_service_says_what_its_answer_means(window, qtbot, monkeypatch, sandbox_behind_a_proxy):
    """A profile on Gigya's us1 data center, its requests answered by a sandbox on loopback: the
    answer says "posted", and the Result tab says what that is worth now that the call is retired."""
    from composer.core import publishing
    from composer.core.accounts.credentials import CredentialStore
    from composer.core.accounts.profiles import Profile, ProfileStore
    from composer.core.live_service import endpoint_note
    from composer.core.wire.client import GigyaClient

    live = "https://socialize.us1.gigya.com"
    info = sandbox_behind_a_proxy.info()
    ProfileStore().add(Profile(name="Live", data_center="us1.gigya.com", api_key=info["apiKey"], user_key=info["userKey"]))
    CredentialStore().set("Live", info["secret"])
    # the client's transport answers Gigya's host on loopback; everything else is the app's own
    session = forwarding_session(sandbox_behind_a_proxy.url, live, as_sent=True)
    monkeypatch.setattr(publishing, "make_client", lambda resolved, timeout: GigyaClient(resolved.credentials, resolved.base_url, timeout=timeout, session=session))
    win, ctl = window
    ctl.profiles.reload_profiles()
    win.profile_combo.setCurrentIndex(win.profile_combo.findData("Live"))
    compose(qtbot, win, "demo-all-ok", label="Live service")

    output = publish_and_wait(qtbot, win, ctl)

    assert output.result.url == live + "/socialize.publishUserAction"
    assert output.result.outcome.value == "posted" and len(sandbox_behind_a_proxy.posts()) == 6
    note = endpoint_note(live)
    assert note in win.results.meta.text()
    assert win.results.meta.isVisible() and win.results.meta.wordWrap()
    # the Sandbox profile's result, a rehearsal on this machine, has no such note
    win.profile_combo.setCurrentIndex(win.profile_combo.findData("Sandbox"))
    type_into(qtbot, win.content.inputs["title"], f"Rehearsal {time.time_ns()}", replace=True)
    type_into(qtbot, win.content.inputs["userMessage"], "A rehearsal", replace=True)
    rehearsal = publish_and_wait(qtbot, win, ctl)
    assert rehearsal.result.outcome.value == "posted"
    assert "retired" not in win.results.meta.text()
