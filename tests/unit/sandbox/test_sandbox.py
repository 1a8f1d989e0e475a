"""The built-in sandbox server, driven over loopback with real signed requests."""

from __future__ import annotations

import argparse
import email.utils
import http.client as http_client
import json
import re
import socket
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

import pytest
import requests

from composer.commands.sandbox import configure as add_arguments
from composer.commands.sandbox import run as main_sandbox
from composer.core.call.draft import MAX_DRAFT_BYTES
from composer.core.call.model import PublishCall
from composer.core.wire import signing
from composer.sandbox import service
from composer.sandbox.scenario import CLOCK_SKEW_MAX_S, Scenario, ScenarioError
from composer.sandbox.server import SandboxServer

API_KEY = "3_sandbox"
USER_KEY = "sandbox-user-key"
LINK = "https://example.com/article"
ALL_PROVIDERS = ["facebook", "twitter", "linkedin", "vkontakte", "renren", "sina"]


# --- helpers ------------------------------------------------------------------------------------


def scenario_with(**changes: Any) -> Scenario:
    """The default scenario with top-level fields changed and/or users replaced by UID."""
    data = Scenario.default().to_dict()
    users = changes.pop("users", {})
    data.update(changes)
    data["users"] = [u for u in data["users"] if u["UID"] not in users] + [
        {"UID": uid, "providers": providers} for uid, providers in users.items()
    ]
    return Scenario.from_dict(data)


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def endpoint(server: SandboxServer) -> str:
    return server.url + "/socialize.publishUserAction"


def action(**fields: Any) -> str:
    content = {"userMessage": "Hello", "title": "An article", "linkBack": LINK}
    content.update(fields)
    return json.dumps({k: v for k, v in content.items() if v is not None})


def call_params(uid: str = "demo-all-ok", **extra: str) -> dict[str, str]:
    params = {"UID": uid, "userAction": action(), "format": "json"}
    params.update(extra)
    return {k: v for k, v in params.items() if v is not None}


def signed(
    server: SandboxServer,
    params: Mapping[str, str],
    *,
    secret: str | None = None,
    user_key: str | None = USER_KEY,
    api_key: str = API_KEY,
    timestamp: float | None = None,
    nonce: str | None = None,
    method: str = "POST",
    url: str | None = None,
) -> dict[str, str]:
    out = {"apiKey": api_key}
    if user_key:
        out["userKey"] = user_key
    out["timestamp"] = str(int(time.time() if timestamp is None else timestamp))
    out["nonce"] = nonce or uuid.uuid4().hex
    out.update(params)
    out["sig"] = signing.sign(secret or server.info()["secret"], method, url or endpoint(server), out)
    return out


def publish(server: SandboxServer, http: requests.Session, params: Mapping[str, str], **sign_options: Any) -> requests.Response:
    with http.post(endpoint(server), data=signed(server, params, **sign_options), allow_redirects=False) as response:
        _ = response.content  # read it all before the connection goes back to the pool
    return response


def publish_json(server: SandboxServer, http: requests.Session, params: Mapping[str, str], **sign_options: Any) -> dict[str, Any]:
    response = publish(server, http, params, **sign_options)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    return response.json()


def entries(body: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["provider"]: entry for entry in body["providerErrorCodes"]}


# --- the demo users -------------------------------------------------------------------------------


