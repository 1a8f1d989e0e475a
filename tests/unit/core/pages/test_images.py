"""Images against each network's documented limits."""

from __future__ import annotations

from composer.core.call.model import MediaItem, PublishCall, UserAction
from composer.core.call.networks import image_limits
from composer.core.call.validation import Severity
from composer.core.contract import PROVIDERS
from composer.core.pages.cards import CardCheck, LinkCard, contents_of
from composer.core.pages.images import ImageFacts, image_breaches, image_problems

MB = 1024 * 1024
FINE = ImageFacts("jpeg", (1200, 630), 200_000)


def test_an_ordinary_image_breaks_no_documented_limit():
    assert all(image_breaches(p, FINE) == [] for p in PROVIDERS)


def test_bytes_format_and_size_against_the_rules_table():
    big = ImageFacts("png", (1200, 630), 6 * MB)
    assert image_limits("twitter").max_bytes == 5 * MB
    assert [s for s, _ in image_breaches("twitter", big)] == [Severity.ERROR]
    webp = image_breaches("sina", ImageFacts("webp", (800, 600), 1000))
    assert webp and webp[0][0] is Severity.ERROR and "not webp" in webp[0][1]
    small = image_breaches("facebook", ImageFacts("jpeg", (320, 180), 1000))
    assert [(s, "200x200" in m) for s, m in small] == [(Severity.WARNING, True)]
    assert image_breaches("vkontakte", big) == []  # nothing documented there


def test_problems_name_the_field_and_skip_networks_not_attempted():
    ua = UserAction(title="t", linkBack="https://example.org/a", mediaItems=[MediaItem("image", {"src": "/big.png"})])
    call = PublishCall(userAction=ua, enabledProviders=["twitter", "vkontakte"])
    cards = {"twitter": CardCheck(LinkCard("T", "", "https://example.org/card.gif", "", "page"))}
    facts = {
        "https://example.org/big.png": ImageFacts("png", (100, 100), 6 * MB),
        "https://example.org/card.gif": ImageFacts("gif", (100, 100), 6 * MB),
    }
    problems = image_problems(call, contents_of(call), cards, facts, ["twitter", "vkontakte"])
    assert {(p.severity, p.field) for p in problems} == {
        (Severity.ERROR, "userAction.mediaItems[0].src"),
        (Severity.ERROR, "userAction.linkBack"),
    }
    assert image_problems(call, contents_of(call), cards, facts, ["vkontakte"]) == []
