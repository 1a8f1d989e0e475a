"""Renaming a profile: its settings change name in ``profiles.json`` and its secret moves to the
new name in the keyring, in an order that loses nothing if a step fails.

1. The secret is written under the new name (the old entry stays).  If that fails, nothing else
   happens: the profile keeps its name and its secret.
2. The profile is renamed in ``profiles.json`` (one write).  If that fails, the new entry is
   deleted again: the profile keeps its name and its secret.
3. The old entry is deleted.  If that fails, the rename stands and the message names the entry
   left behind (a copy of the secret, nothing lost).
"""

from __future__ import annotations

from dataclasses import dataclass

from composer.core.accounts.credentials import CredentialStore, Problem
from composer.core.accounts.profiles import Profile, ProfileError, ProfileStore


@dataclass(frozen=True)
class Renamed:
    """What came of a rename: whether the profile has its new name, and a sentence saying where
    its secret is."""

    ok: bool
    message: str


def rename_profile(
    old_name: str,
    profile: Profile,
    new_secret: str = "",
    *,
    store: ProfileStore | None = None,
    credentials: CredentialStore | None = None,
) -> Renamed:
    """Rename profile ``old_name`` to ``profile.name`` with ``profile``'s settings, moving its
    secret (or saving ``new_secret`` under the new name instead).  Reads and writes the keyring:
    run it off the GUI thread."""
    store = store if store is not None else ProfileStore()
    credentials = credentials if credentials is not None else CredentialStore()
    new_name = profile.name
    secret = new_secret
    if not secret:
        found = credentials.get(old_name)
        if not found.found and found.problem not in (None, Problem.NO_KEYRING):
            return Renamed(False, f"{found.message} Nothing was renamed.")
        secret = found.secret
    if secret:
        saved = credentials.set(new_name, secret)
        if saved.problem not in (None, Problem.NO_KEYRING):
            # the keyring refused the new entry: the copy kept in memory goes too, the old stays
            credentials.delete(new_name)
            return Renamed(False, f"{saved.message} Nothing was renamed: {old_name!r} keeps its name and its secret.")
    try:
        store.rename(old_name, profile)
    except ProfileError as exc:
        if secret:
            credentials.delete(new_name)
        return Renamed(False, f"{exc}. Nothing was renamed: {old_name!r} keeps its name and its secret.")
    if not secret:
        return Renamed(True, f"Renamed {old_name!r} to {new_name!r}. It has no secret yet: enter it before publishing.")
    where = saved.message
    removed = credentials.delete(old_name)
    if not removed.ok:
        return Renamed(True, f"Renamed {old_name!r} to {new_name!r}. {where} The old entry could not be deleted: {removed.message}")
    return Renamed(True, f"Renamed {old_name!r} to {new_name!r}. {where}")
