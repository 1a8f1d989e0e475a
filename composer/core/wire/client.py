"""The Gigya REST client for socialize.publishUserAction (contract sections 1, 3, 4 and 5).

Every outcome the server or the network can produce comes back as a :class:`PublishResult`;
exceptions are for bugs.  An answer is read by one rule ("Reading an answer" below): success only
when the answer positively says so, unknown when it cannot be read.  Each request has one deadline
and a size limit (composer/core/wire/transport.py).  The HTTP stack (requests) is imported lazily
so start-up does not pay for it, and the transport is an argument so tests can hand the client
another session.
"""

from __future__ import annotations

import email.utils
import errno
import json
import math
import re
import secrets
import shlex
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.client import HTTPException, IncompleteRead, RemoteDisconnected
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from composer import __version__
from composer.core.call.model import PublishCall, eligible_providers
from composer.core.contract import (
    CODE_EXPIRED,
    CODE_GENERAL_SERVER_ERROR,
    CODE_OK,
    CODE_SECRET_OVER_HTTP,
    CODE_WRONG_DATA_CENTER,
    METHOD,
    PROVIDERS,
    REDACTED,
)
from composer.core.units import MB, megabytes
from composer.core.wire import signing
from composer.core.wire.endpoint import DEFAULT_TIMEOUT, AuthMode, Credentials, EndpointError, base_url_for
from composer.core.wire.result import Outcome, ProviderResult, PublishResult, Status

if TYPE_CHECKING:  # pragma: no cover
    import requests

    from composer.core.wire.transport import Exchange


def new_nonce() -> str:
    return secrets.token_hex(16)


# --- reading an answer ----------------------------------------------------------------------
#
# One rule (contract sections 3 to 5).  Success is only what the answer positively says, in the
# contract's shape; whatever cannot be read so is unknown (for the call, or for one network), never
# success, and the raw answer is kept for the user to see.
#
# - HTTP 5xx: unknown, whatever the body's errorCode says (section 5); a body in the contract's
#   shape still says what each network did, read as for a 500001 (it is what Gigya sends for one
#   with httpStatusCodes=true), and success in it does not count.
# - A body that is not the contract's JSON object, or whose errorCode is not a JSON integer (text,
#   null, a fraction, true, missing): refused at HTTP 4xx, which is sent before the method runs;
#   unknown at any other status.
# - errorCode other than 0: refused as the code says (500001 is unknown, section 5).  A network
#   whose entry says it posted contradicts that, and is unknown.
# - errorCode 0 counts only at HTTP 200 (the status of every answer of the contract; section 1,
#   httpStatusCodes), and then network by network: a network posted only when its own
#   providerErrorCodes entry has the integer errorCode 0 (and its providerPostIDs value, if any,
#   is text); failed when its entry has another integer code and no post ID.
# - errorCode 0 with no entry saying a network posted (no providerErrorCodes at all, an empty
#   list, only failures) is unknown: the code says some network posted, and nothing says which.
# - An entry that names no network of the contract (a name in another case, a list, a missing
#   name) is shown as an unknown network of its own; then no eligible network without an entry
#   can be taken as "not connected", and each is unknown too.
# - Any unknown network makes the call's outcome unknown: "partial" would invite a retry.

#: the most of an answer the client reads.  Our choice: Gigya's answers are a few kilobytes, and
#: this leaves room for an error page from a proxy; a longer body is not read to its end, and the
#: outcome is unknown.
MAX_ANSWER_BYTES = 4 * MB
#: how much of the body is read at a time (our choice: requests' and urllib3's own unit of work)
READ_CHUNK_BYTES = 64 * 1024
#: how much of an answer the result keeps as ``raw`` for the window, ``--json`` and the history.
#: Our choice: every answer of the contract and any error page fit; a larger one is clipped.
KEPT_ANSWER_CHARS = 64 * 1024
#: how much of one text from the server (a message, a post ID, a network's name) is kept.  Our
#: choice: a line a person can read; the raw answer has the rest.
KEPT_TEXT_CHARS = 1000
#: at most this many entries naming no network of the contract are shown.  Our choice: the
#: contract has six networks; more lines would tell the user nothing new.
STRANGERS_SHOWN = 20
#: the deepest nesting of arrays and objects read.  Our choice: the contract's answer nests three
#: deep; this leaves room and keeps Python's parser far from its recursion limit.
MAX_ANSWER_DEPTH = 32
#: the most digits of a JSON integer read.  Our choice: the contract's codes have six digits and
#: 20 hold any 64-bit number; Python refuses to convert more than 4,300 digits with an error.
MAX_JSON_INT_DIGITS = 20