def test_all_ok_posts_everywhere_with_the_contract_shape(sandbox, http):
    body = publish_json(sandbox, http, call_params("demo-all-ok"))

    assert body["errorCode"] == 0 and body["statusCode"] == 200 and body["statusReason"] == "OK"
    assert "errorMessage" not in body and "errorDetails" not in body
    assert re.fullmatch(r"[0-9a-f]{32}", body["callId"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["time"])
    # the seed: "The optional field names are: 'facebook', 'twitter' and 'linkedin'"
    assert list(body["providerPostIDs"]) == ["facebook", "twitter", "linkedin"]
    assert re.fullmatch(r"\d+_\d+", body["providerPostIDs"]["facebook"])
    assert re.fullmatch(r"\d{19}", body["providerPostIDs"]["twitter"])
    assert re.fullmatch(r"urn:li:share:\d{19}", body["providerPostIDs"]["linkedin"])
    assert body["providerErrorCodes"] == [{"provider": p, "errorCode": 0, "errorMessage": "OK"} for p in ALL_PROVIDERS]
    posts = sandbox.posts()
    assert [p["provider"] for p in posts] == ALL_PROVIDERS
    assert {p["provider"]: p["postId"] for p in posts} == {**dict.fromkeys(ALL_PROVIDERS), **body["providerPostIDs"]}


def test_partial_success_lists_the_failure(sandbox, http):
    body = publish_json(sandbox, http, call_params("demo-partial"))

    assert body["errorCode"] == 0
    assert set(body["providerPostIDs"]) == {"facebook", "linkedin"}
    twitter = entries(body)["twitter"]
    assert twitter["errorCode"] == 403048 and twitter["errorMessage"] == "Api rate limit exceeded"
    assert twitter["errorDetails"]
    assert [a["provider"] for a in sandbox.attempts() if a["errorCode"]] == ["twitter"]


def test_duplicate_user_matches_the_reference_example(sandbox, http):
    body = publish_json(sandbox, http, call_params("demo-duplicate"))

    assert body["errorCode"] == 0 and list(body["providerPostIDs"]) == ["facebook"]
    assert entries(body)["twitter"] == {
        "provider": "twitter",
        "errorCode": 403024,
        "errorMessage": "Provider limit reached",
        "errorDetails": "Limit reached: Status is a duplicate.",
    }


def test_expired_session_fails_the_call(sandbox, http):
    body = publish_json(sandbox, http, call_params("demo-expired"))

    assert body["errorCode"] == 403005 and body["errorMessage"] == "Unauthorized user"
    assert "session expired" in body["errorDetails"]
    assert "providerPostIDs" not in body
    assert entries(body)["facebook"]["errorCode"] == 403005
    assert sandbox.posts() == []


def test_unsupported_only_provider_answers_400006_naming_it(sandbox, http):
    body = publish_json(sandbox, http, call_params("demo-unsupported"))

    assert body["errorCode"] == 400006
    assert "Unsupported provider" in body["errorDetails"] and "myspace" in body["errorDetails"]


def test_unsupported_provider_beside_a_valid_one_is_ignored(http):
    with SandboxServer(scenario_with(users={"mixed": {"myspace": "ok", "twitter": "ok"}})) as server:
        body = publish_json(server, http, call_params("mixed"))
    assert body["errorCode"] == 0 and list(entries(body)) == ["twitter"]


def test_no_connections_answers_400006(sandbox, http):
    body = publish_json(sandbox, http, call_params("demo-no-connections"))

    assert body["errorCode"] == 400006
    assert body["errorDetails"].startswith("No connected provider to publish to")


def test_server_error_on_every_provider(sandbox, http):
    body = publish_json(sandbox, http, call_params("demo-server-error"))

    assert body["errorCode"] == 500001 and body["errorMessage"] == "General server error"
    assert [e["errorCode"] for e in body["providerErrorCodes"]] == [500001, 500001, 500001]
    assert "providerPostIDs" not in body


def test_too_many_requests_user(sandbox, http):
    body = publish_json(sandbox, http, call_params("demo-too-many-requests"))
    assert body["errorCode"] == 409030


def test_several_failures_carry_the_first_code_and_every_entry(http):
    scenario = scenario_with(users={"mixed-fail": {"facebook": "expired", "twitter": "rate_limit"}})
    with SandboxServer(scenario) as server:
        body = publish_json(server, http, call_params("mixed-fail"))
    assert body["errorCode"] == 403005
    assert "facebook: 403005" in body["errorDetails"] and "twitter: 403048" in body["errorDetails"]
    assert [e["errorCode"] for e in body["providerErrorCodes"]] == [403005, 403048]


def test_a_slow_provider_does_not_block_other_requests(http):
    scenario = scenario_with(users={"slow": {"facebook": {"behaviour": "ok", "delayMs": 500}}})
    with SandboxServer(scenario) as server:
        slow_body: dict[str, Any] = {}

        def slow_call() -> None:
            with requests.Session() as other:
                slow_body.update(publish_json(server, other, call_params("slow")))

        slow = threading.Thread(target=slow_call)
        slow.start()
        fast_body = publish_json(server, http, call_params("demo-all-ok"))
        still_waiting = slow.is_alive()
        slow.join()
    assert fast_body["errorCode"] == 0
    assert still_waiting, "a fast call had to wait for the slow provider"
    assert slow_body["errorCode"] == 0


def test_default_scenario_has_a_user_per_outcome():
    scenario = Scenario.default()
    behaviours = {u.uid: {p: b.behaviour for p, b in u.providers.items()} for u in scenario.users}

    assert behaviours["demo-all-ok"] == {p: "ok" for p in ALL_PROVIDERS}
    assert behaviours["demo-partial"]["twitter"] in ("rate_limit", "error")
    assert behaviours["demo-expired"] == {"facebook": "expired"}
    assert behaviours["demo-unsupported"] == {"myspace": "ok"}
    assert behaviours["demo-no-connections"] == {}
    assert set(behaviours["demo-server-error"].values()) == {"error"}
    slow = scenario.user("demo-slow")
    assert slow is not None and max(b.delay_ms for b in slow.providers.values()) >= 1000
    eu = scenario.site("3_eu_site")
    assert eu is not None and eu.data_center == "eu1.gigya.com"


# --- authorization --------------------------------------------------------------------------------


def test_a_parameter_changed_after_signing_is_refused(sandbox, http):
    params = signed(sandbox, call_params())
    params["userAction"] = action(title="Changed")
    with http.post(endpoint(sandbox), data=params) as response:
        body = response.json()
    assert body["errorCode"] == 403003 and body["errorMessage"] == "Invalid request signature"
    assert sandbox.posts() == []


def test_a_wrong_secret_is_refused(sandbox, http):
    body = publish_json(sandbox, http, call_params(), secret="d3Jvbmctc2VjcmV0")
    assert body["errorCode"] == 403003


def test_an_old_timestamp_is_refused_with_a_date_header(sandbox, http):
    response = publish(sandbox, http, call_params(), timestamp=time.time() - 600)
    assert response.json()["errorCode"] == 403002
    assert response.json()["errorMessage"] == "Request has expired"
    server_time = email.utils.parsedate_to_datetime(response.headers["Date"]).timestamp()
    assert abs(server_time - time.time()) < 60


def test_the_date_header_follows_the_skewed_clock_so_a_client_can_correct(http):
    with SandboxServer(scenario_with(clockSkewSeconds=600)) as server:
        refused = publish(server, http, call_params())
        assert refused.json()["errorCode"] == 403002
        server_time = email.utils.parsedate_to_datetime(refused.headers["Date"]).timestamp()
        assert 500 < server_time - time.time() < 700
        body = publish_json(server, http, call_params(), timestamp=server_time)
    assert body["errorCode"] == 0


@pytest.mark.parametrize("skew", [1e12, -1e11, float("inf"), float("nan")])
def test_a_scenario_built_in_code_cannot_hold_a_clock_skew_the_server_cannot_write(skew):
    with pytest.raises(ScenarioError) as caught:
        Scenario(clock_skew_seconds=skew)
    assert caught.value.field == "clockSkewSeconds"


@pytest.mark.parametrize("skew", [-CLOCK_SKEW_MAX_S, CLOCK_SKEW_MAX_S])
def test_every_request_is_answered_at_either_end_of_the_clock_skew_range(http, skew):
    with SandboxServer(scenario_with(clockSkewSeconds=skew)) as server:
        with http.get(server.url + "/sandbox/info") as info:
            assert info.status_code == 200
        server_time = email.utils.parsedate_to_datetime(info.headers["Date"]).timestamp()
        assert abs(server_time - (time.time() + skew)) < 60
        # the furthest timestamps a request can carry, each answered in the contract's shape
        for timestamp in ("0", "999999999999", "999999999999." + "9" * 5000, str(int(server_time))):
            response = publish(server, http, call_params(timestamp=timestamp))
            assert response.status_code == 200
            assert response.json()["errorCode"] in (0, 403002)
        assert response.json()["errorCode"] == 0  # the server's own time is accepted


def test_a_reused_nonce_is_refused(sandbox, http):
    params = signed(sandbox, call_params(), nonce="once")
    with http.post(endpoint(sandbox), data=params) as first, http.post(endpoint(sandbox), data=params) as second:
        assert first.json()["errorCode"] == 0
        assert second.json()["errorCode"] == 403003
        assert second.json()["errorDetails"] == "Nonce already used"
    assert len(sandbox.posts()) == len(ALL_PROVIDERS)


def test_the_signature_covers_the_host_the_client_addressed(sandbox, http):
    url = "http://sandbox.test/socialize.publishUserAction"
    params = signed(sandbox, call_params(), url=url)
    with http.post(endpoint(sandbox), data=params, headers={"Host": "sandbox.test"}) as response:
        assert response.json()["errorCode"] == 0


def test_get_with_a_query_string_is_signed_with_get(sandbox, http):
    params = signed(sandbox, call_params(), method="GET")
    with http.get(endpoint(sandbox), params=params) as response:
        assert response.json()["errorCode"] == 0


def test_the_legacy_partner_secret_signs_without_a_user_key(sandbox, http):
    partner_secret = sandbox.scenario.site(API_KEY).partner_secret
    body = publish_json(sandbox, http, call_params(), secret=partner_secret, user_key=None)
    assert body["errorCode"] == 0


@pytest.mark.parametrize(
    ("options", "code", "details"),
    [
        ({"api_key": "3_unknown"}, 400093, "3_unknown"),
        ({"user_key": "nobody"}, 403005, "Unknown user key"),
    ],
)
def test_unknown_keys_are_refused(sandbox, http, options, code, details):
    body = publish_json(sandbox, http, call_params(), **options)
    assert body["errorCode"] == code and details in body["errorDetails"]


@pytest.mark.parametrize("name", ["apiKey", "sig", "timestamp", "nonce"])
def test_missing_authorization_parameters_are_named(sandbox, http, name):
    params = signed(sandbox, call_params())
    del params[name]
    with http.post(endpoint(sandbox), data=params) as response:
        body = response.json()
    assert body["errorCode"] == 400002
    assert body["errorDetails"] == f"Missing required parameter: {name}"


def test_a_secret_over_plain_http_is_refused(sandbox, http):
    params = {"apiKey": API_KEY, "userKey": USER_KEY, "secret": sandbox.info()["secret"], **call_params()}
    with http.post(endpoint(sandbox), data=params, headers={"X-Forwarded-Proto": "https"}) as response:
        body = response.json()
    assert body["errorCode"] == 403006 and body["errorMessage"] == "Secret Sent Over Http"
    assert sandbox.posts() == []


def test_a_secret_behind_a_trusted_https_proxy_is_compared(http):
    with SandboxServer(scenario_with(trustProxyHttps=True)) as server:
        params = {"apiKey": API_KEY, "userKey": USER_KEY, **call_params()}
        https = {"X-Forwarded-Proto": "https"}
        with http.post(endpoint(server), data={**params, "secret": server.info()["secret"]}, headers=https) as good:
            assert good.json()["errorCode"] == 0
        with http.post(endpoint(server), data={**params, "secret": "d3Jvbmc="}, headers=https) as wrong:
            assert wrong.json()["errorCode"] == 403003
        with http.post(endpoint(server), data={**params, "secret": server.info()["secret"]}) as plain:
            assert plain.json()["errorCode"] == 403006


def test_an_api_key_of_another_data_center_answers_301001(sandbox, http):
    body = publish_json(sandbox, http, call_params(), api_key="3_eu_site", user_key="sandbox-eu-user-key")
    assert body["errorCode"] == 301001 and body["errorMessage"] == "Invalid data center"
    assert body["apiDomain"] == "eu1.gigya.com"
    assert "eu1.gigya.com" in body["location"]
    assert sandbox.posts() == []


# --- parameters -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["UID", "userAction"])
def test_missing_call_parameters_are_named(sandbox, http, name):
    params = call_params()
    del params[name]
    body = publish_json(sandbox, http, params)
    assert body["errorCode"] == 400002 and body["errorMessage"] == "Missing required parameter"
    assert body["errorDetails"] == f"Missing required parameter: {name}"


def test_jsonp_without_callback_names_callback(sandbox, http):
    body = publish_json(sandbox, http, call_params(format="jsonp"))
    assert body["errorCode"] == 400002 and body["errorDetails"] == "Missing required parameter: callback"


def test_an_unknown_uid_is_unauthorized(sandbox, http):
    body = publish_json(sandbox, http, call_params("nobody"))
    assert body["errorCode"] == 403005 and body["errorMessage"] == "Unauthorized user"


MIXED_MEDIA = [{"type": "image", "src": "https://example.com/a.png"}, {"type": "mp3", "src": "https://example.com/a.mp3"}]


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("userAction", "{not json", "userAction is not valid JSON"),
        ("userAction", '["a list"]', "userAction: expected an object"),
        ("userAction", json.dumps({"title": {"nested": 1}}), "userAction.title"),
        ("twitterUserAction", "{", "twitterUserAction is not valid JSON"),
        ("cid", "x" * 101, "cid must be at most 100 characters"),
        ("actionAttributes", json.dumps({"a": ["1", "2"], "b": ["3", "4"]}), "actionAttributes must carry at most 3"),
        ("actionAttributes", "{", "actionAttributes is not valid JSON"),
        ("actionAttributes", json.dumps({"a": {"deep": 1}}), "actionAttributes.a"),
        ("userLocation", '{"latitude": 91, "longitude": 0}', "userLocation.latitude must be between -90 and 90"),
        ("userLocation", '{"latitude": 0, "longitude": -180.5}', "userLocation.longitude must be between -180 and 180"),
        ("userLocation", '{"latitude": "north", "longitude": 0}', "userLocation.latitude must be a number"),
        ("shortURLs", "sometimes", "shortURLs must be one of"),
        ("userAction", json.dumps({"title": "t", "mediaItems": MIXED_MEDIA}), "userAction.mediaItems must hold one media type"),
        ("userAction", json.dumps({"mediaItems": [{"type": "gif", "src": LINK}]}), "userAction.mediaItems[0].type"),
        ("userAction", action(linkBack="https://elsewhere.org/x"), "userAction.linkBack elsewhere.org is not an approved domain"),
        ("userAction", action(linkBack="/relative"), "userAction.linkBack must be an absolute"),
        ("httpStatusCodes", "yes", "httpStatusCodes"),
        ("format", "yaml", "format must be json or jsonp"),
    ],
)
def test_invalid_values_answer_400006_naming_the_parameter(sandbox, http, name, value, named):
    body = publish_json(sandbox, http, call_params(**{name: value}))
    assert body["errorCode"] == 400006 and body["errorMessage"] == "Invalid parameter value"
    assert body["errorDetails"].startswith("Invalid parameter value: ")
    assert named in body["errorDetails"]
    assert sandbox.posts() == []


