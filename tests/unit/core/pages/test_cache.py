"""The disk cache of pages and images read from the web: an entry read back while fresh, a failure
never kept, and stale entries removed once a run in each cache folder."""

from __future__ import annotations

import os
import time

from composer.core.fingerprint import fingerprint
from composer.core.pages import cache
from composer.core.pages.fetch import fetch_page
from composer.core.pages.tags import PageResult, PageTags
from tests.helpers.stubs import FaultyServer, Reply

PAGE = '<html><head><meta property="og:title" content="Hello"></head></html>'


def test_pages_are_cached_on_disk_when_read(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPOSER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COMPOSER_DATA_DIR", str(tmp_path / "data"))
    with FaultyServer([Reply(200, PAGE, "text/html")]) as server:
        url = server.url + "/p"
        assert cache.cached_page(url) is None
        cache.store_page(fetch_page(url))
    assert cache.cached_page(url).tags.get("og:title") == "Hello"  # the server is gone
    cache.store_page(fetch_page(url))  # a failure does not replace what was read
    assert cache.cached_page(url).tags.get("og:title") == "Hello"
    # kept in the cache folder, which can be emptied without losing anything of the user's
    assert len(list((tmp_path / "cache" / "pages").iterdir())) == 1 and not (tmp_path / "data").exists()


def test_entries_past_their_time_are_removed_when_the_first_new_one_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPOSER_CACHE_DIR", str(tmp_path / "cache"))
    pages, images = tmp_path / "cache" / "pages", tmp_path / "cache" / "images"
    for folder in (pages, images):
        folder.mkdir(parents=True)
        (folder / "stale").write_text("{}")
        (folder / "fresh").write_text("{}")
        (folder / "a folder").mkdir()
    day_ago = time.time() - cache.IMAGE_TTL_S - 60
    for folder in (pages, images):
        os.utime(folder / "stale", (day_ago, day_ago))
        os.utime(folder / "a folder", (day_ago, day_ago))
    hour_ago = time.time() - cache.PAGE_TTL_S - 60
    os.utime(images / "fresh", (hour_ago, hour_ago))  # stale as a page would be, fresh as an image

    cache.store_page(PageResult("https://example.com/", tags=PageTags("https://example.com/", {"og:title": "Hello"})))
    assert {p.name for p in pages.iterdir()} == {"a folder", "fresh", f"{fingerprint('https://example.com/'):027x}"}
    assert {p.name for p in images.iterdir()} == {"a folder", "fresh", "stale"}  # not written to yet

    cache.store_image("https://example.com/a.png", b"png")
    assert {p.name for p in images.iterdir()} == {"a folder", "fresh", f"{fingerprint('https://example.com/a.png'):027x}"}
    (pages / "stale").write_text("{}")
    os.utime(pages / "stale", (day_ago, day_ago))
    cache.store_page(PageResult("https://example.com/b", tags=PageTags("https://example.com/b", {"og:title": "B"})))
    assert (pages / "stale").exists()  # once a run is enough: entries go stale by the hour


def _page(url: str) -> PageResult:
    return PageResult(url, tags=PageTags(url, {"og:title": "T"}))


def test_a_cache_folder_named_later_in_the_run_is_pruned_too(tmp_path, monkeypatch):
    """Pruning is once a run for each folder: after COMPOSER_CACHE_DIR changes, the new folder's
    stale entries go with its first new entry, as the first folder's did."""
    day_ago = time.time() - cache.IMAGE_TTL_S - 60
    for name in ("first", "second"):
        (tmp_path / name / "pages").mkdir(parents=True)
        (tmp_path / name / "pages" / "stale").write_text("{}")
        os.utime(tmp_path / name / "pages" / "stale", (day_ago, day_ago))
    monkeypatch.setenv("COMPOSER_CACHE_DIR", str(tmp_path / "first"))
    cache.store_page(_page("https://example.com/1"))
    assert not (tmp_path / "first" / "pages" / "stale").exists()
    monkeypatch.setenv("COMPOSER_CACHE_DIR", str(tmp_path / "second"))
    cache.store_page(_page("https://example.com/2"))
    assert not (tmp_path / "second" / "pages" / "stale").exists()