class _Unreadable(ValueError):
    """The answer cannot be read as the contract says; the message says why, for people."""


class _NotJSON(_Unreadable):
    """The answer is not JSON at all (an empty body, a page, XML, a JSON text cut off)."""


_JSONP = re.compile(r"^\s*[A-Za-z_$][\w$.]*\s*\((.*)\)\s*;?\s*$", re.DOTALL)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def _read_answer(body: str) -> dict[str, Any]:
    """The answer's JSON object (a JSONP wrapper removed), read strictly: no NaN or Infinity, no
    number too large to be a code, no key given twice, no nesting deeper than MAX_ANSWER_DEPTH.

    Not :func:`composer.core.call.model.parse_json`, which reads what we send (drafts,
    parameters): an answer is read by the contract's stricter rules for what counts, and a lone
    surrogate in a server's text is shown as U+FFFD rather than making the whole answer unread."""
    text = body.strip()
    if not text:
        raise _NotJSON("empty")
    match = _JSONP.match(text)
    if match:
        text = match.group(1)
    if _too_deep(text):
        raise _Unreadable(f"it nests more than {MAX_ANSWER_DEPTH} levels deep")
    try:
        value = json.loads(
            text, object_pairs_hook=_object, parse_int=_integer, parse_float=_fraction, parse_constant=_constant
        )
    except _Unreadable:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise _NotJSON(str(exc)) from None
    if not isinstance(value, dict):
        raise _Unreadable(f"it is a JSON {type(value).__name__}, not an object")
    return _whole_characters(value)


def _whole_characters(value: Any) -> Any:
    """``value`` with every lone surrogate (a "\\ud800" escape with no partner, which no text
    encoding can write) replaced by U+FFFD, so printing and storing the answer cannot fail."""
    if isinstance(value, str):
        return _no_surrogates(value)
    if isinstance(value, list):
        return [_whole_characters(item) for item in value]
    if isinstance(value, dict):
        return {_no_surrogates(key): _whole_characters(item) for key, item in value.items()}
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def _too_deep(text: str) -> bool:
    if text.count("[") + text.count("{") <= MAX_ANSWER_DEPTH:
        return False  # the common case: too few brackets to nest that deep
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_ANSWER_DEPTH:
            return True
    return False


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:  # which one would count is anyone's guess
            raise _Unreadable(f"the key {_clip(key, 40)!r} appears twice in one object")
        out[key] = value
    return out


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_JSON_INT_DIGITS:
        raise _Unreadable(f"it has a number of {len(text)} digits")
    return int(text)


