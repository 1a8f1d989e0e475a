"""Demo pages with link-card tags, and their images, for the sample drafts.

The sample drafts link to ``example.com``; the preview reads such links from here (see
``composer/core/pages/fetch.py``), so their cards show with no internet.  ``GET /demo/<path>``
answers the page or image that ``https://example.com/<path>`` stands for.  The pages show the
cases a user meets: every tag present and agreeing with the draft, a page without ``twitter:card``
whose title differs, and a page with no tags at all.
"""

from __future__ import annotations

from html import escape
from urllib.parse import unquote

from composer.resources import files
from composer.sandbox.builtin import DEMO_PREFIX as PREFIX
from composer.sandbox.rendering import Reply


def _page(title: str, tags: dict[str, str]) -> bytes:
    metas = "\n".join(
        f'    <meta {"name" if name.startswith("twitter:") else "property"}="{escape(name)}" content="{escape(value)}">'
        for name, value in tags.items()
    )
    return (
        "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\">\n"
        f"    <title>{escape(title)}</title>\n{metas}\n  </head>\n"
        f"  <body><h1>{escape(title)}</h1><p>A demo page of the composer sandbox.</p></body>\n</html>\n"
    ).encode("utf-8")


#: path under example.com -> the page's <title> and its tags
PAGES: dict[str, tuple[str, dict[str, str]]] = {
    "/spring-2026": (
        "Spring collection 2026",
        {
            "og:type": "website",
            "og:site_name": "Example Store",
            "og:title": "Spring collection 2026: lighter, brighter, made to last",
            "og:description": "Forty new pieces in linen and recycled cotton, designed in Lisbon.",
            "og:image": "/img/spring.jpg",
            "og:url": "https://example.com/spring-2026",
            "twitter:card": "summary_large_image",
            "twitter:site": "@example",
        },
    ),
    "/launch/世界": (
        "The new app",
        {
            "og:type": "website",
            "og:site_name": "Example",
            "og:title": "新しいアプリ",
            "og:description": "Available now, in every language.",
            "og:image": "https://example.com/video/launch.jpg",
        },
    ),
    "/qa/partial": ("QA: partial failure", {}),
    "/shop": ("Example Store", {"og:title": "Example Store", "og:type": "website"}),
}

#: path under example.com -> the image file shipped in composer.resources/demo/
IMAGES: dict[str, str] = {
    "/img/spring.jpg": "spring.jpg",
    "/video/launch.jpg": "launch.jpg",
}


def demo_reply(path: str) -> Reply:
    """The answer to ``GET /demo/<path>``."""
    target = unquote(path[len(PREFIX):]) or "/"
    if target in PAGES:
        title, tags = PAGES[target]
        return Reply(200, _page(title, tags), "text/html; charset=utf-8")
    if target in IMAGES:
        return Reply(200, (files() / "demo" / IMAGES[target]).read_bytes(), "image/jpeg")
    return Reply(404, _page("Not found", {}), "text/html; charset=utf-8")
