"""The PublishCall model: wire parameters, drafts, round trips, credentials never kept."""

from __future__ import annotations

import json

import pytest

from composer.core.call.draft import dump_draft, load_draft, parse_draft, save_draft
from composer.core.call.model import CALL_PARAMS, ActionLink, MediaItem, ModelError, PublishCall, UserAction, UserLocation
from composer.core.call.validation import Severity, validate
from tests.helpers.environment import REPO

LINK = "https://example.com/article"


def full_call() -> PublishCall:
    """A call that sets every parameter (so order and serialization of each can be checked)."""
    return PublishCall(
        UID="user-1",
        userAction=UserAction(
            userMessage="Hello <b>world</b>",
            title="A title",
            linkBack=LINK,
            subtitle="Sub",
            description="Desc",
            actionLinks=[ActionLink("Read", "https://example.com/read")],
            mediaItems=[MediaItem("image", {"src": "https://example.com/a.png", "href": "https://example.com/"})],
        ),
        overrides={
            "twitter": UserAction(title="Tweet title", linkBack="https://example.com/t"),
            "facebook": UserAction(title="FB title", linkBack="https://example.com/f"),
        },
        enabledProviders=["facebook", "twitter", "linkedin"],
        disabledProviders=["sina"],
        shortURLs="never",
        tags=["spring", "launch"],
        cid="banner",
        actionAttributes={"section": "fashion", "campaign": ["a", "b"]},
        userLocation=UserLocation(latitude="35.5", longitude="-120", placeID="here"),
        format="jsonp",
        callback="cb",
        httpStatusCodes=True,
    )


# --- wire parameters ------------------------------------------------------------------------


def test_to_params_full_call_exact_values_and_order():
    params = full_call().to_params()
    assert list(params) == [
        "UID",
        "userAction",
        "facebookUserAction",
        "twitterUserAction",
        "enabledProviders",
        "disabledProviders",
        "shortURLs",
        "tags",
        "cid",
        "actionAttributes",
        "userLocation",
        "format",
        "callback",
        "httpStatusCodes",
    ]
    # the order is CALL_PARAMS' order
    assert [k for k in CALL_PARAMS if k in params] == list(params)
    assert params["userAction"] == (
        '{"userMessage":"Hello <b>world</b>","title":"A title","linkBack":"https://example.com/article",'
        '"subtitle":"Sub","description":"Desc","actionLinks":[{"title":"Read","href":"https://example.com/read"}],'
        '"mediaItems":[{"src":"https://example.com/a.png","href":"https://example.com/","type":"image"}]}'
    )
    assert params["twitterUserAction"] == '{"title":"Tweet title","linkBack":"https://example.com/t"}'
    assert params["facebookUserAction"] == '{"title":"FB title","linkBack":"https://example.com/f"}'
    assert params["enabledProviders"] == "facebook,twitter,linkedin"
    assert params["disabledProviders"] == "sina"
    assert params["shortURLs"] == "never"
    assert params["tags"] == "spring,launch"
    assert params["cid"] == "banner"
    assert params["actionAttributes"] == '{"section":"fashion","campaign":["a","b"]}'
    assert params["userLocation"] == '{"latitude":35.5,"longitude":-120,"placeID":"here"}'
    assert params["format"] == "jsonp"
    assert params["callback"] == "cb"
    assert params["httpStatusCodes"] == "true"
    assert all(isinstance(v, str) for v in params.values())


def test_to_params_is_stable_between_calls():
    call = full_call()
    first = call.to_params()
    second = call.copy().to_params()
    assert first == second
    assert list(first) == list(second)


def test_json_params_are_compact_and_serialized_once():
    params = full_call().to_params()
    for name in ("userAction", "twitterUserAction", "facebookUserAction", "actionAttributes", "userLocation"):
        value = params[name]
        assert ", " not in value and ": " not in value, f"{name} is not compact: {value}"
        parsed = json.loads(value)
        # serialized once: decoding gives the object, not another JSON string
        assert isinstance(parsed, dict), f"{name} was serialized twice"
        assert '\\"' not in value


def test_non_ascii_is_sent_as_text_not_escaped():
    call = PublishCall(UID="u", userAction=UserAction(title="Café 今日 🎉 مرحبا"))
    assert call.to_params()["userAction"] == '{"title":"Café 今日 🎉 مرحبا"}'


def test_empty_values_removed():
    call = PublishCall(
        UID="u",
        userAction=UserAction(
            title="T",
            subtitle="",
            actionLinks=[ActionLink("", ""), ActionLink("Go", "https://example.com/go")],
            mediaItems=[MediaItem("image", {}), MediaItem("image", {"src": "https://example.com/i.png", "href": ""})],
        ),
        overrides={"linkedin": UserAction()},  # an empty override is not sent
        enabledProviders=[],
        tags=[],
        actionAttributes={"a": "", "b": [], "c": [None, ""], "": "x"},
        userLocation=UserLocation(),
    )
    params = call.to_params()
    assert params == {
        "UID": "u",
        "userAction": '{"title":"T","actionLinks":[{"title":"Go","href":"https://example.com/go"}],'
        '"mediaItems":[{"src":"https://example.com/i.png","type":"image"}]}',
        "format": "json",
    }


