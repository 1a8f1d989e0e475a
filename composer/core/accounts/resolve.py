"""Where a call goes and with which credentials: from a profile name, the environment, or neither.

:func:`resolve` turns "what the user asked for" into a base URL and :class:`Credentials`, for the
``publish`` command and the window.  Precedence: a named profile (its secret read from the
keyring); else the environment variables ``GIGYA_API_KEY`` / ``GIGYA_USER_KEY`` / ``GIGYA_SECRET``
(with ``--data-center`` / ``--base-url``); else the built-in Sandbox, started on demand.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from composer.core.accounts.credentials import CredentialStore
from composer.core.accounts.profiles import (
    BUILTIN_NAME,
    LEGACY_NOTE,
    Profile,
    ProfileError,
    ProfileStore,
    builtin_profile,
    check_profile,
    unknown_profile_message,
)
from composer.core.wire.endpoint import AuthMode, Credentials, EndpointError, base_url_for, env_credentials
from composer.sandbox.builtin import ensure_builtin_sandbox

#: the name an attempt made with GIGYA_* environment credentials is recorded under
ENVIRONMENT_NAME = "(environment)"
SESSION_NOTE = "secret kept for this session only (gone when Composer exits): the keyring could not keep it"


@dataclass(frozen=True)
class Resolved:
    """What a call needs: where to send it and with which credentials, plus notes for the user."""

    base_url: str
    credentials: Credentials
    profile: Profile | None
    profile_name: str
    notes: list[str] = field(default_factory=list)
    #: "profile", "environment" or "sandbox"
    source: str = "profile"


def resolve(
    profile_name: str | None,
    *,
    data_center: str | None = None,
    base_url: str | None = None,
    auth: AuthMode | str | None = None,
    store: ProfileStore | None = None,
    credential_store: CredentialStore | None = None,
    environ: Mapping[str, str] | None = None,
) -> Resolved:
    """Where to send a call and with which credentials; raises :class:`ProfileError`.

    Precedence: ``profile_name`` when given (``data_center`` / ``base_url`` / ``auth`` then override
    the profile's); else ``GIGYA_API_KEY`` / ``GIGYA_USER_KEY`` / ``GIGYA_SECRET`` from ``environ``
    with ``data_center`` or ``base_url``; else the built-in Sandbox.
    """
    mode = _auth_mode(auth)
    if data_center and base_url:
        raise ProfileError("give --data-center or --base-url, not both")
    name = (profile_name or "").strip()
    env = os.environ if environ is None else environ
    if name and name != ENVIRONMENT_NAME:
        return _from_profile(name, data_center, base_url, mode, store, credential_store)
    credentials = env_credentials(env, mode or AuthMode.SIGNED)
    if credentials is not None:
        return _from_environment(credentials, data_center, base_url)
    partial = [v for v in ("GIGYA_API_KEY", "GIGYA_SECRET", "GIGYA_USER_KEY") if env.get(v, "").strip()]
    if partial:
        missing = [v for v in ("GIGYA_API_KEY", "GIGYA_SECRET") if v not in partial]
        raise ProfileError(
            f"{partial[0]} is set but {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not: set GIGYA_API_KEY and "
            "GIGYA_SECRET (and GIGYA_USER_KEY), or unset them to use the built-in Sandbox"
        )
    if name == ENVIRONMENT_NAME:
        raise ProfileError(
            "this used the GIGYA_API_KEY / GIGYA_SECRET environment variables, which are not set now; set them "
            "(for the window: before starting Composer), or on the command line give --profile NAME"
        )
    if data_center or base_url:
        option = "--data-center" if data_center else "--base-url"
        raise ProfileError(f"{option} needs credentials: give --profile NAME, or set GIGYA_API_KEY, GIGYA_USER_KEY and GIGYA_SECRET")
    return _from_sandbox(mode)


def _auth_mode(auth: AuthMode | str | None) -> AuthMode | None:
    if auth is None or auth == "":
        return None
    try:
        return AuthMode(auth)
    except ValueError:
        raise ProfileError(f"auth must be 'signed' or 'secret', not {auth!r}") from None


def _endpoint(data_center: str | None, base_url: str | None) -> str:
    try:
        return base_url_for(data_center, base_url)
    except EndpointError as exc:
        raise ProfileError(str(exc)) from None


def _legacy_notes(credentials: Credentials) -> list[str]:
    return [LEGACY_NOTE] if credentials.legacy_partner_secret else []


def _from_profile(
    name: str,
    data_center: str | None,
    base_url: str | None,
    mode: AuthMode | None,
    store: ProfileStore | None,
    credential_store: CredentialStore | None,
) -> Resolved:
    store = store if store is not None else ProfileStore()
    profile = store.get(name)
    if profile is None:
        raise ProfileError(unknown_profile_message(name, store.names()))
    if profile.builtin:
        if data_center or base_url:
            raise ProfileError(f"the built-in {BUILTIN_NAME} profile has its own endpoint; drop --data-center / --base-url or use another profile")
        return _from_sandbox(mode)
    notes: list[str] = []
    if data_center or base_url:
        url = _endpoint(data_center, base_url)
        notes.append(f"endpoint {url} instead of the profile's {profile.describe_endpoint()}")
    else:
        url = profile.endpoint()
    return _with_secret(profile, url, mode, "", credential_store, notes)


def resolve_profile(profile: Profile, secret: str = "", *, credential_store: CredentialStore | None = None) -> Resolved:
    """Where a call goes with ``profile`` as given, saved or not (the profile dialog's Test):
    ``secret`` when given, else the one the keyring keeps under the profile's name."""
    if profile.builtin:
        return _from_sandbox(None)
    problems = check_profile(profile)
    if problems:
        raise ProfileError("; ".join(problems))
    return _with_secret(profile, profile.endpoint(), None, secret, credential_store, [])


def _with_secret(
    profile: Profile, url: str, mode: AuthMode | None, secret: str, credential_store: CredentialStore | None, notes: list[str]
) -> Resolved:
    if not secret:
        found = (credential_store if credential_store is not None else CredentialStore()).get(profile.name)
        if not found.found:
            raise ProfileError(
                f"{found.message} Set it with 'composer profile edit {profile.name} --new-secret' "
                "(or in the window's profile dialog).",
                exit_code=1,
            )
        if found.session_only:
            notes.append(SESSION_NOTE)
        secret = found.secret
    credentials = Credentials(api_key=profile.api_key, secret=secret, user_key=profile.user_key, auth=mode or profile.auth)
    return Resolved(url, credentials, profile, profile.name, notes + _legacy_notes(credentials), "profile")


def _from_environment(credentials: Credentials, data_center: str | None, base_url: str | None) -> Resolved:
    url = _endpoint(data_center, base_url)
    notes = [f"credentials from GIGYA_API_KEY / GIGYA_SECRET, endpoint {url}", *_legacy_notes(credentials)]
    return Resolved(url, credentials, None, ENVIRONMENT_NAME, notes, "environment")


def _from_sandbox(mode: AuthMode | None) -> Resolved:
    try:
        server = ensure_builtin_sandbox()
    except OSError as exc:
        raise ProfileError(f"the built-in sandbox could not start on a loopback port ({exc.strerror or exc})", exit_code=1) from None
    info = server.info()
    credentials = Credentials(
        api_key=str(info["apiKey"]),
        secret=str(info["secret"]),
        user_key=str(info.get("userKey") or ""),
        auth=mode or AuthMode.SIGNED,
    )
    notes = [f"built-in sandbox at {server.url} with its demo credentials: nothing leaves this computer"]
    return Resolved(server.url, credentials, builtin_profile(), BUILTIN_NAME, notes + _legacy_notes(credentials), "sandbox")
