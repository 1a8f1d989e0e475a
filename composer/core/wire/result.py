"""What one publish came to: the whole call's :class:`Outcome`, each network's
:class:`ProviderResult`, and the :class:`PublishResult` that holds them with the server's answer.

These are plain values: the client makes them (``composer.core.wire.client``), the history stores
them, the window and the command line show them.  Showing one needs nothing of the HTTP stack.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from composer.core.contract import PROVIDER_LABELS


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

    @property
    def reason(self) -> str:
        """Why this network failed, in the server's most specific words: its details when it gave
        some (they name the cause, e.g. "Limit reached: Status is a duplicate."), else its message."""
        return self.error_details or self.error_message

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
        """One line a person reads first.  It never contradicts the rows: an unknown outcome says
        so, and a network that failed is named with the server's own words for why (its
        ``errorDetails``, which say more than the code's message: "Status is a duplicate")."""
        if self.outcome is Outcome.UNKNOWN:
            return f"Outcome unknown: {self.error_message}. Check the networks before publishing again."
        posted = self.posted_providers()
        failed = [p for p in self.providers if p.status is Status.FAILED]
        if posted:
            text = f"Published to {len(posted)} network(s); {len(failed)} failed"
            return f"{text}: {_reasons(failed)}" if failed else text
        if failed:
            return f"Not published: {_reasons(failed)}"
        if self.error_code:
            return f"Error {self.error_code}: {self.error_message}" + (f" ({self.error_details})" if self.error_details else "")
        if self.error_message:
            return f"Not published: {self.error_message}"
        return "Published to 0 network(s)"

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


def _reasons(failed: list[ProviderResult]) -> str:
    """The failed networks grouped by reason: "Facebook and Twitter: Limit reached: Status is a
    duplicate. (403024)"."""
    groups: dict[tuple[str, int | None], list[str]] = {}
    for p in failed:
        groups.setdefault((p.reason, p.error_code), []).append(PROVIDER_LABELS.get(p.provider, p.provider))
    parts = []
    for (reason, code), names in groups.items():
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"{who}: {reason or 'failed'}" + (f" ({code})" if code is not None else ""))
    return "; ".join(parts)
