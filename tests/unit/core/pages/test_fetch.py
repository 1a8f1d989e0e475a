"""Reading a page over HTTP: one GET, a deadline, a size cap, quiet notes for failures, and the
demo pages of the built-in sandbox for example.com."""

from __future__ import annotations

import time

import pytest

from composer.core.pages.fetch import FetchError, fetch_page, http_get
from tests.helpers.stubs import Drip, Endless, FaultyServer, Hang, Reply, http_head, refused_port

PAGE = '<html><head><meta property="og:title" content="Hello"><meta property="og:image" content="/a.png"></head></html>'


def test_a_page_is_read_with_one_get_and_nothing_else():
    with FaultyServer([Reply(200, PAGE, "text/html; charset=utf-8")]) as server:
        result = fetch_page(server.url + "/article")
    assert result.tags.get("og:title") == "Hello"
    assert result.tags.get("og:image") == server.url + "/a.png"
    assert [(r.method, r.path, r.body) for r in server.requests] == [("GET", "/article", b"")]
    assert "cookie" not in {k.lower() for k in server.requests[0].headers}


def test_failures_are_quiet_notes():
    sock, port = refused_port()
    try:
        assert "could not be read" in fetch_page(f"http://127.0.0.1:{port}/").note
    finally:
        sock.close()
    with FaultyServer([Reply(404, "gone", "text/html")]) as server:
        assert fetch_page(server.url).note == "The linked page could not be read: the server answered 404."
    with FaultyServer([Reply(200, b"\x89PNG", "image/png")]) as server:
        assert "not a web page" in fetch_page(server.url).note
    assert fetch_page("ftp://example.org/").note.endswith("not a web address.")
    assert fetch_page("not a url").tags is None


def test_the_deadline_bounds_a_slow_page():
    for action in (Hang(5), Drip(PAGE.encode() * 50, every=0.05, lead=http_head(200, {"Content-Type": "text/html"}))):
        with FaultyServer([action]) as server:
            started = time.monotonic()
            result = fetch_page(server.url, timeout=0.5)
            assert time.monotonic() - started < 2.5
            assert "could not be read" in result.note


def test_the_size_cap_bounds_an_endless_page():
    endless = Endless(http_head(200, {"Content-Type": "text/html"}) + PAGE.encode(), b"<p>more</p>" * 1000)
    with FaultyServer([endless]) as server:
        fetched = http_get(server.url, accept="text/html", timeout=5, max_bytes=200_000)
    assert fetched.truncated and len(fetched.body) == 200_000
    with FaultyServer([endless]) as server:
        assert fetch_page(server.url, max_bytes=200_000).tags.get("og:title") == "Hello"


def test_a_redirect_away_from_the_web_is_not_followed():
    with FaultyServer([Reply(302, b"", "text/html", headers={"Location": "file:///etc/passwd"})]) as server:
        with pytest.raises(FetchError):
            http_get(server.url, accept="text/html", timeout=2, max_bytes=1000)


def test_example_com_is_read_from_the_builtin_sandbox_demo_pages():
    result = fetch_page("https://example.com/spring-2026?utm_source=twitter")
    assert result.tags.get("twitter:card") == "summary_large_image"
    assert result.tags.get("og:image") == "https://example.com/img/spring.jpg"  # as the network sees it
    non_ascii = fetch_page("https://example.com/launch/世界")
    assert non_ascii.tags.get("og:title") == "新しいアプリ"
    assert fetch_page("https://example.com/no-such-page").note.endswith("answered 404.")
    image = http_get("https://example.com/img/spring.jpg", accept="image/*", timeout=5, max_bytes=10**6)
    assert image.content_type == "image/jpeg" and image.body[:2] == b"\xff\xd8"
