"""Reading a page's ``og:`` and ``twitter:`` tags with the standard library's HTML parser.

Open Graph tags are ``<meta property="og:...">`` (https://ogp.me/); Twitter's are
``<meta name="twitter:...">``, and Twitter also reads them from ``property`` (both are common).
The page is never rendered and no script runs: only ``<meta>``, ``<title>`` and ``<base>`` are read.
"""

from __future__ import annotations

from html.parser import HTMLParser

from composer.core.pages.tags import PageTags, absolute_url

#: the tags whose values are URLs, made absolute against the page's address
_URL_TAGS = frozenset({"og:image", "og:image:url", "og:image:secure_url", "og:url", "twitter:image", "twitter:image:src"})

#: Our choice: a tag value longer than this is cut; no network shows more of a title or a
#: description, and a hostile page cannot make the card hold megabytes.
VALUE_MAX = 2000


class _TagReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, str] = {}
        self.title_parts: list[str] = []
        self.base = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "meta":
            name = (values.get("property") or values.get("name") or "").strip().lower()
            if name.startswith(("og:", "twitter:")) and name not in self.tags:
                self.tags[name] = values.get("content", "").strip()[:VALUE_MAX]
        elif tag == "title":
            self._in_title = True
        elif tag == "base" and not self.base:
            self.base = values.get("href", "").strip()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)


def read_tags(html: str, page_url: str) -> PageTags:
    """The tags of ``html``, the page found at ``page_url`` (after redirects)."""
    reader = _TagReader()
    try:
        reader.feed(html)
        reader.close()
    except (AssertionError, ValueError):  # the parser gives up on some broken markup: keep what it read
        pass
    base = absolute_url(reader.base, page_url) or page_url if reader.base else page_url
    tags = {name: (absolute_url(value, base) if name in _URL_TAGS else value) for name, value in reader.tags.items()}
    title = " ".join("".join(reader.title_parts).split())[:VALUE_MAX]
    return PageTags(page_url, {k: v for k, v in tags.items() if v}, title)
