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

Checks, in the order the server makes them: every parameter's text (400006 naming the first
parameter whose name or value is not UTF-8 once percent-decoded: neither a signature nor a value
can be checked over it); then ``apiKey`` (400002 missing, 400093 unknown, 301001 other data center
with ``apiDomain`` and ``location``); then either ``secret`` (403006 over plain HTTP; accepted only
when the scenario trusts ``X-Forwarded-Proto: https``) or a signature (400002 for a missing
``sig``/``timestamp``/``nonce``, 400006 for a ``timestamp`` that is not Unix seconds, 403002 for
one further than :data:`~composer.core.contract.TIMESTAMP_WINDOW_S` from the server clock, 403005
unknown ``userKey``, 403003 wrong signature, 403003 "Nonce already used"); then the parameters
(400002 ``UID``/``userAction``/``callback``, 400006 naming the bad value); then the user (403005
unknown ``UID``) and the fan-out to the user's networks.

Every malformed parameter answers 400006 naming it, never a 500.  A JSON-valued parameter
(:data:`JSON_PARAMS`, and a UserAction's ``actionLinks``/``mediaItems`` given as JSON text) must
hold an object and is read within the limits drafts are read with: at most
:data:`~composer.core.call.draft.MAX_DRAFT_BYTES` of UTF-8 (a draft file's size), and
(:func:`composer.core.call.model.parse_json`) nesting at most
:data:`~composer.core.call.model.MAX_JSON_DEPTH` levels deep, numbers within a double's range
(:data:`~composer.core.call.model.LARGEST_NUMBER`), no ``NaN`` or ``Infinity``, no unpaired
surrogate (``"\\ud800"``).  Each parameter is then read by the call model on its own, and
whatever it fails on is 400006 naming that parameter too.

HTTP (:mod:`composer.sandbox.server`): a request line that is not ``METHOD TARGET HTTP/1.x`` (the
HTTP/0.9 ``GET /`` included) answers 400, an overlong one 414, an overlong header or too many 431,
an unknown method 501, HTTP/2 505, a Content-Length that is not a number 400, a body over
:data:`BODY_MAX` 413, a chunked one 411: each in JSON (``statusCode``, ``statusReason``,
``errorDetails``), and the connection is closed at once.  A client has
:data:`~composer.sandbox.server.REQUEST_TIMEOUT_S` to send a whole request, counted from the
connection for its first request and from the first byte of each next one (a kept-alive
connection may idle :data:`~composer.sandbox.server.KEEP_ALIVE_IDLE_S` in between); one that takes
longer is answered 408 and its connection closed, one that sent nothing is closed.

The server listens on loopback unless told otherwise.  ``composer sandbox --host`` with any other
address prints where it listens (for ``0.0.0.0`` or ``::``, a URL for this machine and one for
the others) and warns on stderr that anyone who can reach it can read the demo credentials, the
secret included, at ``/sandbox/info``.

What the networks do, as documented: Facebook refuses a user message the user has posted before,
Twitter a status (title and link back) it has posted before, each with 403024 "Limit reached:
Status is a duplicate." (:func:`_repeat_key`); the other networks have no documented duplicate
rule, and none is invented for them.  A network that requires a text refuses a post without one
(Twitter: :mod:`composer.sandbox.limits`).  ``providerPostIDs`` names only facebook, twitter and
linkedin (:data:`~composer.core.contract.POST_ID_PROVIDERS`); the others report their success in
``providerErrorCodes`` alone.  What a network receives (``/sandbox/posts``) is the user message
stripped to the tags Gigya keeps (:func:`composer.core.call.markup.strip_to_kept`) and, for
Facebook, its one action link (:func:`composer.core.call.preview.facebook_action_link`).

Choices the contract leaves open, made here: a call with no network left to try answers 400006
"No connected provider to publish to"; a user connected only to unsupported networks answers
400006 "Unsupported provider: <name>"; when several networks all fail, the call carries the first
failure's code; ``httpStatusCodes=true`` sets the HTTP status to ``errorCode // 1000`` (so 301001 is
an HTTP 301 whose ``Location`` header is the answer's ``location``); any URL of a UserAction (link
back, action links, media) outside the site's ``approvedDomains`` answers 400006 naming it; a
duplicate is the same text exactly (after the tags Gigya strips), and an empty one is never a
duplicate.  The server clock (``time``, the ``Date`` header, timestamp checks) is the real clock
plus the scenario's ``clockSkewSeconds``.

The scenario file schema is described in :mod:`composer.sandbox.scenario`.
"""
from __future__ import annotations

import copy
import hashlib
import hmac
import logging
import random
import re
import threading
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from composer.core.call.draft import MAX_DRAFT_BYTES
from composer.core.call.markup import strip_to_kept
from composer.core.call.model import (
    ACTION_ATTRIBUTE_VALUES_MAX,
    CID_MAX,
    COORDINATE_LIMITS,
    MEDIA_FIELDS,
    SHORT_URLS,
    JSONTextError,
    ModelError,
    PublishCall,
    UserAction,
    attribute_value_count,
    eligible_providers,
    iter_user_actions,
    json_kind,
    override_param,
    parse_float,
    parse_json,
)
from composer.core.call.preview import facebook_action_link, tweet_text
from composer.core.contract import (
    CODE_EXPIRED,
    CODE_INVALID_API_KEY,
    CODE_INVALID_PARAMETER,
    CODE_INVALID_SIGNATURE,
    CODE_MISSING_PARAMETER,
    CODE_OK,
    CODE_PROVIDER_LIMIT,
    CODE_SECRET_OVER_HTTP,
    CODE_UNAUTHORIZED_USER,
    CODE_WRONG_DATA_CENTER,
    CREDENTIAL_PARAMS,
    ERROR_MESSAGES,
    METHOD,
    POST_ID_PROVIDERS,
    PROVIDER_LABELS,
    PROVIDERS,
    TIMESTAMP_WINDOW_S,
)
from composer.core.units import MB, byte_count, byte_limit
from composer.core.wire import signing
from composer.sandbox import limits
from composer.sandbox.scenario import BEHAVIOURS, ProviderBehaviour, SandboxUser, Scenario, Site
from composer.sandbox.shortener import Shortener

_log = logging.getLogger(__name__)

PUBLISH_PATH = f"/{METHOD}"
#: a nonce is remembered for twice the timestamp window: long enough that a replay is refused
#: either as a reused nonce or as an expired timestamp
NONCE_WINDOW_S = 2 * TIMESTAMP_WINDOW_S
NONCE_MEMORY_MAX = 200_000
#: our choice: the posts and attempts kept for /sandbox/posts (and a short link for each), the
#: oldest forgotten first, so a long test plan's memory stays flat
RECORDS_MAX = 10_000
STATUS_MEMORY_MAX = 1_000
#: The largest request body read.  Any value within a draft's limit (MAX_DRAFT_BYTES) must reach
#: the parameter checks, even percent-encoded byte by byte (three characters a byte, "%XX": RFC 3986
#: section 2.1, https://www.rfc-editor.org/rfc/rfc3986#section-2.1), so that a value past that limit
#: is named (400006) rather than refused unread; our choice: 1 MB more for the rest of the call.
BODY_MAX = 3 * MAX_DRAFT_BYTES + MB

#: errorCode -> errorMessage of the sandbox's own HTTP answers (an unknown path, a method a path
#: does not take).  These are not Gigya's codes (the contract lists none for them): they follow
#: its pattern of HTTP status * 1000 so that a client reads them like any other answer.
TRANSPORT_MESSAGES: dict[int, str] = {
    404000: "Not found",
    405000: "Method not allowed",
}

#: The UserAction parameters: the default content and each network's own (gigya-api.md section 1).
USER_ACTION_PARAMS: tuple[str, ...] = ("userAction", *(override_param(provider) for provider in PROVIDERS))
#: The parameters whose value is JSON text (gigya-api.md section 1), read within the limits of
#: :func:`composer.core.call.model.parse_json` before the call model sees them.
JSON_PARAMS = frozenset({*USER_ACTION_PARAMS, "actionAttributes", "userLocation"})
#: The UserAction fields the model also takes as JSON text; read here first, within the same
#: limits, so that a refusal names the field (``userAction.actionLinks``).
NESTED_JSON_FIELDS: tuple[str, ...] = ("actionLinks", "mediaItems")

CALLBACK_PATTERN = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")
_TIMESTAMP_RE = re.compile(r"^\d{1,12}(\.\d+)?$")


# --- outcomes as values --------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """A call refused before (or instead of) publishing."""

    code: int
    details: str
    fields: Mapping[str, Any] = field(default_factory=dict)


def _missing(name: str) -> Refusal:
    return Refusal(CODE_MISSING_PARAMETER, f"Missing required parameter: {name}")


def _invalid(details: str) -> Refusal:
    return Refusal(CODE_INVALID_PARAMETER, f"Invalid parameter value: {details}")


@dataclass(frozen=True)
class IncomingCall:
    """One publishUserAction request as the engine sees it."""

    method: str
    #: the URL as the client addressed it (scheme, Host header, path): the signed URL
    url: str
    params: Mapping[str, str]
    https: bool = False
    #: the parameters whose name or value is not UTF-8 once percent-decoded (each named as it
    #: reads in ``params``, or percent-encoded when the name itself is the bad text)
    undecodable: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadCall:
    """A call whose parameters were all read: the model of it, and each parameter's value as read
    (JSON-valued ones parsed; the records show the UserAction JSON as it was sent)."""

    call: PublishCall
    values: Mapping[str, Any]


@dataclass(frozen=True)
class ProviderAttempt:
    """What one network answered when the sandbox published to it: the contract's ``errorCode``,
    the details of a failure, the post ID of a success.

    The sandbox's own record, which :meth:`entry` turns into one item of the response's
    ``providerErrorCodes``.  Not the client's :class:`composer.core.wire.result.ProviderResult`,
    which is what the client makes of a response: a status per provider (posted, failed, not
    attempted, unknown), including the providers no answer mentions."""

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
    if code == CODE_OK:
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
    """What the network shows: Twitter posts only the title and the link back; the others the user
    message (with the tags Gigya keeps), the title and the link back."""
    if provider == "twitter":
        return tweet_text(action, "never")  # the action already carries the link as posted
    return "\n".join(part for part in (strip_to_kept(action.userMessage), action.title, action.linkBack) if part)


def _repeat_key(provider: str, action: UserAction) -> str:
    """What ``provider`` compares with the user's earlier posts to refuse a duplicate, or "" when
    no rule is documented for it.  Facebook: the user message ("Facebook will reject shares that
    contain a user message that has been previously used for that user",
    https://developers.gigya.com/display/GD/UserAction+JS).  Twitter: the status, which is the
    title and the link back (the reference's example answer, "Limit reached: Status is a
    duplicate."; Twitter refuses a duplicate status,
    https://groups.google.com/g/twitter-api-announce/c/kw0ULiFEXac)."""
    if provider == "facebook":
        return strip_to_kept(action.userMessage)
    if provider == "twitter":
        return tweet_text(action, "never")  # the action already carries the link as posted
    return ""


def _as_received(provider: str, sent: Mapping[str, Any], action: UserAction) -> dict[str, Any]:
    """The UserAction JSON as Gigya passes it on to ``provider``: the user message stripped to the
    tags Gigya keeps, and for Facebook only its one action link (the rest as it was sent)."""
    out = dict(sent)
    if "userMessage" in out:
        out["userMessage"] = strip_to_kept(action.userMessage)
    link = facebook_action_link(action) if provider == "facebook" else None
    if link is not None:
        out["actionLinks"] = [link.to_json()]
    return out


class _PostIds:
    """Post IDs shaped like each network's own."""

    def __init__(self) -> None:
        self._random = random.Random()

    def _digits(self, count: int) -> str:
        return str(self._random.randrange(10 ** (count - 1), 10**count))

    def new(self, provider: str, uid: str) -> str:
        """A post ID for one of POST_ID_PROVIDERS."""
        # the same user always gets the same account number, as on the real networks
        owner = str(10**14 + int(hashlib.sha1(uid.encode("utf-8")).hexdigest(), 16) % (9 * 10**14))
        if provider == "facebook":
            return f"{owner}_{self._digits(17)}"
        if provider == "linkedin":
            return f"urn:li:share:{self._digits(19)}"
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
        self.shortener = Shortener(max_links=RECORDS_MAX)  # a link for each post the sandbox keeps
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
        if call.undecodable:
            # first: neither a signature nor a value can be checked over text that cannot be read
            unreadable = _invalid(f"{call.undecodable[0]} is not UTF-8 text once percent-decoded")
            return self.response(unreadable.code, unreadable.details)
        site = self._authorize(call)
        if isinstance(site, Refusal):
            return self.response(site.code, site.details, site.fields)
        parsed = self._parse(call.params, site)
        if isinstance(parsed, Refusal):
            return self.response(parsed.code, parsed.details)
        user = self.scenario.user(parsed.call.UID)
        if user is None:
            return self.response(CODE_UNAUTHORIZED_USER, f"Unknown UID: {parsed.call.UID}")
        targets = _targets(user, parsed.call)
        if isinstance(targets, Refusal):
            return self.response(targets.code, targets.details)
        delay_ms = max(behaviour.delay_ms for _, behaviour in targets)
        if delay_ms:
            time.sleep(delay_ms / 1000)  # the networks are contacted in parallel
        results = self._deliver(site, user, parsed, targets, _origin(call.url))
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
            return Refusal(CODE_INVALID_API_KEY, f"Unknown API key: {api_key}")
        if site.data_center != self.scenario.data_center:
            domain = site.data_center
            return Refusal(
                CODE_WRONG_DATA_CENTER,
                f"The API key {api_key} is served by the {domain} data center",
                {"apiDomain": domain, "location": f"https://socialize.{domain}{PUBLISH_PATH}"},
            )
        refusal = self._check_secret(site, call) if "secret" in call.params else self._check_signature(site, call)
        return refusal or site

    def _check_secret(self, site: Site, call: IncomingCall) -> Refusal | None:
        if not call.https:
            return Refusal(CODE_SECRET_OVER_HTTP, "The secret was sent over plain HTTP; sign the request instead (timestamp, nonce, sig)")
        expected = _secret_for(site, call.params.get("userKey", ""))
        if isinstance(expected, Refusal):
            return expected
        given = call.params["secret"].strip().encode("utf-8")
        if not hmac.compare_digest(given, expected.encode("utf-8")):
            return Refusal(CODE_INVALID_SIGNATURE, "The secret does not match the user key")
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
                CODE_EXPIRED,
                f"The timestamp is {abs(skew):.0f} seconds {'ahead of' if skew > 0 else 'behind'} the server clock "
                f"(at most {TIMESTAMP_WINDOW_S} seconds are allowed; the Date header has the server time)",
            )
        secret = _secret_for(site, params.get("userKey", ""))
        if isinstance(secret, Refusal):
            return secret
        if not signing.verify(secret, call.method, call.url, params, params["sig"]):
            return Refusal(CODE_INVALID_SIGNATURE, f"The signature does not match (signed URL {signing.normalized_url(call.url)})")
        with self._lock:
            fresh = self._nonces.claim(site.api_key, params["nonce"])
        return None if fresh else Refusal(CODE_INVALID_SIGNATURE, "Nonce already used")

    # --- parameters -------------------------------------------------------------------------

    def _parse(self, params: Mapping[str, str], site: Site) -> ReadCall | Refusal:
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
            if not CALLBACK_PATTERN.match(callback):
                return _invalid("callback must be a JavaScript function name")
        values: dict[str, Any] = {}
        for name, text in params.items():
            if name in CREDENTIAL_PARAMS or (name.endswith("UserAction") and name != "userAction" and not text.strip()):
                continue  # an empty override is not sent: the network gets the default content
            value = _read_parameter(name, text)
            if isinstance(value, Refusal):
                return value
            values[name] = value
        call = PublishCall.from_params(values)  # each value was read on its own above
        problem = _call_problem(call) or _content_problem(call, site)
        return _invalid(problem) if problem else ReadCall(call, values)

    # --- fan-out ----------------------------------------------------------------------------

    def _deliver(
        self, site: Site, user: SandboxUser, parsed: ReadCall, targets: list[tuple[str, ProviderBehaviour]], origin: str
    ) -> list[ProviderAttempt]:
        results = []
        with self._lock:
            for provider, behaviour in targets:
                sent = parsed.call.content_for(provider)
                # the network receives the link back shortened (on the sandbox's address, so that it
                # can be followed here), and refuses what breaks its limits with Gigya's link, as the
                # previews count it (sandbox/limits.py says why)
                action = self.shortener.as_posted(sent, parsed.call.shortURLs, origin)
                refused = limits.refusal(provider, sent, parsed.call.shortURLs)
                if refused:
                    result = ProviderAttempt(provider, *refused)
                else:
                    result = self._attempt(provider, behaviour.behaviour, user.uid, _repeat_key(provider, action))
                self._record(site, parsed, result, action)
                results.append(result)
        return results

    def _attempt(self, provider: str, behaviour: str, uid: str, repeat_key: str) -> ProviderAttempt:
        """One network's answer; ``repeat_key`` is what it compares to refuse a duplicate ("" for
        none).  The caller holds the lock."""
        label = PROVIDER_LABELS.get(provider, provider)
        code, details = BEHAVIOURS[behaviour]
        if behaviour != "ok":
            return ProviderAttempt(provider, code, details.format(provider=label))
        if repeat_key:
            memory = self._statuses.setdefault((uid, provider), OrderedDict())
            if repeat_key in memory:
                return ProviderAttempt(provider, CODE_PROVIDER_LIMIT, BEHAVIOURS["duplicate"][1])
            memory[repeat_key] = None
            if len(memory) > STATUS_MEMORY_MAX:
                memory.popitem(last=False)
        post_id = self._post_ids.new(provider, uid) if provider in POST_ID_PROVIDERS else ""
        return ProviderAttempt(provider, CODE_OK, post_id=post_id)

    def _record(self, site: Site, parsed: ReadCall, result: ProviderAttempt, action: UserAction) -> None:
        self._seq += 1
        call = parsed.call
        # the UserAction JSON the network was given: its override, else the default, as Gigya passes it on
        sent = parsed.values.get(override_param(result.provider), parsed.values["userAction"]) or {}
        raw = _as_received(result.provider, sent, action)
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
                postId=result.post_id or None,
                userAction=raw,
                status=_status_text(result.provider, action),
                link=self.shortener.link_entry(call.content_for(result.provider).linkBack, action.linkBack),
                # only Twitter honours userLocation (contract section 1)
                userLocation=location if location and result.provider == "twitter" else None,
                shortURLs=call.shortURLs or "always",
                tags=list(call.tags),
                cid=call.cid or None,
                actionAttributes=call.actionAttributes or None,
            )
        )

    def _outcome(self, results: list[ProviderAttempt]) -> dict[str, Any]:
        entries = [result.entry() for result in results]
        if any(r.code == CODE_OK for r in results):
            post_ids = {r.provider: r.post_id for r in results if r.code == CODE_OK and r.post_id}
            # "A field that does not contain data will not appear in the response" (the seed)
            extra = {"providerPostIDs": post_ids} if post_ids else {}
            return self.response(0, extra={**extra, "providerErrorCodes": entries})
        first = results[0]
        if len(results) == 1:
            return self.response(first.code, first.details, {"providerErrorCodes": entries})
        summary = "; ".join(f"{r.provider}: {r.code} {_message(r.code)}" for r in results)
        return self.response(first.code, f"No provider could be published to ({summary})", {"providerErrorCodes": entries})

    # --- inspection -------------------------------------------------------------------------

    def posts(self) -> list[dict[str, Any]]:
        with self._lock:
            return self.shortener.with_clicks(copy.deepcopy(list(self._posts)))

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


