"""The linked pages and images behind the previews: read in the background, kept, and turned into
each network's link card, its warnings and the thumbnails the cards show.

The pages behind the links back and the images the media items name are read once the model has
stayed the same for ``PAGE_FETCH_DELAY_MS`` (typing a link does not read every prefix of it, and
start-up is over before any loading begins); a page read before, and a small image read before,
are taken from the disk cache at once, so a reopened draft shows its cards and their images in its
first frame; the image a page's card names loads as soon as the page arrives.  Nothing here touches the network on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, QTimer, Signal
from PySide6.QtGui import QImage

from composer.core.call.model import UserAction, eligible_providers
from composer.core.pages.cache import cached_page, store_page
from composer.core.pages.cards import CardCheck, contents_of, network_cards, page_for, page_problems
from composer.core.pages.images import ImageFacts, image_problems, images_named
from composer.core.pages.tags import PageResult, is_web_address
from composer.gui.controllers.editing import EditingController
from composer.gui.thumbnails import SYNC_MAX_BYTES, Thumbnail, cached_thumbnail, load_thumbnail
from composer.gui.worker import TaskRunner

#: Our choice: links and image addresses that have not changed for this long are read; shorter
#: reads half-typed addresses, longer makes the card lag behind a pasted link.
PAGE_FETCH_DELAY_MS = 600
#: Our choice: pages and images load two at a time: the machines we target have two cores, and
#: the window must stay responsive while twenty images arrive.
LOADING_THREADS = 2


class PagesView(Protocol):
    """What the pages controller needs of the window."""

    def show_link_cards(self, cards: Mapping[str, CardCheck], notes: Mapping[str, str]) -> None: ...
    def show_thumbnail(self, url: str, image: QImage, note: str) -> None: ...


class PagesController(QObject):
    #: a page or an image finished loading (for tests and benchmarks)
    loaded = Signal(str)

    def __init__(self, view: PagesView, editing: EditingController, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
        self.editing = editing
        #: link back -> the page read (or why not)
        self.pages: dict[str, PageResult] = {}
        #: image URL -> its thumbnail
        self.thumbnails: dict[str, Thumbnail] = {}
        self._loading: set[str] = set()
        #: pages and image URLs already looked for in the disk cache on the GUI thread
        self._pages_looked_up: set[str] = set()
        self._looked_up: set[str] = set()
        self._contents: Mapping[str, UserAction] = {}
        self._cards: Mapping[str, CardCheck] = {}
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(LOADING_THREADS)
        self.runner = TaskRunner(self, self.pool)
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(PAGE_FETCH_DELAY_MS)
        self._fetch_timer.timeout.connect(self._fetch_waiting)
        editing.refreshed.connect(self.update)

    def update(self) -> None:
        """Show each network's card from the pages read so far; read what is missing."""
        call = self.editing.call
        contents = contents_of(call)
        waiting = False
        for url in _linked_pages(contents):
            if url in self.pages or url in self._loading:
                continue
            cached = cached_page(url) if url not in self._pages_looked_up else None
            self._pages_looked_up.add(url)  # once: while typing, the disk is not asked again at each keystroke
            if cached is not None:
                self.pages[url] = cached
            else:
                waiting = True
        cards = network_cards(contents, self.pages)
        images = images_named(contents, cards)
        self._take_cached_thumbnails(images)
        notes = {}
        for provider, ua in contents.items():
            page = page_for(ua, self.pages)
            notes[provider] = page.note if page is not None else ""
        self.view.show_link_cards(cards, notes)
        self._contents, self._cards = contents, cards
        self._show_problems()
        if waiting or any(url not in self.thumbnails and url not in self._loading for url in images):
            self._fetch_timer.start()

    def _take_cached_thumbnails(self, urls: list[str]) -> None:
        """The small images already on disk, decoded now so the cards show them in the frame
        being built; the others load on a worker."""
        budget = SYNC_MAX_BYTES
        for url in urls:
            if url in self.thumbnails or url in self._loading or url in self._looked_up:
                continue
            self._looked_up.add(url)  # once: while typing, the disk is not asked again at each keystroke
            thumbnail = cached_thumbnail(url, budget)
            if thumbnail is not None:
                budget -= thumbnail.bytes
                self.thumbnails[url] = thumbnail
                self.view.show_thumbnail(url, thumbnail.image, thumbnail.note)
                self.loaded.emit(url)

    def settle(self, msecs: int = 15000) -> None:
        """Read every page and image the model names now, and wait until they are shown (for a
        screenshot or a benchmark; the window itself never waits)."""
        self._fetch_waiting()
        for _ in range(3):  # pages, then the images their cards name
            self.runner.wait(msecs)
            QCoreApplication.sendPostedEvents()

    def _show_problems(self) -> None:
        """The pages' warnings and the images' breaches of each network's limits."""
        call = self.editing.call
        facts = {url: ImageFacts(t.format, t.size, t.bytes, t.larger) for url, t in self.thumbnails.items() if t.bytes}
        eligible = eligible_providers(call.enabledProviders, call.disabledProviders)
        problems = page_problems(call, self._contents, self._cards)
        problems += image_problems(call, self._contents, self._cards, facts, eligible)
        self.editing.set_page_problems(problems)

    def _fetch_waiting(self) -> None:
        self._fetch_timer.stop()
        for url in _linked_pages(contents_of(self.editing.call)):
            if url not in self.pages and url not in self._loading:
                self._loading.add(url)
                self.runner.start(lambda u=url: _read_page(u), self._page_loaded, lambda _m, u=url: self._page_failed(u))
        self._load_images()

    def _load_images(self) -> None:
        for url in images_named(self._contents, self._cards):
            if url not in self.thumbnails and url not in self._loading:
                self._loading.add(url)
                self.runner.start(lambda u=url: load_thumbnail(u), self._thumbnail_loaded, lambda _m, u=url: self._thumbnail_failed(u))

    def _page_loaded(self, page: PageResult) -> None:
        self._loading.discard(page.url)
        self.pages[page.url] = page
        self.update()
        self._load_images()  # the image its cards name, at once
        self.loaded.emit(page.url)

    def _thumbnail_loaded(self, thumbnail: Thumbnail) -> None:
        self._loading.discard(thumbnail.url)
        self.thumbnails[thumbnail.url] = thumbnail
        self.view.show_thumbnail(thumbnail.url, thumbnail.image, thumbnail.note)
        self._show_problems()
        self.loaded.emit(thumbnail.url)

    # a bug in our own loading code: the card says the page or image could not be read, and
    # nothing is retried in a loop

    def _page_failed(self, url: str) -> None:
        self._page_loaded(PageResult(url, note="The linked page could not be read."))

    def _thumbnail_failed(self, url: str) -> None:
        self._thumbnail_loaded(Thumbnail(url, QImage(), note="the image could not be read"))


def _read_page(url: str) -> PageResult:
    """On a worker.  The HTTP stack loads with the first page read, not at start-up."""
    from composer.core.pages.fetch import fetch_page

    page = fetch_page(url)
    store_page(page)
    return page


def _linked_pages(contents: Mapping[str, UserAction]) -> list[str]:
    urls = []
    for ua in contents.values():
        url = ua.linkBack.strip()
        if is_web_address(url) and url not in urls:
            urls.append(url)
    return urls