def test_a_value_the_model_fails_on_answers_400006_naming_it(sandbox, http, monkeypatch, caplog):
    """Should the call model fail on a value the limits let through, the value is still the
    client's: 400006 naming the parameter (not a 500), and a warning for whoever keeps the limits."""

    class FailingModel(PublishCall):
        @classmethod
        def from_params(cls, params: Mapping[str, Any]) -> PublishCall:
            if "actionAttributes" in params:
                raise RecursionError("maximum recursion depth exceeded")
            return PublishCall.from_params(params)

    monkeypatch.setattr(service, "PublishCall", FailingModel)
    body = publish_json(sandbox, http, call_params(actionAttributes='{"section": "tv"}'))
    assert body["errorCode"] == 400006
    assert body["errorDetails"] == "Invalid parameter value: actionAttributes cannot be read (RecursionError)"
    assert any("could not read actionAttributes" in record.getMessage() for record in caplog.records)
    assert sandbox.posts() == []


def test_a_user_action_larger_than_a_draft_answers_400006_naming_it(sandbox, http):
    over = '{"title": "' + "x" * 3_000_000 + '"}'  # valid JSON, 3 MB: no draft file holds it
    body = publish_json(sandbox, http, call_params(userAction=over))
    assert body["errorCode"] == 400006
    assert body["errorDetails"].startswith("Invalid parameter value: userAction is 3,000,013 bytes")
    assert f"at most {MAX_DRAFT_BYTES:,} bytes (2 MB), the size of a draft file" in body["errorDetails"]
    assert sandbox.posts() == []

    just_over = action(description="d" * (MAX_DRAFT_BYTES - len(action(description=""))) + "d")
    body = publish_json(sandbox, http, call_params(twitterUserAction=just_over))
    assert body["errorCode"] == 400006 and "twitterUserAction is 2,097,153 bytes" in body["errorDetails"]


