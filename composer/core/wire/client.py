"""The Gigya REST client for socialize.publishUserAction (contract sections 1, 3, 4 and 5).

Every outcome the server or the network can produce comes back as a :class:`PublishResult`;
exceptions are for bugs.  The HTTP stack (requests) is imported lazily so start-up does not pay for
it, and the transport is an argument so tests can hand the client another session.
"""

from __future__ import annotations

import email.utils
import json
import re
import secrets
import shlex
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
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
from composer.core.wire import signing
from composer.core.wire.endpoint import DEFAULT_TIMEOUT, AuthMode, Credentials, EndpointError, base_url_for

if TYPE_CHECKING:  # pragma: no cover
    import requests

CONNECT_TIMEOUT = 10.0


def new_nonce() -> str:
    return secrets.token_hex(16)


class Status(str, Enum):
    """One provider's result."""

    POSTED = "posted"
    FAILED = "failed"
    NOT_ATTEMPTED = "not_attempted"
    UNKNOWN = "unknown"


class Outcome(str, Enum):
    """The whole call's result."""

    POSTED = "posted"  # every attempted provider posted
    PARTIAL = "partial"  # some posted, some failed
    FAILED = "failed"  # nothing posted, or the call was refused
    UNKNOWN = "unknown"  # the request may or may not have been processed

    @property
    def exit_code(self) -> int:
        return {"posted": 0, "partial": 3, "failed": 1, "unknown": 4}[self.value]


@dataclass
class ProviderResult:
    """What the client makes of one provider after a call: its status (posted, failed, not
    attempted, unknown), its post ID, and the server's code and words for a failure."""

    provider: str
    status: Status
    post_id: str = ""
    error_code: int | None = None
    error_message: str = ""
    error_details: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "status": self.status.value,
            "postId": self.post_id or None,
            "errorCode": self.error_code,
            "errorMessage": self.error_message or None,
            "errorDetails": self.error_details or None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProviderResult:
        return cls(
            provider=str(data.get("provider", "")),
            status=Status(data.get("status", "unknown")),
            post_id=data.get("postId") or "",
            error_code=data.get("errorCode"),
            error_message=data.get("errorMessage") or "",
            error_details=data.get("errorDetails") or "",
        )


@dataclass
class PublishResult:
    """One call's outcome, whatever happened.  ``raw`` is the server's body verbatim ("" when no
    answer came); ``response`` is its parsed object when it had one."""

    outcome: Outcome
    error_code: int | None = None
    error_message: str = ""
    error_details: str = ""
    call_id: str = ""
    time: str = ""
    http_status: int | None = None
    raw: str = ""
    response: dict[str, Any] | None = None
    providers: list[ProviderResult] = field(default_factory=list)
    #: what the client did on its own, in order (e.g. "clock corrected by 300 s, sent once more")
    notes: list[str] = field(default_factory=list)
    #: how many requests went out for this result (0 when refused before sending)
    sent: int = 0
    url: str = ""
    #: the request's parameters with the secret and signature redacted
    request_params: dict[str, str] = field(default_factory=dict)
    #: True when the connection was never made (refused, no route, TLS handshake failed)
    never_sent: bool = False

    @property
    def headline(self) -> str:
        """One line a person reads first."""
        if self.outcome is Outcome.UNKNOWN:
            return f"Outcome unknown: {self.error_message}. Check the networks before publishing again."
        if self.error_code:
            return f"Error {self.error_code}: {self.error_message}" + (f" ({self.error_details})" if self.error_details else "")
        if self.outcome is Outcome.FAILED and self.error_message:
            return f"Not published: {self.error_message}"
        counts = {s: sum(1 for p in self.providers if p.status is s) for s in Status}
        return f"Published to {counts[Status.POSTED]} network(s); {counts[Status.FAILED]} failed"

    @property
    def retryable(self) -> bool:
        """Something to send again: a network failed or is unknown, or the call was refused before
        any network was tried (the rule publishing.plan_retry applies)."""
        return bool(self.failed_providers()) or (self.outcome is Outcome.FAILED and not self.posted_providers())

    def failed_providers(self) -> list[str]:
        return [p.provider for p in self.providers if p.status in (Status.FAILED, Status.UNKNOWN)]

    def posted_providers(self) -> list[str]:
        return [p.provider for p in self.providers if p.status is Status.POSTED]

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "errorCode": self.error_code,
            "errorMessage": self.error_message or None,
            "errorDetails": self.error_details or None,
            "callId": self.call_id or None,
            "time": self.time or None,
            "httpStatus": self.http_status,
            "url": self.url,
            "sent": self.sent,
            "notes": list(self.notes),
            "request": dict(self.request_params),
            "response": self.response if self.response is not None else (self.raw or None),
            "providers": [p.to_json() for p in self.providers],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PublishResult:
        response = data.get("response")
        return cls(
            outcome=Outcome(data.get("outcome", "unknown")),
            error_code=data.get("errorCode"),
            error_message=data.get("errorMessage") or "",
            error_details=data.get("errorDetails") or "",
            call_id=data.get("callId") or "",
            time=data.get("time") or "",
            http_status=data.get("httpStatus"),
            raw=json.dumps(response, ensure_ascii=False, indent=2) if isinstance(response, dict) else (response or ""),
            response=response if isinstance(response, dict) else None,
            providers=[ProviderResult.from_json(p) for p in data.get("providers", [])],
            notes=list(data.get("notes", [])),
            sent=int(data.get("sent", 0)),
            url=data.get("url", ""),
            request_params=dict(data.get("request", {})),
        )


