"""Previews as data: who is attempted and why, what each network receives and shows, Twitter's
weighted length."""

from __future__ import annotations

import pytest

from composer.core.call.model import ActionLink, MediaItem, PublishCall, UserAction
from composer.core.call.preview import plain_message, preview, preview_provider, tweet_text
from composer.core.contract import PROVIDERS

LINK = "https://example.com/article"
LONG_LINK = "https://example.com/" + "very-long-path/" * 20 + "?utm_source=twitter&utm_medium=share"


def call_with(**changes) -> PublishCall:
    call = PublishCall(
        UID="u",
        userAction=UserAction(
            userMessage="Hello <b>world</b>",
            title="Default title",
            linkBack=LINK,
            subtitle="Sub",
            description="Desc",
            actionLinks=[ActionLink("Read more", "https://example.com/more")],
            mediaItems=[MediaItem("image", {"src": "https://example.com/a.png", "href": LINK})],
        ),
    )
    for key, value in changes.items():
        setattr(call, key, value)
    return call


def by_provider(call: PublishCall) -> dict:
    previews = preview(call)
    assert [p.provider for p in previews] == list(PROVIDERS)
    return {p.provider: p for p in previews}


# --- attempted or not -------------------------------------------------------------------------


def test_all_attempted_by_default():
    for p in preview(call_with()):
        assert p.attempted is True
        assert p.reason == ""
        assert p.to_json()["reason"] is None


def test_enabled_list():
    previews = by_provider(call_with(enabledProviders=["facebook", "Twitter"]))
    assert [name for name, p in previews.items() if p.attempted] == ["facebook", "twitter"]
    for name in ("linkedin", "vkontakte", "renren", "sina"):
        assert previews[name].attempted is False
        assert previews[name].reason == "not attempted: not in enabledProviders"


def test_disabled_list():
    previews = by_provider(call_with(disabledProviders=["renren", "SINA"]))
    assert [name for name, p in previews.items() if not p.attempted] == ["renren", "sina"]
    assert previews["renren"].reason == "not attempted: listed in disabledProviders"
    assert previews["sina"].reason == "not attempted: listed in disabledProviders"


def test_enabled_and_disabled_together():
    previews = by_provider(call_with(enabledProviders=["facebook", "twitter"], disabledProviders=["twitter"]))
    assert previews["facebook"].attempted is True
    assert previews["twitter"].attempted is False
    assert previews["twitter"].reason == "not attempted: listed in disabledProviders"
    assert previews["linkedin"].reason == "not attempted: not in enabledProviders"


def test_unknown_enabled_provider_attempts_none_of_the_six():
    previews = by_provider(call_with(enabledProviders=["myspace"]))
    assert not any(p.attempted for p in previews.values())


# --- content per provider ---------------------------------------------------------------------


def test_override_used_for_that_provider_only():
    linkedin = UserAction(title="For professionals", linkBack="https://example.com/pro", description="Pro desc")
    call = call_with(overrides={"linkedin": linkedin})
    previews = by_provider(call)
    assert previews["linkedin"].overridden is True
    assert previews["linkedin"].content == {"title": "For professionals", "linkBack": "https://example.com/pro", "description": "Pro desc"}
    assert previews["linkedin"].text == "For professionals · example.com\nPro desc"
    assert previews["linkedin"].card.title == "For professionals"
    for name in ("facebook", "vkontakte", "renren", "sina"):
        assert previews[name].overridden is False
        assert previews[name].content == call.userAction.to_json()
        assert "Default title" in previews[name].text
        assert "For professionals" not in previews[name].text


def test_facebook_card():
    p = preview_provider(call_with(), "facebook")
    assert p.text == "Hello world\nDefault title · example.com\nSub\nDesc\n[Read more]"
    assert p.card.subtitle == "Sub"
    assert p.card.image == "https://example.com/a.png"
    assert p.card.media_type == "image"
    assert p.card.domain == "example.com"
    # only Facebook shows the subtitle
    assert preview_provider(call_with(), "linkedin").card.subtitle == ""