def test_format_json_always_sent():
    assert PublishCall().to_params() == {"format": "json"}
    call = PublishCall(UID="u", userAction=UserAction(title="T"), format="")
    assert call.to_params()["format"] == "json"
    assert PublishCall.from_params({"UID": "u", "format": ""}).to_params()["format"] == "json"
    assert PublishCall.from_params({"UID": "u"}).to_params()["format"] == "json"


def test_http_status_codes_false_is_sent_and_none_is_not():
    call = PublishCall(UID="u", userAction=UserAction(title="T"), httpStatusCodes=False)
    assert call.to_params()["httpStatusCodes"] == "false"
    call.httpStatusCodes = None
    assert "httpStatusCodes" not in call.to_params()


def test_from_params_round_trip():
    call = full_call()
    again = PublishCall.from_params(call.to_params())
    assert again == call
    assert again.to_params() == call.to_params()


def test_from_params_accepts_parsed_objects():
    call = full_call()
    params = {k: (json.loads(v) if v.startswith("{") else v) for k, v in call.to_params().items()}
    assert isinstance(params["userAction"], dict)
    assert PublishCall.from_params(params) == call


def test_from_params_bad_json_string_raises_model_error_with_field():
    with pytest.raises(ModelError) as info:
        PublishCall.from_params({"userAction": '{"title": '})
    assert info.value.field == "userAction"
    assert "not valid JSON" in info.value.message
    assert "line 1, column 11" in info.value.message
    with pytest.raises(ModelError) as info:
        PublishCall.from_params({"httpStatusCodes": "maybe"})
    assert info.value.field == "httpStatusCodes"


# --- overrides --------------------------------------------------------------------------------


def test_override_used_for_that_provider_only():
    call = full_call()
    assert call.content_for("twitter").title == "Tweet title"
    assert call.content_for("facebook").title == "FB title"
    for provider in ("linkedin", "vkontakte", "renren", "sina"):
        assert call.content_for(provider) is call.userAction
    params = call.to_params()
    assert "linkedinUserAction" not in params
    assert json.loads(params["twitterUserAction"]) == {"title": "Tweet title", "linkBack": "https://example.com/t"}


def test_override_loaded_from_draft_key():
    call = PublishCall.from_params(
        {"UID": "u", "userAction": {"title": "Default"}, "linkedinUserAction": '{"title":"Pro"}', "sinaUserAction": {"title": "微博"}}
    )
    assert set(call.overrides) == {"linkedin", "sina"}
    assert call.content_for("linkedin").title == "Pro"
    assert call.content_for("sina").title == "微博"
    assert call.content_for("facebook").title == "Default"
    # a *UserAction key for an unknown provider is not an override
    call = PublishCall.from_params({"myspaceUserAction": {"title": "x"}})
    assert call.overrides == {}
    assert call.extra == {"myspaceUserAction": {"title": "x"}}


# --- drafts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Café crème, naïve façade",
        "新しいアプリが登場しました",
        "🎉👨‍👩‍👧‍👦🇵🇹 emoji",
        "متاح الآن \u200fמוצר חדש",
        'quotes " and \\ backslash\nnew line\ttab',
    ],
)
def test_draft_round_trip_text(tmp_path, text):
    call = full_call()
    call.userAction.title = text
    call.userAction.userMessage = text
    call.overrides["twitter"].title = text
    call.tags = [text.split()[0], "x"]
    call.userLocation.placeID = text
    path = tmp_path / "d.json"
    save_draft(path, call)
    loaded = load_draft(path)
    assert loaded.call == call
    assert loaded.notes == []
    # written as UTF-8 text, not as \u escapes
    raw = path.read_bytes().decode("utf-8")
    assert text.split()[0] in raw


def test_draft_round_trip_of_sample_drafts(tmp_path):
    folder = REPO / "resources" / "drafts"
    names = sorted(p.name for p in folder.glob("*.json"))
    assert names == ["multilingual.json", "partial-failure.json", "product-launch.json"]
    for name in names:
        original = load_draft(folder / name)
        assert original.notes == []
        out = tmp_path / name
        save_draft(out, original.call)
        assert load_draft(out).call == original.call


def test_draft_writes_objects_and_lists():
    text = dump_draft(full_call())
    data = json.loads(text)
    assert isinstance(data["userAction"], dict)
    assert isinstance(data["twitterUserAction"], dict)
    assert data["enabledProviders"] == ["facebook", "twitter", "linkedin"]
    assert data["tags"] == ["spring", "launch"]
    assert data["actionAttributes"] == {"section": "fashion", "campaign": ["a", "b"]}
    assert data["userLocation"] == {"latitude": 35.5, "longitude": -120, "placeID": "here"}
    assert data["format"] == "jsonp"
    assert data["httpStatusCodes"] is True