def test_a_user_action_as_large_as_a_draft_is_read_even_percent_encoded_byte_by_byte(sandbox, http):
    """Every byte of a two-byte character is sent as "%XX": a value at the draft limit takes three
    times its size in the body, and is still read and posted rather than refused unread (413)."""
    def value_with(description: str) -> str:
        return json.dumps({"title": "An article", "linkBack": LINK, "description": description}, ensure_ascii=False)

    filler = "é" * ((MAX_DRAFT_BYTES - len(value_with("").encode("utf-8"))) // 2)
    value = value_with(filler)
    assert MAX_DRAFT_BYTES - 2 < len(value.encode("utf-8")) <= MAX_DRAFT_BYTES
    response = publish(sandbox, http, call_params(userAction=value, enabledProviders="vkontakte"))
    assert response.status_code == 200
    assert response.json()["errorCode"] == 0
    assert sandbox.posts()[0]["userAction"]["description"] == filler


def test_an_approved_subdomain_and_valid_extras_are_accepted(sandbox, http):
    params = call_params(
        userAction=action(linkBack="https://news.example.com/a", mediaItems=[{"type": "image", "src": LINK, "href": LINK}]),
        userLocation='{"latitude": -90, "longitude": 180, "placeID": "p1"}',
        actionAttributes=json.dumps({"section": ["tv", "news"], "tags": "glee"}),
        cid="c" * 100,
        shortURLs="never",
        tags="a,b",
    )
    body = publish_json(sandbox, http, params, **{})
    assert body["errorCode"] == 0
    twitter = next(p for p in sandbox.posts() if p["provider"] == "twitter")
    facebook = next(p for p in sandbox.posts() if p["provider"] == "facebook")
    assert twitter["userLocation"] == {"latitude": -90, "longitude": 180, "placeID": "p1"}
    assert facebook["userLocation"] is None  # only Twitter honours a location
    assert twitter["shortURLs"] == "never" and twitter["tags"] == ["a", "b"] and twitter["cid"] == "c" * 100


def test_utf8_text_round_trips(sandbox, http):
    message = "Grüße, 日本 & <b>bold</b> 100%"
    body = publish_json(sandbox, http, call_params(userAction=action(userMessage=message)))
    assert body["errorCode"] == 0
    assert sandbox.posts()[0]["userAction"]["userMessage"] == message


# --- fan-out ----------------------------------------------------------------------------------------


def test_enabled_providers_choose_and_unknown_names_are_ignored(sandbox, http):
    body = publish_json(sandbox, http, call_params(enabledProviders="twitter,linkedin,myspace"))
    assert body["errorCode"] == 0
    assert list(entries(body)) == ["twitter", "linkedin"]


def test_disabled_providers_are_left_out(sandbox, http):
    body = publish_json(sandbox, http, call_params(enabledProviders="facebook,twitter,sina", disabledProviders="twitter"))
    assert list(entries(body)) == ["facebook", "sina"]
    assert {p["provider"] for p in sandbox.posts()} == {"facebook", "sina"}


def test_filters_that_leave_nothing_answer_400006(sandbox, http):
    body = publish_json(sandbox, http, call_params(enabledProviders="myspace"))
    assert body["errorCode"] == 400006 and "No connected provider" in body["errorDetails"]


def test_a_provider_override_reaches_that_provider_only(sandbox, http):
    override = json.dumps({"title": "Tweet title", "linkBack": "https://example.com/tweet"})
    body = publish_json(sandbox, http, call_params(enabledProviders="facebook,twitter,linkedin", twitterUserAction=override))
    assert body["errorCode"] == 0
    received = {p["provider"]: p["userAction"] for p in sandbox.posts()}
    assert received["twitter"] == json.loads(override)
    assert received["facebook"] == received["linkedin"] == json.loads(action())


def test_twitter_refuses_a_status_with_nothing_it_posts_and_the_others_still_post(sandbox, http):
    # Twitter posts only the title and the link back; a user message alone leaves no status
    body = publish_json(sandbox, http, call_params(userAction=json.dumps({"userMessage": "Only words"})))

    assert body["errorCode"] == 0
    twitter = entries(body)["twitter"]
    assert twitter["errorCode"] == 403024
    assert twitter["errorDetails"] == (
        "Limit reached: Twitter refuses a post without a tweet, and its tweet is only the title and link: "
        "give one of them, or leave Twitter out"
    )
    assert "twitter" not in body["providerPostIDs"]
    assert [post["provider"] for post in sandbox.posts()] == ["facebook", "linkedin", "vkontakte", "renren", "sina"]


def test_twitter_refuses_a_duplicate_status(sandbox, http):
    twitter_only = call_params(enabledProviders="twitter")
    assert publish_json(sandbox, http, twitter_only)["errorCode"] == 0

    again = publish_json(sandbox, http, twitter_only)

    assert again["errorCode"] == 403024 and again["errorMessage"] == "Provider limit reached"
    assert again["errorDetails"] == "Limit reached: Status is a duplicate."
    assert len(sandbox.posts()) == 1


def test_twitter_compares_title_and_link_but_facebook_the_message_too(sandbox, http):
    first = call_params(enabledProviders="facebook,twitter")
    second = call_params(enabledProviders="facebook,twitter", userAction=action(userMessage="Something new"))
    publish_json(sandbox, http, first)

    body = publish_json(sandbox, http, second)

    assert body["errorCode"] == 0 and list(body["providerPostIDs"]) == ["facebook"]
    assert entries(body)["twitter"]["errorCode"] == 403024


def test_reset_forgets_posts_and_duplicates(sandbox, http):
    params = call_params(enabledProviders="twitter")
    publish_json(sandbox, http, params)
    with http.delete(sandbox.url + "/sandbox/posts") as cleared:
        assert cleared.json() == {"cleared": {"posts": 1, "attempts": 1}}
    assert sandbox.posts() == []
    assert publish_json(sandbox, http, params)["errorCode"] == 0
    with http.post(sandbox.url + "/sandbox/reset") as reset:
        assert reset.status_code == 200
    sandbox.reset()
    assert sandbox.posts() == [] and sandbox.attempts() == []


def test_facebook_refuses_a_user_message_posted_before_whatever_the_title_and_link(sandbox, http):
    publish_json(sandbox, http, call_params(enabledProviders="facebook"))
    same_message = call_params(enabledProviders="facebook", userAction=action(title="Another", linkBack=LINK + "?2"))
    # Gigya strips the other tags before Facebook sees the message: this is the same message
    same_once_stripped = call_params(enabledProviders="facebook", userAction=action(userMessage='<span class="x">Hello</span>'))

    for params in (same_message, same_once_stripped):
        body = publish_json(sandbox, http, params)
        assert body["errorCode"] == 403024 and body["errorDetails"] == "Limit reached: Status is a duplicate."

    new_message = publish_json(sandbox, http, call_params(enabledProviders="facebook", userAction=action(userMessage="Hello again")))
    assert new_message["errorCode"] == 0
    assert [p["userAction"]["userMessage"] for p in sandbox.posts()] == ["Hello", "Hello again"]


def test_twitter_refuses_a_status_posted_before_whatever_the_message(sandbox, http):
    publish_json(sandbox, http, call_params(enabledProviders="twitter"))

    same_status = publish_json(sandbox, http, call_params(enabledProviders="twitter", userAction=action(userMessage="Other words")))
    new_title = publish_json(sandbox, http, call_params(enabledProviders="twitter", userAction=action(title="A new article")))

    assert same_status["errorCode"] == 403024
    assert new_title["errorCode"] == 0
    posts = sandbox.posts()
    # the status carries the link back as posted (shortened under the default shortURLs=always)
    assert [p["link"]["original"] for p in posts] == [LINK, LINK]
    assert [p["status"] for p in posts] == [f"An article {posts[0]['link']['posted']}", f"A new article {posts[1]['link']['posted']}"]


def test_a_message_and_a_status_are_repeated_per_user(sandbox, http):
    publish_json(sandbox, http, call_params("demo-all-ok", enabledProviders="facebook,twitter"))
    body = publish_json(sandbox, http, call_params("demo-partial", enabledProviders="facebook"))
    assert body["errorCode"] == 0


def test_no_duplicate_rule_is_invented_for_the_other_networks(sandbox, http):
    others = call_params(enabledProviders="linkedin,vkontakte,renren,sina")
    publish_json(sandbox, http, others)

    again = publish_json(sandbox, http, others)

    assert again["errorCode"] == 0
    assert [e["errorCode"] for e in again["providerErrorCodes"]] == [0, 0, 0, 0]
    assert len(sandbox.posts()) == 8


def test_networks_without_post_ids_report_success_in_provider_error_codes_only(sandbox, http):
    body = publish_json(sandbox, http, call_params(enabledProviders="vkontakte,renren,sina"))

    assert body["errorCode"] == 0
    assert "providerPostIDs" not in body  # "A field that does not contain data will not appear"
    assert body["providerErrorCodes"] == [{"provider": p, "errorCode": 0, "errorMessage": "OK"} for p in ("vkontakte", "renren", "sina")]
    assert [(p["provider"], p["postId"]) for p in sandbox.posts()] == [("vkontakte", None), ("renren", None), ("sina", None)]


def test_a_posted_user_message_keeps_only_the_six_tags(sandbox, http):
    message = '<p>Our <b>sale</b> <a href="https://example.com/">starts</a><br/><script>x()</script> <STRONG>now</STRONG></p><img src="a.png">'
    publish_json(sandbox, http, call_params(enabledProviders="facebook,linkedin", userAction=action(userMessage=message)))

    kept = "<p>Our <b>sale</b> starts<br/>x() <STRONG>now</STRONG></p>"
    assert [p["userAction"]["userMessage"] for p in sandbox.posts()] == [kept, kept]
    assert [a["userAction"]["userMessage"] for a in sandbox.attempts()] == [kept, kept]
    first = sandbox.posts()[0]
    assert first["status"] == f"{kept}\nAn article\n{first['link']['posted']}"  # the link back as posted


def test_facebook_receives_one_action_link_of_at_most_25_characters(sandbox, http):
    links = [{"title": "Read the whole story on our site", "href": LINK + "#1"}, {"title": "Shop", "href": LINK + "#2"}]
    publish_json(sandbox, http, call_params(enabledProviders="facebook,linkedin", userAction=action(actionLinks=links)))

    received = {p["provider"]: p["userAction"]["actionLinks"] for p in sandbox.posts()}
    assert received["facebook"] == [{"title": "Read the whole story on o", "href": LINK + "#1"}]
    assert received["linkedin"] == links


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("userAction", action(actionLinks=[{"title": "Go", "href": "https://elsewhere.org/go"}]), "userAction.actionLinks[0].href elsewhere.org"),
        ("userAction", action(mediaItems=[{"type": "image", "src": "https://cdn.elsewhere.org/a.png"}]), "userAction.mediaItems[0].src cdn.elsewhere.org"),
        ("userAction", action(mediaItems=[{"type": "image", "src": LINK, "href": "https://elsewhere.org/"}]), "userAction.mediaItems[0].href elsewhere.org"),
        (
            "userAction",
            action(mediaItems=[{"type": "flash", "src": LINK, "previewImageURL": "https://elsewhere.org/p.png"}]),
            "userAction.mediaItems[0].previewImageURL elsewhere.org",
        ),
        ("twitterUserAction", json.dumps({"title": "t", "linkBack": "https://elsewhere.org/t"}), "twitterUserAction.linkBack elsewhere.org"),
        ("facebookUserAction", action(actionLinks=[{"title": "Go", "href": "https://elsewhere.org/"}]), "facebookUserAction.actionLinks[0].href"),
    ],
)
def test_every_url_of_every_user_action_is_held_to_the_approved_domains(sandbox, http, name, value, named):
    body = publish_json(sandbox, http, call_params(**{name: value}))
    assert body["errorCode"] == 400006
    assert named in body["errorDetails"] and "is not an approved domain of site 3_sandbox" in body["errorDetails"]
    assert sandbox.attempts() == []


