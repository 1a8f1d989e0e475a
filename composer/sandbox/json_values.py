"""JSON-valued parameters read within limits: whatever text a client sends as ``userAction``,
``actionAttributes`` or ``userLocation``, reading it either gives a value the rest of the sandbox
can hold, copy and render, or a :class:`JSONValueError` that says what is wrong (the service
answers 400006 with it).

Python's ``json`` module accepts more than JSON (``NaN``, ``Infinity``) and fails in ways that are
not ``JSONDecodeError`` (``RecursionError`` for deep nesting, ``ValueError`` for an integer of
thousands of digits), so the text is checked against the limits below before and while it is
read.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

#: How deeply arrays and objects may nest.  Our choice: a UserAction is at most three levels deep
#: (userAction, its mediaItems, one item), so 32 leaves ample room for the JSON a site passes on in
#: keys the model does not know, while every walk of a value (copying the records, rendering them)
#: stays far below Python's recursion limit.
MAX_DEPTH = 32

#: The largest magnitude a number may have: an IEEE 754 double's.  RFC 7493 (I-JSON) section 2.2:
#: a number beyond a double's range is not interoperable, and the call model reads coordinates as
#: floats.  ``NaN`` and ``Infinity`` are not JSON at all (RFC 8259 section 6).
LARGEST_NUMBER = sys.float_info.max

#: The digits of the largest integer allowed, checked before the text is converted: ``int()`` of a
#: long digit string is slow, and Python refuses one of more than 4300 digits with a ValueError.
_INTEGER_DIGITS_MAX = len(str(int(LARGEST_NUMBER)))

#: What the nesting check needs to see: a string (to skip the brackets inside it, closed or not,
#: escapes included) or a bracket.  Possessive quantifiers: a long string is matched in one pass.
_STRUCTURE_RE = re.compile(r'"(?:[^"\\]++|\\.)*+"?|[\[\]{}]', re.DOTALL)

_SHOWN_MAX = 24  # characters of a refused number quoted in the message


class JSONValueError(ValueError):
    """A parameter's text that is not a JSON value the sandbox accepts: ``field`` names it
    (``userAction``, ``userAction.mediaItems``), ``reason`` says what is wrong, and the message is
    the two together: "userAction is nested deeper than 32 levels"."""

    def __init__(self, field_path: str, reason: str):
        super().__init__(f"{field_path} {reason}")
        self.field = field_path
        self.reason = reason


def read_json(text: str, field_path: str) -> Any:
    """The JSON value ``text`` holds.  Raises :class:`JSONValueError` naming ``field_path`` for text
    that is not JSON, nests deeper than :data:`MAX_DEPTH`, holds ``NaN``/``Infinity`` or a number
    beyond :data:`LARGEST_NUMBER`, or holds half of a UTF-16 surrogate pair (``"\\ud800"``)."""
    try:
        _check_depth(text)
        value = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant)
        _check_unicode(value)
    except json.JSONDecodeError as exc:
        reason = f"is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        raise JSONValueError(field_path, reason) from None
    except _Refused as refused:
        raise JSONValueError(field_path, refused.reason) from None
    return value


class _Refused(Exception):
    """Raised inside the reading (some of it from ``json``'s hooks, which know no field name)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _check_depth(text: str) -> None:
    """Refuse text that nests deeper than :data:`MAX_DEPTH` before ``json`` recurses into it.

    Counts the brackets outside strings, so it never counts fewer levels than the parser would
    enter, even in text that is not valid JSON."""
    depth = 0
    for match in _STRUCTURE_RE.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(f"is nested deeper than {MAX_DEPTH} levels")
        elif token in ("]", "}"):
            depth -= 1


def _integer(text: str) -> int:
    if len(text.lstrip("-")) <= _INTEGER_DIGITS_MAX:
        value = int(text)
        if abs(value) <= LARGEST_NUMBER:
            return value
    raise _Refused(f"holds a number out of range ({_shown(text)}; at most {LARGEST_NUMBER:.6g} either way)")


def _float(text: str) -> float:
    value = float(text)
    if math.isfinite(value):
        return value
    raise _Refused(f"holds a number out of range ({_shown(text)}; at most {LARGEST_NUMBER:.6g} either way)")


def _constant(name: str) -> Any:
    raise _Refused(f"holds {name}, which is not a JSON number")


def _check_unicode(value: Any) -> None:
    """Refuse text holding half of a surrogate pair: JSON's ``\\ud800`` escape can write one, but it
    is not a character (RFC 7493 section 2.1) and no UTF-8 answer or record can carry it."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        half = exc.object[exc.start : exc.end].encode("unicode_escape").decode("ascii")
        raise _Refused(f"holds text that is not valid Unicode (an unpaired surrogate {half})") from None


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN_MAX else f"{text[:_SHOWN_MAX]}... ({len(text)} characters)"