def _fraction(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Unreadable(f"it has the number {_clip(text, 40)}, too large for any number")
    return value


def _constant(name: str) -> Any:
    raise _Unreadable(f"it has {name}, which JSON does not allow")


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"… [{len(text) - limit} more characters not kept]"


def _json_text(value: Any, limit: int = 60) -> str:
    """A value from the answer as it was written, for a message."""
    return _clip(json.dumps(value, ensure_ascii=False), limit)


def _text(value: Any) -> str:
    """A text field of the answer ("" when absent); anything else shown as its JSON."""
    if value is None:
        return ""
    return _clip(value if isinstance(value, str) else _json_text(value, KEPT_TEXT_CHARS), KEPT_TEXT_CHARS)


def _describe_not_json(status: int, content_type: str, body: str) -> str:
    if not body.strip():
        return f"the server answered HTTP {status} with an empty body"
    head = body.lstrip()[:512]
    if "html" in content_type.lower() or head[:1] == "<" and "<html" in head.lower():
        return f"the server answered HTTP {status} with an HTML page instead of JSON"
    if head.startswith("<"):
        return f"the server answered HTTP {status} with XML instead of JSON"
    if head[:1] in "{[" or _JSONP.match(body.strip() + ")"):
        return f"the server's answer (HTTP {status}) was cut off: the JSON is incomplete"
    return f"the server answered HTTP {status} with something that is not JSON"


def parse_response(status: int, content_type: str, body: str, eligible: Sequence[str]) -> PublishResult:
    """Turn an HTTP answer into a result by the rule above.  ``eligible`` are the providers the
    lists allowed.  Never raises, whatever the body holds."""
    result = PublishResult(outcome=Outcome.UNKNOWN, http_status=status, raw=_clip(body, KEPT_ANSWER_CHARS))
    try:
        data = _read_answer(body)
    except _NotJSON:
        return _unreadable(result, _describe_not_json(status, content_type, body), eligible)
    except _Unreadable as exc:
        return _unreadable(result, f"the server answered HTTP {status} with JSON the contract does not describe: {exc}", eligible)
    if "errorCode" not in data:
        return _unreadable(result, f"the server answered HTTP {status} with JSON that has no errorCode", eligible)
    code = data["errorCode"]
    if type(code) is not int:  # a JSON true is an int to Python, and no code
        return _unreadable(result, f"the server answered HTTP {status} with an errorCode that is not an integer: {_json_text(code)}", eligible)

    result.error_code = code
    result.error_message = _text(data.get("errorMessage"))
    result.error_details = _text(data.get("errorDetails"))
    result.call_id = _text(data.get("callId"))
    result.time = _text(data.get("time"))
    result.response = data if len(body) <= KEPT_ANSWER_CHARS else None
    server_failed = (Status.UNKNOWN, "the server failed; this network may have the post")

    if code == CODE_OK and status != 200:
        # a success the status contradicts: nothing in it counts
        result.error_message = f"the server answered HTTP {status} with errorCode {code}"
        return _settle(result, {}, [], eligible, server_failed, unknown=True)

    networks, strangers, problems = _read_networks(data)
    result.notes.extend(problems)
    if code != CODE_OK:
        for entry in networks.values():
            if entry.status is Status.POSTED:  # the call failing means nothing was posted (section 4)
                entry.status, entry.error_message = Status.UNKNOWN, f"its entry says posted, but the call failed with {code}"
        if code == CODE_GENERAL_SERVER_ERROR or status >= 500:
            # a 5xx makes the outcome unknown whatever the code (section 5); its entries are still
            # the server's word on each network (httpStatusCodes=true answers a 500001 with HTTP 500)
            if status >= 500 and not result.error_message:
                result.error_message = f"the server answered HTTP {status} with errorCode {code}"
            # the entries name the networks the server tried; with none (or some unreadable), any
            # eligible one may have been tried
            listed = networks and not strangers and not problems
            missing = (Status.NOT_ATTEMPTED, "not connected for this user") if listed else server_failed
            return _settle(result, networks, strangers, eligible, missing, unknown=True)
        if networks and not strangers and not problems:
            # the refusal comes from the networks the server tried (section 4: the call fails when
            # every network does); an eligible network it did not list was not connected
            return _settle(result, networks, strangers, eligible, (Status.NOT_ATTEMPTED, "not connected for this user"))
        return _settle(result, networks, strangers, eligible, (Status.NOT_ATTEMPTED, f"call refused: {result.error_message}"))

    # success carries no message (section 3: errorMessage appears only on errors); any said
    # below is the client's own, about what the answer left unclear
    result.error_message = ""
    posted = any(entry.status is Status.POSTED for entry in networks.values())
    if strangers or problems:
        missing = (Status.UNKNOWN, "the answer has parts the client cannot read; this network may have the post")
    elif not posted:
        missing = (Status.UNKNOWN, "the server reported success without saying which network posted; this one may have")
    else:
        missing = (Status.NOT_ATTEMPTED, "not connected for this user")
    if not posted:  # errorCode 0 says at least one network posted (section 4)
        result.error_message = "the server reported success (errorCode 0) but no network's entry says it posted"
    return _settle(result, networks, strangers, eligible, missing, unknown=not posted)


def _unreadable(result: PublishResult, message: str, eligible: Sequence[str]) -> PublishResult:
    """An answer that cannot be read: refused at HTTP 4xx (a proxy or the server refused the
    request before the method ran), unknown at any other status (it may have published)."""
    refused = result.http_status is not None and 400 <= result.http_status < 500
    result.outcome = Outcome.FAILED if refused else Outcome.UNKNOWN
    result.error_message = message
    result.providers = [_blanket(p, Status.NOT_ATTEMPTED if refused else Status.UNKNOWN) for p in eligible]
    return result


def _read_networks(data: Mapping[str, Any]) -> tuple[dict[str, ProviderResult], list[ProviderResult], list[str]]:
    """What the answer says of each network: the contract's networks by name, entries that name
    none of them, and the parts in the wrong shape, which are not read (a sentence each)."""
    notes: list[str] = []
    post_ids = data.get("providerPostIDs", {})
    if not isinstance(post_ids, dict):
        notes.append(f"the answer's providerPostIDs is not an object ({_json_text(post_ids)}); it was not read")
        post_ids = {}
    entries = data.get("providerErrorCodes", [])
    if not isinstance(entries, list):
        notes.append(f"the answer's providerErrorCodes is not a list ({_json_text(entries)}); it was not read")
        entries = []
    networks: dict[str, ProviderResult] = {}
    strangers: list[ProviderResult] = []
    for entry in entries:
        name = entry.get("provider") if isinstance(entry, dict) else None
        if name not in PROVIDERS:
            shown = name if isinstance(name, str) and name else _json_text(name if isinstance(entry, dict) else entry)
            strangers.append(_stranger(shown, entry))
            continue
        read = _read_entry(name, entry, post_ids)
        earlier = networks.get(name)
        if earlier is not None and (earlier.status, earlier.error_code) != (read.status, read.error_code):
            read = ProviderResult(name, Status.UNKNOWN, error_message="the answer has two different entries for this network")
        networks[name] = read
    for name in post_ids:
        if name in PROVIDERS and name not in networks:
            networks[name] = ProviderResult(name, Status.UNKNOWN, error_message="the answer has a post ID for it but no entry saying what happened")
        elif name not in PROVIDERS:
            strangers.append(_stranger(name, {"provider": name, "postId": post_ids[name]}))
    if len(strangers) > STRANGERS_SHOWN:
        notes.append(f"{len(strangers) - STRANGERS_SHOWN} more entries name no network of the contract; see the raw answer")
        del strangers[STRANGERS_SHOWN:]
    return networks, strangers, notes


def _read_entry(name: str, entry: Mapping[str, Any], post_ids: Mapping[str, Any]) -> ProviderResult:
    code = entry.get("errorCode")
    if type(code) is not int:
        return ProviderResult(name, Status.UNKNOWN, error_message=f"its entry's errorCode is not an integer: {_json_text(code)}")
    message, details = _text(entry.get("errorMessage")), _text(entry.get("errorDetails"))
    has_post_id = name in post_ids
    post_id = post_ids.get(name)
    if code == CODE_OK:
        if has_post_id and not (isinstance(post_id, str) and post_id):
            return ProviderResult(name, Status.UNKNOWN, error_code=code, error_message=f"its entry says posted, but its post ID is {_json_text(post_id)}")
        return ProviderResult(name, Status.POSTED, post_id=_clip(post_id or "", KEPT_TEXT_CHARS), error_code=code)
    if has_post_id:
        return ProviderResult(name, Status.UNKNOWN, error_code=code, error_message=f"its entry says error {code}, yet the answer has a post ID for it")
    if code == CODE_GENERAL_SERVER_ERROR:
        return ProviderResult(name, Status.UNKNOWN, error_code=code, error_message=message or "the server failed; this network may have the post",
                              error_details=details)
    return ProviderResult(name, Status.FAILED, error_code=code, error_message=message, error_details=details)


def _stranger(shown: str, entry: Any) -> ProviderResult:
    """An entry that names no network of the contract: shown, never counted as posted."""
    code = entry.get("errorCode") if isinstance(entry, dict) else None
    return ProviderResult(
        _clip(shown, 60),
        Status.UNKNOWN,
        error_code=code if type(code) is int else None,
        error_message=f"not a network of the contract; the answer says {_json_text(entry, 200)}",
    )


def _settle(result: PublishResult, networks: dict[str, ProviderResult], strangers: list[ProviderResult], eligible: Sequence[str],
            missing: tuple[Status, str], *, unknown: bool = False) -> PublishResult:
    """Every network in the contract's order, then the strangers, and the outcome they make.  An
    eligible network with no entry gets ``missing`` (a status and why); ``unknown``: the call's
    outcome is unknown whatever the networks say."""
    providers: list[ProviderResult] = []
    for name in PROVIDERS:
        if name in networks:
            providers.append(networks[name])
        elif name not in eligible:
            providers.append(ProviderResult(name, Status.NOT_ATTEMPTED, error_message="excluded by enabledProviders / disabledProviders"))
        else:
            providers.append(ProviderResult(name, missing[0], error_message=missing[1]))
    providers.extend(strangers)
    result.providers = providers
    statuses = {p.status for p in providers}
    if unknown or Status.UNKNOWN in statuses:
        result.outcome = Outcome.UNKNOWN
        if not result.error_message:
            unclear = [p.provider for p in providers if p.status is Status.UNKNOWN]
            result.error_message = "the answer does not say clearly what happened on " + _names(unclear)
    elif Status.POSTED in statuses:
        result.outcome = Outcome.PARTIAL if Status.FAILED in statuses else Outcome.POSTED
    else:
        result.outcome = Outcome.FAILED
    return result


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:6])
    return shown + (f" and {len(names) - 6} more" if len(names) > 6 else "")


