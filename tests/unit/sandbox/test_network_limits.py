"""The sandbox as the networks: an over-limit post fails on that network alone (403024 naming the
limit) while the others post, and the link back is shortened, served (302) and its clicks counted."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from composer.core.call.networks import short_code
from composer.core.contract import CODE_PROVIDER_LIMIT
from composer.core.wire import signing
from composer.sandbox.server import SandboxServer

LINK = "https://example.com/spring"


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def publish(server: SandboxServer, http: requests.Session, content: dict[str, Any], **params: str) -> dict[str, Any]:
    info = server.info()
    url = server.url + "/socialize.publishUserAction"
    body = {"apiKey": info["apiKey"], "userKey": info["userKey"], "timestamp": str(int(time.time())), "nonce": uuid.uuid4().hex}
    body.update({"UID": "demo-all-ok", "format": "json", "userAction": json.dumps(content)}, **params)
    body["sig"] = signing.sign(info["secret"], "POST", url, body)
    response = http.post(url, data=body)
    assert response.status_code == 200
    return response.json()


def codes(answer: dict[str, Any]) -> dict[str, int]:
    return {entry["provider"]: entry["errorCode"] for entry in answer["providerErrorCodes"]}


@pytest.mark.parametrize(("length", "refused"), [(279, False), (280, False), (281, True)])
def test_twitter_refuses_a_tweet_over_280_and_the_others_post(sandbox, http, length, refused):
    answer = publish(sandbox, http, {"title": "t" * length}, enabledProviders="twitter,facebook")
    assert answer["errorCode"] == 0  # Facebook posted
    assert codes(answer) == {"facebook": 0, "twitter": CODE_PROVIDER_LIMIT if refused else 0}
    if refused:
        (twitter,) = [e for e in answer["providerErrorCodes"] if e["provider"] == "twitter"]
        assert twitter["errorMessage"] == "Provider limit reached"
        assert "280" in twitter["errorDetails"] and "281" in twitter["errorDetails"] and "Twitter" in twitter["errorDetails"]
        assert [p["provider"] for p in sandbox.posts()] == ["facebook"]


@pytest.mark.parametrize(("length", "refused"), [(139, False), (140, False), (141, True)])
def test_weibo_refuses_a_status_over_140(sandbox, http, length, refused):
    answer = publish(sandbox, http, {"userMessage": "微" * length}, enabledProviders="sina,linkedin")
    assert codes(answer) == {"linkedin": 0, "sina": CODE_PROVIDER_LIMIT if refused else 0}


def test_linkedin_refuses_commentary_over_3000_alone(sandbox, http):
    answer = publish(sandbox, http, {"userMessage": "m" * 3_001}, enabledProviders="linkedin")
    assert answer["errorCode"] == CODE_PROVIDER_LIMIT and "3000" in answer["errorDetails"]
    assert publish(sandbox, http, {"userMessage": "m" * 3_000}, enabledProviders="linkedin")["errorCode"] == 0


def test_the_link_back_is_shortened_served_and_counted(sandbox, http):
    answer = publish(sandbox, http, {"title": "Spring", "linkBack": LINK}, enabledProviders="twitter,facebook")
    assert answer["errorCode"] == 0
    posts = {post["provider"]: post for post in sandbox.posts()}
    short = f"{sandbox.url}/s/{short_code(LINK)}"
    for post in posts.values():
        assert post["link"]["original"] == LINK and post["link"]["posted"] == short and post["link"]["clicks"] == 0
        assert post["userAction"]["linkBack"] == LINK  # as the client sent it
    assert posts["twitter"]["status"] == f"Spring\n{short}"  # as the network received it

    followed = http.get(short, allow_redirects=False)
    assert followed.status_code == 302 and followed.headers["Location"] == LINK
    http.get(short, allow_redirects=False)
    listed = http.get(sandbox.url + "/sandbox/posts").json()["posts"]
    assert [post["link"]["clicks"] for post in listed] == [2, 2]
    assert http.get(sandbox.url + "/s/nothing", allow_redirects=False).status_code == 404


@pytest.mark.parametrize(
    ("mode", "url", "shortened"),
    [
        ("never", LINK, False),
        ("whenRequired", LINK, False),
        ("whenRequired", "https://example.com/" + "p" * 120, True),  # 140 characters: over 139
        ("always", LINK, True),
    ],
)
def test_short_urls_modes(sandbox, http, mode, url, shortened):
    publish(sandbox, http, {"title": "Modes", "linkBack": url}, enabledProviders="facebook", shortURLs=mode)
    (post,) = sandbox.posts()
    assert post["link"]["shortened"] is shortened
    assert post["link"]["posted"] == (f"{sandbox.url}/s/{short_code(url)}" if shortened else url)


def test_a_link_that_is_not_ascii_redirects_percent_encoded(sandbox, http):
    url = "https://example.com/printemps-été"
    publish(sandbox, http, {"title": "IRI", "linkBack": url}, enabledProviders="facebook")
    (post,) = sandbox.posts()
    followed = http.get(post["link"]["posted"], allow_redirects=False)
    assert followed.status_code == 302 and followed.headers["Location"] == "https://example.com/printemps-%C3%A9t%C3%A9"
