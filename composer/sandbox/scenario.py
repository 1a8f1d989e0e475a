"""The sandbox scenario: which sites, credentials and users the built-in sandbox server knows, and
how each user's networks behave.

A scenario is a JSON file (the built-in one is ``resources/sandbox-scenario.json``)::

    {
      "dataCenter": "us1.gigya.com",      // the data center this sandbox serves (default us1.gigya.com)
      "clockSkewSeconds": 0,              // added to the server clock (timestamps, Date header, "time");
                                          //   at most CLOCK_SKEW_MAX_S (ten years) either way
      "trustProxyHttps": false,           // true: a request with "X-Forwarded-Proto: https" counts as
                                          //       HTTPS, so "userKey"+"secret" calls are accepted
      "latencyMs": 0,                     // extra delay before every publishUserAction answer
      "sites": [{
        "apiKey": "3_sandbox",            // required, unique
        "dataCenter": "us1.gigya.com",    // default: the sandbox's; another one answers 301001
        "approvedDomains": ["example.com"],  // every URL of the UserAction must be on one of these
                                          //   (or a subdomain);
                                          //   empty or absent: any domain
        "partnerSecret": "<base64>",      // optional: the legacy secret, used when userKey is absent
        "userKeys": [{"userKey": "sandbox-user-key", "secret": "<base64>"}]
      }],
      "users": [{
        "UID": "demo-all-ok",             // required, unique
        "description": "every network posts",  // optional, shown by `composer sandbox`
        "providers": {                    // the networks the user is connected to, in order
          "facebook": "ok",               // shorthand for {"behaviour": "ok"}
          "twitter": {"behaviour": "rate_limit", "delayMs": 2000},
          "myspace": "ok"                 // a name outside the six valid providers is "unsupported"
        }
      }]
    }

Behaviours (:data:`BEHAVIOURS`): ``ok`` (posts, with a post ID on facebook, twitter and linkedin;
Facebook answers 403024 duplicate to a user message the user posted before, Twitter to a title and
link it posted before), ``duplicate`` (always 403024), ``expired`` (403005, the network session expired),
``rate_limit`` (403048), ``too_many_requests`` (409030), ``error`` (500001).  ``delayMs`` delays
that network's answer; the networks of one call are contacted in parallel, so a call takes the
longest ``delayMs`` of its networks (plus ``latencyMs``).

At least one site must be in the sandbox's own data center and have a user key: the first such
site and its first user key are the demo credentials.  Keys starting with ``_`` are comments.
Loading never echoes a secret, even when it is the bad value.  The file is read as drafts, plans
and CSV files are (:func:`composer.core.storage.files.read_user_text`): a regular file of at most
:data:`SCENARIO_MAX_BYTES`, never a pipe or a device.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from composer.core.call.draft import MAX_DRAFT_BYTES
from composer.core.call.model import json_kind
from composer.core.call.validation import domain_matches
from composer.core.contract import (
    CODE_GENERAL_SERVER_ERROR,
    CODE_OK,
    CODE_PROVIDER_LIMIT,
    CODE_RATE_LIMIT,
    CODE_TOO_MANY_REQUESTS,
    CODE_UNAUTHORIZED_USER,
    DEFAULT_DATA_CENTER,
)
from composer.core.storage.files import UnreadableFile, read_user_text
from composer.core.wire.endpoint import HOST_NAME_RE
from composer.core.wire.signing import SecretError, decode_secret
from composer.resources import files

SCENARIO_RESOURCE = "sandbox-scenario.json"

#: behaviour -> (errorCode, errorDetails template); ``ok`` has no error.
BEHAVIOURS: dict[str, tuple[int, str]] = {
    "ok": (CODE_OK, ""),
    "duplicate": (CODE_PROVIDER_LIMIT, "Limit reached: Status is a duplicate."),
    "expired": (CODE_UNAUTHORIZED_USER, "{provider} session expired; the user must log in again"),
    "rate_limit": (CODE_RATE_LIMIT, "{provider} rate limit exceeded; wait before publishing again"),
    "too_many_requests": (CODE_TOO_MANY_REQUESTS, "Too many requests for the same user on {provider}"),
    "error": (CODE_GENERAL_SERVER_ERROR, "{provider} returned an unexpected error"),
}

_MAX_DELAY_MS = 600_000
#: Our choice: the server clock may be set off by at most ten years either way.  A skew exists to
#: put the server's clock off the client's by more than the timestamp window (``TIMESTAMP_WINDOW_S``), and a clock
#: wrong by years is far outside it already; ten years keeps the server clock, for any real clock
#: of today, after 1970 (timestamps are Unix seconds, never negative) and inside the years a
#: ``Date`` header and an ISO time can be written for (1 to 9999: Python's ``datetime.MINYEAR``
#: and ``MAXYEAR``, https://docs.python.org/3/library/datetime.html#datetime.MAXYEAR).
CLOCK_SKEW_MAX_S = 10 * 365 * 24 * 60 * 60
#: a scenario file is read within the limit of a draft file: both are small JSON written by hand,
#: and a file far larger is not a scenario
SCENARIO_MAX_BYTES = MAX_DRAFT_BYTES
_PROVIDER_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class ScenarioError(ValueError):
    """A scenario that cannot be used.  ``field`` is the path of the bad value, e.g.
    ``users[2].providers.twitter.behaviour``; the message never contains a secret."""

    def __init__(self, field_path: str, message: str, source: str | None = None):
        prefix = f"{source}: " if source else ""
        super().__init__(f"{prefix}{field_path}: {message}" if field_path else f"{prefix}{message}")
        self.field = field_path
        self.message = message
        self.source = source


@dataclass(frozen=True)
class ProviderBehaviour:
    """How the sandbox answers for one of a user's networks: an outcome, after a delay."""

    behaviour: str = "ok"
    delay_ms: int = 0


