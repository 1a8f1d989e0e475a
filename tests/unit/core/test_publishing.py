"""The publish path the window's worker runs (``publishing.publish_with_profile``): whatever breaks,
a result comes back, never an exception (an exception would reach the window as a crash, with no
history row)."""

from __future__ import annotations

from composer.core import publishing
from composer.core.call.model import PublishCall, UserAction
from composer.core.wire.result import Outcome


def test_a_profile_that_cannot_be_read_comes_back_as_a_failure_with_nothing_sent(monkeypatch):
    def broken_keyring(name, **overrides):
        raise RuntimeError("the keyring daemon went away")

    monkeypatch.setattr(publishing, "resolve", broken_keyring)
    output = publishing.publish_with_profile(PublishCall(UID="u", userAction=UserAction(title="t")), "work", 5.0)
    assert output.result.outcome is Outcome.FAILED
    assert output.result.error_message == "could not prepare the request: RuntimeError: the keyring daemon went away"
    assert output.result.sent == 0
    assert output.history_id is None
    assert output.profile_name == "work"