class _UnreadableParameter(ValueError):
    """A parameter's JSON text past the limits; the message names the parameter."""


def _read_json(text: str, path: str) -> Any:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_DRAFT_BYTES:
        # no draft can hold it, so no draft the window or the command line sends ever carries it
        raise _UnreadableParameter(
            f"{path} is {byte_count(size)}; a JSON value is at most {byte_limit(MAX_DRAFT_BYTES)}, "
            "the size of a draft file"
        )
    try:
        return parse_json(text)
    except JSONTextError as exc:
        raise _UnreadableParameter(f"{path} {exc}") from None


def _read_parameter(name: str, text: str) -> Any:
    """One method parameter as the call model will take it, or the :class:`Refusal` naming it.

    JSON-valued parameters are read within limits first (:func:`_read_json`), and the model then
    reads the parameter on its own, so that whatever fails is this parameter's fault and says so."""
    try:
        value = _read_json(text, name) if name in JSON_PARAMS and text.strip() else text
        if name in JSON_PARAMS and isinstance(value, str) and text.strip():
            # every JSON-valued parameter holds an object; the model would read a JSON string's
            # content as JSON once more
            return _invalid(f"{name}: expected an object, got {json_kind(value)}")
        if name in USER_ACTION_PARAMS and isinstance(value, dict):
            for field_name in NESTED_JSON_FIELDS:
                nested = value.get(field_name)
                if isinstance(nested, str) and nested.strip():
                    _read_json(nested, f"{name}.{field_name}")
        PublishCall.from_params({name: value})
    except _UnreadableParameter as exc:
        return _invalid(str(exc))
    except ModelError as exc:
        joiner = ": " if exc.message.startswith("expected") else " "
        return _invalid(f"{exc.field}{joiner}{exc.message}")
    except Exception as exc:
        # the model failed on a value the limits let through: still the client's value, not the
        # sandbox's failure, so 400006; the log tells whoever maintains the limits
        _log.warning("sandbox: the call model could not read %s (%s: %s); answered 400006", name, type(exc).__name__, exc)
        return _invalid(f"{name} cannot be read ({type(exc).__name__})")
    return value


