"""Each network's rules as data: counted at, below and above each limit; links as posted under
shortURLs; hard limits are errors for networks that will be attempted, soft rules warnings."""

from __future__ import annotations

import pytest

from composer.core.call.model import ActionLink, MediaItem, PublishCall, UserAction
from composer.core.call.networks import (
    NO_DOCUMENTED_LIMIT,
    RULES,
    SHORTEN_LONGER_THAN,
    breaches,
    count,
    counted_text,
    image_limits,
    posted_link,
    rules_for,
    short_code,
)
from composer.core.call.preview import preview_provider
from composer.core.call.validation import Severity, validate
from composer.core.contract import PROVIDERS

LINK = "https://example.com/a"


def test_every_provider_has_rules_with_sources():
    assert tuple(RULES) == PROVIDERS
    for provider in PROVIDERS:
        rules = rules_for(provider)
        assert rules.provider == provider and rules.text.parts and rules.text.source
        if rules.max_media is not None:
            assert rules.media_source
        if rules.images.max_bytes or rules.images.min_size or rules.images.max_count:
            assert rules.images.source


def test_image_limits_say_none_where_nothing_is_documented():
    twitter = image_limits("twitter")
    assert (twitter.max_count, twitter.max_bytes, twitter.min_size) == (4, 5 * 1024 * 1024, None)
    assert image_limits("facebook").min_size == (200, 200)
    assert image_limits("renren").max_bytes is None and image_limits("renren").max_count is None


# --- counting at, below and above each limit -----------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "unit", "limit"),
    [("facebook", "a", 63_206), ("linkedin", "a", 3_000), ("sina", "微", 140), ("twitter", "a", 280)],
)
def test_limits_at_below_and_above(provider, unit, limit):
    field = "title" if provider == "twitter" else "userMessage"
    for length, over in ((limit - 1, False), (limit, False), (limit + 1, True)):
        action = UserAction(**{field: unit * length})
        counted = count(provider, counted_text(provider, action))
        assert (counted.length, counted.limit, counted.over) == (length, limit, over)
        assert counted.overflow_index == (limit if over else None)
        hard = [b for b in breaches(provider, action) if b.hard]
        assert bool(hard) is over
        if over:
            assert hard[0].part == field and str(limit) in hard[0].message and rules_for(provider).label in hard[0].message


def test_weibo_counts_two_latin_characters_as_one():
    assert count("sina", "ab").length == 1
    assert count("sina", "abc").length == 2
    assert count("sina", "微博").length == 2
    assert count("sina", "a" * 280).over is False
    counted = count("sina", "a" * 281)
    assert counted.over and counted.overflow_index == 280


def test_sina_counts_message_title_and_the_posted_link():
    action = UserAction(userMessage="微" * 100, title="t", linkBack=LINK)
    assert counted_text("sina", action) == f"{'微' * 100}\nt\n{posted_link(LINK, 'always')}"
    assert counted_text("sina", action, "never") == f"{'微' * 100}\nt\n{LINK}"


def test_networks_without_a_documented_limit_count_but_never_refuse():
    counted = count("vkontakte", "x" * 100_000)
    assert counted.limit is None and not counted.over and counted.remaining is None
    assert counted.counter() == f"100000 ({NO_DOCUMENTED_LIMIT})"
    assert breaches("renren", UserAction(userMessage="x" * 100_000)) == []


# --- soft rules ----------------------------------------------------------------------------------


def test_linkedin_fold_is_a_warning_at_210():
    assert breaches("linkedin", UserAction(userMessage="a" * 210)) == []
    (fold,) = breaches("linkedin", UserAction(userMessage="a" * 211))
    assert not fold.hard and "see more" in fold.message


def test_vk_takes_one_link():
    one = UserAction(linkBack=LINK)
    assert breaches("vkontakte", one) == []
    two = UserAction(linkBack=LINK, actionLinks=[ActionLink("More", "https://example.com/more")])
    (links,) = breaches("vkontakte", two)
    assert not links.hard and links.part == "actionLinks" and "1 link" in links.message


