"""The sandbox's answers in the format a call asks for: JSON, JSONP or XML."""

from __future__ import annotations

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
    return replace(json_reply(status, response), headers=headers)


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