def test_facebook_action_link_cut_to_25():
    call = call_with()
    call.userAction.actionLinks = [ActionLink("An action link far too long", "https://example.com/x"), ActionLink("Second", LINK)]
    p = preview_provider(call, "facebook")
    assert p.card.action_link == "An action link far too lo"
    assert len(p.card.action_link) == 25
    assert "Facebook shows one action link; 1 dropped" in p.notes
    assert "action link cut to 25 characters" in p.notes
    assert preview_provider(call, "renren").card.action_link == "An action link far too long"


def test_empty_override_previews_what_is_sent():
    call = call_with(overrides={"twitter": UserAction()}, shortURLs="never")
    assert "twitterUserAction" not in call.to_params()  # the network gets userAction
    p = preview_provider(call, "twitter")
    assert p.content == call.userAction.to_json()
    assert p.text == "Default title https://example.com/article"


# --- Twitter ----------------------------------------------------------------------------------


def test_twitter_text_is_only_title_and_link_back():
    p = preview_provider(call_with(shortURLs="never"), "twitter")
    assert p.text == "Default title https://example.com/article"
    assert "Hello" not in p.text and "Desc" not in p.text and "Sub" not in p.text
    assert p.notes == ("Twitter posts only the title and the link back; not posted: userMessage, subtitle, description, media, action links",)
    assert p.card is None
    # Twitter's own content wins
    call = call_with(overrides={"twitter": UserAction(title="Tweet", linkBack="https://example.com/t")}, shortURLs="never")
    assert preview_provider(call, "twitter").text == "Tweet https://example.com/t"
    assert tweet_text(UserAction(title="  Only a title  ")) == "Only a title"
    assert tweet_text(UserAction(linkBack=LINK), "never") == LINK


def test_twitter_url_counts_23_whatever_its_length():
    assert len(LONG_LINK) > 300
    call = call_with(userAction=UserAction(title="Hello", linkBack=LONG_LINK))
    p = preview_provider(call, "twitter")
    assert p.twitter.weighted_length == 5 + 1 + 23
    assert p.twitter.limit == 280
    assert p.twitter.remaining == 280 - 29
    assert p.twitter.valid is True
    assert p.twitter.overflow_index is None
    short = preview_provider(call_with(userAction=UserAction(title="Hello", linkBack="https://t.co/x")), "twitter")
    assert short.twitter.weighted_length == 29


def test_twitter_cjk_counts_two_each():
    p = preview_provider(call_with(userAction=UserAction(title="新しいアプリ", linkBack=LINK)), "twitter")
    assert p.twitter.weighted_length == 6 * 2 + 1 + 23
    p = preview_provider(call_with(userAction=UserAction(title="한국어 テキスト")), "twitter")
    assert p.twitter.weighted_length == 3 * 2 + 1 + 4 * 2
    # Latin with accents counts one each; an emoji counts two
    assert preview_provider(call_with(userAction=UserAction(title="café 🎉")), "twitter").twitter.weighted_length == 4 + 1 + 2


def test_twitter_too_long_title_overflow():
    title = "a" * 300
    p = preview_provider(call_with(userAction=UserAction(title=title)), "twitter")
    assert p.twitter.weighted_length == 300
    assert p.twitter.remaining == -20
    assert p.twitter.valid is False
    assert p.twitter.overflow_index == 280
    assert p.text[: p.twitter.overflow_index] == "a" * 280
    data = p.to_json()
    assert (data["weightedLength"], data["limit"], data["remaining"], data["valid"], data["overflowIndex"]) == (300, 280, -20, False, 280)


def test_twitter_overflow_on_the_link():
    # 270 + space = 271 fits; the link (23) does not: the overflow starts at the link
    p = preview_provider(call_with(userAction=UserAction(title="b" * 270, linkBack=LINK), shortURLs="never"), "twitter")
    assert p.twitter.weighted_length == 294
    assert p.twitter.overflow_index == 271
    assert p.text[271:] == LINK