def test_vk_shows_ten_media_items():
    def with_images(n):
        return UserAction(mediaItems=[MediaItem("image", {"src": f"https://example.com/{i}.png"}) for i in range(n)])

    assert breaches("vkontakte", with_images(10)) == []
    (media,) = breaches("vkontakte", with_images(11))
    assert not media.hard and "10" in media.message


# --- links as posted -----------------------------------------------------------------------------


def test_short_links_under_each_mode():
    long_url = "https://example.com/" + "p" * (SHORTEN_LONGER_THAN - len("https://example.com/"))
    assert len(long_url) == SHORTEN_LONGER_THAN
    longer = long_url + "q"
    short = posted_link(LINK, "always")
    assert short == f"http://fw.to/{short_code(LINK)}" and len(short) == 20
    assert posted_link(LINK, "") == short  # the service's default is always
    assert posted_link(LINK, "never") == LINK
    assert posted_link(long_url, "whenRequired") == long_url  # 139: not over 139
    assert posted_link(longer, "whenRequired") == f"http://fw.to/{short_code(longer)}"
    assert posted_link(longer, "never") == longer
    assert posted_link("", "always") == ""


def test_short_code_is_stable_and_tells_links_apart():
    assert short_code(LINK) == short_code(LINK)
    assert short_code(LINK) != short_code(LINK + "b")
    assert len(short_code(LINK, 9)) == 9


def test_previews_show_and_count_the_posted_link():
    call = PublishCall(UID="u", userAction=UserAction(title="Hi", linkBack=LINK), shortURLs="always")
    sina = preview_provider(call, "sina")
    assert sina.link == (LINK, posted_link(LINK, "always"))
    assert sina.count.length == (2 + 1 + 20 + 1) // 2  # "Hi\n" + the 20-character short link, halves rounded up
    assert sina.card.link == posted_link(LINK, "always")
    data = sina.to_json()
    assert data["link"] == {"original": LINK, "posted": posted_link(LINK, "always")}
    assert (data["length"], data["limit"]) == (sina.count.length, 140)
    assert preview_provider(call, "twitter").text == f"Hi {posted_link(LINK, 'always')}"
    never = PublishCall(UID="u", userAction=UserAction(title="Hi", linkBack=LINK), shortURLs="never")
    assert preview_provider(never, "facebook").card.link == LINK
    assert preview_provider(never, "vkontakte").to_json()["limit"] is None


# --- validation ------------------------------------------------------------------------------------


def test_a_hard_limit_is_an_error_naming_network_and_field():
    call = PublishCall(UID="u", userAction=UserAction(title="a" * 300, linkBack=LINK))
    errors = [p for p in validate(call) if p.severity is Severity.ERROR]
    twitter = [p for p in errors if p.message.startswith("Twitter")]
    assert len(twitter) == 1 and twitter[0].field == "userAction.title" and "280" in twitter[0].message
    assert any(p.message.startswith("Sina Weibo") for p in errors)


def test_a_network_that_is_not_attempted_is_not_held_to_its_limits():
    call = PublishCall(UID="u", userAction=UserAction(title="a" * 300, linkBack=LINK), disabledProviders=["twitter", "sina"])
    assert [p for p in validate(call) if p.severity is Severity.ERROR] == []


def test_an_override_is_named_as_the_field():
    call = PublishCall(UID="u", userAction=UserAction(title="Fine", linkBack=LINK))
    call.overrides["linkedin"] = UserAction(userMessage="m" * 3_001)
    (error,) = [p for p in validate(call) if p.severity is Severity.ERROR]
    assert error.field == "linkedinUserAction.userMessage" and error.message.startswith("LinkedIn")


def test_a_title_that_fits_once_the_link_is_short():
    # 250 + space + a long URL: Twitter counts any URL 23, Weibo counts the short link's characters
    call = PublishCall(UID="u", userAction=UserAction(title="a" * 250, linkBack=LINK + "/" + "x" * 200), enabledProviders=["twitter"])
    assert not [p for p in validate(call) if p.severity is Severity.ERROR]