def _blanket(name: str, status: Status) -> ProviderResult:
    """The entry of a provider when the whole call failed or its outcome is unknown."""
    reason = "the outcome is unknown; check this network" if status is Status.UNKNOWN else "the call was refused"
    return ProviderResult(name, status, error_message=reason)


# --- the client -----------------------------------------------------------------------------


@dataclass
class PreparedCall:
    url: str
    params: dict[str, str]
    #: the form-encoded body of a signed request (made with the signature, which encodes every
    #: value anyway); empty: ``params`` are encoded when sent
    body: str = field(default="", repr=False)

    def redacted(self) -> dict[str, str]:
        return {k: (REDACTED if k in ("secret", "sig") else v) for k, v in self.params.items()}

    def __repr__(self) -> str:  # the dataclass repr would show the secret
        return f"PreparedCall(url={self.url!r}, params={self.redacted()!r})"

    def curl(self) -> str:
        """The equivalent cURL command, with the secret and the signature redacted."""
        lines = [f"curl -sS -X POST {shlex.quote(self.url)}"]
        for key, value in self.redacted().items():
            lines.append(f"  --data-urlencode {shlex.quote(f'{key}={value}')}")
        return " \\\n".join(lines)


class GigyaClient:
    """Sends calls to one endpoint with one set of credentials, one request at a time, through one
    HTTP session.

    ``session`` is a requests.Session (tests hand in one that forwards elsewhere); the deadline,
    and telling a request that never left from one that may have, need
    :class:`composer.core.wire.transport.Transport` mounted on it, as the client's own session
    has.  ``timeout`` bounds each request, from connecting to the last byte of the answer.
    ``clock`` returns Unix seconds.
    """

    def __init__(
        self,
        credentials: Credentials,
        base_url: str,
        *,
        session: requests.Session | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], float] = time.time,
        follow_data_center: bool | None = None,
    ):
        self.credentials = credentials
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.clock = clock
        self.clock_offset = 0.0
        self._session = session
        # switching data center only makes sense for Gigya's own hosts, not a custom base URL
        host = urlsplit(self.base_url).hostname or ""
        self.follow_data_center = host.startswith("socialize.") if follow_data_center is None else follow_data_center

    def __repr__(self) -> str:
        return f"GigyaClient(base_url={self.base_url!r}, credentials={self.credentials!r})"

    @property
    def session(self) -> requests.Session:
        if self._session is None:
            import requests

            from composer.core.wire.transport import Transport

            self._session = requests.Session()
            self._session.headers["User-Agent"] = f"composer/{__version__}"
            for scheme in ("http://", "https://"):
                self._session.mount(scheme, Transport())
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()

    # -- building --

    def prepare(self, params: Mapping[str, str], method: str = METHOD) -> PreparedCall:
        """The exact request: the method's parameters plus the authorization ones."""
        url = f"{self.base_url}/{method}"
        out = dict(params)
        out.setdefault("format", "json")
        out["apiKey"] = self.credentials.api_key
        if self.credentials.user_key:
            out["userKey"] = self.credentials.user_key
        if self.credentials.auth is AuthMode.SECRET:
            out["secret"] = self.credentials.secret
        else:
            out["timestamp"] = str(int(self.clock() + self.clock_offset))
            out["nonce"] = new_nonce()
            out["sig"], body = signing.signed_body(self.credentials.secret, "POST", url, out)
            return PreparedCall(url=url, params=out, body=body)
        return PreparedCall(url=url, params=out)

    def explain_signature(self, prepared: PreparedCall) -> signing.SignatureExplanation:
        return signing.explain(self.credentials.secret, "POST", prepared.url, prepared.params)

    # -- sending --

    def publish(self, call: PublishCall) -> PublishResult:
        eligible = eligible_providers(call.enabledProviders, call.disabledProviders)
        return self.call(call.to_params(), eligible=eligible)

    def call(self, params: Mapping[str, str], *, method: str = METHOD, eligible: Sequence[str] | None = None) -> PublishResult:
        eligible = list(PROVIDERS if eligible is None else eligible)
        notes: list[str] = []
        sent = 0
        retried: set[int] = set()
        while True:
            try:
                prepared = self.prepare(params, method)
            except signing.SecretError as exc:
                return _refused(str(exc), eligible, notes)
            if "secret" in prepared.params and urlsplit(prepared.url).scheme != "https":
                return _refused(
                    f"the secret may not be sent over plain http (the server would answer {CODE_SECRET_OVER_HTTP}); "
                    "use a signed request or an https URL",
                    eligible,
                    notes,
                    code=CODE_SECRET_OVER_HTTP,
                    prepared=prepared,
                )
            result, headers = self._send(prepared, eligible)
            if not result.never_sent:
                sent += 1
            result.notes = [*notes, *result.notes]  # what the client did, then what it read
            result.sent = sent
            result.url = prepared.url
            result.request_params = prepared.redacted()
            code = result.error_code
            # the server refused these two before doing anything, so sending once more (once) is
            # safe (contract section 5)
            if result.outcome is not Outcome.FAILED:
                return result  # only a refusal is safe to send again
            if code == CODE_EXPIRED and code not in retried:
                server_now = _parse_http_date(headers.get("Date", ""))
                if server_now is not None:
                    retried.add(code)
                    self.clock_offset = server_now - self.clock()
                    notes.append(f"request expired: clock corrected by {self.clock_offset:+.0f} s from the server's Date header; sent once more")
                    continue
            if code == CODE_WRONG_DATA_CENTER and code not in retried and self.follow_data_center:
                domain = str((result.response or {}).get("apiDomain") or "")
                try:
                    new_base = base_url_for(domain) if domain else ""
                except EndpointError:
                    new_base = ""
                if new_base:
                    retried.add(code)
                    notes.append(f"the API key lives in data center {domain}: switched to it and sent once more")
                    self.base_url = new_base
                    continue
            return result

    def _send(self, prepared: PreparedCall, eligible: Sequence[str]) -> tuple[PublishResult, Mapping[str, str]]:
        """Send one request and read its answer within ``self.timeout`` seconds, from connecting
        to the last byte (the deadline: see composer/core/wire/transport.py), reading at most
        MAX_ANSWER_BYTES.  Every failure comes back as a result: not sent when no byte of the
        request left, else unknown."""
        import requests
        from urllib3.exceptions import HTTPError as Urllib3Error

        from composer.core.wire.transport import Exchange

        body = bytearray()
        response = None
        with Exchange(self.timeout) as exchange:
            try:
                response = self.session.post(
                    prepared.url,
                    # the signed body as it was encoded for the signature; else requests
                    # form-encodes the str values as UTF-8
                    data=prepared.body.encode("utf-8") if prepared.body else prepared.params,
                    headers=_FORM if prepared.body else None,
                    timeout=(exchange.left(), exchange.left()),
                    allow_redirects=False,
                    stream=True,
                )
                with response:
                    complete = _read_at_most(response, body, MAX_ANSWER_BYTES)
                in_time = exchange.finish()
            except (requests.RequestException, Urllib3Error, HTTPException, OSError) as exc:  # what the network and a server can cause
                return self._failed(exchange, exc, prepared, eligible, response, body), {}
        content_type = response.headers.get("Content-Type", "")
        if not in_time:
            return _unknown(self._late(), eligible, response, body), {}
        if not complete:
            return _unknown(f"the answer was longer than {megabytes(MAX_ANSWER_BYTES)} and was not read to its end; the post may be live", eligible, response, body), {}
        text = _body_text(body, content_type)
        return parse_response(response.status_code, content_type, text, eligible), response.headers

    def _late(self) -> str:
        return f"no answer within {self.timeout:g} s (timeout); the post may be live"

    def _failed(self, exchange: Exchange, exc: Exception, prepared: PreparedCall, eligible: Sequence[str],
                response: requests.Response | None, body: bytearray) -> PublishResult:
        """The request or its answer broke off.  Only a transport of ours knows whether a byte of
        the request had left; a session without one is taken to have sent it."""
        import requests

        late = exchange.expired or isinstance(exc, requests.exceptions.Timeout)
        where = urlsplit(prepared.url).netloc
        if exchange.seen and not exchange.request_started:
            if late:
                return _not_sent(f"could not connect to {where} within {self.timeout:g} s; nothing was sent", eligible)
            if isinstance(exc, requests.exceptions.SSLError):
                return _not_sent(f"the TLS connection to {where} failed: {_short(exc)}; nothing was sent", eligible)
            result = _not_sent(f"could not connect to {where}: {_why_no_connection(exc)}; nothing was sent", eligible)
            result.error_details = _short(_os_error(exc) or exc)  # the OS's own words and number, for --json and the history
            return result
        if late:
            message = self._late()
        elif isinstance(exc, requests.exceptions.ContentDecodingError):
            message = f"the answer's compression is broken ({_short(exc)}); the post may be live"
        elif isinstance(exc, requests.exceptions.InvalidHeader) or _not_http(exc):
            message = f"the answer is not valid HTTP ({type(_innermost(exc)).__name__}: {_short(exc)}); the post may be live"
        elif response is not None:
            message = f"the answer was cut off ({_short(exc)}); the post may be live"
        else:
            message = f"the connection dropped before the answer arrived ({_short(exc)}); the post may be live"
        return _unknown(message, eligible, response, body)


