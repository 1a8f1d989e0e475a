"""``composer preview``: what each network would receive and show, as JSON or text, and the exit
code its problems give."""

from __future__ import annotations

import json

import pytest

from composer.core.contract import PROVIDER_LABELS, PROVIDERS
from tests.helpers.environment import REPO

PRODUCT_LAUNCH = REPO / "resources" / "drafts" / "product-launch.json"


def test_cli_preview_json(capsys):
    from composer.cli import main

    code = main(["preview", str(PRODUCT_LAUNCH), "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    assert err == ""
    data = json.loads(out)  # exactly one JSON document
    assert set(data) == {"providers", "problems"}
    assert data["problems"] == []
    providers = {p["provider"]: p for p in data["providers"]}
    assert list(providers) == list(PROVIDERS)
    for p in data["providers"]:
        assert {"provider", "attempted", "text"} <= set(p)
        assert isinstance(p["text"], str)
    assert providers["renren"]["attempted"] is False
    assert providers["renren"]["reason"] == "not attempted: listed in disabledProviders"
    assert all(providers[n]["attempted"] for n in ("facebook", "twitter", "linkedin", "vkontakte", "sina"))
    twitter = providers["twitter"]
    title = "Spring collection 2026 is live: free shipping until Sunday"
    assert twitter["text"] == f"{title} https://example.com/spring-2026?utm_source=twitter"
    assert twitter["weightedLength"] == len(title) + 1 + 23
    assert twitter["limit"] == 280
    assert twitter["overridden"] is True
    assert "weightedLength" not in providers["facebook"]
    assert providers["facebook"]["text"].startswith("Our spring collection is here. Free shipping until Sunday!\n")
    assert providers["facebook"]["sent"]["mediaItems"] == [
        {"src": "https://example.com/img/spring.jpg", "href": "https://example.com/spring-2026", "type": "image"}
    ]


def test_cli_preview_text(capsys):
    from composer.cli import main

    code = main(["preview", str(PRODUCT_LAUNCH)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "== Twitter (twitter): attempted (if the user is connected); own content" in out
    assert "== Renren (renren): not attempted: listed in disabledProviders" in out
    assert f"   length: {58 + 24}/280 weighted (fits; {280 - 82} left)" in out
    assert out.rstrip().endswith("No problems.")


def test_cli_preview_error_exits_1(tmp_path, capsys):
    from composer.cli import main

    draft = json.loads(PRODUCT_LAUNCH.read_text("utf-8"))
    draft["cid"] = "c" * 101
    draft["userAction"]["linkBack"] = "example.com/no-scheme"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(draft), "utf-8")
    code = main(["preview", str(path), "--json"])
    out, _ = capsys.readouterr()
    assert code == 1
    data = json.loads(out)
    assert [(p["severity"], p["field"]) for p in data["problems"]] == [("error", "userAction.linkBack"), ("error", "cid")]
    assert len(data["providers"]) == 6


def test_cli_preview_warnings_only_exit_0(tmp_path, capsys):
    from composer.cli import main

    path = tmp_path / "warn.json"
    path.write_text(json.dumps({"UID": "u", "userAction": {"title": "T", "linkBack": "https://other.org/"}, "apiKey": "3_x"}), "utf-8")
    code = main(["preview", str(path), "--json", "--approved-domain", "example.com"])
    out, _ = capsys.readouterr()
    assert code == 0
    problems = json.loads(out)["problems"]
    assert [(p["severity"], p["field"]) for p in problems] == [("warning", "apiKey"), ("warning", "userAction.linkBack")]
    assert "3_x" not in out


# Issue 16: parameters given as JSON strings are read with the draft file's own limits, and a value
# past one is refused with exit 2 and a message naming the parameter, never a traceback.
ISSUE_16_CASES = {
    "nested-1100-deep": ({"actionAttributes": '{"a": ' + "[" * 1100 + "]" * 1100 + "}"}, "actionAttributes is nested too deeply"),
    "integer-of-4300-digits": ({"actionAttributes": '{"a": ' + "9" * 4300 + "}"}, "actionAttributes holds a number beyond the range of a double"),
    "override-nested-1100-deep": ({"twitterUserAction": '{"title": "t", "x": ' + "[" * 1100 + "]" * 1100 + "}"}, "twitterUserAction is nested too deeply"),
    "unknown-key-500-deep": ({"userAction": {"title": "t", "custom": json.loads('{"k":' * 500 + "1" + "}" * 500)}}, "is nested too deeply"),
}


def test_issue_16_cases_exit_2_naming_the_parameter(tmp_path, capsys):
    from composer.cli import main

    for name, (params, expected) in ISSUE_16_CASES.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({"UID": "u", **params}), "utf-8")
        code = main(["preview", str(path)])
        out, err = capsys.readouterr()
        assert (code, out) == (2, ""), name
        assert err.startswith(f"composer: {path}") and expected in err, err
        assert "Traceback" not in err and err.count("\n") == 1


def test_cli_preview_fetch_adds_each_network_card_and_page_warnings(capsys):
    from composer.cli import main

    code = main(["preview", str(PRODUCT_LAUNCH), "--json", "--fetch"])
    out, _ = capsys.readouterr()
    assert code == 0
    data = json.loads(out)
    providers = {p["provider"]: p for p in data["providers"]}
    facebook = providers["facebook"]["card"]
    assert facebook == {
        "title": "Spring collection 2026: lighter, brighter, made to last",
        "description": "Forty new pieces in linen and recycled cotton, designed in Lisbon.",
        "image": "https://example.com/img/spring.jpg",
        "site": "Example Store",
        "source": "page",
    }
    assert providers["twitter"]["card"]["source"] == "page"
    assert data["problems"] == []  # the demo page agrees with the sample


def test_cli_preview_fetch_warns_about_a_page_that_disagrees(capsys):
    from composer.cli import main

    code = main(["preview", str(REPO / "resources" / "drafts" / "multilingual.json"), "--json", "--fetch"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0  # warnings only
    messages = {p["message"] for p in data["problems"]}
    assert any("og:title" in m and "(Facebook, VKontakte, Sina Weibo)" in m for m in messages)
    assert any("no twitter:card" in m for m in messages)
    assert {p["severity"] for p in data["problems"]} == {"warning"}


def test_cli_preview_fetch_with_an_unreachable_page_is_a_quiet_note(tmp_path, capsys):
    from tests.helpers.stubs import refused_port

    sock, port = refused_port()
    draft = tmp_path / "d.json"
    draft.write_text(json.dumps({"UID": "u", "userAction": {"title": "T", "linkBack": f"http://127.0.0.1:{port}/x"}}))
    try:
        from composer.cli import main

        code = main(["preview", str(draft), "--json", "--fetch"])
    finally:
        sock.close()
    data = json.loads(capsys.readouterr().out)
    facebook = next(p for p in data["providers"] if p["provider"] == "facebook")
    assert code == 0
    assert facebook["card"]["source"] == "userAction"
    assert any("could not be read" in n for n in facebook["notes"])
    assert data["problems"] == []


def _draft(tmp_path, disabled=(), **user_action) -> str:
    path = tmp_path / "draft.json"
    draft = {"UID": "u", "userAction": user_action, "shortURLs": "never", "disabledProviders": list(disabled)}
    path.write_text(json.dumps(draft), encoding="utf-8")
    return str(path)


def test_cli_preview_json_gives_every_provider_its_length_and_limit(tmp_path, capsys):
    from composer.cli import main

    assert main(["preview", _draft(tmp_path, userMessage="Hello", title="Title", linkBack="https://example.com/a"), "--json"]) == 0
    providers = {p["provider"]: p for p in json.loads(capsys.readouterr().out)["providers"]}
    assert {name: (p["length"], p["limit"]) for name, p in providers.items()} == {
        "facebook": (5, 63_206),
        "twitter": (5 + 1 + 23, 280),
        "linkedin": (5, 3_000),
        "vkontakte": (5, None),
        "renren": (5, None),
        # "Hello\nTitle\nhttps://example.com/a": two Latin characters make one, a link weighs 10
        "sina": ((5 + 1 + 5 + 1 + 1) // 2 + 10, 140),
    }
    assert providers["twitter"]["weightedLength"] == providers["twitter"]["length"]
    assert providers["facebook"]["link"] == {"original": "https://example.com/a", "posted": "https://example.com/a"}


def test_cli_preview_exits_1_for_a_tweet_over_280(tmp_path, capsys):
    from composer.cli import main

    for length, code in ((279, 0), (280, 0), (281, 1)):
        assert main(["preview", _draft(tmp_path, ["sina"], title="t" * length), "--json"]) == code
        data = json.loads(capsys.readouterr().out)
        errors = [p for p in data["problems"] if p["severity"] == "error"]
        assert [(p["field"], p["message"].split(" takes")[0]) for p in errors] == ([("userAction.title", "Twitter")] if code else [])
    assert main(["preview", _draft(tmp_path, ["sina"], title="t" * 281)]) == 1
    out = capsys.readouterr().out
    assert "length: 281/280 weighted (1 over)\n" in out
    assert "error: userAction.title: Twitter takes a tweet of at most 280 characters" in out
    assert "length: 0 (no documented limit) of its message" in out  # VKontakte


def test_cli_preview_shows_the_short_link(tmp_path, capsys):
    from composer.cli import main
    from composer.core.call.networks import short_code

    path = tmp_path / "short.json"
    path.write_text(json.dumps({"UID": "u", "userAction": {"title": "T", "linkBack": "https://example.com/a"}}), encoding="utf-8")
    assert main(["preview", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"link:  http://fw.to/{short_code('https://example.com/a')} (shortened from https://example.com/a)" in out


@pytest.mark.parametrize(
    ("provider", "field", "unit", "limit"),
    [("facebook", "userMessage", "a", 63_206), ("linkedin", "userMessage", "a", 3_000), ("sina", "userMessage", "微", 140), ("twitter", "title", "t", 280)],
)
def test_cli_preview_exits_1_for_each_network_over_its_limit(tmp_path, capsys, provider, field, unit, limit):
    from composer.cli import main

    others = [name for name in PROVIDERS if name != provider]
    for length, code in ((limit - 1, 0), (limit, 0), (limit + 1, 1)):
        assert main(["preview", _draft(tmp_path, others, **{field: unit * length}), "--json"]) == code
        data = json.loads(capsys.readouterr().out)
        (shown,) = [p for p in data["providers"] if p["provider"] == provider]
        assert (shown["length"], shown["limit"]) == (length, limit)
        errors = [(p["field"], p["message"]) for p in data["problems"] if p["severity"] == "error"]
        if code:
            ((path, message),) = errors
            assert path == f"userAction.{field}" and message.startswith(PROVIDER_LABELS[provider]) and str(limit) in message
        else:
            assert errors == []


def test_cli_preview_links_under_each_short_urls_mode(tmp_path, capsys):
    from composer.cli import main
    from composer.core.call.networks import SHORTEN_LONGER_THAN, short_code

    short, long = "https://example.com/a", "https://example.com/" + "p" * (SHORTEN_LONGER_THAN + 1 - len("https://example.com/"))
    cases = [("always", short, True), ("whenRequired", short, False), ("whenRequired", long, True), ("never", long, False)]
    for mode, url, shortened in cases:
        path = tmp_path / "modes.json"
        path.write_text(json.dumps({"UID": "u", "userAction": {"title": "T", "linkBack": url}, "shortURLs": mode}), encoding="utf-8")
        assert main(["preview", str(path), "--json"]) == 0
        providers = {p["provider"]: p for p in json.loads(capsys.readouterr().out)["providers"]}
        posted = f"http://fw.to/{short_code(url)}" if shortened else url
        for name in PROVIDERS:
            assert providers[name]["link"] == {"original": url, "posted": posted}, (mode, name)
        assert providers["twitter"]["text"] == f"T {posted}"
        # Twitter weighs any link 23, Weibo any link up to 140 bytes 10, shortened or not
        assert (providers["twitter"]["length"], providers["sina"]["length"]) == (1 + 1 + 23, (1 + 1 + 20) // 2)


def test_cli_preview_fetch_checks_each_image_format_and_file_size(tmp_path, capsys):
    from composer.cli import main
    from tests.helpers.stubs import FaultyServer, Reply

    bitmap = b"BM" + bytes(6 * 1024 * 1024)  # a BMP file's signature, then 6 MB
    with FaultyServer([Reply(200, bitmap, "application/octet-stream")]) as server:
        draft = _draft(tmp_path, title="T", linkBack="https://example.com/", mediaItems=[{"type": "image", "src": server.url + "/big"}])
        code = main(["preview", draft, "--json", "--fetch"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["images"] == [{"url": server.url + "/big", "format": "bmp", "bytes": len(bitmap), "note": ""}]
    errors = {p["message"] for p in data["problems"] if p["severity"] == "error" and p["field"] == "userAction.mediaItems[0].src"}
    assert any("Sina Weibo takes jpg, gif, png images, not bmp" in m for m in errors), errors
    assert any("Sina Weibo takes images up to 5,242,880 bytes (5 MB); this one is 6,291,458 bytes" in m for m in errors), errors
    assert not any("Twitter" in m for m in errors), errors  # Twitter posts no media item


def test_cli_preview_fetch_says_pixel_sizes_are_left_to_the_window(capsys):
    from composer.cli import main

    main(["preview", str(PRODUCT_LAUNCH), "--fetch"])
    out = capsys.readouterr().out
    assert "Images (1; format and file size checked, pixel size only in the window):" in out
    assert "https://example.com/img/spring.jpg: jpeg, 25,474 bytes" in out


def test_cli_preview_fetch_says_an_image_past_the_cap_is_larger_than_the_cap(tmp_path, capsys):
    from composer.cli import main
    from composer.core.pages.fetch import IMAGE_MAX_BYTES
    from tests.helpers.stubs import FaultyServer, Reply

    bitmap = b"BM" + bytes(IMAGE_MAX_BYTES)  # read up to the cap, no further
    with FaultyServer([Reply(200, bitmap, "image/bmp")]) as server:
        draft = _draft(tmp_path, title="T", linkBack="https://example.com/", mediaItems=[{"type": "image", "src": server.url + "/huge"}])
        code = main(["preview", draft, "--json", "--fetch"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["images"] == [{"url": server.url + "/huge", "format": "bmp", "bytes": None, "note": "the image is larger than 16 MB"}]
    errors = {p["message"] for p in data["problems"] if p["severity"] == "error" and p["field"] == "userAction.mediaItems[0].src"}
    assert any("Sina Weibo takes images up to 5,242,880 bytes (5 MB); this one is larger than 16,777,216 bytes" in m for m in errors), errors
