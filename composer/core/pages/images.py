"""Images against each network's documented limits (``image_limits`` in core/call/networks.py):
type, file size and pixel size of the images a network would post or show.

What an image *is* (format, size, bytes) is read by the window with Qt's image reader
(gui/thumbnails.py); this module only compares, so the rule has one home and no Qt.  A format, a
file size or a largest size the network refuses is an error on that network; an image under its
smallest size is a warning (the network shows it small or not at all).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from composer.core.call.model import PublishCall, UserAction
from composer.core.call.networks import image_limits, rules_for
from composer.core.call.validation import Problem, Severity
from composer.core.contract import PROVIDER_LABELS, PROVIDERS
from composer.core.pages.cards import CardCheck, content_path
from composer.core.pages.tags import absolute_url
from composer.core.units import byte_count, byte_limit, megabytes

#: the names Qt's image reader gives formats, as the networks' lists spell them
_FORMAT_NAMES = {"jpeg": "jpg"}
#: how each format's files begin, for the command line, which has no Qt to read them
#: (the signatures: https://en.wikipedia.org/wiki/List_of_file_signatures)
_SIGNATURES = ((b"\xff\xd8\xff", "jpeg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"), (b"GIF89a", "gif"), (b"BM", "bmp"))


@dataclass(frozen=True)
class ImageFacts:
    """What an image file is: its format ("jpeg", "png", ...), pixel size and size in bytes."""

    format: str
    size: tuple[int, int] | None
    bytes: int
    #: reading stopped at ``bytes`` (the image cap): the file is larger than that
    larger: bool = False


def sniffed_facts(data: bytes, content_type: str = "") -> ImageFacts:
    """What can be told of an image without decoding it: its format from how the file begins
    (else from the answer's content type) and its size in bytes; not its pixel size."""
    kind = next((name for signature, name in _SIGNATURES if data.startswith(signature)), "")
    if not kind and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "webp"
    if not kind and content_type.lower().startswith("image/"):
        kind = content_type.split(";")[0].strip().lower()[len("image/") :]
    return ImageFacts(kind, None, len(data))


def larger_than(max_bytes: int) -> str:
    """What is said of an image longer than ``max_bytes`` (``IMAGE_MAX_BYTES``, where reading it
    stops), in the window's thumbnail and in ``composer preview --fetch`` alike."""
    return f"the image is larger than {megabytes(max_bytes)}"


def images_named(contents: Mapping[str, UserAction], cards: Mapping[str, CardCheck]) -> list[str]:
    """Every image a card shows or a media item names, as an absolute URL, each once."""
    urls: list[str] = []
    for check in cards.values():
        if check.card is not None and check.card.image:
            urls.append(check.card.image)
    for ua in {id(ua): ua for ua in contents.values()}.values():  # networks share the default
        for item in ua.mediaItems:
            src = item.get("src") if item.type == "image" else item.get("previewImageURL")
            url = absolute_url(src, ua.linkBack) if src else ""
            if url:
                urls.append(url)
    return list(dict.fromkeys(urls))


def image_breaches(provider: str, facts: ImageFacts) -> list[tuple[Severity, str]]:
    """How ``facts`` break ``provider``'s documented image limits (nothing where none is documented)."""
    limits = image_limits(provider)
    label = PROVIDER_LABELS[provider]
    out: list[tuple[Severity, str]] = []
    kind = _FORMAT_NAMES.get(facts.format.lower(), facts.format.lower())
    if limits.formats is not None and kind and kind not in limits.formats:
        out.append((Severity.ERROR, f"{label} takes {', '.join(limits.formats)} images, not {kind}"))
    if limits.max_bytes is not None and (facts.bytes > limits.max_bytes or facts.larger and facts.bytes >= limits.max_bytes):
        # in bytes, exactly: a rounded size could read as no larger than the limit it breaks
        size = f"larger than {byte_count(facts.bytes)}" if facts.larger else byte_count(facts.bytes)
        out.append((Severity.ERROR, f"{label} takes images up to {byte_limit(limits.max_bytes)}; this one is {size}"))
    if facts.size is not None:
        width, height = facts.size
        if limits.max_size is not None and (width > limits.max_size[0] or height > limits.max_size[1]):
            out.append((Severity.ERROR, f"{label} takes images up to {limits.max_size[0]}x{limits.max_size[1]}; this one is {width}x{height}"))
        if limits.min_size is not None and (width < limits.min_size[0] or height < limits.min_size[1]):
            out.append((Severity.WARNING, f"{label} shows images of at least {limits.min_size[0]}x{limits.min_size[1]}; this one is {width}x{height}"))
    return out


def _posted_images(provider: str, prefix: str, ua: UserAction, check: CardCheck | None) -> list[tuple[str, str]]:
    """(field path, absolute URL) of each image ``provider`` would post or show: ``ua``'s media
    items (sent in ``prefix``) of a type the network posts (none on Twitter, which posts only the
    title and the link back), and its card's image."""
    media_types = rules_for(provider).media_types
    media: dict[str, str] = {}
    out = []
    for index, item in enumerate(ua.mediaItems):
        name = "src" if item.type == "image" else "previewImageURL"
        url = absolute_url(item.get(name), ua.linkBack) if item.get(name) else ""
        if not url:
            continue
        field = media.setdefault(url, f"{prefix}.mediaItems[{index}].{name}")
        if item.type in media_types:
            out.append((field, url))
    card = check.card if check is not None else None
    if card is not None and card.image:
        # the card shows it whatever the network posts: named as the media item it is taken from
        # (the page names no image), else as the page's, found through the link back
        from_media = card.image_source == "userAction" and card.image in media
        out.append((media[card.image] if from_media else f"{prefix}.linkBack", card.image))
    return out


def image_problems(
    call: PublishCall,
    contents: Mapping[str, UserAction],
    cards: Mapping[str, CardCheck],
    facts: Mapping[str, ImageFacts],
    eligible: list[str],
) -> list[Problem]:
    """Each breach by an image whose facts are known, on each network that will be attempted and
    posts or shows it."""
    grouped: dict[tuple[Severity, str, str], None] = {}
    if not facts:
        return []
    for provider in PROVIDERS:
        if provider not in eligible:
            continue
        prefix = content_path(call, contents, provider)
        for field, url in _posted_images(provider, prefix, contents[provider], cards.get(provider)):
            known = facts.get(url)
            if known is None:
                continue
            for severity, message in image_breaches(provider, known):
                where = "the page's image" if field.endswith("linkBack") else "the image"
                grouped[(severity, field, f"{where} {url.rsplit('/', 1)[-1]}: {message}")] = None
    return [Problem(severity, field, message) for severity, field, message in grouped]
