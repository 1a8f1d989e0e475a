"""Every validation rule with a good value and a bad one: the severity and the exact field path."""

from __future__ import annotations

import pytest

from composer.core.call.model import ActionLink, MediaItem, PublishCall, UserAction, UserLocation
from composer.core.call.validation import Problem, Severity, has_errors, validate

ERROR = Severity.ERROR
WARNING = Severity.WARNING
LINK = "https://example.com/article"


def good() -> PublishCall:
    return PublishCall(UID="user-1", userAction=UserAction(title="Title", linkBack=LINK))


def found(call: PublishCall, approved: list[str] | None = None) -> list[tuple[Severity, str]]:
    return [(p.severity, p.field) for p in validate(call, approved)]


def only(call: PublishCall, approved: list[str] | None = None) -> Problem:
    problems = validate(call, approved)
    assert len(problems) == 1, problems
    return problems[0]


def test_good_call_has_no_problems():
    assert validate(good()) == []
    assert not has_errors(validate(good()))


# --- UID and content ------------------------------------------------------------------------


@pytest.mark.parametrize("uid", ["", "   "])
def test_uid_required(uid):
    call = good()
    call.UID = uid
    problem = only(call)
    assert (problem.severity, problem.field) == (ERROR, "UID")
    assert "required" in problem.message
    assert has_errors([problem])


def test_uid_with_spaces_is_a_warning():
    call = good()
    call.UID = " user-1 "
    assert found(call) == [(WARNING, "UID")]


def test_user_action_content_required():
    call = good()
    call.userAction = UserAction()
    problem = only(call)
    assert (problem.severity, problem.field) == (ERROR, "userAction")
    assert "nothing to share" in problem.message
    # an empty action link or media item is no content either
    call.userAction = UserAction(actionLinks=[ActionLink()], mediaItems=[MediaItem("image", {})])
    assert found(call) == [(ERROR, "userAction")]


@pytest.mark.parametrize("field", ["userMessage", "title", "linkBack", "description", "subtitle"])
def test_any_one_content_field_is_enough_where_twitter_is_left_out(field):
    call = PublishCall(UID="u", disabledProviders=["twitter"])
    setattr(call.userAction, field, LINK)
    assert validate(call) == []


@pytest.mark.parametrize("field", ["userMessage", "description", "subtitle"])
def test_twitter_needs_a_title_or_a_link_back(field):
    call = PublishCall(UID="u")
    setattr(call.userAction, field, "words")
    problem = only(call)
    assert (problem.severity, problem.field) == (ERROR, "userAction.title")
    assert problem.message == (
        "Twitter refuses a post without a tweet, and its tweet is only the title and link: give one of them, or leave Twitter out"
    )
    call.overrides["twitter"] = UserAction(title="For Twitter")
    assert validate(call) == []


def test_default_content_required_even_with_overrides():
    call = PublishCall(UID="u", overrides={"twitter": UserAction(title="T")})
    problem = only(call)
    assert (problem.severity, problem.field) == (ERROR, "userAction")
    assert "default content is required" in problem.message


# --- URLs -------------------------------------------------------------------------------------

BAD_URLS = [
    "example.com/page",
    "/relative/path",
    "ftp://example.com/file",
    "javascript:alert(1)",
    "https://exa mple.com/",
    "https://",
    "https://example/",
    "https://example.com:99999/",
]
GOOD_URLS = ["https://example.com", "http://example.com/a?b=c#d", "HTTPS://EXAMPLE.COM/X", "https://localhost:8080/x", "https://例え.jp/パス"]


@pytest.mark.parametrize("url", BAD_URLS)
def test_link_back_must_be_absolute_http(url):
    call = good()
    call.userAction.linkBack = url
    problem = only(call)
    assert (problem.severity, problem.field) == (ERROR, "userAction.linkBack")
    assert repr(url[:80]) in problem.message


@pytest.mark.parametrize("url", GOOD_URLS)
def test_link_back_good(url):
    call = good()
    call.userAction.linkBack = url
    assert validate(call) == []


def test_override_link_back_path():
    call = good()
    call.overrides["twitter"] = UserAction(title="T", linkBack="www.example.com")
    assert found(call) == [(ERROR, "twitterUserAction.linkBack")]
    call.overrides["twitter"].linkBack = "https://www.example.com"
    assert found(call) == []


