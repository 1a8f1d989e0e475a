"""What a page says about itself (its ``og:`` and ``twitter:`` tags) and what reading it gave,
as plain values; reader.py reads them from HTML, fetch.py from the web."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

#: The control characters (Unicode's category Cc: C0, DEL and C1,
#: https://www.unicode.org/reports/tr44/#General_Category_Values) but tab and line feed, which are
#: text.  A page is written by anyone: an escape sequence in its tags would clear a terminal, retitle
#: its window or colour what follows when the command line prints a card, and a NUL ends a C string.
_CONTROLS = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])


def without_controls(text: str) -> str:
    """``text`` with every control character but tab and line feed taken out."""
    return text.translate(_CONTROLS)


@dataclass(frozen=True)
class PageTags:
    """What a page says about itself: its ``og:`` and ``twitter:`` tags (first value of each,
    URLs absolute) and its ``<title>``, without control characters (:func:`without_controls`),
    however they were read (the page, or the cache of an earlier read)."""

    url: str
    tags: dict[str, str] = field(default_factory=dict)
    title: str = ""

    def __post_init__(self) -> None:
        clean = {without_controls(name): without_controls(value) for name, value in self.tags.items()}
        object.__setattr__(self, "tags", {name: value for name, value in clean.items() if value})
        object.__setattr__(self, "title", without_controls(self.title))

    def get(self, name: str) -> str:
        return self.tags.get(name, "")

    def to_json(self) -> dict[str, object]:
        return {"url": self.url, "tags": dict(self.tags), "title": self.title}

    @classmethod
    def from_json(cls, value: object) -> PageTags | None:
        if not isinstance(value, dict) or not isinstance(value.get("url"), str) or not isinstance(value.get("tags"), dict):
            return None
        tags = {str(k): str(v) for k, v in value["tags"].items() if isinstance(v, str)}
        title = value.get("title")
        return cls(value["url"], tags, title if isinstance(title, str) else "")


@lru_cache(maxsize=1024)  # asked again for the same images at every keystroke
def absolute_url(url: str, base: str) -> str:
    """``url`` made absolute against ``base``; "" for anything that is not http(s) then."""
    try:
        joined = urljoin(base, url.strip())
        parts = urlsplit(joined)
    except ValueError:
        return ""
    return joined if parts.scheme in ("http", "https") and parts.hostname else ""


def is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


@dataclass(frozen=True)
class PageResult:
    """The page behind a link: its tags, or why there are none (a quiet note, never an error)."""

    url: str
    tags: PageTags | None = None
    note: str = ""
