"""The built-in sandbox server: a faithful stand-in for ``socialize.publishUserAction``.

It answers as the contract (``gigya-api.md`` sections 1-5) describes, so that a share can be
composed, published and inspected with no live account.  Standard library only, no Qt.

Endpoints:

* ``POST /socialize.publishUserAction`` (form-encoded body) or ``GET`` with a query string.
* ``GET /sandbox/posts`` -> ``{"posts": [...], "attempts": [...]}``: what each network received
  (successful posts) and every network attempt with its errorCode; ``?UID=`` and ``?provider=``
  filter.  ``DELETE /sandbox/posts`` or ``POST /sandbox/reset`` forget them (and the duplicate
  memory).
* ``GET /sandbox/info`` -> the demo credentials and users (the object ``composer sandbox --json``
  prints first).

Checks, in the order the server makes them: ``apiKey`` (400002 missing, 400093 unknown, 301001
other data center with ``apiDomain`` and ``location``); then either ``secret`` (403006 over plain
HTTP; accepted only when the scenario trusts ``X-Forwarded-Proto: https``) or a signature
(400002 for a missing ``sig``/``timestamp``/``nonce``, 403002 for a timestamp more than 120 s from
the server clock, 403005 unknown ``userKey``, 403003 wrong signature, 403003 "Nonce already used");
then the parameters (400002 ``UID``/``userAction``/``callback``, 400006 naming the bad value);
then the user (403005 unknown ``UID``) and the fan-out to the user's networks.

Choices the contract leaves open, made here: a call with no network left to try answers 400006
"No connected provider to publish to"; a user connected only to unsupported networks answers
400006 "Unsupported provider: <name>"; when several networks all fail, the call carries the first
failure's code; ``httpStatusCodes=true`` sets the HTTP status to ``errorCode // 1000`` (so 301001 is
an HTTP 301 without a ``Location`` header); a ``linkBack`` outside the site's ``approvedDomains``
answers 400006.  The server clock (``time``, the ``Date`` header, timestamp checks) is the real
clock plus the scenario's ``clockSkewSeconds``.

The scenario file schema is described in :mod:`composer.core.scenario`.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import errno
import hashlib
import hmac
import json
import logging
import random
import re
import signal
import socket
import socketserver
import sys
import threading
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape, quoteattr

from composer.core import signing
from composer.core.model import (
    ACTION_ATTRIBUTE_VALUES_MAX,
    CID_MAX,
    CREDENTIAL_PARAMS,
    MEDIA_FIELDS,
    PROVIDER_LABELS,
    PROVIDERS,
    SHORT_URLS,
    ModelError,
    PublishCall,
    UserAction,
    attribute_value_count,
    iter_user_actions,
    override_param,
    parse_float,
)
from composer.core.scenario import BEHAVIOURS, ProviderBehaviour, SandboxUser, Scenario, ScenarioError, Site

__all__ = ["SandboxServer", "Scenario", "ScenarioError", "add_arguments", "main_sandbox"]

_log = logging.getLogger(__name__)

PUBLISH_PATH = "/socialize.publishUserAction"
TIMESTAMP_WINDOW_S = 120
#: a nonce is remembered for twice the timestamp window: long enough that a replay is refused
#: either as a reused nonce or as an expired timestamp
NONCE_WINDOW_S = 2 * TIMESTAMP_WINDOW_S
NONCE_MEMORY_MAX = 200_000
RECORDS_MAX = 10_000
STATUS_MEMORY_MAX = 1_000
BODY_MAX = 4 * 1024 * 1024

ERROR_MESSAGES: dict[int, str] = {
    0: "OK",
    301001: "Invalid data center",
    400002: "Missing required parameter",
    400006: "Invalid parameter value",
    400093: "Invalid ApiKey parameter",
    403002: "Request has expired",
    403003: "Invalid request signature",
    403005: "Unauthorized user",
    403006: "Secret Sent Over Http",
    403024: "Provider limit reached",
    403048: "Api rate limit exceeded",
    409030: "Too many requests for same user",
    500001: "General server error",
    # the sandbox's own endpoints
    404000: "Not found",
    405000: "Method not allowed",
}

_CALLBACK_RE = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")
_TIMESTAMP_RE = re.compile(r"^\d{1,12}(\.\d+)?$")
_XML_NAME_RE = re.compile(r"^[A-Za-z_][\w.\-]*$")


# --- outcomes as values --------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """A call refused before (or instead of) publishing."""

    code: int
    details: str
    fields: Mapping[str, Any] = field(default_factory=dict)


def _missing(name: str) -> Refusal:
    return Refusal(400002, f"Missing required parameter: {name}")


def _invalid(details: str) -> Refusal:
    return Refusal(400006, f"Invalid parameter value: {details}")


@dataclass(frozen=True)
class IncomingCall:
    """One publishUserAction request as the engine sees it."""

    method: str
    #: the URL as the client addressed it (scheme, Host header, path): the signed URL
    url: str
    params: Mapping[str, str]
    https: bool = False


@dataclass(frozen=True)
class ProviderResult:
    provider: str
    code: int
    details: str = ""
    post_id: str = ""

    def entry(self) -> dict[str, Any]:
        out: dict[str, Any] = {"provider": self.provider, "errorCode": self.code, "errorMessage": _message(self.code)}
        if self.code and self.details:
            out["errorDetails"] = self.details
        return out


def _message(code: int) -> str:
    return ERROR_MESSAGES.get(code, "Error")


def http_status(code: int) -> int:
    """The HTTP status of an errorCode: 200 for 0, else its first three digits."""
    if code == 0:
        return 200
    try:
        return HTTPStatus(code // 1000).value
    except ValueError:
        return 500


def iso_time(timestamp: float) -> str:
    """ISO 8601 UTC with milliseconds, e.g. ``2015-03-22T11:42:25.943Z``."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- memory ---------------------------------------------------------------------------------------


