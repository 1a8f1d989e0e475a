"""Every rule of the contract and the reference page, checked before anything is sent.

Problems are values: a severity, the parameter path (``twitterUserAction.linkBack``,
``userLocation.latitude``, ``userAction.mediaItems[1].src``) and a sentence a person understands.
The window and the command line both render the same list.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from composer.core.call.markup import dropped_tags
from composer.core.call.model import (
    ACTION_ATTRIBUTE_VALUES_MAX,
    CID_MAX,
    COORDINATE_LIMITS,
    FORMATS,
    MEDIA_FIELDS,
    SHORT_URLS,
    PublishCall,
    UserAction,
    attribute_value_count,
    eligible_providers,
    iter_user_actions,
    override_param,
    parse_float,
)
from composer.core.call.networks import FACEBOOK_ACTION_LINK_MAX, breaches
from composer.core.contract import CREDENTIAL_PARAMS, PROVIDERS


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One validation finding: its severity, the field it is about, and a sentence that says why."""

    severity: Severity
    field: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"severity": self.severity.value, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.field}: {self.message}"


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def _error(field: str, message: str) -> Problem:
    return Problem(Severity.ERROR, field, message)


def _warning(field: str, message: str) -> Problem:
    return Problem(Severity.WARNING, field, message)


_WHITESPACE = re.compile(r"\s")  # the characters str.isspace() calls space, Unicode's included


# cached: validation runs on every keystroke and checks every URL of every network's content, while
# a keystroke changes one field (256 is our choice: far more URLs than a draft holds)
@functools.lru_cache(maxsize=256)
def url_problem(value: str) -> str | None:
    """Why ``value`` is not an absolute http(s) URL, or None when it is one."""
    if _WHITESPACE.search(value.strip()):
        return "must be one absolute URL with no spaces"
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return "is not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        if not parts.scheme:
            return "must be an absolute URL starting with https:// or http://"
        return f"must use http or https, not {parts.scheme}:"
    if not parts.hostname or "." not in parts.hostname.strip(".") and parts.hostname != "localhost":
        return "has no valid host name"
    return None


def domain_matches(host: str, approved: Iterable[str]) -> bool:
    """``host`` is an approved domain or one of its subdomains."""
    host = host.lower().rstrip(".")
    for domain in approved:
        domain = domain.strip().lower().lstrip("*.").rstrip(".")
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


def _check_url(field: str, value: str, approved_domains: Sequence[str] | None, out: list[Problem]) -> None:
    if not value:
        return
    why = url_problem(value)
    if why:
        out.append(_error(field, f"{why} (got {value[:80]!r})"))
        return
    host = urlsplit(value.strip()).hostname or ""
    if approved_domains and not domain_matches(host, approved_domains):
        out.append(
            _warning(
                field,
                f"{host} is not among this profile's approved domains ({', '.join(approved_domains)}); "
                "Gigya does not publish links outside the site's approved domains",
            )
        )


def validate_user_action(
    path: str, ua: UserAction, approved_domains: Sequence[str] | None = None, *, provider: str | None = None
) -> list[Problem]:
    out: list[Problem] = []
    _check_url(f"{path}.linkBack", ua.linkBack, approved_domains, out)
    if ua.userMessage:
        dropped = dropped_tags(ua.userMessage)
        if dropped:
            tags = ", ".join(f"<{t}>" for t in dropped)
            out.append(_warning(f"{path}.userMessage", f"Gigya keeps only <b> <i> <u> <strong> <br> <p>; {tags} will be removed"))
    for i, link in enumerate(ua.actionLinks):
        lp = f"{path}.actionLinks[{i}]"
        if link.is_empty():
            continue
        if not link.title:
            out.append(_error(f"{lp}.title", "an action link needs the text to display"))
        if not link.href:
            out.append(_error(f"{lp}.href", "an action link needs a URL"))
        _check_url(f"{lp}.href", link.href, approved_domains, out)
    facebook_bound = provider in (None, "facebook")
    links = [link for link in ua.actionLinks if not link.is_empty()]
    if facebook_bound and provider == "facebook" and len(links) > 1:
        out.append(_warning(f"{path}.actionLinks", f"Facebook shows one action link; {len(links) - 1} more will be dropped there"))
    if facebook_bound and links and len(links[0].title) > FACEBOOK_ACTION_LINK_MAX:
        out.append(
            _warning(
                f"{path}.actionLinks[0].title",
                f"Facebook takes an action link title of at most {FACEBOOK_ACTION_LINK_MAX} characters "
                f"(this one has {len(links[0].title)})",
            )
        )

    media = [(i, m) for i, m in enumerate(ua.mediaItems) if not m.is_empty()]
    types = []
    for i, item in media:
        mp = f"{path}.mediaItems[{i}]"
        if item.type not in MEDIA_FIELDS:
            out.append(_error(f"{mp}.type", f"media type must be image, flash or mp3 (got {item.type!r})"))
            continue
        if item.type not in types:
            types.append(item.type)
        if not item.get("src"):
            kind = {"image": "an image", "flash": "a Flash", "mp3": "an MP3"}[item.type]
            out.append(_error(f"{mp}.src", f"{kind} item needs src, the URL of the file"))
        for name in ("src", "href", "previewImageURL"):
            if name in MEDIA_FIELDS[item.type]:
                # every URL of the action, the files' own included (the sandbox refuses the same)
                _check_url(f"{mp}.{name}", item.get(name), approved_domains, out)
        for name in ("previewImageWidth", "previewImageHeight", "width", "height"):
            value = item.get(name)
            if value and name in MEDIA_FIELDS[item.type] and not (value.isdigit() and int(value) > 0):
                out.append(_error(f"{mp}.{name}", f"must be a whole number of pixels (got {value!r})"))
        extra = sorted(k for k in item.values if k not in MEDIA_FIELDS[item.type] and item.values[k])
        if extra:
            out.append(_warning(mp, f"{', '.join(extra)} do not belong to a {item.type} item and will be sent as they are"))
    if len(types) > 1:
        out.append(
            _error(
                f"{path}.mediaItems",
                f"only one type of media item per action; this one mixes {', '.join(types)}",
            )
        )
    for key in ua.extra:
        out.append(_warning(f"{path}.{key}", f"{key!r} is not a UserAction field; it is sent unchanged"))
    return out


