"""Each network's rules, as data: what it shows, how long its text may be and how that is counted,
how many links and media it takes, and how a link reaches it under ``shortURLs``.

One table, :data:`RULES`, one :class:`NetworkRules` per provider.  Validation turns a broken hard
limit into an error, the previews count against the limits and show the soft ones as warnings,
and the sandbox refuses an over-limit post as the network would.  Every number has its source
beside it; where a network documents nothing the value is ``None`` and the window says "no
documented limit" rather than inventing one.

The small API other modules use:

* :func:`rules_for` (``provider`` -> :class:`NetworkRules`) and :data:`RULES`;
* :func:`image_limits` (``provider`` -> :class:`ImageLimits`): the count, formats, bytes and pixel
  sizes an image must meet there (``None`` for each that is not documented), e.g.::

      limits = image_limits("twitter")
      limits.max_count      # the most images in one post
      limits.max_bytes      # the largest file the network takes
      limits.min_size       # the smallest width and height, or None where not documented
      limits.recommended    # the size the network asks for, or None where not documented

* :func:`counted_text` and :func:`count` (the text a network limits, and its length against the
  limit, with the index of the first character that does not fit);
* :func:`posted_link` (a URL as a network receives it under ``always``, ``whenRequired`` or
  ``never``) and :func:`short_code` (the code of a shortened link, shared with the sandbox).

Qt-free, like all of ``composer.core``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from types import MappingProxyType

from composer.core.call.markup import plain_message
from composer.core.call.model import UserAction
from composer.core.contract import PROVIDER_LABELS, PROVIDERS
from composer.core.fingerprint import fingerprint
from composer.core.twitter.text import parse_tweet
from composer.core.units import MB

__all__ = [
    "FACEBOOK_ACTION_LINK_MAX",
    "NO_DOCUMENTED_LIMIT",
    "RULES",
    "SHORTEN_LONGER_THAN",
    "SHORT_LINK_HOST",
    "Fold",
    "ImageLimits",
    "NetworkRules",
    "TextCount",
    "TextLimit",
    "Breach",
    "action_links_dropped",
    "breaches",
    "count",
    "counted_text",
    "image_limits",
    "posted_link",
    "rules_for",
    "short_code",
]

#: what the window and the command line say where a network documents no limit
NO_DOCUMENTED_LIMIT = "no documented limit"

# --- sources ---------------------------------------------------------------------------------------

_SEED = "shared/seed (Gigya's socialize.publishUserAction reference page)"
_X_COUNTING = "https://developer.x.com/en/docs/counting-characters"
_X_MEDIA = "https://docs.x.com/x-api/media"
_X_MEDIA_COUNT = "https://docs.x.com/x-api/media/quickstart/best-practices"
_X_STATUS = (
    "https://docs.x.com/x-api/posts/manage-tweets/quickstart (\"requires ... at least text or media\", and this call posts "
    "no media to Twitter); in Gigya's day http://apiwiki.twitter.com/Twitter-REST-API-Method%3A-statuses%C2%A0update (status: \"Required\")"
)
# Facebook's Graph API reference gives no length for a post's message; 63,206 is the figure every
# reference outside Facebook gives, and the one the issue names
_FACEBOOK_MESSAGE = "https://ferryman.io/character-limits/facebook (not in the Graph API reference)"
_FACEBOOK_PICTURE = "https://developers.facebook.com/docs/sharing/reference/feed-dialog (picture: at least 200 x 200)"
_FACEBOOK_RECOMMENDED = "https://www.ayrshare.com/docs/media-guidelines/facebook_pages (not in Facebook's own reference)"
_LINKEDIN_POSTS = "https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api"
_LINKEDIN_LENGTH = "https://www.ayrshare.com/docs/apis/post/social-networks/linkedin (commentary: 3,000 characters)"
# a share is a comment and one link's title, description and image: no field takes action links,
# audio or video, in the Share API of Gigya's day as in today's Posts API
_LINKEDIN_SHARE = "http://developer.linkedin.com/documents/share-api (share input fields: comment, content/title, submitted-url, submitted-image-url, description)"
_LINKEDIN_FOLD = "https://web-3-apps.com/char-counter/articles/linkedin-post-length/ (not in LinkedIn's own reference)"
_VK_WALL_POST = "https://vk.com/dev/wall.post"
_VK_MEDIA = "https://dev.vk.com/en/method/wall.post"
_WEIBO_UPDATE = "http://open.weibo.com/wiki/2/statuses/update"
_WEIBO_ERRORS = "https://blog.csdn.net/adparking/article/details/7927563 (Weibo's error codes 40008, 40013, 40045)"
_WEIBO_COUNTING = "https://gist.github.com/lvyile/911606 (Weibo's own count: two Latin characters make one)"
# weibo.com's own counter, ported line for line (tweetLength): how a link counts in a status
_WEIBO_LINKS = "https://github.com/WeCase/WeCase/blob/master/src/TweetUtils.py"
_RENREN = "wiki.dev.renren.com (offline); no limit found for a shared feed item"


# --- the table's shapes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TextLimit:
    """The text a network limits: what it calls it, which UserAction fields make it up, and how it
    is counted.  ``limit`` is None where the network documents none."""

    #: the network's own name for the text ("tweet", "message", "commentary", "status")
    name: str
    #: the UserAction fields the text is made of, in the order they are posted
    parts: tuple[str, ...]
    limit: int | None
    #: "twitter" (v3 weights, a URL is 23), "weibo" (a Latin character is half), "characters"
    counting: str
    source: str
    #: where the network documents that a post needs this text ("": nowhere, so none is refused)
    required: str = ""


@dataclass(frozen=True)
class Fold:
    """A soft rule: where a network hides the rest of a text behind "see more" or cuts a card's
    line.  Going past it is a warning on that network's card, never an error."""

    #: the UserAction field it applies to
    part: str
    at: int
    what: str
    source: str


