"""The card each network builds from the page with the userAction, and the warnings."""

from __future__ import annotations

from composer.core.call.model import MediaItem, PublishCall, UserAction
from composer.core.pages.cards import contents_of, network_card, network_cards, page_problems
from composer.core.pages.tags import PageResult, PageTags

LINK = "https://example.org/spring"
FULL = PageTags(
    LINK,
    {
        "og:type": "website",
        "og:title": "Spring",
        "og:description": "New pieces",
        "og:image": "https://example.org/spring.jpg",
        "og:site_name": "Example",
        "twitter:card": "summary_large_image",
    },
)


def user_action(**changes) -> UserAction:
    ua = UserAction(title="Spring", description="New pieces", linkBack=LINK)
    ua.mediaItems = [MediaItem("image", {"src": "https://example.org/spring.jpg", "href": LINK})]
    for key, value in changes.items():
        setattr(ua, key, value)
    return ua


def test_page_agreeing_with_the_user_action_gives_page_cards_without_warnings():
    for provider in ("facebook", "twitter", "linkedin"):
        check = network_card(provider, user_action(), FULL)
        assert check.warnings == ()
        assert check.card.source == "page"
        assert check.card.image == "https://example.org/spring.jpg"
    assert network_card("facebook", user_action(), FULL).card.site == "Example"


def test_disagreeing_title_and_image_are_warned_about():
    ua = user_action(title="Other title", mediaItems=[MediaItem("image", {"src": "https://example.org/other.png"})])
    check = network_card("facebook", ua, FULL)
    assert check.card.title == "Spring"  # what Facebook shows: the page's
    assert "the page's og:title “Spring” is shown, not the title" in check.warnings
    assert any("og:image" in w for w in check.warnings)


def test_missing_tags_fall_back_to_the_user_action_and_are_warned_about():
    bare = PageTags(LINK, {}, "Page title")
    check = network_card("linkedin", user_action(), bare)
    assert check.card.source == "userAction"
    assert check.card.title == "Spring" and check.card.image == "https://example.org/spring.jpg"
    assert {"the page has no og:title", "the page has no og:description", "the page has no og:image"} <= set(check.warnings)


def test_twitter_without_twitter_card():
    og_only = PageTags(LINK, {k: v for k, v in FULL.tags.items() if k != "twitter:card"})
    check = network_card("twitter", user_action(), og_only)
    assert check.card.kind == "summary"  # og:type, og:title and og:description are there
    assert any("no twitter:card" in w for w in check.warnings)
    nothing = network_card("twitter", user_action(), PageTags(LINK, {"og:title": "Spring"}))
    assert nothing.card is None
    assert "Twitter shows no card" in nothing.warnings[0]


def test_no_page_read_yet_means_the_user_action_card_and_no_twitter_card():
    assert network_card("facebook", user_action(), None).card.source == "userAction"
    assert network_card("twitter", user_action(), None).card is None


def test_problems_are_grouped_per_content_and_skip_networks_not_attempted():
    call = PublishCall(userAction=user_action(title="Other"), disabledProviders=["renren"])
    call.overrides["twitter"] = user_action(title="Tweet")
    og_only = PageTags(LINK, {k: v for k, v in FULL.tags.items() if k != "twitter:card"})
    contents = contents_of(call)
    cards = network_cards(contents, {LINK: PageResult(LINK, tags=og_only)})
    problems = page_problems(call, contents, cards)
    default = [p for p in problems if p.field == "userAction.linkBack"]
    assert len(default) == 1
    assert "Facebook, LinkedIn, VKontakte, Sina Weibo" in default[0].message  # not Renren
    # the tweet's own title is its text, not the card's: only the missing twitter:card is said
    assert [(p.field, "no twitter:card" in p.message) for p in problems if "Twitter" in p.message] == [("twitterUserAction.linkBack", True)]
    assert all(p.severity.value == "warning" for p in problems)


def test_a_card_holds_only_what_its_network_shows():
    # Weibo shows no description: the page's is neither on its card nor warned about
    ua = user_action(description="Other words")
    weibo = network_card("sina", ua, FULL)
    assert weibo.card.description == ""
    assert not any("description" in warning for warning in weibo.warnings), weibo.warnings
    assert network_card("facebook", ua, FULL).card.description == "New pieces"
    # LinkedIn takes no audio: an mp3 item gives its card no image when the page names none
    audio = user_action(mediaItems=[MediaItem("mp3", {"src": "https://example.org/song.mp3", "previewImageURL": "https://example.org/cover.jpg"})])
    no_image = PageTags(LINK, {"og:title": "Spring", "og:description": "New pieces"})
    assert network_card("linkedin", audio, no_image).card.image == ""
    assert network_card("linkedin", audio, None).card.image == ""
    assert network_card("facebook", audio, no_image).card.image == "https://example.org/cover.jpg"
