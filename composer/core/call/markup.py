"""The little HTML a user message may carry: Gigya keeps six tags and strips every other one.

The one home of that rule: validation warns about the tags that will go, the sandbox strips them as
the service does, and the previews show the message as it will be posted.
"""

from __future__ import annotations

import re
from html import escape, unescape

#: HTML tags Gigya keeps in userMessage; any other tag is stripped by the server (seed, UserAction
#: reference: "userMessage ... may contain the following HTML tags: b, i, u, strong, br, p").
KEPT_TAGS = frozenset({"b", "i", "u", "strong", "br", "p"})

#: a tag as HTML reads one: its name right after "<" or "</", so "a < b > c" stays text
#: (https://html.spec.whatwg.org/multipage/syntax.html#start-tags)
_ANY_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)[^>]*>")
_LINE_BREAK = re.compile(r"<br\s*/?\s*>", re.IGNORECASE)
_PARAGRAPH = re.compile(r"</?p(\s[^>]*)?/?\s*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_PARAGRAPH_RUN = re.compile(r"\s*\x00[\s\x00]*")
_BLANK_LINES = re.compile(r"\n{3,}")


def dropped_tags(message: str) -> list[str]:
    """The tag names in ``message`` that Gigya will strip, sorted and lower-case."""
    return sorted({m.group(1).lower() for m in _ANY_TAG.finditer(message)} - KEPT_TAGS)


def strip_to_kept(message: str) -> str:
    """``message`` as Gigya stores it: every tag but the kept ones removed, their text left in place."""
    return _ANY_TAG.sub(lambda m: m.group(0) if m.group(1).lower() in KEPT_TAGS else "", message)


def message_rich_text(message: str) -> str:
    """``message`` as safe Qt rich text, shown as the network shows it: the kept tags format it
    (without any attribute they carried), every other tag is gone as Gigya strips it, and all the
    rest is text. Entities are read once and escaped again, so nothing the user typed can become
    markup other than the six kept tags; a line break typed in the field stays one."""
    parts: list[str] = []
    position = 0
    for match in _ANY_TAG.finditer(message):
        parts.append(_escaped_text(message[position:match.start()]))
        position = match.end()
        name = match.group(1).lower()
        if name not in KEPT_TAGS:
            continue
        closing = match.group(0)[1:].lstrip().startswith("/")
        if name == "br":
            parts.append("<br>")
        else:
            parts.append(f"</{name}>" if closing else f"<{name}>")
    parts.append(_escaped_text(message[position:]))
    return "".join(parts).strip()


def _escaped_text(text: str) -> str:
    return escape(unescape(text), quote=False).replace("\n", "<br>")


def plain_message(message: str) -> str:
    """userMessage as a person will read it: a line break for <br> and between paragraphs, other
    tags removed."""
    if not message:
        return ""
    text = _PARAGRAPH.sub("\x00", message.replace("\x00", ""))
    text = _LINE_BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    text = _PARAGRAPH_RUN.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", unescape(text)).strip()
