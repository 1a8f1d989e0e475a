"""The link card each network builds from the linked page together with the userAction, and what
to warn about when the two disagree or the page lacks a tag.

The rules, as the networks document them:

- Facebook, LinkedIn and the others read the page's Open Graph tags (og:title, og:description,
  og:image, og:site_name) and use them over what the share says (Facebook:
  https://developers.facebook.com/docs/sharing/webmasters; LinkedIn's Post Inspector,
  https://www.linkedin.com/post-inspector/, shows the same tags).  A tag the page lacks is taken
  from the userAction here, which is what Gigya sends them: our approximation.
- A card holds only what its network shows (``networks.RULES``: a description where the network
  has one, an image from a media item of a type it takes), as the post preview does.
- Twitter reads ``twitter:`` tags and falls back to the Open Graph ones; without ``twitter:card`` it
  "may" render a summary card when og:type, og:title and og:description exist, and otherwise shows
  none (https://developer.x.com/cards/markup).  The userAction's title is the tweet's text there,
  not the card's, so a page title that differs from it is no disagreement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from composer.core.call.model import PublishCall, UserAction, eligible_providers
from composer.core.call.networks import rules_for
from composer.core.call.preview import domain_of
from composer.core.call.validation import Problem, Severity
from composer.core.contract import PROVIDER_LABELS, PROVIDERS
from composer.core.pages.tags import PageResult, PageTags, absolute_url, is_web_address


@dataclass(frozen=True)
class LinkCard:
    """What one network shows under the post for the link."""

    title: str
    description: str
    #: absolute URL, or ""
    image: str
    site: str
    #: "page" when any of it comes from the page's tags, else "userAction"
    source: str
    #: Twitter's card type ("summary", "summary_large_image", ...), "" elsewhere
    kind: str = ""
    #: where ``image`` comes from: "page" (its og: or twitter: tags) or "userAction" (the first
    #: media item's, when the page names none)
    image_source: str = "page"

    def to_json(self) -> dict[str, str]:
        return {"title": self.title, "description": self.description, "image": self.image, "site": self.site, "source": self.source}


@dataclass(frozen=True)
class CardCheck:
    """A network's card (None: it shows none) and what disagrees or is missing."""

    card: LinkCard | None
    warnings: tuple[str, ...] = ()


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def user_action_image(provider: str, ua: UserAction) -> str:
    """The image of the userAction's first media item that ``provider`` shows (an image, or a
    video's preview), or ""."""
    for item in ua.mediaItems:
        if item.is_empty() or item.type not in rules_for(provider).media_types:
            continue
        url = item.get("src") if item.type == "image" else item.get("previewImageURL")
        return absolute_url(url, ua.linkBack) if url else ""
    return ""


def user_action_card(provider: str, ua: UserAction) -> LinkCard:
    description = ua.description if _shows_description(provider) else ""
    image = user_action_image(provider, ua)
    return LinkCard(ua.title, description, image, domain_of(ua.linkBack), "userAction", image_source="userAction")


def _shows_description(provider: str) -> bool:
    return "description" in rules_for(provider).fields


def _disagreements(provider: str, card: LinkCard, ua: UserAction, names: tuple[str, str, str]) -> list[str]:
    """What the page says differently from the userAction, naming the page's tags."""
    out = []
    title_tag, description_tag, image_tag = names
    if card.title and ua.title and not _same(card.title, ua.title):
        # the share's own title is left out: the warning stays the same while it is being typed
        out.append(f"the page's {title_tag} “{card.title}” is shown, not the title")
    if card.description and ua.description and not _same(card.description, ua.description):
        out.append(f"the page's {description_tag} is shown, not the description")
    own_image = user_action_image(provider, ua)
    if card.image and own_image and card.image != own_image:
        out.append(f"the page's {image_tag} is shown, not the first media item")
    return out