_FORM = {"Content-Type": "application/x-www-form-urlencoded"}
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)


def _read_at_most(response: requests.Response, body: bytearray, limit: int) -> bool:
    """Read the answer into ``body``, decompressed, up to ``limit`` bytes: True when it ended
    within that.  What arrived stays in ``body`` when reading breaks off."""
    for chunk in response.iter_content(READ_CHUNK_BYTES):
        body += chunk
        if len(body) > limit:
            return False
    return True


def _body_text(content: bytes | bytearray, content_type: str) -> str:
    """The body as text, whatever the bytes: in the charset the server names when Python knows it
    as a text encoding, else UTF-8 (JSON's encoding; requests would guess ISO-8859-1 for the
    ``text/javascript`` label the live service uses).  A byte order mark is dropped (RFC 8259,
    section 8.1, lets a reader ignore it)."""
    match = _CHARSET.search(content_type)
    try:
        text = content.decode(match.group(1) if match else "utf-8", errors="replace")
    except (LookupError, ValueError):  # unknown, not a text encoding, or one that cannot replace (idna)
        text = content.decode("utf-8", errors="replace")
    return _no_surrogates(text.removeprefix("\ufeff"))  # the escape codecs can make them


def _innermost(exc: BaseException) -> BaseException:
    """The error under a network error: requests wraps urllib3's, which wraps the socket's, the TLS
    library's or http.client's, and only that last one says what happened."""
    while True:
        inner = getattr(exc, "reason", None)
        if not isinstance(inner, BaseException):
            inner = next((arg for arg in reversed(exc.args) if isinstance(arg, BaseException)), None)
        if not isinstance(inner, BaseException):
            return exc
        exc = inner


