"""What was read from the web, kept on disk for a while so a reopened draft shows its cards and
thumbnails without reading again.  One file per address, named by its fingerprint
(``core/fingerprint.py``), in the cache folder (``cache_dir()/<kind>/``: it can be read again, so
nothing is lost with it); written atomically, read back only if it is fresh and well formed.  An
entry past its time is never read again, so it is removed: once a run for each folder, when the
first new entry is written there."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from composer.core.fingerprint import fingerprint
from composer.core.pages.tags import PageResult, PageTags
from composer.core.storage import files
from composer.core.storage.files import atomic_write, unwritable_reason

#: Our choice: a page's tags change rarely while a share is being composed; an hour keeps the
#: preview close to what a network's crawler would read now.
PAGE_TTL_S = 60 * 60
#: Our choice: an image at an address rarely changes; a day.
IMAGE_TTL_S = 24 * 60 * 60
_TTL_S = {"pages": PAGE_TTL_S, "images": IMAGE_TTL_S}

#: the folders whose stale entries this run has removed (pages and images are read on workers); by
#: folder, not by kind, so one that ``COMPOSER_CACHE_DIR`` names later is pruned too
_pruned: set[Path] = set()
_pruning = threading.Lock()


def cache_dir(kind: str) -> Path:
    return files.cache_dir() / kind


def _path(kind: str, url: str) -> Path:
    return cache_dir(kind) / f"{fingerprint(url):027x}"


def _fresh(path: Path, ttl_s: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime < ttl_s
    except OSError:
        return False


def cached_page(url: str) -> PageResult | None:
    """The page's tags read within ``PAGE_TTL_S``, or None."""
    path = _path("pages", url)
    if not _fresh(path, PAGE_TTL_S):
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    tags = PageTags.from_json(value)
    return PageResult(url, tags=tags) if tags is not None else None


def _store(kind: str, url: str, data: bytes | str) -> None:
    """Write one entry, unless the cache folder is not ours to write (read-only, or a file: it is
    left as it is, and the page is read again next time)."""
    if unwritable_reason(files.cache_dir()):
        return
    _remove_stale(kind)
    try:
        atomic_write(_path(kind, url), data)
    except OSError:
        pass  # a cache that cannot be written only costs a second read


def _remove_stale(kind: str) -> None:
    """Remove the files of ``kind`` older than its time to live, the first time this run asks for
    the folder they are in."""
    folder = cache_dir(kind)
    with _pruning:
        if folder in _pruned:
            return
        _pruned.add(folder)
    oldest = time.time() - _TTL_S[kind]
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return  # no folder yet, or not ours to read: nothing to remove
    for entry in entries:
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < oldest:
                os.unlink(entry.path)
        except OSError:
            pass  # gone already (another window removed it), or not ours to remove


def store_page(result: PageResult) -> None:
    """Keep a page that was read (a failure is not kept: the next look tries again)."""
    if result.tags is not None:
        _store("pages", result.url, json.dumps(result.tags.to_json(), ensure_ascii=False))


def cached_image(url: str, max_bytes: int | None = None) -> bytes | None:
    """The image read within ``IMAGE_TTL_S`` (if it is at most ``max_bytes``), or None."""
    path = _path("images", url)
    try:
        stat = path.stat()
    except OSError:
        return None
    if time.time() - stat.st_mtime >= IMAGE_TTL_S or (max_bytes is not None and stat.st_size > max_bytes):
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def store_image(url: str, data: bytes) -> None:
    _store("images", url, data)