@dataclass(frozen=True)
class UserKey:
    """A user key of a sandbox site and its secret (never shown)."""

    user_key: str
    secret: str = field(repr=False)


@dataclass(frozen=True)
class Site:
    """A sandbox site: its API key, data center, approved domains and the keys that may sign for it."""

    api_key: str
    data_center: str
    approved_domains: tuple[str, ...] = ()
    partner_secret: str | None = field(default=None, repr=False)
    user_keys: tuple[UserKey, ...] = ()

    def user_key(self, name: str) -> UserKey | None:
        return next((key for key in self.user_keys if key.user_key == name), None)

    def approves(self, host: str) -> bool:
        """True when ``host`` is an approved domain or a subdomain of one (no list: any host)."""
        return not self.approved_domains or domain_matches(host, self.approved_domains)


@dataclass(frozen=True)
class SandboxUser:
    """A sandbox user and how each of their connected networks answers."""

    uid: str
    providers: Mapping[str, ProviderBehaviour] = field(default_factory=dict)
    description: str = ""


@dataclass
class Scenario:
    """Everything the sandbox server plays: its data center, clock skew, latency, sites and users."""

    data_center: str = DEFAULT_DATA_CENTER
    clock_skew_seconds: float = 0.0
    trust_proxy_https: bool = False
    latency_ms: int = 0
    sites: list[Site] = field(default_factory=list)
    users: list[SandboxUser] = field(default_factory=list)

    def __post_init__(self) -> None:
        # here rather than in from_dict alone: a scenario built in code must not stop the server
        # from writing its clock either (every answer carries it)
        if not -CLOCK_SKEW_MAX_S <= self.clock_skew_seconds <= CLOCK_SKEW_MAX_S:
            raise ScenarioError(
                "clockSkewSeconds",
                f"must be between -{CLOCK_SKEW_MAX_S} and {CLOCK_SKEW_MAX_S} seconds (ten years either way)",
            )

    # --- loading ----------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path) -> Scenario:
        """Read and validate a scenario file; raises :class:`ScenarioError` naming the bad field."""
        source = str(path)
        try:
            text = read_user_text(Path(path), "scenario file", SCENARIO_MAX_BYTES)
        except UnreadableFile as exc:
            raise ScenarioError("", f"cannot read the scenario file: {exc}") from None
        return cls.from_json_text(text, source)

    @classmethod
    def from_json_text(cls, text: str, source: str | None = None) -> Scenario:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            message = f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
            raise ScenarioError("", message, source) from None
        try:
            return cls.from_dict(data)
        except ScenarioError as exc:
            raise ScenarioError(exc.field, exc.message, source) from None

    @classmethod
    def default(cls) -> Scenario:
        """The built-in demo scenario shipped as ``composer.resources/sandbox-scenario.json``."""
        try:
            resource = files() / SCENARIO_RESOURCE
            text = resource.read_text(encoding="utf-8")
            source = f"composer.resources/{SCENARIO_RESOURCE}"
        except ModuleNotFoundError:
            # Source checkout that is not installed: "composer.resources" only exists through the
            # package-dir mapping in pyproject.toml, so read the file beside the package instead.
            path = Path(__file__).resolve().parents[2] / "resources" / SCENARIO_RESOURCE
            text = path.read_text(encoding="utf-8")
            source = str(path)
        return cls.from_json_text(text, source)

    @classmethod
    def from_dict(cls, data: Any) -> Scenario:
        """Validate a parsed scenario; raises :class:`ScenarioError` naming the bad field."""
        data = _object(data, "", "the scenario must be a JSON object")
        _known_keys(data, "", ("dataCenter", "clockSkewSeconds", "trustProxyHttps", "latencyMs", "sites", "users"))
        data_center = _host(data.get("dataCenter", DEFAULT_DATA_CENTER), "dataCenter")
        scenario = cls(
            data_center=data_center,
            clock_skew_seconds=_number(data.get("clockSkewSeconds", 0), "clockSkewSeconds"),
            trust_proxy_https=_bool(data.get("trustProxyHttps", False), "trustProxyHttps"),
            latency_ms=_delay(data.get("latencyMs", 0), "latencyMs"),
            sites=_sites(data.get("sites"), data_center),
            users=_users(data.get("users", [])),
        )
        if scenario.home_site is None:
            raise ScenarioError("sites", f"no site in the sandbox's data center ({data_center}) has a user key")
        return scenario

    # --- queries ----------------------------------------------------------------------------

    @property
    def home_site(self) -> Site | None:
        """The site whose first user key is the demo credential."""
        return next((s for s in self.sites if s.data_center == self.data_center and s.user_keys), None)

    def site(self, api_key: str) -> Site | None:
        return next((s for s in self.sites if s.api_key == api_key), None)

    def user(self, uid: str) -> SandboxUser | None:
        return next((u for u in self.users if u.uid == uid), None)

    def to_dict(self) -> dict[str, Any]:
        """The scenario as JSON data (secrets included: it is the file's content)."""
        return {
            "dataCenter": self.data_center,
            "clockSkewSeconds": self.clock_skew_seconds,
            "trustProxyHttps": self.trust_proxy_https,
            "latencyMs": self.latency_ms,
            "sites": [_site_to_dict(site) for site in self.sites],
            "users": [_user_to_dict(user) for user in self.users],
        }