class NonceLedger:
    """Nonces seen per API key, remembered for ``window_s`` seconds, at most ``max_entries``."""

    def __init__(self, window_s: float = NONCE_WINDOW_S, max_entries: int = NONCE_MEMORY_MAX):
        self._window_s = window_s
        self._max_entries = max_entries
        self._seen: OrderedDict[tuple[str, str], float] = OrderedDict()

    def claim(self, api_key: str, nonce: str) -> bool:
        """Record the nonce; False when it was already used.  The caller holds the lock."""
        now = time.monotonic()
        while self._seen and (next(iter(self._seen.values())) < now - self._window_s or len(self._seen) >= self._max_entries):
            self._seen.popitem(last=False)
        key = (api_key, nonce)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True


def _status_text(provider: str, action: UserAction) -> str:
    """What the network shows, and what its duplicate check compares: Twitter posts only the title
    and the link back; the others the user message, the title and the link back."""
    parts = (action.title, action.linkBack) if provider == "twitter" else (action.userMessage, action.title, action.linkBack)
    return "\n".join(part for part in parts if part)


class _PostIds:
    """Post IDs shaped like each network's own."""

    def __init__(self) -> None:
        self._random = random.Random()

    def _digits(self, count: int) -> str:
        return str(self._random.randrange(10 ** (count - 1), 10**count))

    def new(self, provider: str, uid: str) -> str:
        # the same user always gets the same account number, as on the real networks
        owner = str(10**14 + int(hashlib.sha1(uid.encode("utf-8")).hexdigest(), 16) % (9 * 10**14))
        if provider == "facebook":
            return f"{owner}_{self._digits(17)}"
        if provider == "linkedin":
            return f"urn:li:share:{self._digits(19)}"
        if provider == "vkontakte":
            return f"{owner[:9]}_{self._random.randrange(1, 100_000)}"
        if provider == "renren":
            return self._digits(10)
        if provider == "sina":
            return self._digits(16)
        return self._digits(19)  # twitter


# --- the engine -----------------------------------------------------------------------------------


