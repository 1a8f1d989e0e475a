"""What each network will receive and show, as data (the window renders it; the CLI prints it).

These are honest approximations: the content is exactly what is sent to each provider (its override
or the default); the shown text follows the reference's rules (Twitter posts only the title and the
link back; Facebook keeps one action link; userMessage keeps only a few HTML tags); the link back
is shown as the network receives it under ``shortURLs``, and each network's text is counted against
its limit (:mod:`composer.core.call.networks`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from composer.core.call.markup import plain_message
from composer.core.call.model import ActionLink, PublishCall, UserAction, eligible_providers
from composer.core.call.networks import (
    FACEBOOK_ACTION_LINK_MAX,
    TextCount,
    action_links_dropped,
    breaches,
    count,
    counted_text,
    posted_link,
    rules_for,
)
from composer.core.contract import PROVIDER_LABELS, PROVIDERS
from composer.core.twitter.text import parse_tweet


def domain_of(url: str) -> str:
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


@dataclass(frozen=True)
class Card:
    """A link card as most networks draw one."""

    title: str = ""
    subtitle: str = ""
    description: str = ""
    domain: str = ""
    image: str = ""
    media_type: str = ""
    action_link: str = ""
    #: the link back as the network receives it (shortened under shortURLs), "" without one
    link: str = ""
    #: what names an audio item: its title, artist and album as given, else its file's name
    media_caption: str = ""


@dataclass(frozen=True)
class TwitterCount:
    """A tweet's length as Twitter weighs it, against its limit."""

    weighted_length: int
    limit: int
    remaining: int
    valid: bool
    #: index in ``ProviderPreview.text`` of the first character past the limit, or None
    overflow_index: int | None


@dataclass(frozen=True)
class ProviderPreview:
    """What one network will receive and show, and whether it will be attempted at all."""

    provider: str
    label: str
    attempted: bool
    #: why it is not attempted ("" when it is)
    reason: str
    overridden: bool
    #: the UserAction JSON this provider receives
    content: dict[str, Any]
    #: the text the network shows
    text: str
    card: Card | None = None
    twitter: TwitterCount | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: the network's limited text (tweet, message, commentary, status) counted against its limit
    count: TextCount | None = None
    #: the text that ``count`` counts, as posted
    counted: str = ""
    #: soft rules this content breaks on this network (a fold, links or media it does not take)
    warnings: tuple[str, ...] = field(default_factory=tuple)
    #: (the link back as written, as the network receives it); ("", "") without one
    link: tuple[str, str] = ("", "")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "provider": self.provider,
            "attempted": self.attempted,
            "reason": self.reason or None,
            "overridden": self.overridden,
            "sent": self.content,
            "text": self.text,
            "notes": list(self.notes),
            "warnings": list(self.warnings),
            "length": self.count.length if self.count else None,
            "limit": self.count.limit if self.count else None,
            "link": {"original": self.link[0], "posted": self.link[1]} if self.link[0] else None,
        }
        if self.twitter:
            out.update(
                weightedLength=self.twitter.weighted_length,
                limit=self.twitter.limit,
                remaining=self.twitter.remaining,
                valid=self.twitter.valid,
                overflowIndex=self.twitter.overflow_index,
            )
        return out


def tweet_text(ua: UserAction, short_urls: str = "") -> str:
    """Twitter posts only the title and the link back (as shortened under ``short_urls``)."""
    return counted_text("twitter", ua, short_urls)


def facebook_action_link(ua: UserAction) -> ActionLink | None:
    """The one action link Facebook takes: the first one given, its text cut to
    FACEBOOK_ACTION_LINK_MAX characters; None when there is none."""
    link = next((link for link in ua.actionLinks if not link.is_empty()), None)
    if link is None:
        return None
    return ActionLink(link.title[:FACEBOOK_ACTION_LINK_MAX], link.href)


def _twitter(ua: UserAction, short_urls: str) -> tuple[str, TwitterCount, tuple[str, ...]]:
    text = tweet_text(ua, short_urls)
    parsed = parse_tweet(text)
    count = TwitterCount(
        weighted_length=parsed.weighted_length,
        limit=parsed.limit,
        remaining=parsed.remaining,
        valid=parsed.valid,
        overflow_index=parsed.overflow_index,
    )
    notes = []
    dropped = [name for name in ("userMessage", "subtitle", "description") if getattr(ua, name)]
    if dropped or ua.mediaItems or ua.actionLinks:
        what = dropped + (["media"] if ua.mediaItems else []) + (["action links"] if ua.actionLinks else [])
        notes.append("Twitter posts only the title and the link back; not posted: " + ", ".join(what))
    if not text:
        notes.append("nothing to tweet: give a title or a link back")
    return text, count, tuple(notes)