@dataclass(frozen=True)
class ImageLimits:
    """What an image must meet on one network; ``None`` wherever the network documents nothing.

    Sizes are ``(width, height)`` in pixels; ``max_bytes`` is the file's size."""

    max_count: int | None = None
    formats: tuple[str, ...] | None = None
    max_bytes: int | None = None
    min_size: tuple[int, int] | None = None
    max_size: tuple[int, int] | None = None
    recommended: tuple[int, int] | None = None
    source: str = ""


@dataclass(frozen=True)
class NetworkRules:
    provider: str
    #: the UserAction fields this network shows
    fields: tuple[str, ...]
    #: the limited text (None: the network shows no text of ours that it limits)
    text: TextLimit
    folds: tuple[Fold, ...] = ()
    #: external links one post may carry (the link back and action links), None if not documented
    max_links: int | None = None
    links_source: str = ""
    #: action links the network shows, and the longest title it takes
    max_action_links: int | None = None
    action_link_title_max: int | None = None
    #: the UserAction media types the network shows.  Gigya documents them for Facebook alone
    #: (image, flash, mp3: its Advanced Sharing guide, under FACEBOOK_ACTION_LINK_MAX) and Weibo
    #: takes one picture (_WEIBO_UPDATE); for the others it is our reading of Gigya's examples.  A
    #: card leaves out the other types and its note says so; nothing refuses them
    media_types: tuple[str, ...] = ()
    images: ImageLimits = field(default_factory=ImageLimits)
    #: the largest file per media kind, where documented ("gif", "video")
    media_bytes: MappingProxyType[str, int] = field(default_factory=lambda: MappingProxyType({}))
    #: media items of any kind one post may carry
    max_media: int | None = None
    media_source: str = ""
    #: where a link card cuts its title and description (None: not documented)
    card_title_cut: int | None = None
    card_description_cut: int | None = None

    @property
    def label(self) -> str:
        return PROVIDER_LABELS[self.provider]


#: Facebook takes one action link, whose text is at most this many characters long: Gigya's
#: Advanced Sharing guide ("The post can contain one action link with a max of 25 characters",
#: http://developers.gigya.com/010_Developer_Guide/60_Sharing/020_Advanced_Report) and Facebook's
#: own ("Feed stories can contain only one action link with a max of 25 characters",
#: http://wiki.developers.facebook.com/index.php/Action_Links)
FACEBOOK_ACTION_LINK_MAX = 25

_CARD_FIELDS = ("userMessage", "title", "linkBack", "description", "mediaItems", "actionLinks")