class Sandbox:
    """The sandbox's behaviour and memory, without HTTP.  Thread-safe."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self._lock = threading.Lock()
        self._nonces = NonceLedger()
        self._posts: deque[dict[str, Any]] = deque(maxlen=RECORDS_MAX)
        self._attempts: deque[dict[str, Any]] = deque(maxlen=RECORDS_MAX)
        self._statuses: dict[tuple[str, str], OrderedDict[str, None]] = {}
        self._post_ids = _PostIds()
        self._seq = 0
        self._request_count = 0

    def clock(self) -> float:
        """The server's clock: the real one plus the scenario's skew."""
        return time.time() + self.scenario.clock_skew_seconds

    @property
    def request_count(self) -> int:
        with self._lock:
            return self._request_count

    # --- the call ---------------------------------------------------------------------------

    def publish(self, call: IncomingCall) -> dict[str, Any]:
        """The response object for one publishUserAction request."""
        with self._lock:
            self._request_count += 1
        if self.scenario.latency_ms:
            time.sleep(self.scenario.latency_ms / 1000)
        site = self._authorize(call)
        if isinstance(site, Refusal):
            return self.response(site.code, site.details, site.fields)
        parsed = self._parse(call.params, site)
        if isinstance(parsed, Refusal):
            return self.response(parsed.code, parsed.details)
        user = self.scenario.user(parsed.UID)
        if user is None:
            return self.response(403005, f"Unknown UID: {parsed.UID}")
        targets = _targets(user, parsed)
        if isinstance(targets, Refusal):
            return self.response(targets.code, targets.details)
        delay_ms = max(behaviour.delay_ms for _, behaviour in targets)
        if delay_ms:
            time.sleep(delay_ms / 1000)  # the networks are contacted in parallel
        results = self._deliver(site, user, parsed, call.params, targets)
        return self._outcome(results)

    def response(self, code: int, details: str = "", extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
        status = http_status(code)
        out: dict[str, Any] = {"statusCode": status, "errorCode": code, "statusReason": HTTPStatus(status).phrase}
        if code:
            out["errorMessage"] = _message(code)
            if details:
                out["errorDetails"] = details
        out["callId"] = uuid.uuid4().hex
        out["time"] = iso_time(self.clock())
        out.update(extra or {})
        return out

    # --- authorization ----------------------------------------------------------------------

    def _authorize(self, call: IncomingCall) -> Site | Refusal:
        api_key = call.params.get("apiKey", "")
        if not api_key:
            return _missing("apiKey")
        site = self.scenario.site(api_key)
        if site is None:
            return Refusal(400093, f"Unknown API key: {api_key}")
        if site.data_center != self.scenario.data_center:
            domain = site.data_center
            return Refusal(
                301001,
                f"The API key {api_key} is served by the {domain} data center",
                {"apiDomain": domain, "location": f"https://socialize.{domain}{PUBLISH_PATH}"},
            )
        refusal = self._check_secret(site, call) if "secret" in call.params else self._check_signature(site, call)
        return refusal or site

    def _check_secret(self, site: Site, call: IncomingCall) -> Refusal | None:
        if not call.https:
            return Refusal(403006, "The secret was sent over plain HTTP; sign the request instead (timestamp, nonce, sig)")
        expected = _secret_for(site, call.params.get("userKey", ""))
        if isinstance(expected, Refusal):
            return expected
        given = call.params["secret"].strip().encode("utf-8")
        if not hmac.compare_digest(given, expected.encode("utf-8")):
            return Refusal(403003, "The secret does not match the user key")
        return None

    def _check_signature(self, site: Site, call: IncomingCall) -> Refusal | None:
        params = call.params
        for name in ("sig", "timestamp", "nonce"):
            if not params.get(name):
                return _missing(name)
        if not _TIMESTAMP_RE.match(params["timestamp"]):
            return _invalid("timestamp must be Unix seconds")
        now = self.clock()
        skew = float(params["timestamp"]) - now
        if abs(skew) > TIMESTAMP_WINDOW_S:
            return Refusal(
                403002,
                f"The timestamp is {abs(skew):.0f} seconds {'ahead of' if skew > 0 else 'behind'} the server clock "
                f"(at most {TIMESTAMP_WINDOW_S} seconds are allowed; the Date header has the server time)",
            )
        secret = _secret_for(site, params.get("userKey", ""))
        if isinstance(secret, Refusal):
            return secret
        if not signing.verify(secret, call.method, call.url, params, params["sig"]):
            return Refusal(403003, f"The signature does not match (signed URL {signing.normalized_url(call.url)})")
        with self._lock:
            fresh = self._nonces.claim(site.api_key, params["nonce"])
        return None if fresh else Refusal(403003, "Nonce already used")

    # --- parameters -------------------------------------------------------------------------

    def _parse(self, params: Mapping[str, str], site: Site) -> PublishCall | Refusal:
        for name in ("UID", "userAction"):
            if not params.get(name, "").strip():
                return _missing(name)
        fmt = params.get("format", "")
        if fmt not in ("", "json", "jsonp", "xml"):
            return _invalid("format must be json or jsonp")
        if fmt == "jsonp":
            callback = params.get("callback", "")
            if not callback:
                return _missing("callback")
            if not _CALLBACK_RE.match(callback):
                return _invalid("callback must be a JavaScript function name")
        method_params = {
            key: value
            for key, value in params.items()
            if key not in CREDENTIAL_PARAMS and not (key.endswith("UserAction") and key != "userAction" and not value.strip())
        }
        try:
            call = PublishCall.from_params(method_params)
        except ModelError as exc:
            joiner = ": " if exc.message.startswith("expected") else " "
            return _invalid(f"{exc.field}{joiner}{exc.message}")
        problem = _call_problem(call) or _content_problem(call, site)
        return _invalid(problem) if problem else call

    # --- fan-out ----------------------------------------------------------------------------

    def _deliver(
        self,
        site: Site,
        user: SandboxUser,
        call: PublishCall,
        params: Mapping[str, str],
        targets: list[tuple[str, ProviderBehaviour]],
    ) -> list[ProviderResult]:
        results = []
        with self._lock:
            for provider, behaviour in targets:
                action = call.content_for(provider)
                result = self._attempt(provider, behaviour.behaviour, user.uid, _status_text(provider, action))
                self._record(site, call, params, result, action)
                results.append(result)
        return results

    def _attempt(self, provider: str, behaviour: str, uid: str, status: str) -> ProviderResult:
        """One network's answer.  The caller holds the lock."""
        label = PROVIDER_LABELS.get(provider, provider)
        code, details = BEHAVIOURS[behaviour]
        if behaviour != "ok":
            return ProviderResult(provider, code, details.format(provider=label))
        memory = self._statuses.setdefault((uid, provider), OrderedDict())
        if status and status in memory:
            return ProviderResult(provider, 403024, BEHAVIOURS["duplicate"][1])
        if status:
            memory[status] = None
            if len(memory) > STATUS_MEMORY_MAX:
                memory.popitem(last=False)
        return ProviderResult(provider, 0, post_id=self._post_ids.new(provider, uid))

    def _record(
        self, site: Site, call: PublishCall, params: Mapping[str, str], result: ProviderResult, action: UserAction
    ) -> None:
        self._seq += 1
        override = params.get(override_param(result.provider), "")
        raw = json.loads(override if override.strip() else params["userAction"]) or {}
        common = {
            "seq": self._seq,
            "time": iso_time(self.clock()),
            "apiKey": site.api_key,
            "UID": call.UID,
            "provider": result.provider,
        }
        attempt = dict(common, errorCode=result.code, errorMessage=_message(result.code))
        if result.code:
            attempt["errorDetails"] = result.details
        attempt["userAction"] = raw
        self._attempts.append(attempt)
        if result.code:
            return
        location = call.userLocation.to_json()
        self._posts.append(
            dict(
                common,
                postId=result.post_id,
                userAction=raw,
                status=_status_text(result.provider, action),
                # only Twitter honours userLocation (contract section 1)
                userLocation=location if location and result.provider == "twitter" else None,
                shortURLs=call.shortURLs or "always",
                tags=list(call.tags),
                cid=call.cid or None,
                actionAttributes=call.actionAttributes or None,
            )
        )

    def _outcome(self, results: list[ProviderResult]) -> dict[str, Any]:
        entries = [result.entry() for result in results]
        posted = {r.provider: r.post_id for r in results if r.code == 0}
        if posted:
            return self.response(0, extra={"providerPostIDs": posted, "providerErrorCodes": entries})
        first = results[0]
        if len(results) == 1:
            return self.response(first.code, first.details, {"providerErrorCodes": entries})
        summary = "; ".join(f"{r.provider}: {r.code} {_message(r.code)}" for r in results)
        return self.response(first.code, f"No provider could be published to ({summary})", {"providerErrorCodes": entries})

    # --- inspection -------------------------------------------------------------------------

    def posts(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(list(self._posts))

    def attempts(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(list(self._attempts))

    def reset(self) -> dict[str, int]:
        """Forget the posts, the attempts and the duplicate memory (not nonces or the count)."""
        with self._lock:
            cleared = {"posts": len(self._posts), "attempts": len(self._attempts)}
            self._posts.clear()
            self._attempts.clear()
            self._statuses.clear()
        return cleared

    def info(self, url: str) -> dict[str, Any]:
        site = self.scenario.home_site
        assert site is not None  # Scenario.from_dict guarantees it
        key = site.user_keys[0]
        users = []
        for user in self.scenario.users:
            entry: dict[str, Any] = {"UID": user.uid, "providers": list(user.providers)}
            if user.description:
                entry["description"] = user.description
            users.append(entry)
        return {
            "url": url,
            "apiKey": site.api_key,
            "userKey": key.user_key,
            "secret": key.secret,
            "dataCenter": self.scenario.data_center,
            "users": users,
            "sites": [{"apiKey": s.api_key, "dataCenter": s.data_center} for s in self.scenario.sites],
        }


def _secret_for(site: Site, user_key: str) -> str | Refusal:
    if user_key:
        key = site.user_key(user_key)
        return key.secret if key else Refusal(403005, f"Unknown user key: {user_key}")
    if site.partner_secret:
        return site.partner_secret
    return _missing("userKey")


def _targets(user: SandboxUser, call: PublishCall) -> list[tuple[str, ProviderBehaviour]] | Refusal:
    supported = [name for name in user.providers if name in PROVIDERS]
    unsupported = [name for name in user.providers if name not in PROVIDERS]
    if unsupported and not supported:
        return Refusal(400006, f"Unsupported provider: {', '.join(unsupported)} (the user has no other connection)")
    enabled = None if call.enabledProviders is None else {name.lower() for name in call.enabledProviders}
    disabled = {name.lower() for name in call.disabledProviders}
    targets = [name for name in supported if (enabled is None or name in enabled) and name not in disabled]
    if targets:
        return [(name, user.providers[name]) for name in targets]
    # The live service fails such a call but does not publish a code for it; the sandbox answers
    # 400006 (as for an unsupported provider) with details that say why.
    if not supported:
        return Refusal(400006, "No connected provider to publish to: the user is not connected to any network")
    return Refusal(
        400006,
        f"No connected provider to publish to: enabledProviders/disabledProviders leave none of {', '.join(supported)}",
    )


def _call_problem(call: PublishCall) -> str | None:
    """The first bad call-level value (cid, actionAttributes, userLocation, shortURLs), or None."""
    if len(call.cid) > CID_MAX:
        return f"cid must be at most {CID_MAX} characters (got {len(call.cid)})"
    for key, value in call.actionAttributes.items():
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, (bool, dict, list)) for v in values):
            return f"actionAttributes.{key} must be a text or a list of texts"
    count = attribute_value_count(call.actionAttributes)
    if count > ACTION_ATTRIBUTE_VALUES_MAX:
        return f"actionAttributes must carry at most {ACTION_ATTRIBUTE_VALUES_MAX} values in all (got {count})"
    location = call.userLocation
    for name, raw, limit in (("latitude", location.latitude, 90), ("longitude", location.longitude, 180)):
        if not raw.strip():
            continue
        number = parse_float(raw)
        if number is None:
            return f"userLocation.{name} must be a number"
        if not -limit <= number <= limit:
            return f"userLocation.{name} must be between -{limit} and {limit}"
    if bool(location.latitude.strip()) != bool(location.longitude.strip()):
        missing, given = ("longitude", "latitude") if location.latitude.strip() else ("latitude", "longitude")
        return f"userLocation.{missing} is required with {given}"
    if call.shortURLs and call.shortURLs not in SHORT_URLS:
        return f"shortURLs must be one of {', '.join(SHORT_URLS)}"
    return None


