"""Draft files: a UTF-8 JSON object whose keys are the call's own parameter names.

JSON-valued parameters are written as objects (a JSON string is accepted on load); provider and tag
lists are written as lists (a comma string is accepted on load).  Credentials never belong to a
draft: they are dropped on load with a warning and never written.  Keys that are not parameters are
kept, written back, and reported as warnings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from composer.core.call.model import JSONTextError, ModelError, PublishCall, parse_json
from composer.core.call.validation import Problem, Severity
from composer.core.contract import CREDENTIAL_PARAMS
from composer.core.storage.files import UnreadableFile, atomic_write, read_user_text
from composer.core.units import MB

#: a draft is a few kilobytes; anything far larger is not a draft (and would stall the window)
MAX_DRAFT_BYTES = 2 * MB


class DraftError(ValueError):
    """A draft that cannot be read.  The message names the file and what is wrong."""


@dataclass
class Draft:
    """A draft file read back: the call it holds, and what reading it noticed."""

    call: PublishCall
    #: warnings found while reading (unknown keys, credentials dropped)
    notes: list[Problem] = field(default_factory=list)


def parse_draft(text: str, source: str = "draft") -> Draft:
    """The draft in ``text``, read within the limits of :func:`parse_json` (nesting, number sizes,
    characters), which also apply to every parameter given as a JSON string inside it."""
    try:
        data = parse_json(text)
    except JSONTextError as exc:
        raise DraftError(f"{source} {exc}") from None
    return draft_from_object(data, source)


def draft_from_object(data: Any, source: str = "draft") -> Draft:
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "null"
        raise DraftError(f"{source} must be a JSON object of parameters (found {kind} at the top level)")
    notes = []
    clean = {}
    for key, value in data.items():
        if key in CREDENTIAL_PARAMS:
            notes.append(Problem(Severity.WARNING, key, "credentials do not belong in a draft; this value was dropped"))
            continue
        clean[key] = value
    try:
        call = PublishCall.from_params(clean)
    except ModelError as exc:
        raise DraftError(f"{source}: {exc.field} {exc.message}") from None
    return Draft(call, notes)


def load_draft(path: str | Path) -> Draft:
    path = Path(path)
    try:
        text = read_user_text(path, "draft file", MAX_DRAFT_BYTES)
    except UnreadableFile as exc:
        raise DraftError(str(exc)) from None
    return parse_draft(text, str(path))


def dump_draft(call: PublishCall) -> str:
    return json.dumps(call.to_draft(), ensure_ascii=False, indent=2) + "\n"


def save_draft(path: str | Path, call: PublishCall) -> None:
    """Write the draft atomically: a crash mid-save leaves the old file or the new one."""
    atomic_write(Path(path), dump_draft(call), mode=None)