RULES: MappingProxyType[str, NetworkRules] = MappingProxyType({
    "facebook": NetworkRules(
        "facebook",
        fields=(*_CARD_FIELDS, "subtitle"),  # the subtitle: issue 17 and the contract, "Facebook only"
        text=TextLimit("message", ("userMessage",), 63_206, "characters", _FACEBOOK_MESSAGE),
        max_action_links=1,
        action_link_title_max=FACEBOOK_ACTION_LINK_MAX,
        media_types=("image", "flash", "mp3"),
        images=ImageLimits(min_size=(200, 200), recommended=(1200, 630), source=f"{_FACEBOOK_PICTURE}; {_FACEBOOK_RECOMMENDED}"),
        media_source=_SEED,
    ),
    "twitter": NetworkRules(
        "twitter",
        fields=("title", "linkBack"),  # seed: "When Twitter is the provider, only the Title and Link Back are posted"
        text=TextLimit("tweet", ("title", "linkBack"), 280, "twitter", _X_COUNTING, required=_X_STATUS),
        images=ImageLimits(max_count=4, max_bytes=5 * MB, source=f"{_X_MEDIA}; {_X_MEDIA_COUNT}"),
        media_bytes=MappingProxyType({"gif": 15 * MB, "video": 512 * MB}),
        max_media=4,
        media_source=f"{_X_MEDIA}; {_X_MEDIA_COUNT} (media are not posted through this call: {_SEED})",
    ),
    "linkedin": NetworkRules(
        "linkedin",
        fields=("userMessage", "title", "linkBack", "description", "mediaItems"),  # _LINKEDIN_SHARE: no action links
        text=TextLimit("commentary", ("userMessage",), 3_000, "characters", f"{_LINKEDIN_POSTS}; {_LINKEDIN_LENGTH}"),
        folds=(Fold("userMessage", 210, "LinkedIn shows about 210 characters on desktop before \"see more\"", _LINKEDIN_FOLD),),
        media_types=("image", "flash"),  # _LINKEDIN_SHARE's one image: a video shows its preview image (our reading)
    ),
    "vkontakte": NetworkRules(
        "vkontakte",
        fields=_CARD_FIELDS,
        text=TextLimit("message", ("userMessage",), None, "characters", _VK_WALL_POST),
        max_links=1,  # "If more than one link is being attached, an error will be thrown"
        links_source=_VK_WALL_POST,
        media_types=("image", "flash", "mp3"),
        max_media=10,
        media_source=_VK_MEDIA,
    ),
    "renren": NetworkRules(
        "renren",
        fields=_CARD_FIELDS,
        text=TextLimit("message", ("userMessage",), None, "characters", _RENREN),
        media_types=("image", "flash", "mp3"),
    ),
    "sina": NetworkRules(
        "sina",
        # a status is text and one picture (_WEIBO_UPDATE, _WEIBO_ERRORS): no description, no action links
        fields=("userMessage", "title", "linkBack", "mediaItems"),
        text=TextLimit(
            "status", ("userMessage", "title", "linkBack"), 140, "weibo", f"{_WEIBO_UPDATE}; {_WEIBO_ERRORS}; {_WEIBO_COUNTING}; {_WEIBO_LINKS}"
        ),
        media_types=("image",),
        images=ImageLimits(max_count=1, formats=("jpg", "gif", "png"), max_bytes=5 * MB, source=f"{_WEIBO_UPDATE}; {_WEIBO_ERRORS}"),
        max_media=1,
        media_source=_WEIBO_ERRORS,
    ),
})
assert tuple(RULES) == tuple(sorted(RULES, key=PROVIDERS.index))


def rules_for(provider: str) -> NetworkRules:
    """The rules of one of the contract's providers (KeyError for any other name)."""
    return RULES[provider]


def image_limits(provider: str) -> ImageLimits:
    """What an image must meet on ``provider``; each unknown is None ("no documented limit")."""
    return RULES[provider].images


# --- links as they are posted ----------------------------------------------------------------------

#: seed, shortURLs: "'whenRequired': URLs longer than 139 characters are shortened"
SHORTEN_LONGER_THAN = 139
#: Gigya's shortening service (its per-data-center hosts were lost from the seed's copy); fw.to is
#: Gigya's: https://github.com/torbsd/https-everywhere/blob/89de779/src/chrome/content/rules/Gigya.xml
SHORT_LINK_HOST = "fw.to"
#: our choice: seven base-62 characters tell 3.5 trillion links apart, and keep a short link at 20
#: characters ("http://fw.to/" + 7)
SHORT_CODE_LENGTH = 7
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def short_code(url: str, length: int = SHORT_CODE_LENGTH) -> str:
    """A stable code for ``url``: the preview and the sandbox give the same link the same code."""
    number = fingerprint(url)
    out = []
    for _ in range(length):
        number, digit = divmod(number, len(_ALPHABET))
        out.append(_ALPHABET[digit])
    return "".join(out)