def test_every_action_link_href():
    call = good()
    call.userAction.actionLinks = [ActionLink("One", "https://example.com/1"), ActionLink("Two", "example.com/2")]
    assert found(call) == [(ERROR, "userAction.actionLinks[1].href")]
    call.userAction.actionLinks[1].href = "https://example.com/2"
    assert found(call) == []
    # a link with a title and no href, or an href and no title
    call.userAction.actionLinks = [ActionLink("One", ""), ActionLink("", "https://example.com/2")]
    assert found(call) == [(ERROR, "userAction.actionLinks[0].href"), (ERROR, "userAction.actionLinks[1].title")]


@pytest.mark.parametrize("name", ["src", "href"])
def test_image_media_urls(name):
    call = good()
    call.userAction.mediaItems = [
        MediaItem("image", {"src": "https://example.com/0.png", "href": "https://example.com/"}),
        MediaItem("image", {"src": "https://example.com/1.png", "href": "https://example.com/"}),
    ]
    assert validate(call) == []
    call.userAction.mediaItems[1].set(name, "img/1.png")
    assert found(call) == [(ERROR, f"userAction.mediaItems[1].{name}")]


@pytest.mark.parametrize("name", ["src", "previewImageURL"])
def test_flash_media_urls(name):
    call = good()
    call.overrides["facebook"] = UserAction(
        title="T",
        mediaItems=[
            MediaItem(
                "flash",
                {
                    "src": "https://example.com/v.mp4",
                    "previewImageURL": "https://example.com/v.jpg",
                    "previewImageWidth": "320",
                    "previewImageHeight": "180",
                },
            )
        ],
    )
    assert validate(call) == []
    call.overrides["facebook"].mediaItems[0].set(name, "mailto:someone@example.com")
    assert found(call) == [(ERROR, f"facebookUserAction.mediaItems[0].{name}")]


def test_media_src_required_and_type_known():
    call = good()
    call.userAction.mediaItems = [MediaItem("image", {"href": "https://example.com/"})]
    assert only(call).message == "an image item needs src, the URL of the file"
    call.userAction.mediaItems = [MediaItem("gif", {"src": "https://example.com/a.gif"})]
    assert found(call) == [(ERROR, "userAction.mediaItems[0].type")]


def test_flash_sizes_are_whole_pixels():
    call = good()
    call.userAction.mediaItems = [MediaItem("flash", {"src": "https://example.com/v.mp4", "previewImageWidth": "12.5"})]
    assert found(call) == [(ERROR, "userAction.mediaItems[0].previewImageWidth")]
    call.userAction.mediaItems[0].set("previewImageWidth", "12")
    assert found(call) == []


def test_one_media_type_per_action():
    call = good()
    call.userAction.mediaItems = [
        MediaItem("image", {"src": "https://example.com/a.png"}),
        MediaItem("image", {"src": "https://example.com/b.png"}),
    ]
    assert validate(call) == []
    call.userAction.mediaItems.append(MediaItem("mp3", {"src": "https://example.com/c.mp3", "artist": "A"}))
    problem = only(call)
    assert (problem.severity, problem.field) == (ERROR, "userAction.mediaItems")
    assert "image, mp3" in problem.message
    # each action is judged on its own: the override may use another type
    call.userAction.mediaItems.pop()
    call.overrides["sina"] = UserAction(title="T", mediaItems=[MediaItem("mp3", {"src": "https://example.com/c.mp3"})])
    assert validate(call) == []


def test_media_fields_of_another_type_are_warned():
    call = good()
    call.userAction.mediaItems = [MediaItem("image", {"src": "https://example.com/a.png", "artist": "A"})]
    problem = only(call)
    assert (problem.severity, problem.field) == (WARNING, "userAction.mediaItems[0]")
    assert "artist" in problem.message


# --- call parameters --------------------------------------------------------------------------


def test_cid_at_most_100_characters():
    call = good()
    call.cid = "c" * 100
    assert validate(call) == []
    call.cid = "c" * 101
    problem = only(call)
    assert (problem.severity, problem.field) == (ERROR, "cid")
    assert "101" in problem.message


