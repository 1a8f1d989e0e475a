"""Overrides that inherit: each field follows the default until it is edited in the override."""

from __future__ import annotations

from composer.core.call.model import CONTENT_FIELDS, MediaItem, PublishCall, UserAction, convert_media


def test_a_customized_network_follows_the_default_field_by_field():
    call = PublishCall(userAction=UserAction(title="A", description="D"))
    call.customize("twitter")
    assert call.inherited["twitter"] == set(CONTENT_FIELDS)
    call.userAction.title = "B"
    call.follow_default()
    assert call.overrides["twitter"].title == "B"
    call.overrides["twitter"].title = "Tweet"
    call.set_own("twitter", "title")
    call.userAction.title = "C"
    call.userAction.description = "E"
    call.follow_default()
    assert (call.overrides["twitter"].title, call.overrides["twitter"].description) == ("Tweet", "E")
    call.inherit("twitter", "title")
    assert call.overrides["twitter"].title == "C" and "title" in call.inherited["twitter"]
    call.drop_override("twitter")
    assert "twitter" not in call.overrides and "twitter" not in call.inherited


def test_a_loaded_override_links_the_fields_equal_to_the_default():
    call = PublishCall.from_params(
        {"userAction": {"title": "T", "description": "D"}, "facebookUserAction": {"title": "Own", "description": "D"}}
    )
    assert call.inherited["facebook"] == set(CONTENT_FIELDS) - {"title"}
    assert call.to_params() == PublishCall.from_params(call.to_draft()).to_params()  # drafts unchanged


def test_copies_carry_the_links_and_inheritance_is_no_parameter():
    call = PublishCall(userAction=UserAction(title="A"))
    call.customize("linkedin")
    copy = call.copy()
    assert copy.inherited == call.inherited and copy.inherited["linkedin"] is not call.inherited["linkedin"]
    assert "inherited" not in call.to_draft()


def test_converting_media_says_what_would_be_lost():
    items = [MediaItem("image", {"src": "a.png", "href": "https://example.org/a"}), MediaItem("image", {"src": "b.png"})]
    converted, dropped = convert_media(items, "flash")
    assert [m.to_json() for m in converted] == [{"src": "a.png", "type": "flash"}, {"src": "b.png", "type": "flash"}]
    assert dropped == ["href"]
    assert convert_media([MediaItem("image", {"src": "a.png"})], "mp3")[1] == []