def will_shorten(url: str, short_urls: str) -> bool:
    """Whether Gigya shortens ``url`` under ``short_urls`` (empty: the default, ``always``).

    Our choice where the seed is silent (its table of providers lost its rows): the link back is
    shortened for every network alike; action links and media are left as they are."""
    url = url.strip()
    if not url:
        return False
    mode = short_urls or "always"
    if mode == "always":
        return True
    if mode == "whenRequired":
        return len(url) > SHORTEN_LONGER_THAN
    return False


def posted_link(url: str, short_urls: str, base: str = f"http://{SHORT_LINK_HOST}") -> str:
    """``url`` as the networks receive it: shortened to ``base``/code where :func:`will_shorten`,
    else as it is.  The sandbox passes its own address as ``base``."""
    url = url.strip()
    return f"{base}/{short_code(url)}" if will_shorten(url, short_urls) else url


# --- counting --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextCount:
    """A text's length as its network counts it, against its limit (None: none documented)."""

    provider: str
    name: str
    length: int
    limit: int | None
    #: index into the counted text of the first character past the limit, or None
    overflow_index: int | None

    @property
    def over(self) -> bool:
        return self.limit is not None and self.length > self.limit

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else self.limit - self.length

    def counter(self) -> str:
        """``"324/280"``, or ``"12 (no documented limit)"``."""
        return f"{self.length}/{self.limit}" if self.limit is not None else f"{self.length} ({NO_DOCUMENTED_LIMIT})"


def counted_text(provider: str, action: UserAction, short_urls: str = "") -> str:
    """The text ``provider`` limits, as it will be posted (message tags gone, the link shortened)."""
    return _counted_text(provider, action.userMessage, action.title, action.linkBack, short_urls)


# cached, as _count is: the previews and validation both ask for every network's text on every
# keystroke, and a keystroke changes one field of one content.  maxsize=64 (here, in _plain and in
# _count) is our choice: it holds every network's text of the draft, each override included
# (6 networks, twice), for the last few edits, so undo and redo find them too; a bound keeps a long
# session's memory flat.
@functools.lru_cache(maxsize=64)
def _counted_text(provider: str, message: str, title: str, link: str, short_urls: str) -> str:
    values = {"userMessage": _plain(message), "title": title.strip(), "linkBack": posted_link(link, short_urls)}
    parts = [values[name] for name in RULES[provider].text.parts]
    joiner = " " if provider == "twitter" else "\n"  # a tweet is "title link"; a status puts each part on a line
    return joiner.join(part for part in parts if part)


_plain = functools.lru_cache(maxsize=64)(plain_message)


def count(provider: str, text: str) -> TextCount:
    """``text``'s length as ``provider`` counts it."""
    return _count(provider, text)


@functools.lru_cache(maxsize=64)
def _count(provider: str, text: str) -> TextCount:
    # cached: the previews and validation count the same texts on every keystroke
    rule = RULES[provider].text
    if rule.counting == "twitter":
        tweet = parse_tweet(text)
        return TextCount(provider, rule.name, tweet.weighted_length, rule.limit, tweet.overflow_index)
    if rule.counting == "weibo":
        return _weibo(provider, rule, text)
    overflow = rule.limit if rule.limit is not None and len(text) > rule.limit else None
    return TextCount(provider, rule.name, len(text), rule.limit, overflow)


#: Weibo counts a link by a weight of its own, not by its characters (_WEIBO_LINKS): a link of up to
#: 140 bytes counts 20 halves (10 characters), a longer one 20 plus what is past 140 bytes; a
#: weibo.com link of up to 41 bytes counts its bytes; a t.cn link (Weibo's own short link) counts as
#: text.  The source matches http:// links only, from before https was common; we weigh https://
#: links alike (our choice: Weibo shortens both)
WEIBO_LINK_HALVES = 20
WEIBO_LINK_BYTES = 140
WEIBO_OWN_LINK_BYTES = 41
_WEIBO_LINK = re.compile(r"https?://[a-zA-Z0-9]+(?:\.[a-zA-Z0-9]+)+[-A-Z0-9a-z_$.+!*()/\\,:@&=?~#%]*")
_WEIBO_OWN = re.compile(r"https?://(?:weibo\.com|weibo\.cn)")
_WEIBO_SHORT = re.compile(r"https?://t\.cn")


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def _weibo_halves(text: str) -> int:
    """Halves of a Chinese character: one for each ASCII character, two for any other."""
    return len(text) + len(_NOT_ASCII.findall(text))