def _origin(url: str) -> str:
    """The scheme and host a client addressed (``http://127.0.0.1:8080``): where short links are served."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _secret_for(site: Site, user_key: str) -> str | Refusal:
    if user_key:
        key = site.user_key(user_key)
        return key.secret if key else Refusal(CODE_UNAUTHORIZED_USER, f"Unknown user key: {user_key}")
    if site.partner_secret:
        return site.partner_secret
    return _missing("userKey")


def _targets(user: SandboxUser, call: PublishCall) -> list[tuple[str, ProviderBehaviour]] | Refusal:
    supported = [name for name in user.providers if name in PROVIDERS]
    unsupported = [name for name in user.providers if name not in PROVIDERS]
    if unsupported and not supported:
        return Refusal(CODE_INVALID_PARAMETER, f"Unsupported provider: {', '.join(unsupported)} (the user has no other connection)")
    targets = eligible_providers(call.enabledProviders, call.disabledProviders, among=supported)
    if targets:
        return [(name, user.providers[name]) for name in targets]
    # The live service fails such a call but does not publish a code for it; the sandbox answers
    # 400006 (as for an unsupported provider) with details that say why.
    if not supported:
        return Refusal(CODE_INVALID_PARAMETER, "No connected provider to publish to: the user is not connected to any network")
    return Refusal(
        CODE_INVALID_PARAMETER,
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
    for name, limit in COORDINATE_LIMITS.items():
        raw = getattr(location, name)
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
    """The first URL of the UserAction that is not absolute or not on the site's approved domains
    ("A shared URL must match the approved URLs (domains) for the specified API key, otherwise the
    share will not work", the seed; the sandbox holds every URL of the action to it)."""
    links = [(f"{name}.linkBack", action.linkBack)]
    links += [(f"{name}.actionLinks[{i}].href", link.href) for i, link in enumerate(action.actionLinks)]
    for i, item in enumerate(action.mediaItems):
        links += [(f"{name}.mediaItems[{i}].{key}", item.get(key)) for key in ("src", "href", "previewImageURL")]
    for path, url in links:
        if not url:
            continue
        host = _absolute_http_host(url)
        if not host:
            return f"{path} must be an absolute http(s) URL"
        if not site.approves(host):
            approved = ", ".join(site.approved_domains)
            return f"{path} {host} is not an approved domain of site {site.api_key} (approved: {approved})"
    return None


def _absolute_http_host(url: str) -> str:
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return ""
    return host if parts.scheme.lower() in ("http", "https") and host else ""


def transport_error(status: int, details: str) -> dict[str, Any]:
    code = status * 1000
    return {
        "statusCode": status,
        "errorCode": code,
        "statusReason": HTTPStatus(status).phrase,
        "errorMessage": TRANSPORT_MESSAGES.get(code, "Error"),
        "errorDetails": details,
        "callId": uuid.uuid4().hex,
        "time": iso_time(time.time()),  # not a publish call: the real clock
    }
