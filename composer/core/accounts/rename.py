"""Renaming a profile: its settings change name in ``profiles.json`` and its secret moves to the
new name in the keyring, in an order that loses nothing if a step fails.

0. A name another profile already has is refused before the keyring is touched: its entry there
   is that profile's secret.
1. The secret is written under the new name (the old entry stays).  Whatever that entry held
   before (a secret left behind by an earlier profile of that name) is read first, so that a
   rollback puts it back instead of deleting what the rename did not create.  If the write fails,
   nothing else happens: the profile keeps its name and its secret.
2. The profile is renamed in ``profiles.json`` (one write).  If that fails, or another window or
   command changed the profile while the keyring worked (a locked keyring waits for the user),
   the new entry gets its earlier value back (or goes): the profile keeps its name, its secret and
   the other change.
3. The old entry is deleted.  If that fails, the rename stands and the message names the entry
   left behind (a copy of the secret, nothing lost).  A keyring that ignores case (the Windows
   Credential Manager) holds "Foo" and "foo" in one entry, so after a rename that only changes
   case the new entry is read back and written again if deleting the old one took it.
"""

from __future__ import annotations

from dataclasses import dataclass

from composer.core.accounts.credentials import CredentialStore, Problem, SecretResult
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
    expected: Profile | None = None,
) -> Renamed:
    """Rename profile ``old_name`` to ``profile.name`` with ``profile``'s settings, moving its
    secret (or saving ``new_secret`` under the new name instead).  ``expected`` is the stored
    profile as the caller showed it (default: as it is now); one changed elsewhere since is not
    renamed, so that change is kept.  Reads and writes the keyring: run it off the GUI thread."""
    store = store if store is not None else ProfileStore()
    credentials = credentials if credentials is not None else CredentialStore()
    new_name = profile.name
    unchanged = f"Nothing was renamed: {old_name!r} keeps its name and its secret."
    existing, taken = store.get(old_name), store.get(new_name)
    if taken is not None and (existing is None or taken.name != existing.name):
        return Renamed(False, f"A profile named {taken.name!r} already exists: choose another name. {unchanged}")
    expected = expected if expected is not None else existing
    secret = new_secret
    if not secret:
        found = credentials.get(old_name)
        if not found.found and found.problem not in (None, Problem.NO_KEYRING):
            return Renamed(False, f"{found.message} Nothing was renamed.")
        secret = found.secret
    earlier: SecretResult | None = None
    if secret:
        if new_name != old_name:
            earlier = credentials.get(new_name)
            if not earlier.found and earlier.problem not in (None, Problem.NO_KEYRING):
                return Renamed(False, f"{earlier.message} {unchanged}")
        saved = credentials.set(new_name, secret)
        if saved.problem not in (None, Problem.NO_KEYRING):
            # the keyring refused the new entry: the copy kept in memory goes too, the old stays
            _put_back(credentials, new_name, earlier)
            return Renamed(False, f"{saved.message} {unchanged}")
    try:
        store.rename(old_name, profile, expected=expected)  # checked now: the keyring may have taken minutes
    except ProfileError as exc:
        if secret:
            _put_back(credentials, new_name, earlier)
        return Renamed(False, f"{exc}. {unchanged}")
    if not secret:
        return Renamed(True, f"Renamed {old_name!r} to {new_name!r}. It has no secret yet: enter it before publishing.")
    where = saved.message
    if new_name == old_name:
        return Renamed(True, f"Renamed {old_name!r} to {new_name!r}. {where}")
    removed = credentials.delete(old_name)
    if new_name.casefold() == old_name.casefold() and not credentials.get(new_name).found:
        where = credentials.set(new_name, secret).message
    if not removed.ok:
        return Renamed(True, f"Renamed {old_name!r} to {new_name!r}. {where} The old entry could not be deleted: {removed.message}")
    return Renamed(True, f"Renamed {old_name!r} to {new_name!r}. {where}")


def _put_back(credentials: CredentialStore, name: str, earlier: SecretResult | None) -> None:
    """Give the entry ``name`` the value it had before the rename wrote to it, or delete it when
    it had none."""
    if earlier is not None and earlier.found:
        credentials.set(name, earlier.secret)
    else:
        credentials.delete(name)
