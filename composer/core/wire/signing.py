"""Gigya request signing: HMAC-SHA1 over an OAuth 1.0 style base string (contract section 1)."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

#: Parameters that are sent but never signed.
UNSIGNED = frozenset({"sig", "secret"})

_DEFAULT_PORTS = {"http": 80, "https": 443}


class SecretError(ValueError):
    """The secret is not valid base64.  The message never contains the secret."""


def pct(value: str) -> str:
    """RFC 3986 percent-encoding of the UTF-8 bytes; only ``A-Z a-z 0-9 - . _ ~`` stay."""
    return quote(value.encode("utf-8"), safe="-._~")


def normalized_url(url: str) -> str:
    """Lower-case scheme and host, the port only when it is not the scheme's default, the path."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    return f"{scheme}://{netloc}{parts.path}"


def query_string(params: Mapping[str, str]) -> str:
    """The signed pairs sorted by key in byte order, each ``key=pct(value)``, joined by ``&``."""
    pairs = sorted(
        ((k, v) for k, v in params.items() if k not in UNSIGNED),
        key=lambda kv: kv[0].encode("utf-8"),
    )
    return "&".join(f"{k}={pct(v)}" for k, v in pairs)


def _pct_again(encoded: str) -> str:
    """pct() of a query string whose values are already pct-encoded: only ``%``, ``&`` and ``=``
    can occur outside the unreserved set, so three replacements give the same result as pct()
    at a fraction of the cost (the query string is the longest thing signed)."""
    return encoded.replace("%", "%25").replace("&", "%26").replace("=", "%3D")


def base_string(method: str, url: str, params: Mapping[str, str]) -> str:
    return _base_string(method, url, query_string(params), _plain_keys(params))


def _plain_keys(params: Mapping[str, str]) -> bool:
    return all(_UNRESERVED.fullmatch(key) for key in params)


def _base_string(method: str, url: str, query: str, plain_keys: bool) -> str:
    # keys are not encoded by query_string (the contract encodes values only): a key outside the
    # unreserved set (never one of Gigya's parameters) takes the general pct()
    return f"{method.upper()}&{_encoded_url(url)}&{_pct_again(query) if plain_keys else pct(query)}"


@functools.lru_cache(maxsize=64)
def _encoded_url(url: str) -> str:
    return pct(normalized_url(url))


_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")


def decode_secret(secret: str) -> bytes:
    try:
        return base64.b64decode(secret.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SecretError("the secret is not valid base64 (copy it again from the console)") from None


def secret_looks_valid(secret: str) -> bool:
    """Whether ``secret`` is a non-empty base64 text, as a Gigya secret is."""
    try:
        decode_secret(secret)
    except SecretError:
        return False
    return bool(secret.strip())


def sign(secret: str, method: str, url: str, params: Mapping[str, str]) -> str:
    """``base64(HMAC-SHA1(base64decode(secret), base string))``."""
    return _hmac_sha1(secret, base_string(method, url, params))


def _hmac_sha1(secret: str, base: str) -> str:
    digest = hmac.new(decode_secret(secret), base.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def form_body(params: Mapping[str, str]) -> str:
    """``params`` as an ``application/x-www-form-urlencoded`` body (RFC 3986 encoding is valid
    form encoding: a space is ``%20``, which form decoding reads as a space, as it does ``+``)."""
    return "&".join(f"{pct(k)}={pct(v)}" for k, v in params.items())


def signed_body(secret: str, method: str, url: str, params: Mapping[str, str]) -> tuple[str, str]:
    """The signature of ``params`` and the form body that sends them with it, encoding each value
    once: the sorted, encoded query string that is signed is also the body, ``sig`` appended."""
    query = query_string(params)
    plain = _plain_keys(params)
    sig = _hmac_sha1(secret, _base_string(method, url, query, plain))
    body = query if plain and not UNSIGNED & params.keys() else form_body({k: v for k, v in params.items() if k != "sig"})
    return sig, f"{body}&sig={pct(sig)}"


def verify(secret: str, method: str, url: str, params: Mapping[str, str], sig: str) -> bool:
    try:
        expected = sign(secret, method, url, params)
    except SecretError:
        return False
    return hmac.compare_digest(expected.encode("ascii"), sig.encode("utf-8", "replace"))


@dataclass(frozen=True)
class SignatureExplanation:
    """What QA needs to check a signature by hand.  Deliberately holds no secret."""

    normalized_url: str
    query_string: str
    base_string: str
    sig: str

    def __str__(self) -> str:
        return (
            f"Normalized URL:\n  {self.normalized_url}\n"
            f"Sorted, encoded parameters:\n  {self.query_string}\n"
            f"Base string (signed with HMAC-SHA1, key = base64-decoded secret):\n  {self.base_string}\n"
            f"sig:\n  {self.sig}"
        )


def explain(secret: str, method: str, url: str, params: Mapping[str, str]) -> SignatureExplanation:
    return SignatureExplanation(
        normalized_url=normalized_url(url),
        query_string=query_string(params),
        base_string=base_string(method, url, params),
        sig=sign(secret, method, url, params),
    )
