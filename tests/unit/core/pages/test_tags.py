"""Reading a page's og: and twitter: tags."""

from __future__ import annotations

from composer.core.pages.reader import VALUE_MAX, read_tags
from composer.core.pages.tags import PageTags

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