#: how the cards and their notes name each media type
MEDIA_WORDS = {"image": "image", "flash": "video", "mp3": "audio"}


def _card(provider: str, ua: UserAction, short_urls: str) -> tuple[str, Card, tuple[str, ...]]:
    rules = rules_for(provider)
    media = [m for m in ua.mediaItems if not m.is_empty()]
    # a media item of a type the network does not take is not on its card (the rules' media_types)
    unshown = list(dict.fromkeys(m.type for m in media if m.type not in rules.media_types))
    media = [m for m in media if m.type in rules.media_types]
    image = ""
    media_type = media[0].type if media else ""
    if media:
        first = media[0]
        image = first.get("src") if first.type == "image" else first.get("previewImageURL")
    caption = ""
    if media_type == "mp3":
        first = media[0]
        caption = " · ".join(x for x in (first.get("title"), first.get("artist"), first.get("album")) if x.strip())
        caption = caption or first.get("src").rsplit("/", 1)[-1]
    links = [link for link in ua.actionLinks if not link.is_empty()]
    notes: list[str] = []
    if action_links_dropped(provider, ua):
        links = []  # the link back takes the network's only link: breaches() warns that these go
    action = links[0].title if links else ""
    if provider == "facebook" and len(links) > 1:
        notes.append(f"Facebook shows one action link; {len(links) - 1} dropped")
    if provider == "facebook" and len(action) > FACEBOOK_ACTION_LINK_MAX:
        action = (facebook_action_link(ua) or ActionLink()).title
        notes.append(f"action link cut to {FACEBOOK_ACTION_LINK_MAX} characters")
    shows = rules.fields
    given = {"description": ("description", ua.description.strip()), "actionLinks": ("action links", links)}
    hidden = [words for name, (words, present) in given.items() if present and name not in shows]
    hidden += [MEDIA_WORDS.get(kind, kind) for kind in unshown]
    if hidden:
        named = [f"the {words}" for words in hidden]
        notes.append(f"{PROVIDER_LABELS[provider]} does not show " + (", ".join(named[:-1]) + " or " if len(named) > 1 else "") + named[-1])
    card = Card(
        title=ua.title,
        subtitle=ua.subtitle if "subtitle" in shows else "",
        description=ua.description if "description" in shows else "",
        domain=domain_of(ua.linkBack),
        image=image,
        media_type=media_type,
        action_link=action if "actionLinks" in shows else "",
        link=posted_link(ua.linkBack, short_urls),
        media_caption=caption,
    )
    message = plain_message(ua.userMessage)
    lines = [message] if message else []
    if card.title or card.domain:
        lines.append(" · ".join(x for x in (card.title, card.domain) if x))
    if card.subtitle:
        lines.append(card.subtitle)
    if card.description:
        lines.append(card.description)
    if card.action_link:
        lines.append(f"[{card.action_link}]")
    return "\n".join(lines), card, tuple(notes)


def preview_provider(call: PublishCall, provider: str, eligible: list[str] | None = None) -> ProviderPreview:
    eligible = eligible_providers(call.enabledProviders, call.disabledProviders) if eligible is None else eligible
    ua = call.content_for(provider)
    attempted = provider in eligible
    reason = ""
    if not attempted:
        if provider in {p.lower() for p in call.disabledProviders}:
            reason = "not attempted: listed in disabledProviders"
        else:
            reason = "not attempted: not in enabledProviders"
    overridden = provider in call.overrides
    counted = counted_text(provider, ua, call.shortURLs)
    limits = {
        "count": count(provider, counted),
        "counted": counted,
        "warnings": tuple(b.message for b in breaches(provider, ua, call.shortURLs) if not b.hard),
        "link": (ua.linkBack.strip(), posted_link(ua.linkBack, call.shortURLs)),
    }
    label = PROVIDER_LABELS[provider]
    if provider == "twitter":
        text, tweet, notes = _twitter(ua, call.shortURLs)
        return ProviderPreview(provider, label, attempted, reason, overridden, ua.to_json(), text, twitter=tweet, notes=notes, **limits)
    text, card, notes = _card(provider, ua, call.shortURLs)
    return ProviderPreview(provider, label, attempted, reason, overridden, ua.to_json(), text, card=card, notes=notes, **limits)


def preview(call: PublishCall) -> list[ProviderPreview]:
    """One preview per provider, in the contract's order."""
    eligible = eligible_providers(call.enabledProviders, call.disabledProviders)
    return [preview_provider(call, provider, eligible) for provider in PROVIDERS]
