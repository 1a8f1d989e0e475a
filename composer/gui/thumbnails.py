"""Images as the previews show them: read off the GUI thread (from the disk cache, else one GET),
measured with Qt's image reader, and scaled down to a thumbnail while decoding.

``load_thumbnail`` runs on a worker; it builds only a ``QImage`` (not a widget, safe off the GUI
thread) and returns it with what the reader found, for the limits of each network."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader

from composer.core.pages.cache import cached_image, store_image
from composer.core.pages.images import larger_than

#: Our choice: cached images up to this many bytes in all are decoded at once, on the GUI thread,
#: so a reopened draft shows them in its first frame; more would hold the window up, so the rest
#: load on a worker as new images do.
SYNC_MAX_BYTES = 256 * 1024
#: Our choice: twice the width a preview card usually has, so a thumbnail stays sharp at a scale
#: factor of 2; a link card's image is 1.91:1 on Facebook, hence the height.
THUMBNAIL_SIZE = QSize(880, 460)


@dataclass(frozen=True)
class Thumbnail:
    """An image as read: its thumbnail (null when unreadable) and what the file is."""

    url: str
    image: QImage
    #: the format Qt's reader found ("jpeg", "png", ...), "" when unknown
    format: str = ""
    #: (width, height) of the full image, or None
    size: tuple[int, int] | None = None
    #: the file's size in bytes (or, when ``larger``, the cap where reading stopped)
    bytes: int = 0
    #: the file is larger than ``bytes``: it was read only up to the cap
    larger: bool = False
    #: why there is no image, in a few words ("" when there is one)
    note: str = ""


def load_thumbnail(url: str) -> Thumbnail:
    """Read the image at ``url`` (on a worker), from the disk cache or with one GET; never raises
    for what the network or the file does.  The HTTP stack loads here, with the first image read,
    not at start-up."""
    from composer.core.pages.fetch import IMAGE_MAX_BYTES, IMAGE_TIMEOUT_S, FetchError, http_get

    data = cached_image(url)
    if data is None:
        try:
            fetched = http_get(url, accept="image/*", timeout=IMAGE_TIMEOUT_S, max_bytes=IMAGE_MAX_BYTES)
        except FetchError as exc:
            return Thumbnail(url, QImage(), note=f"the image could not be read: {exc}")
        if fetched.truncated:
            return Thumbnail(url, QImage(), bytes=IMAGE_MAX_BYTES, larger=True, note=larger_than(IMAGE_MAX_BYTES))
        data = fetched.body
        store_image(url, data)
    return _decoded(url, data)


def cached_thumbnail(url: str, max_bytes: int = SYNC_MAX_BYTES) -> Thumbnail | None:
    """``url``'s thumbnail from the disk cache when the file there is fresh and at most
    ``max_bytes`` (small enough to decode on the GUI thread), else None."""
    data = cached_image(url, max_bytes)
    return _decoded(url, data) if data is not None else None


def _decoded(url: str, data: bytes) -> Thumbnail:
    """The image in ``data``, measured by Qt's reader and scaled down while it is decoded."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    kind = bytes(reader.format().data()).decode("ascii", "replace")
    full = reader.size()
    size = (full.width(), full.height()) if full.isValid() else None
    if full.isValid() and (full.width() > THUMBNAIL_SIZE.width() or full.height() > THUMBNAIL_SIZE.height()):
        reader.setScaledSize(full.scaled(THUMBNAIL_SIZE, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    note = "" if not image.isNull() else f"the image cannot be shown ({reader.errorString()})"
    return Thumbnail(url, image, kind, size, len(data), note)