# --- validation helpers -------------------------------------------------------------------------


def _where(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _object(value: Any, path: str, message: str | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(path, message or f"expected an object, got {json_kind(value)}")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ScenarioError(path, f"expected a list, got {json_kind(value)}")
    return value


def _known_keys(data: Mapping[str, Any], path: str, allowed: tuple[str, ...]) -> None:
    for key in data:
        if key not in allowed and not key.startswith("_"):
            raise ScenarioError(_where(path, key), f"unknown field (expected one of: {', '.join(allowed)})")


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(path, f"expected non-empty text, got {json_kind(value) if value != '' else 'empty text'}")
    return value.strip()


def _host(value: Any, path: str) -> str:
    host = _text(value, path).lower()
    if not HOST_NAME_RE.match(host):
        raise ScenarioError(path, f"{host!r} is not a host name such as us1.gigya.com")
    return host


def _secret(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(path, "expected a base64 secret")
    try:
        decode_secret(value)
    except SecretError:
        raise ScenarioError(path, "is not valid base64") from None
    return value.strip()


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(path, f"expected a number, got {json_kind(value)}")
    return float(value)


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise ScenarioError(path, f"expected true or false, got {json_kind(value)}")
    return value


def _delay(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(path, f"expected a whole number of milliseconds, got {json_kind(value)}")
    if not 0 <= value <= _MAX_DELAY_MS:
        raise ScenarioError(path, f"must be between 0 and {_MAX_DELAY_MS} milliseconds")
    return value


def _sites(value: Any, data_center: str) -> list[Site]:
    if value is None:
        raise ScenarioError("sites", "missing (at least one site is needed)")
    sites: list[Site] = []
    for i, raw in enumerate(_list(value, "sites")):
        site = _site(raw, f"sites[{i}]", data_center)
        if any(other.api_key == site.api_key for other in sites):
            raise ScenarioError(f"sites[{i}].apiKey", f"{site.api_key!r} is used by an earlier site")
        sites.append(site)
    return sites


def _site(value: Any, path: str, data_center: str) -> Site:
    data = _object(value, path)
    _known_keys(data, path, ("apiKey", "dataCenter", "approvedDomains", "partnerSecret", "userKeys"))
    if "apiKey" not in data:
        raise ScenarioError(_where(path, "apiKey"), "missing")
    raw_domains = _list(data.get("approvedDomains", []), f"{path}.approvedDomains")
    domains = [_host(domain, f"{path}.approvedDomains[{j}]") for j, domain in enumerate(raw_domains)]
    partner = data.get("partnerSecret")
    keys: list[UserKey] = []
    for j, raw in enumerate(_list(data.get("userKeys", []), f"{path}.userKeys")):
        key_path = f"{path}.userKeys[{j}]"
        key_data = _object(raw, key_path)
        _known_keys(key_data, key_path, ("userKey", "secret"))
        name = _text(key_data.get("userKey"), f"{key_path}.userKey")
        if any(k.user_key == name for k in keys):
            raise ScenarioError(f"{key_path}.userKey", f"{name!r} is listed twice")
        keys.append(UserKey(name, _secret(key_data.get("secret"), f"{key_path}.secret")))
    return Site(
        api_key=_text(data["apiKey"], _where(path, "apiKey")),
        data_center=_host(data.get("dataCenter", data_center), _where(path, "dataCenter")),
        approved_domains=tuple(domains),
        partner_secret=None if partner is None else _secret(partner, _where(path, "partnerSecret")),
        user_keys=tuple(keys),
    )


def _users(value: Any) -> list[SandboxUser]:
    users: list[SandboxUser] = []
    for i, raw in enumerate(_list(value, "users")):
        user = _user(raw, f"users[{i}]")
        if any(other.uid == user.uid for other in users):
            raise ScenarioError(f"users[{i}].UID", f"{user.uid!r} is used by an earlier user")
        users.append(user)
    return users


def _user(value: Any, path: str) -> SandboxUser:
    data = _object(value, path)
    _known_keys(data, path, ("UID", "description", "providers"))
    if "UID" not in data:
        raise ScenarioError(f"{path}.UID", "missing")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ScenarioError(f"{path}.description", f"expected text, got {json_kind(description)}")
    providers_path = f"{path}.providers"
    raw_providers = _object(data.get("providers", {}), providers_path)
    providers: dict[str, ProviderBehaviour] = {}
    for name, raw in raw_providers.items():
        if name.startswith("_"):
            continue
        if not _PROVIDER_NAME_RE.match(name):
            raise ScenarioError(f"{providers_path}.{name}", "a provider name is lower-case letters and digits")
        providers[name] = _behaviour(raw, f"{providers_path}.{name}")
    return SandboxUser(uid=_text(data["UID"], f"{path}.UID"), providers=providers, description=description)


def _behaviour(value: Any, path: str) -> ProviderBehaviour:
    if isinstance(value, str):
        value = {"behaviour": value}
    data = _object(value, path, f"expected a behaviour name or an object with behaviour and delayMs, got {json_kind(value)}")
    _known_keys(data, path, ("behaviour", "behavior", "delayMs"))
    behaviour_key = "behavior" if "behavior" in data and "behaviour" not in data else "behaviour"
    name = data.get(behaviour_key, "ok")
    if name not in BEHAVIOURS:
        shown = name if isinstance(name, str) else json_kind(name)
        raise ScenarioError(f"{path}.{behaviour_key}", f"{shown!r} is not one of: {', '.join(BEHAVIOURS)}")
    return ProviderBehaviour(behaviour=name, delay_ms=_delay(data.get("delayMs", 0), f"{path}.delayMs"))


def _site_to_dict(site: Site) -> dict[str, Any]:
    out: dict[str, Any] = {"apiKey": site.api_key, "dataCenter": site.data_center, "approvedDomains": list(site.approved_domains)}
    if site.partner_secret is not None:
        out["partnerSecret"] = site.partner_secret
    out["userKeys"] = [{"userKey": k.user_key, "secret": k.secret} for k in site.user_keys]
    return out


def _user_to_dict(user: SandboxUser) -> dict[str, Any]:
    providers: dict[str, Any] = {
        name: b.behaviour if not b.delay_ms else {"behaviour": b.behaviour, "delayMs": b.delay_ms}
        for name, b in user.providers.items()
    }
    out: dict[str, Any] = {"UID": user.uid, "providers": providers}
    if user.description:
        out["description"] = user.description
    return out
