"""Reading a page's og: and twitter: tags."""

from __future__ import annotations

from composer.core.pages.fetch import fetch_page
from composer.core.pages.reader import VALUE_MAX, read_tags
from composer.core.pages.tags import PageTags
from tests.helpers.stubs import FaultyServer, Reply

PAGE = "https://shop.example.org/articles/spring?ref=1"


def test_og_and_twitter_tags_are_read_and_urls_made_absolute():
    html = """<html><head><title> Spring
      sale </title>
      <meta property="og:title" content="Spring &amp; summer">
      <meta property="OG:Image" content="/img/a.jpg">
      <meta name="twitter:card" content="summary_large_image">
      <meta property="twitter:image" content="//cdn.example.org/b.png">
      <meta name="description" content="not a card tag">
      <meta property="og:title" content="second og:title is ignored">
    </head><body><script>document.write('<meta property="og:description" content="x">')</script></body></html>"""
    tags = read_tags(html, PAGE)
    assert tags.title == "Spring sale"
    assert tags.get("og:title") == "Spring & summer"
    assert tags.get("og:image") == "https://shop.example.org/img/a.jpg"
    assert tags.get("twitter:card") == "summary_large_image"
    assert tags.get("twitter:image") == "https://cdn.example.org/b.png"
    assert tags.get("og:description") == ""  # a script's text is never read as markup
    assert "description" not in tags.tags


def test_base_href_and_unsafe_image_urls():
    html = '<base href="https://static.example.org/root/"><meta property="og:image" content="pic.png">'
    assert read_tags(html, PAGE).get("og:image") == "https://static.example.org/root/pic.png"
    for bad in ("javascript:alert(1)", "data:image/png;base64,AAAA", "file:///etc/passwd"):
        assert read_tags(f'<meta property="og:image" content="{bad}">', PAGE).get("og:image") == ""


def test_broken_or_huge_markup_never_raises():
    assert read_tags("<meta property='og:title' content='unterminated", PAGE).get("og:title") == ""
    huge = read_tags(f'<meta property="og:title" content="{"x" * (VALUE_MAX * 3)}">', PAGE)
    assert len(huge.get("og:title")) == VALUE_MAX
    assert read_tags("\x00<<<>>></meta><meta", PAGE) == PageTags(PAGE, {}, "")


def test_tags_survive_the_json_cache_and_bad_json_is_none():
    tags = read_tags('<title>T</title><meta property="og:title" content="A">', PAGE)
    assert PageTags.from_json(tags.to_json()) == tags
    assert PageTags.from_json({"url": 1}) is None
    assert PageTags.from_json([]) is None


#: what a hostile page puts in its tags: clear the screen, retitle the terminal, turn it red, a NUL,
#: DEL and a C1 control (CSI, 0x9b)
HOSTILE = "Hello\x1b[2J\x1b]0;PWNED\x07\x1b[31mRED\x00\x7f\x9b1m"
CONTROL_CHARACTERS = {*map(chr, range(0x00, 0x09)), *map(chr, range(0x0B, 0x20)), *map(chr, range(0x7F, 0xA0))}


def test_a_page_read_over_http_never_brings_control_characters():
    html = (
        f"<html><head><title>{HOSTILE}</title><meta property='og:title' content='{HOSTILE}'>"
        f"<meta property='og:description' content='line one\nline two\ttabbed{HOSTILE}'>"
        f"<meta property='og:image' content='/a\x1b[31m.png'><meta name='twitter:card' content='\x1b\x07'></head></html>"
    )
    with FaultyServer([Reply(200, html, "text/html; charset=utf-8")]) as server:
        result = fetch_page(server.url + "/page")

    tags = result.tags
    for text in (tags.title, *tags.tags, *tags.tags.values()):
        assert not CONTROL_CHARACTERS & set(text), repr(text)
    assert tags.get("og:title") == "Hello[2J]0;PWNED[31mRED1m"
    assert tags.get("og:description") == "line one\nline two\ttabbedHello[2J]0;PWNED[31mRED1m"  # tab and newline are text
    assert tags.get("og:image") == server.url + "/a[31m.png"
    assert "twitter:card" not in tags.tags  # nothing but control characters: no value at all


def test_tags_cached_before_with_control_characters_come_back_without_them():
    cached = PageTags.from_json({"url": PAGE, "tags": {"og:title": HOSTILE}, "title": HOSTILE})
    assert cached.get("og:title") == cached.title == "Hello[2J]0;PWNED[31mRED1m"