def _content_problem(call: PublishCall, site: Site) -> str | None:
    """The first bad value inside the UserAction JSONs, or None."""
    for name, action in iter_user_actions(call):
        problem = _media_problem(name, action) or _link_problem(name, action, site)
        if problem:
            return problem
    return None


def _media_problem(name: str, action: UserAction) -> str | None:
    types: list[str] = []
    for i, item in enumerate(action.mediaItems):
        if item.type not in MEDIA_FIELDS:
            return f"{name}.mediaItems[{i}].type must be one of {', '.join(MEDIA_FIELDS)}"
        if item.type not in types:
            types.append(item.type)
    if len(types) > 1:
        return f"{name}.mediaItems must hold one media type only (got {', '.join(types)})"
    return None


def _link_problem(name: str, action: UserAction, site: Site) -> str | None:
    links = [(f"{name}.linkBack", action.linkBack)]
    links += [(f"{name}.actionLinks[{i}].href", link.href) for i, link in enumerate(action.actionLinks)]
    for i, item in enumerate(action.mediaItems):
        links += [(f"{name}.mediaItems[{i}].{key}", item.get(key)) for key in ("src", "href", "previewImageURL")]
    for path, url in links:
        if url and not _absolute_http_host(url):
            return f"{path} must be an absolute http(s) URL"
    host = _absolute_http_host(action.linkBack)
    if host and not site.approves(host):
        approved = ", ".join(site.approved_domains)
        return f"{name}.linkBack {host} is not an approved domain of site {site.api_key} (approved: {approved})"
    return None