# --- parsing --------------------------------------------------------------------------------

_JSONP = re.compile(r"^\s*[A-Za-z_$][\w$.]*\s*\((.*)\)\s*;?\s*$", re.DOTALL)


def _decode_body(body: str) -> dict[str, Any] | None:
    text = body.strip()
    if not text:
        return None
    match = _JSONP.match(text)
    if match:
        text = match.group(1)
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _describe_unreadable(status: int, content_type: str, body: str) -> str:
    if not body.strip():
        return f"the server answered HTTP {status} with an empty body"
    if "html" in content_type.lower() or body.lstrip()[:1] == "<" and "<html" in body[:512].lower():
        return f"the server answered HTTP {status} with an HTML page instead of JSON"
    if body.lstrip().startswith("<"):
        return f"the server answered HTTP {status} with XML instead of JSON"
    if body.lstrip()[:1] in "{[" or _JSONP.match(body.strip() + ")"):
        return f"the server's answer (HTTP {status}) was cut off: the JSON is incomplete"
    return f"the server answered HTTP {status} with something that is not JSON"


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_response(status: int, content_type: str, body: str, eligible: Sequence[str]) -> PublishResult:
    """Turn an HTTP answer into a result.  ``eligible`` are the providers the lists allowed."""
    data = _decode_body(body)
    if data is None or "errorCode" not in data:
        message = _describe_unreadable(status, content_type, body) if data is None else (
            f"the server answered HTTP {status} with JSON that has no errorCode"
        )
        # 4xx without a Gigya answer: a proxy or the server refused the request before the method
        # ran; anything else (5xx, 2xx with a broken body) may have published.
        refused = 400 <= status < 500
        outcome = Outcome.FAILED if refused else Outcome.UNKNOWN
        provider_status = Status.NOT_ATTEMPTED if refused else Status.UNKNOWN
        return PublishResult(
            outcome=outcome,
            error_message=message,
            http_status=status,
            raw=body,
            providers=[_blanket(p, provider_status) for p in eligible],
        )

    code = _int(data.get("errorCode")) or CODE_OK
    result = PublishResult(
        outcome=Outcome.FAILED,
        error_code=code,
        error_message=str(data.get("errorMessage") or ""),
        error_details=str(data.get("errorDetails") or ""),
        call_id=str(data.get("callId") or ""),
        time=str(data.get("time") or ""),
        http_status=status,
        raw=body,
        response=data,
    )
    post_ids = data.get("providerPostIDs") if isinstance(data.get("providerPostIDs"), dict) else {}
    entries = data.get("providerErrorCodes") if isinstance(data.get("providerErrorCodes"), list) else []
    seen: dict[str, ProviderResult] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("provider"):
            continue
        name = str(entry["provider"]).lower()
        entry_code = _int(entry.get("errorCode")) or CODE_OK
        if entry_code == CODE_OK:
            seen[name] = ProviderResult(name, Status.POSTED, post_id=str(post_ids.get(name, "") or ""))
        else:
            seen[name] = ProviderResult(
                name,
                Status.FAILED,
                error_code=entry_code,
                error_message=str(entry.get("errorMessage") or ""),
                error_details=str(entry.get("errorDetails") or ""),
            )
    for name, post_id in post_ids.items():
        name = str(name).lower()
        if name not in seen:
            seen[name] = ProviderResult(name, Status.POSTED, post_id=str(post_id))

    server_error = code == CODE_GENERAL_SERVER_ERROR or status >= 500
    providers: list[ProviderResult] = []
    for name in PROVIDERS:
        if name in seen:
            providers.append(seen.pop(name))
        elif name not in eligible:
            providers.append(ProviderResult(name, Status.NOT_ATTEMPTED, error_message="excluded by enabledProviders / disabledProviders"))
        elif code == CODE_OK:
            providers.append(ProviderResult(name, Status.NOT_ATTEMPTED, error_message="not connected for this user"))
        elif server_error and not entries:
            providers.append(ProviderResult(name, Status.UNKNOWN, error_message="the server failed; this network may have the post"))
        else:
            providers.append(ProviderResult(name, Status.NOT_ATTEMPTED, error_message=f"call refused: {result.error_message}"))
    providers.extend(seen.values())  # providers outside the known six, reported by the server
    result.providers = providers

    posted = any(p.status is Status.POSTED for p in providers)
    failed = any(p.status in (Status.FAILED, Status.UNKNOWN) for p in providers)
    if code == CODE_OK:
        result.outcome = Outcome.PARTIAL if failed else Outcome.POSTED
    elif server_error and not posted:
        result.outcome = Outcome.UNKNOWN
    else:
        result.outcome = Outcome.PARTIAL if posted else Outcome.FAILED
    return result


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
    """Sends calls to one endpoint with one set of credentials; reuses one HTTP session.

    ``session`` may be any object with requests.Session's ``post`` (tests hand in another
    transport); ``clock`` returns Unix seconds.
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

            self._session = requests.Session()
            self._session.headers["User-Agent"] = f"composer/{__version__}"
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
            result.notes = notes
            result.sent = sent
            result.url = prepared.url
            result.request_params = prepared.redacted()
            code = result.error_code
            # the server refused these two before doing anything, so sending once more (once) is
            # safe (contract section 5)
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
        import requests

        try:
            response = self.session.post(
                prepared.url,
                # the signed body as it was encoded for the signature; else requests form-encodes
                # the str values as UTF-8
                data=prepared.body.encode("utf-8") if prepared.body else prepared.params,
                headers=_FORM if prepared.body else None,
                timeout=(min(CONNECT_TIMEOUT, self.timeout), self.timeout),
                allow_redirects=False,
            )
        except requests.exceptions.ConnectTimeout:
            return _not_sent(f"could not connect to {prepared.url} within {self.timeout:g} s; nothing was sent", eligible), {}
        except requests.exceptions.Timeout:
            return _unknown(f"no answer within {self.timeout:g} s (timeout); the post may be live", eligible), {}
        except requests.exceptions.SSLError as exc:
            return _not_sent(f"the TLS connection to {urlsplit(prepared.url).hostname} failed: {_short(exc)}", eligible), {}
        except requests.exceptions.ConnectionError as exc:
            if _connection_refused(exc):
                return _not_sent(f"could not connect to {urlsplit(prepared.url).netloc}: {_short(exc)}; nothing was sent", eligible), {}
            return _unknown(f"the connection dropped before the answer arrived ({_short(exc)}); the post may be live", eligible), {}
        except requests.exceptions.ChunkedEncodingError as exc:  # read inside post(): body shorter than announced
            return _unknown(f"the answer was cut off ({_short(exc)}); the post may be live", eligible), {}
        except requests.exceptions.RequestException as exc:
            return _unknown(f"the request failed: {_short(exc)}", eligible), {}
        try:
            with response:
                content = response.content
        except requests.exceptions.RequestException as exc:
            return _unknown(f"the answer was cut off ({_short(exc)}); the post may be live", eligible), {}
        body = _body_text(content, response.headers.get("Content-Type", "")) if content else ""
        return parse_response(response.status_code, response.headers.get("Content-Type", ""), body, eligible), response.headers


_FORM = {"Content-Type": "application/x-www-form-urlencoded"}
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)


def _body_text(content: bytes, content_type: str) -> str:
    """The body as text: in the charset the server names, else UTF-8 (JSON's encoding; requests
    would guess ISO-8859-1 for the ``text/javascript`` label the live service uses)."""
    match = _CHARSET.search(content_type)
    try:
        return content.decode(match.group(1) if match else "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return content.decode("utf-8", errors="replace")


def _connection_refused(exc: Exception) -> bool:
    """True when the connection was never made (nothing was sent)."""
    from urllib3.exceptions import NewConnectionError

    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, (NewConnectionError, ConnectionRefusedError)):
            return True
        stack.extend([item.__cause__, item.__context__, getattr(item, "reason", None)])
        stack.extend(a for a in getattr(item, "args", ()) if isinstance(a, BaseException))
    return False


def _short(exc: BaseException) -> str:
    text = str(exc)
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


def _unknown(message: str, eligible: Sequence[str]) -> PublishResult:
    return PublishResult(
        outcome=Outcome.UNKNOWN,
        error_message=message,
        providers=[_blanket(p, Status.UNKNOWN) for p in eligible],
    )


def _parse_http_date(value: str) -> float | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
