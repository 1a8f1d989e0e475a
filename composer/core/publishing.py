"""What the command line and the window share around one publish: the client for a resolved
profile, recording the attempt in the history, rendering the result, and building a retry that goes
only to the providers that failed (contract section 5)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from composer.core.accounts.profiles import ProfileError
from composer.core.accounts.resolve import ENVIRONMENT_NAME, Resolved, resolve
from composer.core.call.model import ModelError, PublishCall, eligible_providers
from composer.core.contract import CODE_OK, METHOD, PROVIDERS
from composer.core.live_service import endpoint_note
from composer.core.wire.client import GigyaClient, PreparedCall
from composer.core.wire.endpoint import DEFAULT_TIMEOUT
from composer.core.wire.result import Outcome, ProviderResult, PublishResult, Status
from composer.core.wire.signing import SecretError

if TYPE_CHECKING:  # pragma: no cover
    from composer.core.storage.history import Family, History


class RetryError(ValueError):
    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


def make_client(resolved: Resolved, timeout: float = DEFAULT_TIMEOUT) -> GigyaClient:
    return GigyaClient(resolved.credentials, resolved.base_url, timeout=timeout)


@dataclass
class PublishOutput:
    """One publish from the window: its result, its history line, and what was sent."""

    result: PublishResult
    history_id: int | None
    #: what resolving the profile noted (already among the result's notes)
    profile_notes: list[str]
    draft: dict[str, Any]
    #: the profile this attempt went through (a retry goes through it again)
    profile_name: str = ""
    #: the file name of the draft that was open when it was sent ("" for an untitled one)
    draft_name: str = ""
    #: when it was sent, as the history keeps it (UTC, ISO 8601)
    time: str = ""
    #: the attempt this one retried
    retry_of: int | None = None

    @property
    def uid(self) -> str:
        return str(self.draft.get("UID", ""))


def attempt_caption(
    *, number: int | None, draft_name: str, uid: str, profile: str, time: str, retry_of: int | None = None,
    plan: str | None = None, case: str | None = None,
) -> str:
    """Which attempt a result is: "#12 (retry of #11) · draft spring.json · UID demo-partial ·
    profile Sandbox · sent 2026-03-01 12:30:45 UTC", with "test plan P, case C" after the number
    for an attempt a test plan made.  The window and the History window say it alike."""
    parts = [f"#{number}" + (f" (retry of #{retry_of})" if retry_of else "")] if number else []
    if plan is not None:
        parts.append(f"test plan {plan}, case {case or '(none)'}")
    parts.append(f"draft {draft_name or 'untitled'}")
    parts.append(f"UID {uid or '(none)'}")
    parts.append(f"profile {profile or '(none)'}")
    if time:
        parts.append("sent " + time.replace("T", " ")[:19] + (" UTC" if time.endswith("Z") else ""))
    return " · ".join(parts)


def publish_with_profile(
    call: PublishCall, profile_name: str, timeout: float, retry_of: int | None = None, draft_name: str = "", base_url: str = ""
) -> PublishOutput:
    """The window's publish, run on its worker thread: resolve the profile's credentials (keyring),
    publish, record the attempt.  ``base_url``: the endpoint of an attempt made with environment
    credentials, which a retry of it goes to (:func:`retry_endpoint`).  Every outcome comes back as
    a PublishOutput, never an exception."""
    from composer.core.storage.history import stamp

    when = stamp()
    try:
        resolved = resolve(profile_name, base_url=base_url or None)
        client = make_client(resolved, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - a ProfileError, or a keyring or file that broke: nothing was sent
        message = str(exc) if isinstance(exc, ProfileError) else f"could not prepare the request: {type(exc).__name__}: {exc}"
        result = PublishResult(outcome=Outcome.FAILED, error_message=message)
        return PublishOutput(result, None, [], call.to_draft(), profile_name, draft_name, when, retry_of)
    result, history_id = publish_and_record(
        client, call, resolved.profile_name, retry_of=retry_of, when=when, draft_name=draft_name, notes=resolved.notes
    )
    return PublishOutput(result, history_id, list(resolved.notes), call.to_draft(), resolved.profile_name, draft_name, when, retry_of)


def publish_and_record(
    client: GigyaClient,
    call: PublishCall,
    profile_name: str,
    *,
    retry_of: int | None = None,
    when: str = "",
    draft_name: str = "",
    notes: list[str] | None = None,
    tag: PlanTag | None = None,
    history: History | None = None,
    keep_open: bool = False,
) -> tuple[PublishResult, int | None]:
    """Publish ``call`` with ``client`` (closed afterwards unless ``keep_open``: a test plan sends
    many calls through one) and record the attempt in the history, or in ``history`` when given:
    the result, and its history id (None when the history could not be written).  A result from an
    endpoint that is not on this machine carries a note on what its answer means now that the live
    call is retired (:func:`composer.core.live_service.endpoint_note`).

    Nothing escapes: the client returns a result for whatever the server does, and should our own
    code fail after the request may have left, that is recorded as an unknown outcome too.  An
    interruption (Ctrl+C) is recorded the same way, then goes on up.  ``notes`` (about the profile)
    go with the result, so the history keeps what the window shows."""
    try:
        result = client.publish(call)
    except KeyboardInterrupt:
        record(call, _broke_off(call, "publishing was interrupted"), profile_name, retry_of=retry_of, when=when, draft_name=draft_name,
               tag=tag, history=history)
        raise
    except Exception as exc:  # noqa: BLE001 - a bug of ours must not lose an attempt that may be live
        result = _broke_off(call, f"composer failed while publishing ({type(exc).__name__}: {exc})")
    finally:
        if not keep_open:
            try:
                client.close()
            except Exception:  # noqa: BLE001 - it only closes idle connections; the result stands
                pass
    result.notes[:0] = notes or []
    note = endpoint_note(result.url or client.base_url)
    if note:
        result.notes.append(note)
    if retry_of is not None:
        try:
            posts = family_of(retry_of).posts
        except RetryError:  # an unreadable history must not lose the result being shown: the rows
            posts = {}  # then only say the lists excluded them
        mark_already_posted(result, call, posts, retry_of)
    return result, record(call, result, profile_name, retry_of=retry_of, when=when, draft_name=draft_name, tag=tag, history=history)


def mark_already_posted(result: PublishResult, call: PublishCall, posted: dict[str, int], retry_of: int) -> None:
    """A retry of attempt ``retry_of`` sends only to the networks that failed there, through
    enabledProviders: say why each other network was left out ("already posted (#11)", or that it
    did not fail) rather than that lists the user never set excluded it."""
    eligible = eligible_providers(call.enabledProviders, call.disabledProviders)
    for p in result.providers:
        if p.status is Status.NOT_ATTEMPTED and p.provider not in eligible:
            p.error_message = f"already posted (#{posted[p.provider]})" if p.provider in posted else f"not retried: it did not fail in #{retry_of}"


def _broke_off(call: PublishCall, why: str) -> PublishResult:
    """An attempt that stopped without a result: the request may have left, so it is unknown."""
    eligible = eligible_providers(call.enabledProviders, call.disabledProviders)
    return PublishResult(
        outcome=Outcome.UNKNOWN,
        error_message=f"{why}; the post may be live",
        providers=[ProviderResult(p, Status.UNKNOWN, error_message="the outcome is unknown; check this network") for p in eligible],
    )


@dataclass(frozen=True)
class PlanTag:
    """The test plan and case an attempt was made for, recorded with it in the history."""

    plan: str
    case: str


def record(call: PublishCall, result: PublishResult, profile_name: str, *, retry_of: int | None = None,
           history: History | None = None, when: str = "", draft_name: str = "", tag: PlanTag | None = None) -> int | None:
    """Add the attempt to the history; returns its id, or None when the history cannot be written
    (the result is still shown: losing a history line must never lose the result)."""
    from composer.core.storage.history import History

    fields = {"profile": profile_name, "draft": call.to_draft(), "result": result.to_json(), "retry_of": retry_of,
              "when": when or None, "draft_name": draft_name,
              "plan": tag.plan if tag else None, "case": tag.case if tag else None}
    try:
        if history is not None:
            return history.add(**fields)
        with History() as own:
            if own.recovered:  # a corrupt file was set aside on opening: say so with this result
                result.notes.append(own.recovered)
                fields["result"] = result.to_json()
            return own.add(**fields)
    except Exception as exc:  # noqa: BLE001 - a disk problem must not lose the result on screen
        result.notes.append(f"could not record this attempt in the history: {exc}")
        return None


def curl_command(result: PublishResult) -> str:
    """The request an attempt sent, as a cURL command (its secret and signature redacted)."""
    return PreparedCall(result.url, dict(result.request_params)).curl()


def explain_signature(call: PublishCall, profile_name: str) -> tuple[bool, str]:
    """How ``call`` would be signed through the profile: (True, the base string and the steps)
    or (False, why there is nothing to show).  Reads the profile's secret, never shows it."""
    try:
        client = make_client(resolve(profile_name))
        prepared = client.prepare(call.to_params())
    except (ProfileError, SecretError) as exc:
        return False, str(exc)
    if "sig" not in prepared.params:
        return True, "This profile sends the secret over HTTPS; there is no signature."
    return True, str(client.explain_signature(prepared))


