"""The sandbox's URL shortener: it shortens the link back as Gigya's service does under
``shortURLs`` (:func:`composer.core.call.networks.will_shorten`), serves each short link
(``GET /s/<code>`` answers 302 to the original) and counts the clicks, which ``GET /sandbox/posts``
shows beside each post.

A short link carries the code the previews show (:func:`composer.core.call.networks.short_code`),
on the sandbox's own address instead of Gigya's host, so that following it works here.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from composer.core.call.model import UserAction
from composer.core.call.networks import SHORT_CODE_LENGTH, short_code, will_shorten

#: the path under which short links are served
SHORT_PATH = "/s/"


class Shortener:
    """Short links and their clicks, in memory.  Thread-safe."""

    def __init__(self, max_links: int):
        """Keep at most ``max_links`` links, the oldest forgotten first (the sandbox keeps as many
        as it keeps posts)."""
        self._max_links = max_links
        self._lock = threading.Lock()
        self._links: OrderedDict[str, str] = OrderedDict()
        self._clicks: dict[str, int] = {}

    def shorten(self, url: str, base: str) -> str:
        """The short link for ``url`` on ``base`` (the sandbox's scheme and host)."""
        url = url.strip()
        with self._lock:
            length = SHORT_CODE_LENGTH
            code = short_code(url, length)
            while self._links.get(code, url) != url:  # another link has this code: a longer one
                length += 1
                code = short_code(url, length)
            if code not in self._links:
                self._links[code] = url
                self._clicks[code] = 0
                while len(self._links) > self._max_links:
                    old, _ = self._links.popitem(last=False)
                    self._clicks.pop(old, None)
        return f"{base}{SHORT_PATH}{code}"

    def as_posted(self, action: UserAction, short_urls: str, base: str) -> UserAction:
        """``action`` as the network receives it: its link back shortened where Gigya would."""
        if not will_shorten(action.linkBack, short_urls):
            return action
        return dataclasses.replace(action, linkBack=self.shorten(action.linkBack, base))

    def follow(self, path: str) -> str | None:
        """The original URL of the short link at ``path`` (``/s/<code>``), counting the click; None
        for an unknown one."""
        code = path[len(SHORT_PATH):] if path.startswith(SHORT_PATH) else ""
        with self._lock:
            url = self._links.get(code)
            if url is not None:
                self._clicks[code] += 1
            return url

    def link_entry(self, original: str, posted: str) -> dict[str, Any] | None:
        """What a post record says of its link: as written, as posted, and the code to count by."""
        original = original.strip()
        if not original:
            return None
        code = posted.rsplit(SHORT_PATH, 1)[-1] if posted != original and SHORT_PATH in posted else None
        return {"original": original, "posted": posted, "shortened": code is not None, "code": code}

    def with_clicks(self, records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """``records`` with each shortened link's clicks so far."""
        out = list(records)
        with self._lock:
            for record in out:
                link = record.get("link")
                if link and link.get("code"):
                    link["clicks"] = self._clicks.get(link["code"], 0)
        return out