def _open_graph_card(provider: str, ua: UserAction, page: PageTags) -> CardCheck:
    og = page.get
    fallback = user_action_card(provider, ua)
    shows_description = _shows_description(provider)
    from_page = any(og(name) for name in ("og:title", "og:description", "og:image"))
    page_image = og("og:image") or og("og:image:url")
    card = LinkCard(
        title=og("og:title") or fallback.title or page.title,
        description=(og("og:description") or fallback.description) if shows_description else "",
        image=page_image or fallback.image,
        site=og("og:site_name") or fallback.site,
        source="page" if from_page else "userAction",
        image_source="page" if page_image else "userAction",
    )
    looked_for = ("og:title", "og:description", "og:image") if shows_description else ("og:title", "og:image")
    warnings = [f"the page has no {name}" for name in looked_for if not og(name)]
    warnings += _disagreements(provider, card, ua, ("og:title", "og:description", "og:image"))
    return CardCheck(card, tuple(warnings))


def _twitter_card(ua: UserAction, page: PageTags) -> CardCheck:
    def tag(name: str) -> str:
        return page.get(f"twitter:{name}") or page.get(f"og:{name}")

    kind = page.get("twitter:card")
    warnings: list[str] = []
    if not kind:
        if not (page.get("og:type") and page.get("og:title") and page.get("og:description")):
            return CardCheck(None, ("the page has no twitter:card (nor og:type, og:title and og:description): Twitter shows no card",))
        kind = "summary"
        warnings.append("the page has no twitter:card: Twitter may show a small summary card, or none")
    card = LinkCard(
        title=tag("title"),
        description=tag("description"),
        image=tag("image") or page.get("twitter:image:src"),
        site=page.get("twitter:site") or domain_of(page.url),
        source="page",
        kind=kind,
    )
    if not card.image and kind == "summary_large_image":
        warnings.append("the page asks for a large image card but has no twitter:image nor og:image")
    return CardCheck(card, tuple(warnings))


def network_card(provider: str, ua: UserAction, page: PageTags | None) -> CardCheck:
    """The card ``provider`` shows for ``ua`` given the linked page's tags (None: not read)."""
    if page is None:
        return CardCheck(None if provider == "twitter" else user_action_card(provider, ua))
    if provider == "twitter":
        return _twitter_card(ua, page)
    return _open_graph_card(provider, ua, page)


def page_for(ua: UserAction, pages: Mapping[str, PageResult]) -> PageResult | None:
    return pages.get(ua.linkBack.strip()) if is_web_address(ua.linkBack) else None


def contents_of(call: PublishCall) -> dict[str, UserAction]:
    """What each network receives (``content_for``), worked out once for everything below."""
    return {provider: call.content_for(provider) for provider in PROVIDERS}


def content_path(call: PublishCall, contents: Mapping[str, UserAction], provider: str) -> str:
    """The parameter ``provider``'s content is sent in: its own override, or the default."""
    return "userAction" if contents[provider] is call.userAction else f"{provider}UserAction"


def network_cards(contents: Mapping[str, UserAction], pages: Mapping[str, PageResult]) -> dict[str, CardCheck]:
    """Each network's card, from the pages read so far (keyed by link back)."""
    out = {}
    for provider, ua in contents.items():
        page = page_for(ua, pages)
        out[provider] = network_card(provider, ua, page.tags if page else None)
    return out


def page_problems(call: PublishCall, contents: Mapping[str, UserAction], cards: Mapping[str, CardCheck]) -> list[Problem]:
    """Each warning of the attempted networks' cards, once per content, naming the networks."""
    eligible = eligible_providers(call.enabledProviders, call.disabledProviders)
    grouped: dict[tuple[str, str], list[str]] = {}
    for provider in PROVIDERS:
        if provider not in eligible:
            continue
        field = f"{content_path(call, contents, provider)}.linkBack"
        for warning in cards[provider].warnings:
            grouped.setdefault((field, warning), []).append(PROVIDER_LABELS[provider])
    return [
        Problem(Severity.WARNING, field, f"{warning} ({', '.join(labels)})")
        for (field, warning), labels in grouped.items()
    ]