def _absolute_http_host(url: str) -> str:
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return ""
    return host if parts.scheme.lower() in ("http", "https") and host else ""


# --- rendering ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str


def _json_reply(status: int, value: Any, pretty: bool = False) -> Reply:
    text = json.dumps(value, ensure_ascii=False, indent=2 if pretty else None, separators=None if pretty else (",", ":"))
    return Reply(status, text.encode("utf-8"), "application/json; charset=utf-8")


def render(response: Mapping[str, Any], params: Mapping[str, str], root: str = "socialize.publishUserActionResponse") -> Reply:
    """The response in the format the call asked for: JSON, JSONP, or (no format) XML."""
    status = response["statusCode"] if params.get("httpStatusCodes", "").lower() == "true" else 200
    fmt = params.get("format", "")
    callback = params.get("callback", "")
    if fmt == "jsonp" and _CALLBACK_RE.match(callback):
        text = f"{callback}({json.dumps(response, ensure_ascii=False)});"
        return Reply(status, text.encode("utf-8"), "text/javascript; charset=utf-8")
    if fmt in ("", "xml"):
        return Reply(status, to_xml(root, response).encode("utf-8"), "text/xml; charset=utf-8")
    return _json_reply(status, response)


def to_xml(root: str, value: Mapping[str, Any]) -> str:
    """A simple XML rendering: objects as elements, lists as ``<item>`` children, nulls left out."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>']
    _xml_element(root, value, lines, 0, ' xmlns="urn:com:gigya:api"')
    return "\n".join(lines) + "\n"


def _xml_element(name: str, value: Any, out: list[str], depth: int, attributes: str = "") -> None:
    pad = "  " * depth
    tag = name if _XML_NAME_RE.match(name) else "entry"
    if tag != name:
        attributes += f" name={quoteattr(name)}"
    if isinstance(value, Mapping):
        children = [(k, v) for k, v in value.items() if v is not None]
    elif isinstance(value, list):
        children = [("item", v) for v in value if v is not None]
    else:
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        out.append(f"{pad}<{tag}{attributes}>{escape(text)}</{tag}>")
        return
    out.append(f"{pad}<{tag}{attributes}>")
    for child_name, child in children:
        _xml_element(str(child_name), child, out, depth + 1)
    out.append(f"{pad}</{tag}>")


def _error_body(status: int, details: str) -> dict[str, Any]:
    code = status * 1000
    return {
        "statusCode": status,
        "errorCode": code,
        "statusReason": HTTPStatus(status).phrase,
        "errorMessage": _message(code),
        "errorDetails": details,
        "callId": uuid.uuid4().hex,
        "time": iso_time(time.time()),  # not a publish call: the real clock
    }


def _decode_params(text: bytes | str) -> dict[str, str]:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return dict(parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace"))


# --- HTTP -----------------------------------------------------------------------------------------


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # idle keep-alive connections must not hold up stop(); close_connections() ends them instead
    block_on_close = False

    def __init__(self, address: tuple[str, int], sandbox: Sandbox):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.sandbox = sandbox
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up (getfqdn), which can be slow; not needed
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # a client went away: not worth a word
        _log.error("sandbox: unexpected error while serving a request", exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "composer-sandbox/1.0"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = 120  # idle keep-alive connections are closed after this
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: no per-request line on stderr."""

    def version_string(self) -> str:
        return self.server_version

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header follows the server's (possibly skewed) clock."""
        return super().date_time_string(self.server.sandbox.clock() if timestamp is None else timestamp)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def _handle(self) -> None:
        body = self._read_body()
        if body is None:
            return
        parts = urlsplit(self.path)
        try:
            reply = self._route(parts.path, parts.query, body)
        except Exception:  # a bug: answer 500 rather than drop the connection
            _log.error("sandbox: unexpected error while answering %s %s", self.command, parts.path, exc_info=True)
            reply = _json_reply(500, _error_body(500, "The sandbox failed unexpectedly"))
        self._send(reply)

    def _read_body(self) -> bytes | None:
        """The request body, or None when it was refused (the answer is sent already)."""
        length_text = self.headers.get("Content-Length", "")
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._refuse(411, "Send the body with a Content-Length")
        elif length_text and not length_text.isdigit():
            self._refuse(400, "Content-Length is not a number")
        elif length_text and int(length_text) > BODY_MAX:
            self._refuse(413, f"The body is larger than {BODY_MAX} bytes")
        else:
            return self.rfile.read(int(length_text)) if length_text else b""
        return None

    def _refuse(self, status: int, details: str) -> None:
        self.close_connection = True  # the unread body would be taken for the next request
        body = {"statusCode": status, "statusReason": HTTPStatus(status).phrase, "errorDetails": details}
        self._send(_json_reply(status, body))

    def _route(self, path: str, query: str, body: bytes) -> Reply:
        method = self.command
        sandbox = self.server.sandbox
        if path.lower() == PUBLISH_PATH.lower():
            return self._publish(query, body) if method in ("GET", "POST") else self._not_allowed(path)
        if path == "/sandbox/posts" and method == "GET":
            return _json_reply(200, _filtered_records(sandbox, _decode_params(query)), pretty=True)
        if (path == "/sandbox/posts" and method == "DELETE") or (path == "/sandbox/reset" and method == "POST"):
            return _json_reply(200, {"cleared": sandbox.reset()}, pretty=True)
        if path == "/sandbox/info" and method == "GET":
            return _json_reply(200, sandbox.info(self._base_url()), pretty=True)
        if path in ("/sandbox/posts", "/sandbox/reset", "/sandbox/info"):
            return self._not_allowed(path)
        return _json_reply(404, _error_body(404, f"Unknown method: {path}"))

    def _not_allowed(self, path: str) -> Reply:
        return _json_reply(405, _error_body(405, f"{self.command} is not allowed on {path}"))

    def _publish(self, query: str, body: bytes) -> Reply:
        params = _decode_params(query)
        if self.command == "POST":
            params.update(_decode_params(body))
        https = self._forwarded_https()
        call = IncomingCall(method=self.command, url=self._base_url(https) + urlsplit(self.path).path, params=params, https=https)
        return render(self.server.sandbox.publish(call), params)

    def _forwarded_https(self) -> bool:
        forwarded = self.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        return self.server.sandbox.scenario.trust_proxy_https and forwarded == "https"

    def _base_url(self, https: bool = False) -> str:
        """Scheme and host as the client addressed them (the Host header), for the signature."""
        scheme = "https" if https else "http"
        host = self.headers.get("Host", "").strip()
        if host:
            try:
                signing.normalized_url(f"{scheme}://{host}/")
                return f"{scheme}://{host}"
            except ValueError:
                pass  # a malformed Host header: fall back to the address the server listens on
        return f"{scheme}://{_url_host(self.server.server_name)}:{self.server.server_port}"

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Cache-Control", "no-store")
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(reply.body)
        except (ConnectionError, TimeoutError):
            self.close_connection = True


