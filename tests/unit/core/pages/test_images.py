"""Images against each network's documented limits."""

from __future__ import annotations

from composer.core.call.model import MediaItem, PublishCall, UserAction
from composer.core.call.networks import image_limits
from composer.core.call.validation import Problem, Severity
from composer.core.contract import PROVIDERS
from composer.core.pages.cards import CardCheck, LinkCard, contents_of, network_cards
from composer.core.pages.fetch import IMAGE_MAX_BYTES, fetch_page, http_get
from composer.core.pages.images import ImageFacts, image_breaches, image_problems, images_named, sniffed_facts
from composer.core.units import MB
from tests.helpers.stubs import FaultyServer, Reply

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


def test_an_image_just_over_the_limit_says_by_how_much_without_rounding():
    # 20 kB over 5 MB: rounded to a tenth of a megabyte it would read "this one is 5.0 MB"
    limit = image_limits("twitter").max_bytes
    assert image_breaches("twitter", ImageFacts("png", (1200, 630), limit)) == []
    assert image_breaches("twitter", ImageFacts("png", (1200, 630), limit + 20 * 1024)) == [
        (Severity.ERROR, "Twitter takes images up to 5,242,880 bytes (5 MB); this one is 5,263,360 bytes"),
    ]


def test_an_image_read_only_up_to_the_cap_is_said_to_be_larger_than_the_cap():
    limit = image_limits("twitter").max_bytes
    assert image_breaches("twitter", ImageFacts("png", None, 16 * 2**20, larger=True)) == [
        (Severity.ERROR, "Twitter takes images up to 5,242,880 bytes (5 MB); this one is larger than 16,777,216 bytes"),
    ]
    # stopped exactly at a network's limit, the file is still larger than that limit
    assert image_breaches("twitter", ImageFacts("png", None, limit, larger=True)) == [
        (Severity.ERROR, "Twitter takes images up to 5,242,880 bytes (5 MB); this one is larger than 5,242,880 bytes"),
    ]


def test_problems_name_the_field_and_skip_networks_not_attempted():
    ua = UserAction(title="t", linkBack="https://example.org/a", mediaItems=[MediaItem("image", {"src": "/big.png"})])
    call = PublishCall(userAction=ua, enabledProviders=["twitter", "sina", "vkontakte"])
    cards = {"twitter": CardCheck(LinkCard("T", "", "https://example.org/card.gif", "", "page"))}
    facts = {
        "https://example.org/big.png": ImageFacts("png", (100, 100), 6 * MB),
        "https://example.org/card.gif": ImageFacts("gif", (100, 100), 6 * MB),
    }
    problems = image_problems(call, contents_of(call), cards, facts, ["twitter", "sina", "vkontakte"])
    assert {(p.severity, p.field, p.message.split(":")[0]) for p in problems} == {
        (Severity.ERROR, "userAction.mediaItems[0].src", "the image big.png"),  # Sina posts it
        (Severity.ERROR, "userAction.linkBack", "the page's image card.gif"),  # Twitter's card shows it
    }
    assert image_problems(call, contents_of(call), cards, facts, ["vkontakte"]) == []


#: a page with card tags but no og:image, as a user links to it
PAGE = (
    "<html><head><meta property='og:title' content='t'><meta property='og:type' content='article'>"
    "<meta property='og:description' content='d'></head></html>"
)
JPEG_6_MB = b"\xff\xd8\xff" + bytes(6 * MB)


def problems_read_over_http(enabled: list[str]) -> list[Problem]:
    """The image problems of the QA's draft, its page and image served over loopback and read as
    ``composer preview --fetch`` and the window read them: the page's tags, then each image named."""
    with FaultyServer([Reply(200, PAGE, "text/html"), Reply(200, JPEG_6_MB, "image/jpeg")]) as server:
        page = f"{server.url}/page"
        ua = UserAction(title="t", linkBack=page, mediaItems=[MediaItem("image", {"src": f"{server.url}/img6", "href": page})])
        call = PublishCall(UID="demo-all-ok", userAction=ua, enabledProviders=enabled)
        contents = contents_of(call)
        cards = network_cards(contents, {page: fetch_page(page)})
        facts = {}
        for url in images_named(contents, cards):
            fetched = http_get(url, accept="image/*", timeout=10, max_bytes=IMAGE_MAX_BYTES)
            facts[url] = sniffed_facts(fetched.body, fetched.content_type)
    assert list(facts) == [f"{server.url}/img6"] and facts[f"{server.url}/img6"].bytes == len(JPEG_6_MB)
    eligible = [p for p in PROVIDERS if not enabled or p in enabled]
    return image_problems(call, contents, cards, facts, eligible)


def test_a_media_item_twitter_does_not_post_is_not_held_to_its_image_limits():
    assert problems_read_over_http(["twitter"]) == []


def test_a_media_item_is_named_as_such_where_a_network_posts_it_or_its_card_shows_it():
    problems = problems_read_over_http([])
    assert [(p.severity, p.field, p.message) for p in problems] == [
        (Severity.ERROR, "userAction.mediaItems[0].src", "the image img6: Sina Weibo takes images up to 5,242,880 bytes (5 MB); this one is 6,291,459 bytes"),
    ]
