"""Crash logs: what an unexpected exception leaves for the user to send, with every secret taken out.

A log holds the versions (app, Python, Qt when given, OS) and the traceback; never the values of
local variables.  What could still carry a secret is an exception's message (a form body, a dict's
``repr``, a JSON text), so every value given to a credential's name is replaced by the redaction
marker, and so is every secret the caller knows of, wherever it appears.
"""

from __future__ import annotations

import os
import platform
import re
import sys
import time
import traceback
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from composer import __version__
from composer.core.contract import REDACTED, SECRET_PARAMS
from composer.core.storage import files

FOLDER = "crash-logs"

#: names whose values are secrets, however they are written: ``secret=...`` (a form body),
#: ``'secret': '...'`` (a repr), ``"secret": "..."`` (JSON), ``secret: ...``, and inside a longer
#: name (``GIGYA_SECRET=...``, an environment variable).  The contract's own (the secret, the
#: signature, the OAuth token), then what other services call theirs.
SECRET_NAMES = (*SECRET_PARAMS, "oauth_token_secret", "password", "token")

# A name counts when no letter or digit touches it, so it may end a longer name after "_"
# ("GIGYA_SECRET", "oauth_token_secret"), while "secretary" and "signature" are other words.
_NAMED_VALUE = re.compile(
    r"""(?P<name>["']?(?<![A-Za-z0-9])(?:%s)(?![A-Za-z0-9])["']?\s*[:=]\s*)(?P<quote>["'])?(?P<value>(?(quote)[^"'\n]*|[^\s&,;}\])"']+))"""
    % "|".join(SECRET_NAMES),
    re.IGNORECASE,
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with each of ``secrets`` and each value given to a secret's name replaced by the
    redaction marker."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return _NAMED_VALUE.sub(lambda m: f"{m['name']}{m['quote'] or ''}{REDACTED}", text)


def crash_log_folder() -> Path:
    return files.data_dir() / FOLDER


def write_crash_log(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None, *, context: str = "", secrets: Iterable[str] = ()
) -> Path:
    """Write a crash log to :func:`crash_log_folder` and return its path (raises ``OSError`` when
    it cannot be written).  ``context`` adds lines such as the Qt version; the secrets in
    ``GIGYA_SECRET`` are taken out too."""
    lines = [
        f"Composer {__version__} crash log, {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"Python {sys.version.split()[0]} on {platform.platform()}",
        *([context] if context else []),
        "",
        *traceback.format_exception(kind, error, trace),
    ]
    text = redact("\n".join(line.rstrip("\n") for line in lines) + "\n", [*secrets, os.environ.get("GIGYA_SECRET", "")])
    folder = crash_log_folder()
    name = f"crash-{time.strftime('%Y%m%d-%H%M%S')}"
    path = folder / f"{name}.log"
    number = 1
    while path.exists():  # two in one second: the first stays
        number += 1
        path = folder / f"{name}-{number}.log"
    files.atomic_write(path, text)
    return path