# --- rendering ------------------------------------------------------------------------------------


def test_no_format_answers_xml(sandbox, http):
    params = call_params("demo-partial")
    del params["format"]
    response = publish(sandbox, http, params)

    assert response.headers["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    ns = {"g": "urn:com:gigya:api"}
    assert root.tag == "{urn:com:gigya:api}socialize.publishUserActionResponse"
    assert root.findtext("g:errorCode", namespaces=ns) == "0"
    assert root.findtext("g:providerPostIDs/g:facebook", namespaces=ns)
    providers = [item.findtext("g:provider", namespaces=ns) for item in root.findall("g:providerErrorCodes/g:item", ns)]
    assert providers == ["facebook", "twitter", "linkedin"]


def test_an_xml_answer_stays_well_formed_when_it_echoes_characters_xml_cannot_carry(sandbox, http):
    # "Unknown UID: ..." repeats the UID as sent; XML 1.0 has no way to write U+0000 or U+0001
    response = publish(sandbox, http, call_params("qa\x00\x01user", format=None))

    root = ET.fromstring(response.content)
    details = root.findtext("{urn:com:gigya:api}errorDetails")
    assert root.findtext("{urn:com:gigya:api}errorCode") == "403005"
    assert details == "Unknown UID: qa\ufffd\ufffduser"


def test_a_json_answer_is_labelled_and_gzipped_as_the_live_service_sends_it(sandbox, http):
    response = publish(sandbox, http, call_params())  # requests takes gzip

    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.json()["errorCode"] == 0


@pytest.mark.parametrize("accept_encoding", [None, "identity", "gzip;q=0", "br", "*, gzip;q=0"])
def test_a_client_that_does_not_take_gzip_gets_the_plain_answer(sandbox, accept_encoding):
    body = urlencode(signed(sandbox, call_params()))
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if accept_encoding is not None:
        headers["Accept-Encoding"] = accept_encoding
    connection = http_client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        connection.request("POST", "/socialize.publishUserAction", body=body, headers=headers)
        response = connection.getresponse()
        assert response.getheader("Content-Encoding") is None
        assert json.loads(response.read())["errorCode"] == 0
    finally:
        connection.close()


def test_jsonp_wraps_the_object(sandbox, http):
    response = publish(sandbox, http, call_params(format="jsonp", callback="cb"))

    assert response.headers["Content-Type"].startswith("text/javascript")
    text = response.text
    assert text.startswith("cb(") and text.endswith(");")
    assert json.loads(text[3:-2])["errorCode"] == 0


def test_jsonp_escapes_the_line_separators_older_javascript_cannot_read_in_a_string(sandbox, http):
    response = publish(sandbox, http, call_params("qa\u2028user\u2029", format="jsonp", callback="cb"))

    text = response.text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text[3:-2])["errorDetails"] == "Unknown UID: qa\u2028user\u2029"


