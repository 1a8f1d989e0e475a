"""Credential profiles: which site, which endpoint, which keys, and where the secret is.

A profile holds only non-secret fields (name, data center or custom base URL, API key, user key,
auth mode, approved domains); they are kept as JSON in ``profiles.json`` in the app's config folder
(:func:`composer.core.storage.files.config_dir`).  The secret is kept by
:class:`composer.core.accounts.credentials.CredentialStore` (the OS keyring, service ``composer``, account =
the profile's name) and never in this file.

The built-in **Sandbox** profile needs no set-up: it is always listed first, is not stored, cannot be
edited or removed, and points at the built-in sandbox server, started on demand in this process on a
loopback port, with its scenario's demo credentials.

Turning a profile (or the environment) into where to call and with which credentials is
:mod:`composer.core.accounts.resolve`; asking the server whether they work is
:mod:`composer.core.accounts.check`.
"""

from __future__ import annotations

import builtins
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from composer.core.storage import files
from composer.core.wire.endpoint import HOST_LABEL, AuthMode, EndpointError, base_url_for
from composer.sandbox.builtin import builtin_sandbox_url

BUILTIN_NAME = "Sandbox"
# The built-in scenario's home site (``resources/sandbox-scenario.json``): the keys the Sandbox
# profile shows and the domains its links are checked against.  Written out here because every
# start of the window lists the profiles, and reading the scenario would load the sandbox's
# modules and its file before the first frame only to show two keys; a test holds the two equal.
# A publish takes its credentials from the running sandbox server, which reads the scenario.
BUILTIN_API_KEY = "3_sandbox"
BUILTIN_USER_KEY = "sandbox-user-key"
BUILTIN_DOMAINS: tuple[str, ...] = ("example.com",)
PROFILES_FILE = "profiles.json"
FILE_VERSION = 1
NAME_MAX = 64

LEGACY_NOTE = (
    "legacy partner secret (no user key): Gigya stopped accepting it in 2023; "
    "add a user key (an application key) to the profile"
)

#: an approved domain: a host name (one label is enough, e.g. ``localhost``), maybe ``*.`` first
_DOMAIN_RE = re.compile(rf"^(\*\.)?{HOST_LABEL}(\.{HOST_LABEL})*$")