def test_twitter_cjk_overflow_index():
    p = preview_provider(call_with(userAction=UserAction(title="漢" * 141)), "twitter")
    assert p.twitter.weighted_length == 282
    assert p.twitter.remaining == -2
    assert p.twitter.overflow_index == 140


def test_twitter_nothing_to_tweet():
    p = preview_provider(call_with(userAction=UserAction(userMessage="only a message")), "twitter")
    assert p.text == ""
    assert p.twitter.weighted_length == 0
    assert p.twitter.valid is False
    assert "nothing to tweet: give a title or a link back" in p.notes


# --- plain_message ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message, expected",
    [
        ("", ""),
        ("plain text", "plain text"),
        ("<b>bold</b> and <i>it</i> <u>u</u> <strong>s</strong>", "bold and it u s"),
        ("one<br>two<br/>three<BR />four", "one\ntwo\nthree\nfour"),
        ("<p>first</p><p>second</p>", "first\nsecond"),
        ("line\nbreak kept", "line\nbreak kept"),
        ('<a href="https://example.com">link</a> <script>x</script>', "link x"),
        ("a<br><br><br><br><br>b", "a\n\nb"),
        ("5 &lt; 6 &amp; &lt;b&gt; is text", "5 < 6 & <b> is text"),
        ("  <p>  padded  </p>  ", "padded"),
    ],
)
def test_plain_message(message, expected):
    assert plain_message(message) == expected


def test_plain_message_opening_paragraph_breaks_the_line():
    assert plain_message("Line one<p>Line two</p>") == "Line one\nLine two"


def test_card_text_uses_plain_message():
    call = call_with()
    call.userAction.userMessage = "Hi<br><em>there</em>"
    assert preview_provider(call, "sina").text.startswith("Hi\nthere\n")


def test_linkedin_shows_no_action_links_and_says_so():
    # LinkedIn's share has a comment and one link's title, description and image: no action links
    p = preview_provider(call_with(), "linkedin")
    assert p.card.action_link == ""
    assert "[Read more]" not in p.text
    assert "LinkedIn does not show the action links" in p.notes


def test_vkontakte_card_shows_no_action_link_when_the_link_back_takes_its_one_link():
    call = call_with()
    call.userAction.actionLinks.append(ActionLink("Second", "https://example.com/second"))
    p = preview_provider(call, "vkontakte")
    assert "VKontakte takes 1 link per post: the link back goes, the 2 action links do not" in p.warnings
    assert p.card.action_link == ""
    assert "[Read more]" not in p.text
    # without a link back, the card keeps the action link that can take the one place
    call.userAction.linkBack = ""
    assert preview_provider(call, "vkontakte").card.action_link == "Read more"


def test_a_card_leaves_out_media_its_network_does_not_take():
    song = MediaItem("mp3", {"src": "https://example.com/song.mp3", "title": "Around The World", "artist": "Max Raabe", "album": "Greatest Hits"})
    call = call_with()
    call.userAction.mediaItems = [song]
    previews = by_provider(call)
    assert previews["facebook"].card.media_type == "mp3"
    assert previews["facebook"].card.media_caption == "Around The World · Max Raabe · Greatest Hits"
    for name, label in (("linkedin", "LinkedIn"), ("sina", "Sina Weibo")):
        assert previews[name].card.media_type == ""
        assert previews[name].card.media_caption == ""
        assert any(note.startswith(f"{label} does not show") and note.endswith("the audio") for note in previews[name].notes)
    video = MediaItem("flash", {"src": "https://example.com/v.swf", "previewImageURL": "https://example.com/v.jpg"})
    call.userAction.mediaItems = [video]
    previews = by_provider(call)
    assert previews["linkedin"].card.image == "https://example.com/v.jpg"
    assert previews["sina"].card.image == ""  # a Weibo status carries one picture, not a video
    assert previews["sina"].notes == ("Sina Weibo does not show the description, the action links or the video",)