@pytest.mark.parametrize(
    ("uid", "options", "status"),
    [
        ("demo-all-ok", {}, 200),
        ("demo-expired", {}, 403),
        ("demo-server-error", {}, 500),
        ("demo-all-ok", {"api_key": "3_unknown"}, 400),
        ("demo-all-ok", {"api_key": "3_eu_site", "user_key": "sandbox-eu-user-key"}, 301),
    ],
)
def test_http_status_codes_true_gives_real_statuses(sandbox, http, uid, options, status):
    real = publish(sandbox, http, call_params(uid, httpStatusCodes="true"), **options)
    assert real.status_code == status and real.json()["statusCode"] == status
    second = call_params(uid, httpStatusCodes="false", userAction=action(title="Another article"))  # not a duplicate
    default = publish(sandbox, http, second, **options)
    assert default.status_code == 200 and default.json()["statusCode"] == status


@pytest.mark.parametrize("fmt", ["json", "jsonp", None])
def test_a_301_with_http_status_codes_names_the_data_center_in_its_location_header(sandbox, http, fmt):
    params = call_params(httpStatusCodes="true", format=fmt, callback="cb" if fmt == "jsonp" else None)
    response = publish(sandbox, http, params, api_key="3_eu_site", user_key="sandbox-eu-user-key")

    assert response.status_code == 301
    assert response.headers["Location"] == "https://socialize.eu1.gigya.com/socialize.publishUserAction"
    if fmt == "json":
        assert response.json()["location"] == response.headers["Location"]


