"""Reading a page or an image the way a network's crawler does: one GET, nothing else sent, within a
deadline and a size cap.

Links to ``example.com`` are read from the built-in sandbox's demo pages instead: the domain is
reserved for examples (RFC 2606, https://www.rfc-editor.org/rfc/rfc2606) and its real page has no
card tags, while the sample drafts link there; so the samples show real cards with no internet.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import SplitResult, quote, urlsplit, urlunsplit

from composer import __version__
from composer.core.pages.reader import read_tags
from composer.core.pages.tags import PageResult, is_web_address
from composer.core.units import MB
from composer.sandbox.builtin import DEMO_PREFIX, ensure_builtin_sandbox

#: Our choice: a crawler gives up on a slow page too; the preview must not wait long for one.
PAGE_TIMEOUT_S = 5.0
#: Our choice, after Facebook's crawler, which is reported to read only a page's first megabyte
#: (https://seochecker.it/en/facebook-engagement-by-url.aspx, summarising Facebook's crawler page):
#: tags past it would not count anyway.
PAGE_MAX_BYTES = MB
#: Our choice: above every network's documented image limit, so the check can still say "too
#: large", while a huge or endless answer costs at most this much.
IMAGE_MAX_BYTES = 16 * MB
#: Our choice: how long an image may take to arrive.
IMAGE_TIMEOUT_S = 10.0

#: links to these hosts are read from the built-in sandbox's demo pages (see the module docstring)
DEMO_HOSTS = frozenset({"example.com", "www.example.com"})

#: what may stay as it is in a path and a query (the rest, and every non-ASCII character, is
#: percent-encoded; "%" stays so an address already encoded is not encoded twice)
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_USER_AGENT = f"composer/{__version__} (link preview)"
_CHUNK = 64 * 1024
_CHARSET = re.compile(r"charset=[\"']?([A-Za-z0-9._-]+)", re.IGNORECASE)


class FetchError(Exception):
    """The address could not be read; the message says why, in a few words, for a quiet note."""


@dataclass(frozen=True)
class Fetched:
    """One answer: its final address (after redirects), content type and body (at most the cap)."""

    url: str
    content_type: str
    body: bytes
    #: the body went past the cap and was cut there
    truncated: bool






def _ascii(parts: SplitResult, netloc: str) -> str:
    """The address as HTTP sends it: a path or query typed in any script is percent-encoded."""
    return urlunsplit((parts.scheme, netloc, quote(parts.path or "/", safe=_PATH_SAFE), quote(parts.query, safe=_QUERY_SAFE), ""))


def address_to_read(url: str) -> str:
    """Where ``url`` is really read from: the sandbox's demo pages for example.com, else itself
    (in ASCII: a host in any script as IDNA, the rest percent-encoded).  Raises ValueError for an
    address that cannot be written so, OSError when the demo pages cannot be served."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if host.lower() in DEMO_HOSTS:
        sandbox = urlsplit(ensure_builtin_sandbox().url)
        return _ascii(parts._replace(scheme=sandbox.scheme, path=DEMO_PREFIX + (parts.path or "/")), sandbox.netloc)
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError("the host name cannot be written in ASCII") from exc
    netloc = f"[{ascii_host}]" if ":" in ascii_host else ascii_host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return _ascii(parts, netloc)


class _WebRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to another web address (never ftp: or a file)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201 - urllib API
        if not is_web_address(newurl):
            raise FetchError("redirected away from the web")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_WebRedirects())


def http_get(url: str, *, accept: str, timeout: float, max_bytes: int) -> Fetched:
    """GET ``url``: only that request is sent (redirects followed, as crawlers do); the whole
    exchange ends by ``timeout`` seconds and reads at most ``max_bytes``.  Raises FetchError."""
    if not is_web_address(url):
        raise FetchError("not a web address")
    deadline = time.monotonic() + timeout
    try:
        target = address_to_read(url)
    except ValueError as exc:
        raise FetchError(str(exc)) from exc
    except OSError as exc:
        raise FetchError(f"the demo pages are unavailable ({exc.strerror or exc})") from exc
    request = urllib.request.Request(target, headers={"User-Agent": _USER_AGENT, "Accept": accept}, method="GET")
    try:
        with _opener.open(request, timeout=timeout) as answer:
            chunks: list[bytes] = []
            size = 0
            while size <= max_bytes:
                if time.monotonic() > deadline:
                    raise FetchError(f"no answer within {timeout:g} s")
                chunk = answer.read1(min(_CHUNK, max_bytes + 1 - size))  # what has arrived: the deadline is checked between reads
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            body = b"".join(chunks)
            # tags are resolved against the address the user gave (the demo pages stand for
            # example.com), or where a redirect led
            final = answer.geturl() if answer.geturl() != target else url.strip()
            return Fetched(final, answer.headers.get("Content-Type", ""), body[:max_bytes], len(body) > max_bytes)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(f"the server answered {exc.code}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"unreachable ({reason})") from exc
    except Exception as exc:  # noqa: BLE001 - http.client raises a handful of its own for broken answers
        raise FetchError(f"unreadable answer ({type(exc).__name__})") from exc


def _decode(fetched: Fetched) -> str:
    match = _CHARSET.search(fetched.content_type) or _CHARSET.search(fetched.body[:2048].decode("ascii", "replace"))
    encoding = match.group(1) if match else "utf-8"
    try:
        return fetched.body.decode(encoding, errors="replace")
    except LookupError:
        return fetched.body.decode("utf-8", errors="replace")


def fetch_page(url: str, *, timeout: float = PAGE_TIMEOUT_S, max_bytes: int = PAGE_MAX_BYTES) -> PageResult:
    """The tags of the page at ``url``; never raises for anything the network or the page does."""
    try:
        fetched = http_get(url, accept="text/html,application/xhtml+xml", timeout=timeout, max_bytes=max_bytes)
    except FetchError as exc:
        return PageResult(url, note=f"The linked page could not be read: {exc}.")
    kind = fetched.content_type.split(";")[0].strip().lower()
    if kind and kind not in ("text/html", "application/xhtml+xml"):
        return PageResult(url, note=f"The link is not a web page ({kind}); networks show no card from it.")
    return PageResult(url, tags=read_tags(_decode(fetched), fetched.url))