def result_json(result: PublishResult, history_id: int | None = None) -> dict[str, Any]:
    out = result.to_json()
    out["headline"] = result.headline
    if history_id is not None:
        out["historyId"] = history_id
    return out


def render_result(result: PublishResult) -> str:
    """The result as lines for a terminal.  Much of it is the server's own text, so control
    characters are shown escaped: an answer must not move the cursor or retitle the window."""
    lines = [result.headline]
    if result.call_id or result.time or result.http_status is not None:
        status = "-" if result.http_status is None else result.http_status
        lines.append(f"callId {result.call_id or '-'}  time {result.time or '-'}  HTTP {status}")
    width = max(len(p) for p in PROVIDERS)
    for p in result.providers:
        if p.status is Status.POSTED:
            detail = f"post ID {p.post_id}" if p.post_id else "posted"
        elif p.error_code not in (None, CODE_OK):  # failed, or unknown with the server's code (500001)
            detail = f"error {p.error_code}: {p.error_message}" + (f" ({p.error_details})" if p.error_details else "")
        else:
            detail = p.error_message + (f" ({p.error_details})" if p.error_details else "")
        lines.append(f"  {p.provider:<{width}}  {p.status.value:<13} {detail}")
    for note in result.notes:
        lines.append(f"note: {note}")
    return "\n".join(terminal_safe(line) for line in lines)