def _weibo_link_halves(url: str) -> int:
    size = _weibo_halves(url)  # its bytes, as Weibo counts them
    if _WEIBO_OWN.match(url) and size <= WEIBO_OWN_LINK_BYTES:
        return size
    return WEIBO_LINK_HALVES if size <= WEIBO_LINK_BYTES else size - WEIBO_LINK_BYTES + WEIBO_LINK_HALVES


def _weibo(provider: str, rule: TextLimit, text: str) -> TextCount:
    """Weibo counts in Chinese characters: any other character than ASCII is one, two ASCII
    characters (a space included) make one, a link weighs what :data:`WEIBO_LINK_HALVES` says,
    and the total is rounded up."""
    links = [m for m in _WEIBO_LINK.finditer(text) if not _WEIBO_SHORT.match(m.group())]
    halves = _weibo_halves(text) - sum(_weibo_halves(m.group()) - _weibo_link_halves(m.group()) for m in links)
    limit_halves = None if rule.limit is None else rule.limit * 2
    over = limit_halves is not None and halves > limit_halves
    overflow = _weibo_overflow(text, links, limit_halves) if over else None
    return TextCount(provider, rule.name, (halves + 1) // 2, rule.limit, overflow)


def _weibo_overflow(text: str, links: list[re.Match[str]], limit_halves: int) -> int:
    """The index of the first character past ``limit_halves`` in a text known to go past it; a link
    that does not fit overflows from its first character."""
    starts = {m.start(): m for m in links}
    halves = index = 0
    while True:
        link = starts.get(index)
        halves += _weibo_link_halves(link.group()) if link else _weibo_halves(text[index])
        if halves > limit_halves:
            return index
        index = link.end() if link else index + 1


# --- rules broken ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    """One rule of one network that a UserAction breaks.  ``hard``: the network refuses the post
    (an error, and the sandbox refuses it too); otherwise a warning shown on that network's card."""

    provider: str
    #: the UserAction field it is about ("userMessage", "title", "actionLinks", ...)
    part: str
    message: str
    hard: bool


_PART_NAMES = {"userMessage": "user message", "title": "title", "linkBack": "link"}


def _listed(names: list[str], joined_by: str) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {joined_by} " + names[-1]


def action_links_dropped(provider: str, action: UserAction) -> int:
    """How many action links ``provider`` leaves out because the link back takes the links one
    post may carry (``NetworkRules.max_links``); 0 when it keeps them."""
    rules = RULES[provider]
    links = [link for link in action.actionLinks if not link.is_empty() and link.href]
    if rules.max_links is not None and action.linkBack.strip() and links and 1 + len(links) > rules.max_links:
        return len(links)
    return 0


def breaches(provider: str, action: UserAction, short_urls: str = "") -> list[Breach]:
    """Every rule of ``provider`` that ``action`` breaks, hard limits first."""
    rules = RULES[provider]
    label = rules.label
    out: list[Breach] = []
    text = counted_text(provider, action, short_urls)
    if rules.text.required and not text:
        names = [_PART_NAMES[name] for name in rules.text.parts]
        out.append(
            Breach(
                provider,
                rules.text.parts[0],
                f"{label} refuses a post without a {rules.text.name}, and its {rules.text.name} is only the "
                f"{_listed(names, 'and')}: give one of them, or leave {label} out",
                hard=True,
            )
        )
    counted = count(provider, text)
    if counted.over:
        part = next((name for name in rules.text.parts if getattr(action, name).strip()), rules.text.parts[0])
        names = [_PART_NAMES[name] for name in rules.text.parts]
        out.append(
            Breach(
                provider,
                part,
                f"{label} takes a {counted.name} of at most {counted.limit} characters "
                f"({_listed(names, 'and')}, as {label} counts them); this one has {counted.length}",
                hard=True,
            )
        )
    for fold in rules.folds:
        text = _plain(action.userMessage) if fold.part == "userMessage" else getattr(action, fold.part)
        if len(text) > fold.at:
            out.append(Breach(provider, fold.part, f"{fold.what}; the rest of this one's {len(text)} is folded away", hard=False))
    dropped = action_links_dropped(provider, action)
    if dropped:
        out.append(
            Breach(provider, "actionLinks", f"{label} takes {rules.max_links} link per post: the link back goes, the {dropped} action links do not", hard=False)
        )
    media = [item for item in action.mediaItems if not item.is_empty()]
    if media and provider != "twitter" and rules.max_media is not None and len(media) > rules.max_media:
        out.append(
            Breach(provider, "mediaItems", f"{label} shows at most {rules.max_media} media item{'s' if rules.max_media != 1 else ''}; {len(media) - rules.max_media} will not be shown", hard=False)
        )
    return out