def _not_http(exc: BaseException) -> bool:
    """http.client could not read the status line or the headers (an answer ended early is not
    that: it is cut off)."""
    inner = _innermost(exc)
    return isinstance(inner, HTTPException) and not isinstance(inner, IncompleteRead | RemoteDisconnected)


#: Why the OS could not connect, in the words a person uses (the errors connect(2) and
#: getaddrinfo(3) name: https://man7.org/linux/man-pages/man2/connect.2.html,
#: https://man7.org/linux/man-pages/man3/getaddrinfo.3.html); any other error is said in the OS's
#: own words
_CONNECT_ERRORS = {
    errno.ECONNREFUSED: "connection refused",
    errno.ETIMEDOUT: "timed out",
    errno.EHOSTUNREACH: "no route to the host",
    errno.ENETUNREACH: "the network is unreachable",
    errno.ECONNRESET: "the connection was reset",
    errno.EADDRNOTAVAIL: "the address is not available",
    errno.EACCES: "not permitted (a firewall?)",
    errno.EPERM: "not permitted (a firewall?)",
}
_LOOKUP_ERRORS = {
    socket.EAI_NONAME: "name not found",
    getattr(socket, "EAI_NODATA", socket.EAI_NONAME): "name not found",
    socket.EAI_AGAIN: "name lookup failed for now (no answer from DNS)",
}