def terminal_safe(line: str) -> str:
    """``line`` with control characters shown escaped, for a terminal."""
    return _CONTROL.sub(_escaped, line)


#: C0 and C1 control characters and DEL, which a terminal may act on
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


@dataclass(frozen=True)
class RetryPlan:
    call: PublishCall
    providers: list[str]
    #: set when the earlier outcome was unknown: the post may already be live
    warning: str = ""


def family_of(entry_id: int | None, history: History | None = None) -> Family:
    """What the attempts of history entry ``entry_id``'s family (the attempt it retries, every
    retry of that one, and itself) posted and left unknown.  A :class:`RetryError` when the history
    cannot tell: a retry must not guess that nothing else posted, or it may post twice."""
    from composer.core.storage.history import Family, History, HistoryUnavailable

    if entry_id is None:  # an attempt that was never recorded has no family
        return Family(0, {}, {})
    try:
        if history is not None:
            return history.family(entry_id)
        with History() as own:
            return own.family(entry_id)
    except HistoryUnavailable as exc:  # a damaged entry of the family, a lock, a full disk
        raise RetryError(family_unreadable(entry_id, str(exc)), 1) from None


def family_unreadable(entry_id: int, why: str) -> str:
    """Why attempt ``entry_id`` is not retried when the history cannot say what its family got."""
    return f"the history cannot tell what the other attempts of #{entry_id} posted; nothing is sent, as a retry might post twice ({why})"


