"""The sandbox's answers in the format a call asks for: JSON, JSONP or XML."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from composer.sandbox.service import CALLBACK_PATTERN

_XML_NAME_RE = re.compile(r"^[A-Za-z_][\w.\-]*$")
#: the characters XML 1.0 cannot carry at all, not even as a character reference
#: (https://www.w3.org/TR/xml/#charsets); an answer echoes what a client sent (``Unknown UID: ...``),
#: so these become U+FFFD there, and the document stays well-formed
_NOT_XML_CHAR_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: the HTTP statuses that send a client elsewhere, with the ``Location`` header
_REDIRECTS = frozenset({301, 302})


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str
    #: headers beyond Content-Type and Content-Length, as (name, value) pairs
    headers: tuple[tuple[str, str], ...] = ()


def json_reply(status: int, value: Any, pretty: bool = False) -> Reply:
    text = json.dumps(value, ensure_ascii=False, indent=2 if pretty else None, separators=None if pretty else (",", ":"))
    return Reply(status, text.encode("utf-8"), "application/json; charset=utf-8")


def render(response: Mapping[str, Any], params: Mapping[str, str], root: str = "socialize.publishUserActionResponse") -> Reply:
    """The response in the format the call asked for: JSON, JSONP, or (no format) XML.  With
    ``httpStatusCodes=true`` the HTTP status is the answer's ``statusCode``, and a 301 carries the
    answer's ``location`` as its ``Location`` header: the error codes page says that field "is
    equivalent to the location header in the HTTP 301/302 responses"
    (http://developers.gigya.com/037_API_reference/zz_Response_Codes_and_Errors)."""
    status = response["statusCode"] if params.get("httpStatusCodes", "").lower() == "true" else 200
    location = response.get("location")
    headers = (("Location", location),) if status in _REDIRECTS and isinstance(location, str) and location else ()
    fmt = params.get("format", "")
    callback = params.get("callback", "")
    if fmt == "jsonp" and CALLBACK_PATTERN.match(callback):
        # U+2028 and U+2029 are valid in JSON text but ended a JavaScript string literal before
        # ES2019 (https://github.com/tc39/proposal-json-superset): escaped, the script runs anywhere
        value = json.dumps(response, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        text = f"{callback}({value});"
        return Reply(status, text.encode("utf-8"), "text/javascript; charset=utf-8", headers)
    if fmt in ("", "xml"):
        return Reply(status, to_xml(root, response).encode("utf-8"), "text/xml; charset=utf-8", headers)
    body = json.dumps(response, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # the live service labels its JSON answers text/javascript (gigya-api.md section 3); a client
    # that insists on application/json learns it here, not in production
    return Reply(status, body, "text/javascript; charset=utf-8", headers)


def gzipped(reply: Reply, accept_encoding: str) -> Reply:
    """``reply`` gzipped when the client's ``Accept-Encoding`` takes gzip (RFC 9110 section
    12.5.3, https://www.rfc-editor.org/rfc/rfc9110#section-12.5.3), as Gigya sends its answers:
    "All responses sent from Gigya, whether client-side or server-to-server, are gzipped" (the
    Response object page, https://developers.gigya.com/plugins/viewsource/viewpagesrc.action?pageId=8559616).
    A client that does not take gzip gets the plain body, which it can read."""
    if not _takes_gzip(accept_encoding):
        return reply
    headers = (*reply.headers, ("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding"))
    return replace(reply, body=gzip.compress(reply.body, mtime=0), headers=headers)


def _takes_gzip(accept_encoding: str) -> bool:
    """A weight given to gzip by name decides, else one given to ``*``; a weight of 0 refuses."""
    weights: dict[str, float] = {}
    for item in accept_encoding.lower().split(","):
        coding, *parameters = (part.strip() for part in item.split(";"))
        weight = next((parameter[2:] for parameter in parameters if parameter.startswith("q=")), "1")
        try:
            weights[coding] = float(weight)
        except ValueError:
            weights[coding] = 0.0  # unreadable: not taken
    for coding in ("gzip", "x-gzip", "*"):
        if coding in weights:
            return weights[coding] > 0
    return False


def to_xml(root: str, value: Mapping[str, Any]) -> str:
    """A simple XML rendering: objects as elements, lists as ``<item>`` children, nulls left out."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>']
    _xml_element(root, value, lines, 0, ' xmlns="urn:com:gigya:api"')
    return "\n".join(lines) + "\n"


def _xml_element(name: str, value: Any, out: list[str], depth: int, attributes: str = "") -> None:
    pad = "  " * depth
    tag = name if _XML_NAME_RE.match(name) else "entry"
    if tag != name:
        attributes += f" name={quoteattr(name)}"
    if isinstance(value, Mapping):
        children = [(k, v) for k, v in value.items() if v is not None]
    elif isinstance(value, list):
        children = [("item", v) for v in value if v is not None]
    else:
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        text = _NOT_XML_CHAR_RE.sub("\ufffd", text)
        out.append(f"{pad}<{tag}{attributes}>{escape(text)}</{tag}>")
        return
    out.append(f"{pad}<{tag}{attributes}>")
    for child_name, child in children:
        _xml_element(str(child_name), child, out, depth + 1)
    out.append(f"{pad}</{tag}>")
