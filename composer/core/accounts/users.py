"""Whom to publish for: the UIDs the window's picker offers for a profile.

For the built-in Sandbox, its demo users and what each rehearses, read from the sandbox itself
(``GET /sandbox/info``), so the picker says what the server will really do; for any other profile,
the UIDs recently published for through it (from the history).  Both read a server or a file:
call them off the GUI thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from composer.core.accounts.profiles import BUILTIN_NAME
from composer.core.accounts.resolve import resolve
from composer.core.units import MB

#: how many recent UIDs the picker lists (our choice: a menu longer than that is scrolled, not read)
RECENT_UIDS_MAX = 12
#: how long the picker waits for the sandbox's description (our choice: it is on loopback and
#: answers at once; a wait this long means it is not answering)
INFO_TIMEOUT_S = 5.0
#: the most of the sandbox's description read (our choice: it is a few kilobytes)
INFO_BYTES_MAX = MB


@dataclass(frozen=True)
class UidChoice:
    uid: str
    #: what choosing it rehearses (a demo user), or when it was last used (a recent UID)
    about: str


@dataclass(frozen=True)
class UidChoices:
    #: what the list is ("Demo users of the sandbox", "Recent UIDs of profile QA")
    heading: str
    choices: list[UidChoice]
    #: why the list is empty or incomplete ("" when all is well)
    note: str = ""


def uid_choices(profile_name: str) -> UidChoices:
    """What the picker offers for ``profile_name``.  Never raises: a failure is the note."""
    if profile_name.casefold() == BUILTIN_NAME.casefold():
        return sandbox_users()
    return recent_uids(profile_name)


def sandbox_users() -> UidChoices:
    """The built-in sandbox's demo users, from its ``/sandbox/info`` (starting it if need be)."""
    import urllib.request  # the HTTP stack loads with the first look at the picker, not at start-up

    heading = "Demo users of the built-in sandbox"
    try:
        url = resolve(BUILTIN_NAME).base_url.rstrip("/") + "/sandbox/info"
        with urllib.request.urlopen(url, timeout=INFO_TIMEOUT_S) as answer:  # noqa: S310 - our own loopback server
            info = json.loads(answer.read(INFO_BYTES_MAX))
        users = info.get("users", []) if isinstance(info, dict) else []
        choices = [UidChoice(str(u["UID"]), str(u.get("description", ""))) for u in users if isinstance(u, dict) and u.get("UID")]
    except Exception as exc:  # noqa: BLE001 - a sandbox that cannot start or answer: the picker says why
        return UidChoices(heading, [], f"the sandbox could not describe its users ({exc})")
    return UidChoices(heading, choices, "" if choices else "the sandbox has no demo users")


def recent_uids(profile_name: str, limit: int = RECENT_UIDS_MAX) -> UidChoices:
    """The UIDs recently published for through ``profile_name``, newest first."""
    from composer.core.storage.history import History  # sqlite3 loads with the first list, not at start-up

    heading = f"Recent UIDs of profile {profile_name}"
    try:
        with History() as history:
            rows = history.recent_uids(profile_name, limit)
    except Exception as exc:  # noqa: BLE001 - an unreadable history: the picker says why
        return UidChoices(heading, [], f"the history could not be read ({exc})")
    choices = [UidChoice(uid, "last used " + when.replace("T", " ")[:16] + " UTC") for uid, when in rows]
    return UidChoices(heading, choices, "" if choices else "none yet: UIDs you publish for through this profile appear here")
