"""The truth about the live service: one wording (composer/core/live_service.py) for the README's
first screen, the About box, ``composer profile test`` and the note on a result from an endpoint
that is not a sandbox on this machine.  The publishes here go through the real client to the real
sandbox, over a transport that answers Gigya's own host names on loopback."""

from __future__ import annotations

import re

import pytest

from composer.core.accounts.check import check_credentials
from composer.core.accounts.credentials import CredentialStore
from composer.core.accounts.profiles import Profile, ProfileStore
from composer.core.call.model import PublishCall, UserAction
from composer.core.live_service import LIVE_SERVICE_TRUTH, RETIRED_ON, SANDBOX_REHEARSES, endpoint_note
from composer.core.publishing import publish_and_record, render_result
from composer.core.wire.client import GigyaClient
from composer.core.wire.endpoint import AuthMode, Credentials
from composer.core.wire.result import Outcome
from tests.helpers.environment import REPO
from tests.helpers.stubs import forwarding_session

US1 = "https://socialize.us1.gigya.com"


def words(text: str) -> str:
    """Text as a reader sees it: no Markdown marks, one space between words."""
    return re.sub(r"\s+", " ", text.replace("`", "").replace("**", "")).strip()


def share(title: str) -> PublishCall:
    return PublishCall(UID="demo-all-ok", userAction=UserAction(userMessage=title, title=title, linkBack="https://example.com/a"))


def test_the_readmes_first_screen_says_it_in_the_same_words():
    readme = (REPO / "README.md").read_text("utf-8")
    first_screen = "\n".join(readme.splitlines()[:45])
    assert words(LIVE_SERVICE_TRUTH) in words(first_screen)
    assert RETIRED_ON in LIVE_SERVICE_TRUTH and "January 31, 2021" in LIVE_SERVICE_TRUTH and "publish_actions" in LIVE_SERVICE_TRUTH


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1:8123", "sandbox"),
        ("http://localhost:8123/socialize.publishUserAction", "sandbox"),
        ("http://[::1]:8123", "sandbox"),
        ("https://socialize.us1.gigya.com/socialize.publishUserAction", "gigya"),
        ("https://socialize.eu1.gigya.com", "gigya"),
        ("https://us1-st1.gigya.com", "gigya"),
        ("https://socialize.cn1.sapcdm.cn", "gigya"),
        ("https://socialize.cn1.gigya-api.cn", "gigya"),
        ("https://staging.example.net", "other"),
        ("https://gigya.com.example.net", "other"),
        ("https://notgigya.com", "other"),
    ],
)
def test_each_kind_of_endpoint_gets_its_own_note(url, kind):
    note = endpoint_note(url)
    if kind == "sandbox":
        assert note == ""
        return
    assert RETIRED_ON in note and note.endswith(SANDBOX_REHEARSES)
    if kind == "gigya":
        assert "is Gigya's live service" in note and "no answer from it means a post on a real network" in note
    else:
        assert "is not Gigya's live service" in note


def test_a_result_from_gigyas_live_service_says_what_its_answer_means(sandbox_behind_a_proxy):
    info = sandbox_behind_a_proxy.info()
    client = GigyaClient(
        Credentials(info["apiKey"], info["secret"], info["userKey"], AuthMode.SIGNED), US1, timeout=5,
        session=forwarding_session(sandbox_behind_a_proxy.url, US1, as_sent=True),
    )

    result, history_id = publish_and_record(client, share("Seen as the live service"), "Live")

    assert result.outcome is Outcome.POSTED and history_id is not None  # the server said so...
    note = endpoint_note(US1)
    assert result.notes == [note]  # ...and the note says what that is worth
    assert f"note: {note}" in render_result(result).splitlines()
    assert sandbox_behind_a_proxy.posts()[0]["userAction"]["title"] == "Seen as the live service"


def test_a_result_from_a_sandbox_on_this_machine_has_no_such_note(sandbox):
    info = sandbox.info()
    client = GigyaClient(Credentials(info["apiKey"], info["secret"], info["userKey"], AuthMode.SIGNED), sandbox.url, timeout=5)

    result, _ = publish_and_record(client, share("A rehearsal"), "Local")

    assert result.outcome is Outcome.POSTED
    assert result.notes == []


def test_testing_a_live_profile_says_the_call_was_retired(sandbox_behind_a_proxy):
    info = sandbox_behind_a_proxy.info()
    ProfileStore().add(Profile(name="Live", data_center="us1.gigya.com", api_key=info["apiKey"], user_key=info["userKey"]))
    CredentialStore().set("Live", info["secret"])

    check = check_credentials("Live", timeout=5, session=forwarding_session(sandbox_behind_a_proxy.url, US1, as_sent=True))

    assert check.ok, check.message
    accepted, note = check.message.split("\n")
    assert accepted.startswith(f"OK: {US1} accepted the credentials of profile 'Live'")
    assert note == endpoint_note(US1)
    assert sandbox_behind_a_proxy.posts() == []