def _filtered_records(sandbox: Sandbox, query: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    def keep(record: Mapping[str, Any]) -> bool:
        return all(record.get(key) == query[key] for key in ("UID", "provider") if query.get(key))

    return {
        "posts": [r for r in sandbox.posts() if keep(r)],
        "attempts": [r for r in sandbox.attempts() if keep(r)],
    }


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


# --- the public server ----------------------------------------------------------------------------


class SandboxServer:
    """The sandbox on a loopback port, served from a daemon thread::

        with SandboxServer() as server:
            requests.post(server.url + "/socialize.publishUserAction", data=...)
    """

    def __init__(self, scenario: Scenario | None = None, host: str = "127.0.0.1", port: int = 0):
        self.scenario = scenario if scenario is not None else Scenario.default()
        self.host = host
        self._requested_port = port
        self._sandbox = Sandbox(self.scenario)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> SandboxServer:
        """Listen and serve in a daemon thread.  Raises OSError when the port cannot be used."""
        if self._httpd is not None:
            return self
        self._httpd = _HTTPServer((self.host, self._requested_port), self._sandbox)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="composer-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._httpd = self._thread = None
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the sandbox server is not started")
        return self._httpd.server_port

    @property
    def url(self) -> str:
        """e.g. ``http://127.0.0.1:54321`` (available after :meth:`start`)."""
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def request_count(self) -> int:
        """publishUserAction requests received, whatever their outcome (``/sandbox/*`` not counted)."""
        return self._sandbox.request_count

    def info(self) -> dict[str, Any]:
        """``{"url", "apiKey", "userKey", "secret", "dataCenter", "users": [{"UID", "providers",
        "description"}], "sites": [{"apiKey", "dataCenter"}]}``."""
        return self._sandbox.info(self.url)

    def posts(self) -> list[dict[str, Any]]:
        """What the networks received (successful posts), oldest first."""
        return self._sandbox.posts()

    def attempts(self) -> list[dict[str, Any]]:
        """Every network attempt with its errorCode, oldest first."""
        return self._sandbox.attempts()

    def reset(self) -> None:
        """Forget posts, attempts and the duplicate memory."""
        self._sandbox.reset()


# --- command line ---------------------------------------------------------------------------------


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535; 0 picks a free one)")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``composer sandbox``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=0, help="port to listen on (default 0: any free port)")
    parser.add_argument("--scenario", metavar="FILE", help="scenario JSON file (default: the built-in demo scenario)")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object (url, apiKey, userKey, secret, users) as the first line"
    )