def _why_no_connection(exc: BaseException) -> str:
    """Why a connection could not be made, in plain words ("connection refused"), not in urllib3's
    ("_HTTPConnection(host=...): Failed to establish a new connection: [Errno 111] ...")."""
    cause = _os_error(exc)
    if cause is None:
        return _short(exc)
    if isinstance(cause, socket.gaierror):
        known = _LOOKUP_ERRORS.get(cause.errno)
    else:
        known = _CONNECT_ERRORS.get(cause.errno)
    said = known or cause.strerror or ""
    return said[:1].lower() + said[1:] if said else _short(exc)


def _os_error(exc: BaseException) -> OSError | None:
    """The OS's error under a network error: the innermost wrapped one (:func:`_innermost`), or the
    error it was raised from (urllib3 raises its connection errors from the socket's)."""
    current: BaseException | None = _innermost(exc)
    while current is not None:
        if isinstance(current, OSError) and current.errno is not None:
            return current
        current = current.__cause__ or current.__context__
    return None


def _short(exc: BaseException) -> str:
    """What happened, in at most 200 characters."""
    text = str(_innermost(exc))
    return text if len(text) < 200 else text[:197] + "..."


def _refused(message: str, eligible: Sequence[str], notes: list[str], *, code: int | None = None, prepared: PreparedCall | None = None) -> PublishResult:
    return PublishResult(
        outcome=Outcome.FAILED,
        error_code=code,
        error_message=message,
        providers=[ProviderResult(p, Status.NOT_ATTEMPTED, error_message="nothing was sent") for p in eligible],
        notes=notes,
        url=prepared.url if prepared else "",
        request_params=prepared.redacted() if prepared else {},
    )


def _not_sent(message: str, eligible: Sequence[str]) -> PublishResult:
    """The connection was never made: the request did not leave this computer."""
    result = _refused(message, eligible, [])
    result.never_sent = True
    return result


def _unknown(message: str, eligible: Sequence[str], response: requests.Response | None = None, body: bytes | bytearray = b"") -> PublishResult:
    """The request may have been processed, and no readable answer says how.  What did arrive of
    the answer (its status, the start of its body) is kept for the user."""
    result = PublishResult(outcome=Outcome.UNKNOWN, error_message=message, providers=[_blanket(p, Status.UNKNOWN) for p in eligible])
    if response is not None:
        result.http_status = response.status_code
        result.raw = _clip(_body_text(body, response.headers.get("Content-Type", "")), KEPT_ANSWER_CHARS)
    return result


def _parse_http_date(value: str) -> float | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