@pytest.mark.parametrize(
    "attributes, ok",
    [
        ({"a": "1", "b": "2", "c": "3"}, True),
        ({"a": ["1", "2", "3"]}, True),
        ({"a": "1", "b": ["2", "3"]}, True),
        ({"a": "1", "b": ["2", ""], "c": "", "d": "4"}, True),  # empty values do not count
        ({"a": "1", "b": "2", "c": "3", "d": "4"}, False),
        ({"a": ["1", "2", "3", "4"]}, False),
        ({"a": "1", "b": ["2", "3"], "c": "4"}, False),
    ],
)
def test_at_most_three_action_attribute_values(attributes, ok):
    call = good()
    call.actionAttributes = attributes
    if ok:
        assert validate(call) == []
    else:
        problem = only(call)
        assert (problem.severity, problem.field) == (ERROR, "actionAttributes")
        assert "(this has 4)" in problem.message


def test_action_attribute_values_must_be_text():
    call = good()
    call.actionAttributes = {"n": 5}
    assert found(call) == [(ERROR, "actionAttributes.n")]


@pytest.mark.parametrize(
    "name, value, ok",
    [
        ("latitude", "90", True),
        ("latitude", "-90", True),
        ("latitude", "0", True),
        ("latitude", "90.0001", False),
        ("latitude", "-90.5", False),
        ("latitude", "north", False),
        ("latitude", "nan", False),
        ("latitude", "inf", False),
        ("longitude", "180", True),
        ("longitude", "-180", True),
        ("longitude", "180.000001", False),
        ("longitude", "-181", False),
        ("longitude", "12,5", False),
    ],
)
def test_location_bounds(name, value, ok):
    call = good()
    call.userLocation = UserLocation(latitude="10", longitude="20")
    setattr(call.userLocation, name, value)
    if ok:
        assert validate(call) == []
    else:
        problem = only(call)
        assert (problem.severity, problem.field) == (ERROR, f"userLocation.{name}")
        assert repr(value) in problem.message or value in problem.message


def test_location_numbers_from_draft_json():
    call = PublishCall.from_params({"UID": "u", "userAction": {"title": "T"}, "userLocation": {"latitude": -90, "longitude": 180.5}})
    assert found(call) == [(ERROR, "userLocation.longitude")]


def test_latitude_without_longitude():
    call = good()
    call.userLocation = UserLocation(latitude="10")
    assert found(call) == [(ERROR, "userLocation.longitude")]


def test_location_with_twitter_excluded_is_warned():
    call = good()
    call.userLocation = UserLocation(latitude="10", longitude="20")
    call.disabledProviders = ["twitter"]
    assert found(call) == [(WARNING, "userLocation")]


@pytest.mark.parametrize("value", ["always", "whenRequired", "never", ""])
def test_short_urls_good(value):
    call = good()
    call.shortURLs = value
    assert validate(call) == []


@pytest.mark.parametrize("value", ["sometimes", "Always", "whenrequired", "true"])
def test_short_urls_bad(value):
    call = good()
    call.shortURLs = value
    assert found(call) == [(ERROR, "shortURLs")]


def test_jsonp_needs_a_callback():
    call = good()
    call.format = "jsonp"
    problem = only(call)
    assert (problem.severity, problem.field) == (ERROR, "callback")
    call.callback = "handle_result"
    assert validate(call) == []
    call.callback = "alert(1)"
    assert found(call) == [(ERROR, "callback")]


def test_format_must_be_json_or_jsonp():
    call = good()
    call.format = "xml"
    assert found(call) == [(ERROR, "format")]


def test_provider_both_enabled_and_disabled():
    call = good()
    call.enabledProviders = ["facebook", "twitter"]
    call.disabledProviders = ["linkedin"]
    assert validate(call) == []
    call.disabledProviders = ["Twitter"]
    problem = only(call)
    assert (problem.severity, problem.field) == (ERROR, "disabledProviders")
    assert "twitter is both enabled and disabled" in problem.message


def test_unknown_provider_is_a_warning_not_an_error():
    call = good()
    call.enabledProviders = ["facebook", "myspace"]
    problem = only(call)
    assert (problem.severity, problem.field) == (WARNING, "enabledProviders")
    assert "'myspace'" in problem.message
    assert not has_errors(validate(call))
    call.enabledProviders = None
    call.disabledProviders = ["orkut"]
    assert found(call) == [(WARNING, "disabledProviders")]