def test_draft_accepts_json_string_params():
    draft = parse_draft(
        json.dumps(
            {
                "UID": "u",
                "userAction": json.dumps({"title": "T", "linkBack": LINK, "mediaItems": [{"type": "image", "src": LINK}]}),
                "twitterUserAction": '{"title":"tw"}',
                "actionAttributes": '{"k":["v1","v2"]}',
                "userLocation": '{"latitude":1.5,"longitude":2}',
            }
        )
    )
    call = draft.call
    assert call.userAction.title == "T"
    assert call.userAction.linkBack == LINK
    assert call.userAction.mediaItems == [MediaItem("image", {"src": LINK})]
    assert call.overrides["twitter"].title == "tw"
    assert call.actionAttributes == {"k": ["v1", "v2"]}
    assert call.userLocation == UserLocation(latitude="1.5", longitude="2")
    # nested JSON strings inside the UserAction are accepted too
    ua = UserAction.from_json({"actionLinks": '[{"title":"a","href":"https://example.com/"}]'})
    assert ua.actionLinks == [ActionLink("a", "https://example.com/")]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("facebook,twitter", ["facebook", "twitter"]),
        (" facebook , twitter ,, ", ["facebook", "twitter"]),
        (["facebook", " twitter "], ["facebook", "twitter"]),
        (["facebook", ""], ["facebook"]),
    ],
)
def test_provider_lists_as_comma_string_or_list(value, expected):
    call = parse_draft(json.dumps({"UID": "u", "enabledProviders": value, "disabledProviders": value, "tags": value})).call
    assert call.enabledProviders == expected
    assert call.disabledProviders == expected
    assert call.tags == expected
    assert call.to_params()["enabledProviders"] == ",".join(expected)


def test_empty_enabled_providers_means_not_sent():
    call = parse_draft('{"UID": "u", "enabledProviders": ""}').call
    assert call.enabledProviders is None
    assert "enabledProviders" not in call.to_params()


def test_unknown_keys_kept_written_back_and_warned(tmp_path):
    draft = parse_draft(json.dumps({"UID": "u", "userAction": {"title": "T", "mood": "happy"}, "campaignNote": {"a": 1}}))
    call = draft.call
    assert call.extra == {"campaignNote": {"a": 1}}
    assert call.userAction.extra == {"mood": "happy"}
    path = tmp_path / "d.json"
    save_draft(path, call)
    data = json.loads(path.read_text("utf-8"))
    assert data["campaignNote"] == {"a": 1}
    assert data["userAction"]["mood"] == "happy"
    assert load_draft(path).call == call
    problems = validate(call)
    by_field = {p.field: p for p in problems}
    assert by_field["campaignNote"].severity is Severity.WARNING
    assert "not a parameter" in by_field["campaignNote"].message
    assert by_field["userAction.mood"].severity is Severity.WARNING
    assert [p for p in problems if p.severity is Severity.ERROR] == []
    # the unknown draft key is not sent; the unknown UserAction key is sent on unchanged
    params = call.to_params()
    assert "campaignNote" not in params
    assert json.loads(params["userAction"]) == {"title": "T", "mood": "happy"}


@pytest.mark.parametrize("key", ["apiKey", "secret", "userKey", "sig", "timestamp", "nonce", "oauth_token"])
def test_credentials_dropped_from_drafts_with_warning(tmp_path, key):
    source = tmp_path / "with-creds.json"
    source.write_text(json.dumps({"UID": "u", "userAction": {"title": "T"}, key: "TOPSECRET-value=="}), "utf-8")
    draft = load_draft(source)
    assert key not in draft.call.extra
    assert [(n.severity, n.field) for n in draft.notes] == [(Severity.WARNING, key)]
    assert "credentials" in draft.notes[0].message
    out = tmp_path / "saved.json"
    save_draft(out, draft.call)
    assert "TOPSECRET" not in out.read_text("utf-8")
    assert key not in json.loads(out.read_text("utf-8"))


def test_save_draft_never_writes_credentials_even_if_put_in_extra(tmp_path):
    call = PublishCall(UID="u", userAction=UserAction(title="T"))
    call.extra.update(secret="TOPSECRET==", apiKey="3_KEY", userKey="UK", keep="me")
    out = tmp_path / "d.json"
    save_draft(out, call)
    data = json.loads(out.read_text("utf-8"))
    assert data == {"UID": "u", "userAction": {"title": "T"}, "keep": "me"}
    assert "TOPSECRET" not in out.read_text("utf-8")
    assert "secret" not in call.to_params()
    assert "apiKey" not in call.to_params()
    # and validation says so
    problems = {p.field: p for p in validate(call)}
    assert problems["secret"].severity is Severity.WARNING
    assert "credentials" in problems["secret"].message