def _check_providers(field: str, names: Sequence[str], out: list[Problem]) -> None:
    for name in names:
        if name.lower() not in PROVIDERS:
            out.append(
                _warning(
                    field,
                    f"{name!r} is not a provider this method supports ({', '.join(PROVIDERS)}); "
                    "the server ignores it unless it is the user's only connection",
                )
            )


def _network_limits(call: PublishCall) -> list[Problem]:
    """An error for each hard limit that a network which will be attempted would refuse the post for
    (its soft rules are warnings on its preview card)."""
    out = []
    for provider in eligible_providers(call.enabledProviders, call.disabledProviders):
        content = call.content_for(provider)
        if content.is_empty():
            continue  # "nothing to share" says so already
        path = override_param(provider) if provider in call.overrides else "userAction"
        for breach in breaches(provider, content, call.shortURLs):
            if breach.hard:
                out.append(_error(f"{path}.{breach.part}", breach.message))
    return out


def validate(call: PublishCall, approved_domains: Sequence[str] | None = None) -> list[Problem]:
    """All problems with ``call``, errors and warnings, in the order of the form."""
    out: list[Problem] = []
    if not call.UID.strip():
        out.append(_error("UID", "the UID of the user who shares is required"))
    elif call.UID != call.UID.strip():
        out.append(_warning("UID", "has spaces at the start or end"))

    if call.userAction.is_empty() and not any(not o.is_empty() for o in call.overrides.values()):
        out.append(_error("userAction", "there is nothing to share: give at least a title, a link or a message"))
    elif call.userAction.is_empty():
        out.append(_error("userAction", "the default content is required even when every network has its own"))

    for path, ua in iter_user_actions(call):
        provider = None if path == "userAction" else path[: -len("UserAction")]
        out.extend(validate_user_action(path, ua, approved_domains, provider=provider))

    out.extend(_network_limits(call))

    enabled = call.enabledProviders or []
    _check_providers("enabledProviders", enabled, out)
    _check_providers("disabledProviders", call.disabledProviders, out)
    both = sorted({p.lower() for p in enabled} & {p.lower() for p in call.disabledProviders})
    for name in both:
        out.append(_error("disabledProviders", f"{name} is both enabled and disabled"))
    if enabled and not eligible_providers(enabled, call.disabledProviders):
        out.append(_warning("enabledProviders", "no supported provider is left to publish to"))

    if call.shortURLs and call.shortURLs not in SHORT_URLS:
        out.append(_error("shortURLs", f"must be always, whenRequired or never (got {call.shortURLs!r})"))
    if len(call.cid) > CID_MAX:
        out.append(_error("cid", f"at most {CID_MAX} characters (this one has {len(call.cid)})"))

    for key, value in call.actionAttributes.items():
        ap = f"actionAttributes.{key}" if key else "actionAttributes"
        if not key:
            out.append(_error(ap, "an attribute needs a key"))
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values):
            out.append(_error(ap, "attribute values must be text"))
    count = attribute_value_count(call.actionAttributes)
    if count > ACTION_ATTRIBUTE_VALUES_MAX:
        out.append(_error("actionAttributes", f"at most {ACTION_ATTRIBUTE_VALUES_MAX} values in all (this has {count})"))

    loc = call.userLocation
    for name, limit in COORDINATE_LIMITS.items():
        low, high = -limit, limit
        raw = getattr(loc, name).strip()
        if not raw:
            continue
        number = parse_float(raw)
        if number is None:
            out.append(_error(f"userLocation.{name}", f"must be a number from {low:g} to {high:g} (got {raw!r})"))
        elif not low <= number <= high:
            out.append(_error(f"userLocation.{name}", f"must be from {low:g} to {high:g} (got {raw})"))
    if bool(loc.latitude.strip()) != bool(loc.longitude.strip()):
        missing = "longitude" if loc.latitude.strip() else "latitude"
        out.append(_error(f"userLocation.{missing}", "latitude and longitude go together"))
    if not loc.is_empty():
        allowed = call.enabledProviders is None or "twitter" in [p.lower() for p in call.enabledProviders]
        if not allowed or "twitter" in [p.lower() for p in call.disabledProviders]:
            out.append(_warning("userLocation", "only Twitter honours a location, and Twitter is excluded"))

    if call.format not in FORMATS:
        out.append(_error("format", f"must be json or jsonp (got {call.format!r})"))
    if call.format == "jsonp" and not call.callback.strip():
        out.append(_error("callback", "format jsonp needs the name of a callback function"))
    if call.callback and not re.fullmatch(r"[A-Za-z_$][\w$.]*", call.callback):
        out.append(_error("callback", f"must be a JavaScript function name (got {call.callback!r})"))

    for key in call.extra:
        if key in CREDENTIAL_PARAMS:
            out.append(_warning(key, "credentials do not belong in a draft; this value is ignored"))
        else:
            out.append(_warning(key, f"{key!r} is not a parameter of socialize.publishUserAction; it is kept but not sent"))
    return out