class ProfileError(ValueError):
    """A profile that cannot be used, with a message that says what to do.

    ``exit_code`` follows the command line's convention: 2 bad usage or unknown profile, 1 a
    failure to report (missing secret, keyring or file problem)."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Profile:
    """One site's non-secret settings.  There is deliberately no secret field."""

    name: str
    data_center: str = ""
    base_url: str = ""
    api_key: str = ""
    user_key: str = ""
    auth: AuthMode = AuthMode.SIGNED
    approved_domains: list[str] = field(default_factory=list)
    builtin: bool = False

    @property
    def legacy_partner_secret(self) -> bool:
        return not self.user_key

    def endpoint(self) -> str:
        """The base URL calls go to; raises :class:`ProfileError` for a bad one.  The built-in
        Sandbox's endpoint is known only once its server runs (see :func:`composer.sandbox.builtin.ensure_builtin_sandbox`)."""
        if self.builtin:
            return self.base_url
        try:
            return base_url_for(self.data_center or None, self.base_url or None)
        except EndpointError as exc:
            raise ProfileError(f"profile {self.name!r}: {exc}") from None

    def describe_endpoint(self) -> str:
        if self.builtin:
            return self.base_url or "built-in sandbox (started on demand on a loopback port)"
        try:
            return self.endpoint()
        except ProfileError:
            return self.base_url or self.data_center

    def to_json(self) -> dict[str, Any]:
        """The stored form (camelCase, as the rest of the app's JSON)."""
        out: dict[str, Any] = {"name": self.name}
        if self.base_url:
            out["baseUrl"] = self.base_url
        else:
            out["dataCenter"] = self.data_center
        out.update(apiKey=self.api_key, userKey=self.user_key, auth=self.auth.value, approvedDomains=list(self.approved_domains))
        return out

    @classmethod
    def from_json(cls, data: Any) -> Profile:
        """Read one stored profile; raises :class:`ProfileError` naming the bad field."""
        if not isinstance(data, dict):
            raise ProfileError("a profile must be a JSON object")
        name = data.get("name")
        if not isinstance(name, str) or not name:
            raise ProfileError("a profile has no name")
        texts = {}
        for key in ("dataCenter", "baseUrl", "apiKey", "userKey"):
            value = data.get(key, "")
            if not isinstance(value, str):
                raise ProfileError(f"profile {name!r}: {key} must be a string")
            texts[key] = value
        try:
            auth = AuthMode(data.get("auth", AuthMode.SIGNED.value))
        except ValueError:
            raise ProfileError(f"profile {name!r}: auth must be 'signed' or 'secret'") from None
        domains = data.get("approvedDomains", [])
        if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
            raise ProfileError(f"profile {name!r}: approvedDomains must be a list of host names")
        return cls(
            name=name,
            data_center=texts["dataCenter"],
            base_url=texts["baseUrl"],
            api_key=texts["apiKey"],
            user_key=texts["userKey"],
            auth=auth,
            approved_domains=list(domains),
        )


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a profile, or None."""
    if not name or not name.strip():
        return "a profile needs a name"
    if name != name.strip():
        return f"the profile name {name!r} starts or ends with a space"
    if len(name) > NAME_MAX:
        return f"a profile name has at most {NAME_MAX} characters"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "a profile name cannot contain control characters"
    if name.startswith("(") or name.startswith("-"):
        return f"a profile name cannot start with {name[0]!r}"
    if name.casefold() == BUILTIN_NAME.casefold():
        return f"{BUILTIN_NAME!r} is the built-in sandbox profile; choose another name"
    return None


def normalize_domain(domain: str) -> str:
    return domain.strip().lower().rstrip(".")


def check_profile(profile: Profile) -> list[str]:
    """Every problem that would stop the profile from working (empty list: it can be saved)."""
    problems: list[str] = []
    why = name_problem(profile.name)
    if why:
        problems.append(why)
    if profile.data_center and profile.base_url:
        problems.append("give a data center or a base URL, not both")
    else:
        try:
            url = base_url_for(profile.data_center or None, profile.base_url or None)
        except EndpointError as exc:
            problems.append(str(exc))
        else:
            if profile.auth is AuthMode.SECRET and not url.startswith("https://"):
                problems.append(
                    f"auth 'secret' sends the secret itself, which is refused over plain http ({url}); "
                    "use auth 'signed' or an https URL"
                )
    if not profile.api_key.strip():
        problems.append("an API key is required")
    for label, value in (("API key", profile.api_key), ("user key", profile.user_key)):
        if value and (value != value.strip() or any(c.isspace() for c in value)):
            problems.append(f"the {label} contains spaces")
    for domain in profile.approved_domains:
        if not _DOMAIN_RE.match(normalize_domain(domain)):
            problems.append(f"approved domain {domain!r} is not a host name such as example.com")
    return problems


# --- the built-in sandbox -------------------------------------------------------------------------


def builtin_refusal(change: str) -> str:
    """Why the built-in profile cannot be ``change``d: the store and the command line say the same."""
    return f"the built-in {BUILTIN_NAME} profile cannot be {change}"


def builtin_profile() -> Profile:
    """The built-in Sandbox profile (its base URL is set once its server runs)."""
    return Profile(
        name=BUILTIN_NAME,
        base_url=builtin_sandbox_url(),
        api_key=BUILTIN_API_KEY,
        user_key=BUILTIN_USER_KEY,
        approved_domains=list(BUILTIN_DOMAINS),
        builtin=True,
    )


# --- the store ------------------------------------------------------------------------------------


class ProfileStore:
    """The profiles in ``profiles.json`` plus the built-in Sandbox (always first, never stored).

    A file that cannot be parsed is set aside as ``profiles.json.corrupt-<timestamp>`` (nothing is
    lost) and :attr:`recovered` says so; a file that cannot be read at all is left alone and saving
    is refused until it can be.  Every change re-reads the file first, so two windows (or a window
    and the command line) do not undo each other's changes.
    """

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else files.config_dir() / PROFILES_FILE
        #: a message for the user when the file had to be set aside or could not be read ("" if fine)
        self.recovered = ""
        self._profiles: list[Profile] = []
        self._unreadable = ""
        self._load()

    def __repr__(self) -> str:
        return f"ProfileStore(path={str(self.path)!r}, profiles={len(self._profiles)})"

    # -- reading --

    def list(self) -> list[Profile]:
        """The built-in Sandbox first, then the stored profiles by name."""
        return [builtin_profile(), *sorted(self._profiles, key=lambda p: p.name.casefold())]

    def names(self) -> builtins.list[str]:
        return [p.name for p in self.list()]

    def get(self, name: str) -> Profile | None:
        """The profile called ``name`` (case-insensitive when there is no exact match)."""
        if not name:
            return None
        if name.casefold() == BUILTIN_NAME.casefold():
            return builtin_profile()
        found = _find(self._profiles, name)
        return _copy(found) if found else None

    # -- changing --

    def add(self, profile: Profile) -> Profile:
        """Store a new profile; raises :class:`ProfileError` for a bad or duplicate one."""
        profile = _cleaned(profile)
        _raise_problems(profile)
        self._reload_for_change()
        existing = _find(self._profiles, profile.name)
        if existing is not None:
            raise ProfileError(f"a profile named {existing.name!r} already exists: change it with 'composer profile edit'")
        self._profiles.append(profile)
        self._save()
        return _copy(profile)

    def update(self, profile: Profile, *, expected: Profile | None = None) -> Profile:
        """Replace the stored profile of the same name.  With ``expected`` (the stored profile as
        the caller read it), a profile that another window or command changed since is refused
        rather than overwritten."""
        profile = _cleaned(profile)
        if profile.builtin or profile.name.casefold() == BUILTIN_NAME.casefold():
            raise ProfileError(builtin_refusal("changed; add a profile of your own"))
        _raise_problems(profile)
        self._reload_for_change()
        existing = _find(self._profiles, profile.name)
        if existing is None:
            raise ProfileError(unknown_profile_message(profile.name, self.names()))
        _refuse_if_changed(existing, expected)
        profile.name = existing.name
        self._profiles[self._profiles.index(existing)] = profile
        self._save()
        return _copy(profile)

    def rename(self, old_name: str, profile: Profile, *, expected: Profile | None = None) -> Profile:
        """Replace the stored profile ``old_name`` by ``profile`` under its new name, in one write
        of the file (its secret is the caller's business: see :func:`composer.core.accounts.rename.rename_profile`).
        ``expected`` as for :meth:`update`."""
        profile = _cleaned(profile)
        if old_name.casefold() == BUILTIN_NAME.casefold():
            raise ProfileError(builtin_refusal("renamed"))
        _raise_problems(profile)
        self._reload_for_change()
        existing = _find(self._profiles, old_name)
        if existing is None:
            raise ProfileError(unknown_profile_message(old_name, self.names()))
        _refuse_if_changed(existing, expected)
        taken = _find(self._profiles, profile.name)
        if taken is not None and taken is not existing:
            raise ProfileError(f"a profile named {taken.name!r} already exists: choose another name")
        self._profiles[self._profiles.index(existing)] = profile
        self._save()
        return _copy(profile)

    def remove(self, name: str) -> Profile:
        """Forget a stored profile (its secret is the caller's business: see CredentialStore.delete)."""
        if name.casefold() == BUILTIN_NAME.casefold():
            raise ProfileError(builtin_refusal("removed"))
        self._reload_for_change()
        existing = _find(self._profiles, name)
        if existing is None:
            raise ProfileError(unknown_profile_message(name, self.names()))
        self._profiles.remove(existing)
        self._save()
        return existing

    # -- the file --

    def _reload_for_change(self) -> None:
        self._load()
        if self._unreadable:
            raise ProfileError(f"{self._unreadable}; nothing was changed", exit_code=1)

    def _load(self) -> None:
        self._profiles, self._unreadable = [], ""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self._unreadable = f"cannot read {self.path} ({exc.strerror or exc})"
            self.recovered = f"{self._unreadable}: fix its permissions; until then only the built-in Sandbox is listed"
            return
        profiles, problems = _parse(raw)
        if problems:
            self._set_aside(problems, profiles)
        self._profiles = profiles

    def _set_aside(self, problems: builtins.list[str], kept: builtins.list[Profile]) -> None:
        try:
            aside = files.set_aside(self.path, "corrupt")
        except OSError as exc:
            self._unreadable = f"{self.path} is damaged ({problems[0]}) and could not be set aside ({exc.strerror or exc})"
            self.recovered = self._unreadable
            return
        what = f"{len(kept)} profile(s) were recovered" if kept else "no profile could be recovered"
        self.recovered = (
            f"{self.path.name} was damaged ({'; '.join(problems[:3])}); the file was set aside as {aside.name} "
            f"and {what}. Add the others again: their secrets are still in the keyring."
        )
        try:
            self._profiles = kept
            self._write()
        except OSError:
            pass  # the original is safe in the .corrupt file; the next change tries again

    def _save(self) -> None:
        try:
            self._write()
        except OSError as exc:
            raise ProfileError(f"cannot save {self.path} ({exc.strerror or exc}); nothing was changed", exit_code=1) from None

    def _write(self) -> None:
        document = {"version": FILE_VERSION, "profiles": [p.to_json() for p in self._profiles]}
        files.atomic_write(self.path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _parse(raw: bytes) -> tuple[list[Profile], list[str]]:
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return [], ["not UTF-8 text"]
    except json.JSONDecodeError as exc:
        return [], [f"not valid JSON: {exc.msg} at line {exc.lineno}"]
    if not isinstance(document, dict) or not isinstance(document.get("profiles"), list):
        return [], ["no list of profiles"]
    profiles: list[Profile] = []
    problems: list[str] = []
    for i, entry in enumerate(document["profiles"]):
        try:
            profile = Profile.from_json(entry)
        except ProfileError as exc:
            problems.append(f"entry {i + 1}: {exc}")
            continue
        if _find(profiles, profile.name) is not None or profile.name.casefold() == BUILTIN_NAME.casefold():
            problems.append(f"entry {i + 1}: the name {profile.name!r} is taken")
            continue
        profiles.append(profile)
    return profiles, problems


def _refuse_if_changed(stored: Profile, expected: Profile | None) -> None:
    if expected is not None and stored != expected:
        raise ProfileError(
            f"{stored.name!r} was changed in another window or by a command since it was read here; its changes are kept"
        )


def _find(profiles: Iterable[Profile], name: str) -> Profile | None:
    profiles = list(profiles)
    exact = next((p for p in profiles if p.name == name), None)
    if exact is not None:
        return exact
    folded = [p for p in profiles if p.name.casefold() == name.casefold()]
    return folded[0] if len(folded) == 1 else None


def _copy(profile: Profile) -> Profile:
    return Profile(**{**profile.__dict__, "approved_domains": list(profile.approved_domains)})


def _cleaned(profile: Profile) -> Profile:
    out = _copy(profile)
    out.data_center = out.data_center.strip().lower()
    out.base_url = out.base_url.strip().rstrip("/")
    out.approved_domains = list(dict.fromkeys(normalize_domain(d) for d in out.approved_domains if d.strip()))
    out.builtin = False
    return out


def _raise_problems(profile: Profile) -> None:
    problems = check_profile(profile)
    if problems:
        raise ProfileError("; ".join(problems))


def unknown_profile_message(name: str, known: Iterable[str]) -> str:
    """The answer to a profile name that is not there, naming the ones that are."""
    return f"there is no profile named {name!r} (known: {', '.join(known)}); add one with 'composer profile add'"
