"""Where a call goes and what authorizes it: data centers, base URLs, the auth mode and credentials.

Apart from the client so the profiles (and the window's first frame) need not import the client."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit

from composer.core.contract import DEFAULT_DATA_CENTER, REDACTED

#: seconds to wait for the answer, unless the user says otherwise
DEFAULT_TIMEOUT = 30.0

#: one label of a host name, in lower case: letters and digits, with hyphens only inside (RFC 1123)
HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
#: a host name of two labels or more, in lower case, such as a data center (``us1.gigya.com``)
HOST_NAME_RE = re.compile(rf"^{HOST_LABEL}(?:\.{HOST_LABEL})+$")

_LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


class EndpointError(ValueError):
    """A data center or base URL that cannot be used."""


class AuthMode(str, Enum):
    SIGNED = "signed"
    SECRET = "secret"


@dataclass(frozen=True)
class Credentials:
    """What authorizes a call.  The secret never shows in ``repr`` or ``str``."""

    api_key: str
    secret: str = field(repr=False)
    user_key: str = ""
    auth: AuthMode = AuthMode.SIGNED

    def __repr__(self) -> str:
        return f"Credentials(api_key={self.api_key!r}, user_key={self.user_key!r}, secret={REDACTED}, auth={self.auth.value!r})"

    __str__ = __repr__

    @property
    def legacy_partner_secret(self) -> bool:
        """No user key: the site's partner secret signs the call (Gigya stopped accepting this in 2023)."""
        return not self.user_key


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    return host in _LOOPBACK_HOSTS or host.startswith("127.")


def base_url_for(data_center: str | None = None, base_url: str | None = None) -> str:
    """The base URL calls go to: a custom one (staging, the sandbox) or ``https://socialize.<dc>``.
    Plain ``http://`` is refused except for loopback hosts."""
    if base_url:
        parts = urlsplit(base_url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise EndpointError(f"{base_url!r} is not an http(s) URL")
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            raise EndpointError(
                f"{base_url} uses plain http; only loopback hosts (127.0.0.1, localhost) may, "
                "since the call carries credentials: use https"
            )
        return base_url.strip().rstrip("/")
    dc = (data_center or DEFAULT_DATA_CENTER).strip().lower()
    if not HOST_NAME_RE.match(dc):
        raise EndpointError(f"{data_center!r} is not a data center name such as us1.gigya.com")
    return f"https://socialize.{dc}"


def env_credentials(environ: Mapping[str, str] | None = None, auth: AuthMode = AuthMode.SIGNED) -> Credentials | None:
    """Credentials from GIGYA_API_KEY, GIGYA_USER_KEY and GIGYA_SECRET, when the first and last are set."""
    env = os.environ if environ is None else environ
    api_key = env.get("GIGYA_API_KEY", "").strip()
    secret = env.get("GIGYA_SECRET", "").strip()
    if not api_key or not secret:
        return None
    return Credentials(api_key=api_key, secret=secret, user_key=env.get("GIGYA_USER_KEY", "").strip(), auth=auth)