def test_without_http_status_codes_a_301001_is_an_http_200_with_no_location_header(sandbox, http):
    response = publish(sandbox, http, call_params(), api_key="3_eu_site", user_key="sandbox-eu-user-key")
    assert response.status_code == 200 and response.json()["errorCode"] == 301001
    assert "Location" not in response.headers


def test_unknown_path_is_a_404_json_error(sandbox, http):
    with http.get(sandbox.url + "/socialize.getUserInfo") as response:
        assert response.status_code == 404
        assert response.json()["errorCode"] == 404000
    with http.put(endpoint(sandbox)) as wrong_method:
        assert wrong_method.status_code == 405


# --- inspection -----------------------------------------------------------------------------------


def test_info_and_posts_over_http(sandbox, http):
    with http.get(sandbox.url + "/sandbox/info") as response:
        info = response.json()
    assert info == sandbox.info()
    assert info["apiKey"] == API_KEY and info["userKey"] == USER_KEY and info["url"] == sandbox.url
    assert {"UID": "demo-no-connections", "providers": []}.items() <= next(
        u for u in info["users"] if u["UID"] == "demo-no-connections"
    ).items()

    publish_json(sandbox, http, call_params("demo-partial"))
    with http.get(sandbox.url + "/sandbox/posts", params={"provider": "facebook"}) as response:
        listed = response.json()
    assert [p["provider"] for p in listed["posts"]] == ["facebook"]
    post = listed["posts"][0]
    assert post["UID"] == "demo-partial" and post["userAction"] == json.loads(action()) and post["seq"] >= 1
    with http.get(sandbox.url + "/sandbox/posts") as response:
        assert [a["errorCode"] for a in response.json()["attempts"]] == [0, 403048, 0]