def main_sandbox(args: argparse.Namespace) -> int:
    """``composer sandbox``: serve until SIGINT/SIGTERM.  0 when stopped, 2 for a bad scenario
    file or an address that cannot be used."""
    scenario_path = getattr(args, "scenario", None)
    try:
        scenario = Scenario.load(scenario_path) if scenario_path else Scenario.default()
    except ScenarioError as exc:
        print(f"composer sandbox: bad scenario file: {exc}", file=sys.stderr)
        return 2
    host = getattr(args, "host", "127.0.0.1")
    port = getattr(args, "port", 0)
    server = SandboxServer(scenario, host=host, port=port)
    stop = threading.Event()
    with _stop_on_signals(stop):  # installed first: a signal right after the announcement still stops cleanly
        try:
            server.start()
        except OSError as exc:
            print(f"composer sandbox: {_listen_problem(exc, host, port)}", file=sys.stderr)
            return 2
        try:
            _announce(server, as_json=bool(getattr(args, "json", False)))
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
    return 0


def _listen_problem(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use; choose another with --port (0 picks a free one)"
    return f"cannot listen on {host}:{port} ({error.strerror or error})"


def _announce(server: SandboxServer, as_json: bool) -> None:
    info = server.info()
    if as_json:
        print(json.dumps(info, ensure_ascii=False), flush=True)
        return
    lines = [
        f"Gigya sandbox listening on {info['url']} (data center {info['dataCenter']})",
        f"  API key:  {info['apiKey']}",
        f"  User key: {info['userKey']}",
        f"  Secret:   {info['secret']}  (demo secret from the scenario)",
        "  Users:",
    ]
    width = max((len(user["UID"]) for user in info["users"]), default=0)
    for user in info["users"]:
        providers = ", ".join(user["providers"]) or "no network"
        description = f"  ({user['description']})" if user.get("description") else ""
        lines.append(f"    {user['UID']:<{width}}  {providers}{description}")
    lines.append(f"  Received posts: GET {info['url']}/sandbox/posts   forget them: POST {info['url']}/sandbox/reset")
    lines.append("Press Ctrl+C to stop.")
    print("\n".join(lines), flush=True)


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` (only the main thread may install handlers)."""
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