def plan_retry(draft: dict[str, Any], result: dict[str, Any], family: Family | None = None) -> RetryPlan:
    """The same content, with enabledProviders set to exactly the providers that failed (and that
    no attempt of its ``family`` has posted to since); a warning names each of them whose outcome
    is unknown there or in another attempt of the family (the post may be live: contract section 5)."""
    try:
        call = PublishCall.from_params(draft)
    except ModelError as exc:  # a history edited by hand: its draft is no call any more
        raise RetryError(f"that attempt's draft cannot be read ({exc.field} {exc.message})", 1) from None
    providers = result.get("providers", [])
    posted = [p["provider"] for p in providers if p.get("status") == "posted"]
    tried = [p["provider"] for p in providers if p.get("status") in ("failed", "unknown")]
    outcome = result.get("outcome")
    if not tried and not posted and outcome == Outcome.FAILED.value:
        # the call was refused before any provider was tried: nothing posted anywhere
        tried = eligible_providers(call.enabledProviders, call.disabledProviders)
    failed = [p for p in tried if p not in (family.posts if family else {})]
    unknown = [p["provider"] for p in providers if p.get("status") == "unknown" and p["provider"] in failed]
    if not failed:
        if tried:
            raise RetryError("another retry of that attempt already posted to every network that failed", 1)
        raise RetryError("no provider failed in that attempt: there is nothing to retry", 1)
    call.enabledProviders = [p for p in PROVIDERS if p in failed] + [p for p in failed if p not in PROVIDERS]
    call.disabledProviders = [p for p in call.disabledProviders if p not in failed]
    maybe_live = dict.fromkeys(failed if outcome == Outcome.UNKNOWN.value else unknown, "")
    for name in failed:  # a sibling retry whose outcome is unknown: its post may be live too
        others = [n for n in family.unknown.get(name, []) if n != family.of] if family else []
        if others:
            maybe_live[name] = " (" + ", ".join(f"#{n}" for n in others) + ")"
    warning = ""
    if maybe_live:
        warning = (
            "An earlier outcome is unknown: the post may already be live on "
            + ", ".join(name + where for name, where in maybe_live.items())
            + ". Check those networks first; publishing again may post twice."
        )
    return RetryPlan(call, failed, warning)


@dataclass(frozen=True)
class HistoryRetry:
    call: PublishCall
    profile: str
    #: the endpoint the first attempt went to (so a retry with environment credentials goes there too)
    base_url: str
    warning: str
    #: the file name of the draft the first attempt sent (a retry sends that draft again)
    draft_name: str = ""


def retry_call_from_history(entry_id: int) -> HistoryRetry:
    from composer.core.storage.history import History, HistoryUnavailable

    try:
        with History() as history:
            entry = history.get(entry_id)
            if entry is None:
                raise RetryError(f"there is no history entry {entry_id} (see 'composer history')")
            plan = plan_retry(entry.draft, entry.result, family_of(entry_id, history))
    except HistoryUnavailable as exc:  # a full disk, a folder that cannot be read: nothing to retry from
        raise RetryError(str(exc), exit_code=1) from None
    return HistoryRetry(plan.call, entry.row.profile, retry_endpoint(entry.row.profile, entry.result), plan.warning, entry.row.draft_name)


def retry_endpoint(profile: str, result: dict[str, Any]) -> str:
    """Where a retry of an attempt made through ``profile`` goes instead of that profile's own
    endpoint: for environment credentials (``composer publish`` with GIGYA_API_KEY ...), which name
    no endpoint of their own, the one the attempt went to; "" otherwise."""
    url = str(result.get("url") or "")
    if profile != ENVIRONMENT_NAME or not url.endswith("/" + METHOD):
        return ""
    return url.rsplit("/", 1)[0]
