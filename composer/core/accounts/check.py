"""Do a profile's credentials work?  Asked of the server itself, publishing nothing
(:func:`check_credentials`); a refusal comes back with a hint that says what to fix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from composer.core.accounts.credentials import CredentialStore
from composer.core.accounts.profiles import Profile, ProfileError, ProfileStore
from composer.core.accounts.resolve import Resolved, resolve, resolve_profile
from composer.core.contract import (
    CODE_EXPIRED,
    CODE_INVALID_API_KEY,
    CODE_INVALID_SIGNATURE,
    CODE_MISSING_PARAMETER,
    CODE_OK,
    CODE_PERMISSION_DENIED,
    CODE_RATE_LIMIT,
    CODE_SECRET_OVER_HTTP,
    CODE_TOO_MANY_REQUESTS,
    CODE_UNAUTHORIZED_USER,
    CODE_WRONG_DATA_CENTER,
    METHOD,
    TIMESTAMP_WINDOW_S,
)
from composer.core.live_service import endpoint_note
from composer.core.wire.client import GigyaClient
from composer.core.wire.result import PublishResult

if TYPE_CHECKING:  # pragma: no cover
    import requests

#: what to do after the server refused the credentials
_HINTS: dict[int, str] = {
    CODE_WRONG_DATA_CENTER: "the API key lives in another data center: edit the profile with --data-center (the server named it above)",
    CODE_INVALID_API_KEY: "the API key is unknown at this endpoint: check --api-key and the data center or base URL",
    CODE_EXPIRED: (
        f"the request expired: the computer's clock is more than {TIMESTAMP_WINDOW_S} s away from the server's even after "
        "correcting it; fix the clock"
    ),
    CODE_INVALID_SIGNATURE: (
        "the signature (or secret) does not match: the secret is wrong for this API key and user key; "
        "set it again with 'composer profile edit NAME --new-secret'"
    ),
    CODE_UNAUTHORIZED_USER: "the user key is unknown to this site: check --user-key",
    CODE_SECRET_OVER_HTTP: "the secret would travel over plain http: use --auth signed, or an https URL",
    CODE_PERMISSION_DENIED: f"the key is valid but may not call {METHOD}: enable the method for the site or application key",
    CODE_RATE_LIMIT: "the API rate limit was exceeded: wait a while and test again",
    CODE_TOO_MANY_REQUESTS: "too many requests: wait a while and test again",
}

_AUTH_PARAMETERS = ("apikey", "userkey", "secret", "sig", "timestamp", "nonce")


@dataclass(frozen=True)
class CredentialCheck:
    """The answer to "do these credentials work?": a sentence for the user, and a hint when they do not."""

    ok: bool
    message: str
    hint: str = ""
    notes: list[str] = field(default_factory=list)
    #: for the command line: 1 refused or unreachable, 2 unknown profile or bad usage
    exit_code: int = 1


def check_credentials(
    name: str,
    *,
    timeout: float = 10.0,
    store: ProfileStore | None = None,
    credential_store: CredentialStore | None = None,
    session: requests.Session | None = None,
) -> CredentialCheck:
    """Prove the secret can be read and the server accepts the credentials, publishing nothing.

    It sends socialize.publishUserAction with no UID and no userAction: the server checks
    authorization before the parameters, so "400002 Missing required parameter" means accepted;
    an authorization error (400093, 403003, 403005, 403002, 301001, ...) means refused.  The
    message ends with what an answer from the endpoint means now that the live call is retired
    (:func:`composer.core.live_service.endpoint_note`), unless it is a sandbox on this machine.
    ``session`` is the HTTP transport (by default the client's own)."""
    try:
        resolved = resolve(name, store=store, credential_store=credential_store)
    except ProfileError as exc:
        return CredentialCheck(False, str(exc), exit_code=exc.exit_code)
    return _check(resolved, timeout, session)


def check_form(profile: Profile, secret: str, *, timeout: float = 10.0, credential_store: CredentialStore | None = None) -> CredentialCheck:
    """Like :func:`check_credentials`, for a profile as a form holds it, saved or not: ``secret``
    when one was typed, else the one saved under the profile's name."""
    try:
        resolved = resolve_profile(profile, secret, credential_store=credential_store)
    except ProfileError as exc:
        return CredentialCheck(False, str(exc), exit_code=exc.exit_code)
    return _check(resolved, timeout)


def _check(resolved: Resolved, timeout: float, session: requests.Session | None = None) -> CredentialCheck:
    client = GigyaClient(resolved.credentials, resolved.base_url, timeout=timeout, session=session)
    try:
        result = client.call({}, eligible=[])
    finally:
        client.close()
    check = _verdict(resolved.profile_name, client.base_url, result, list(resolved.notes) + list(result.notes))
    note = endpoint_note(client.base_url)
    if not note:
        return check
    return CredentialCheck(check.ok, f"{check.message}\n{note}", check.hint, check.notes, check.exit_code)


def _verdict(who: str, url: str, result: PublishResult, notes: list[str]) -> CredentialCheck:
    """What the server's answer to the empty call says about the credentials."""
    code = result.error_code
    if code == CODE_MISSING_PARAMETER and not _names_auth_parameter(result.error_details, result.error_message):
        detail = result.error_details or result.error_message
        return CredentialCheck(
            True,
            f"OK: {url} accepted the credentials of profile {who!r}. It answered {code} ({detail}), "
            "which it checks only after authorization; nothing was published.",
            notes=notes,
        )
    if code == CODE_OK:
        return CredentialCheck(
            True, f"OK: {url} accepted the credentials of profile {who!r} (it reported success for an empty call).", notes=notes
        )
    if code is None:
        return CredentialCheck(False, f"could not test profile {who!r}: {result.error_message}. Check the endpoint and the network.", notes=notes)
    details = f" ({result.error_details})" if result.error_details else ""
    hint = _HINTS.get(code, "check the profile's API key, user key, secret and endpoint")
    if code == CODE_MISSING_PARAMETER:
        hint = "the server is missing an authorization parameter: check the profile's user key and auth mode"
    return CredentialCheck(False, f"Refused: {url} answered {code} {result.error_message}{details}", hint.replace("NAME", who), notes)


def _names_auth_parameter(*texts: str) -> bool:
    words = re.findall(r"[a-z]+", " ".join(texts).lower())
    return any(word in _AUTH_PARAMETERS for word in words)