def test_request_count_counts_every_publish_call(sandbox, http):
    publish_json(sandbox, http, call_params())
    publish_json(sandbox, http, call_params(), secret="d3Jvbmc=")
    with http.get(sandbox.url + "/sandbox/posts"):
        pass
    assert sandbox.request_count == 2


def test_keep_alive_and_quiet(sandbox, http, capfd):
    for _ in range(2):
        publish_json(sandbox, http, call_params(userAction=action(title=uuid.uuid4().hex)))
    with http.get(sandbox.url + "/nowhere"):
        pass
    with http.post(sandbox.url + "/sandbox/posts"):
        pass
    connection = http_client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        sockets = []
        for _ in range(2):
            body = urlencode(signed(sandbox, call_params(userAction=action(title=uuid.uuid4().hex))))
            form = {"Content-Type": "application/x-www-form-urlencoded"}
            connection.request("POST", "/socialize.publishUserAction", body, form)
            response = connection.getresponse()
            assert json.loads(response.read())["errorCode"] == 0
            assert not response.will_close
            sockets.append(connection.sock)
        assert sockets[0] is sockets[1]  # one connection served both
    finally:
        connection.close()
    assert capfd.readouterr().err == ""


def test_stop_closes_idle_keep_alive_connections(http):
    server = SandboxServer().start()
    publish_json(server, http, call_params())
    server.stop()  # returns although the session still holds its connection open
    with pytest.raises(RuntimeError):
        _ = server.url


# --- scenario files -------------------------------------------------------------------------------


def minimal_scenario() -> dict[str, Any]:
    return {
        "sites": [{"apiKey": "3_x", "userKeys": [{"userKey": "k", "secret": "c2VjcmV0"}]}],
        "users": [{"UID": "u", "providers": {"twitter": "ok"}}],
    }


def test_a_minimal_scenario_gets_defaults():
    scenario = Scenario.from_dict(minimal_scenario())
    assert scenario.data_center == "us1.gigya.com" and scenario.sites[0].data_center == "us1.gigya.com"
    assert scenario.user("u").providers["twitter"].behaviour == "ok"
    assert "c2VjcmV0" not in repr(scenario)


def _broken(path: str, value: Any) -> dict[str, Any]:
    data = minimal_scenario()
    target: Any = data
    *parents, last = path.split("/")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is _DELETE:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        ("sites", _DELETE, "sites", "missing"),
        ("sites", [], "sites", "no site"),
        ("sites/0/apiKey", _DELETE, "sites[0].apiKey", "missing"),
        ("sites/0/dataCenter", "eu1.gigya.com", "sites", "no site in the sandbox's data center"),
        ("sites/0/userKeys/0/secret", "not base64!!", "sites[0].userKeys[0].secret", "not valid base64"),
        ("users/0/providers/twitter", "explode", "users[0].providers.twitter.behaviour", "'explode' is not one of"),
        ("users/0/providers/twitter", {"behaviour": "ok", "delayMs": -1}, "users[0].providers.twitter.delayMs", "between"),
        ("users/0/providers/twitter", 5, "users[0].providers.twitter", "expected a behaviour name"),
        ("users/0/UID", "", "users[0].UID", "empty"),
        ("dataCentre", "eu1.gigya.com", "dataCentre", "unknown field"),
        ("clockSkewSeconds", "10", "clockSkewSeconds", "expected a number"),
        ("trustProxyHttps", "yes", "trustProxyHttps", "expected true or false"),
    ],
)
def test_a_broken_scenario_names_the_field(tmp_path, path, value, field, words):
    file = tmp_path / "scenario.json"
    file.write_text(json.dumps(_broken(path, value)), encoding="utf-8")

    with pytest.raises(ScenarioError) as caught:
        Scenario.load(file)

    assert caught.value.field == field
    assert words in str(caught.value)
    assert str(file) in str(caught.value)
    assert "not base64!!" not in str(caught.value)  # a secret is never echoed


def test_a_duplicate_uid_is_refused():
    data = minimal_scenario()
    data["users"].append({"UID": "u"})
    with pytest.raises(ScenarioError, match=r"users\[1\]\.UID"):
        Scenario.from_dict(data)


def test_scenario_file_that_is_not_json_or_missing(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"sites": [}', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"not valid JSON .* line 1"):
        Scenario.load(bad)
    with pytest.raises(ScenarioError, match="cannot read"):
        Scenario.load(tmp_path / "missing.json")


def test_a_scenario_round_trips_through_to_dict():
    scenario = Scenario.default()
    assert Scenario.from_dict(scenario.to_dict()) == scenario


# --- command line (the CLI wiring itself is tested with the CLI) ----------------------------------


def parse_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


def test_add_arguments_defaults():
    args = parse_args()
    assert (args.host, args.port, args.scenario, args.json) == ("127.0.0.1", 0, None, False)


def test_main_sandbox_refuses_a_bad_scenario_file(tmp_path, capsys):
    file = tmp_path / "broken.json"
    file.write_text(json.dumps({"sites": "nope"}), encoding="utf-8")
    assert main_sandbox(parse_args("--scenario", str(file), "--json")) == 2
    err = capsys.readouterr().err
    assert "bad scenario file" in err and "sites" in err


@pytest.mark.parametrize(("host", "loopback_only"), [("127.0.0.1", True), ("localhost", True), ("0.0.0.0", False)])
def test_loopback_only_is_told_by_the_address_listened_on(host, loopback_only):
    with SandboxServer(host=host) as server:  # bound only: no traffic
        assert server.loopback_only is loopback_only
        assert server.url == f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{server.port}"


def test_main_sandbox_refuses_a_port_in_use(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main_sandbox(parse_args("--port", str(port))) == 2
    assert "already in use" in capsys.readouterr().err