def test_no_supported_provider_left_is_warned():
    call = good()
    call.enabledProviders = ["myspace"]
    assert found(call) == [(WARNING, "enabledProviders"), (WARNING, "enabledProviders")]


# --- approved domains -------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["https://example.com/x", "https://www.example.com/x", "https://a.b.example.com/", "https://EXAMPLE.com./"])
def test_approved_domain_and_subdomains(url):
    call = good()
    call.userAction.linkBack = url
    assert validate(call, ["example.com"]) == []


@pytest.mark.parametrize("url", ["https://example.org/x", "https://notexample.com/", "https://example.com.evil.net/"])
def test_url_outside_approved_domains_is_a_warning(url):
    call = good()
    call.userAction.linkBack = url
    problem = only(call, ["example.com", "shop.example.net"])
    assert (problem.severity, problem.field) == (WARNING, "userAction.linkBack")
    assert "approved domains" in problem.message
    # without a list nothing is checked
    assert validate(call) == []


def test_approved_domains_apply_to_every_url_of_the_action():
    call = good()
    call.userAction.actionLinks = [ActionLink("Go", "https://other.org/go")]
    call.userAction.mediaItems = [MediaItem("image", {"src": "https://cdn.other.org/a.png", "href": "https://other.org/"})]
    call.overrides["linkedin"] = UserAction(
        title="t", mediaItems=[MediaItem("flash", {"src": "https://example.com/v.swf", "previewImageURL": "https://other.org/p.png"})]
    )
    assert found(call, ["example.com"]) == [
        (WARNING, "userAction.actionLinks[0].href"),
        (WARNING, "userAction.mediaItems[0].src"),
        (WARNING, "userAction.mediaItems[0].href"),
        (WARNING, "linkedinUserAction.mediaItems[0].previewImageURL"),
    ]


# --- provider-specific warnings ---------------------------------------------------------------


@pytest.mark.parametrize("message", ["plain", "<b>bold</b> <i>i</i> <u>u</u> <strong>s</strong><br><br/><p>para</p>", "<B>BOLD</B>", "1 < 2 > 0"])
def test_user_message_kept_tags(message):
    call = good()
    call.userAction.userMessage = message
    assert validate(call) == []


@pytest.mark.parametrize(
    "message, tags",
    [
        ('<a href="https://example.com">link</a>', "<a>"),
        ("<script>alert(1)</script>", "<script>"),
        ("<b>ok</b><em>no</em><div>no</div>", "<div>, <em>"),
        ("<IMG src=x>", "<img>"),
    ],
)
def test_user_message_other_tags_warned(message, tags):
    call = good()
    call.userAction.userMessage = message
    problem = only(call)
    assert (problem.severity, problem.field) == (WARNING, "userAction.userMessage")
    assert problem.message.endswith(f"{tags} will be removed")


def test_facebook_action_link_over_25_characters_warned():
    call = good()
    call.userAction.actionLinks = [ActionLink("x" * 25, "https://example.com/")]
    assert validate(call) == []
    call.userAction.actionLinks[0].title = "x" * 26
    problem = only(call)
    assert (problem.severity, problem.field) == (WARNING, "userAction.actionLinks[0].title")
    assert "26" in problem.message
    # the same in Facebook's own content
    call.userAction.actionLinks = []
    call.overrides["facebook"] = UserAction(title="T", actionLinks=[ActionLink("y" * 30, "https://example.com/")])
    assert found(call) == [(WARNING, "facebookUserAction.actionLinks[0].title")]
    # another network's own content is not held to Facebook's limit
    del call.overrides["facebook"]
    call.overrides["linkedin"] = UserAction(title="T", actionLinks=[ActionLink("z" * 30, "https://example.com/")])
    assert validate(call) == []


def test_facebook_more_than_one_action_link_warned():
    call = good()
    call.overrides["facebook"] = UserAction(
        title="T", actionLinks=[ActionLink("a", "https://example.com/a"), ActionLink("b", "https://example.com/b")]
    )
    assert found(call) == [(WARNING, "facebookUserAction.actionLinks")]


def test_problem_rendering():
    call = good()
    call.cid = "c" * 101
    problem = validate(call)[0]
    assert str(problem) == "error: cid: at most 100 characters (this one has 101)"
    assert problem.to_json() == {"severity": "error", "field": "cid", "message": "at most 100 characters (this one has 101)"}
