"""Where profile secrets live: the OS keyring, through the ``keyring`` library, and nowhere else.

Naming in the keyring (the README repeats it):

* **service** ``composer`` (:data:`SERVICE`);
* **account** (keyring's "username") = the profile's name, exactly as it was typed.

On Linux with the Secret Service (GNOME Keyring, KWallet's Secret Service) the entry carries the
attributes ``service=composer`` and ``username=<profile>``, so ``secret-tool lookup service composer
username <profile>`` shows it; on macOS it is a generic password (service ``composer``, account
``<profile>``) in the login keychain; on Windows a generic credential in the Credential Manager
(target ``composer``, or ``<profile>@composer`` when several profiles are stored).

Every keyring state ends in a result value with a sentence a person can act on, never a traceback:
keyring's ``fail`` and ``null`` backends (and a chainer with nothing to chain) count as "no keyring";
a locked keyring, access denied, a backend that cannot start, and any other exception a backend
raises are each named, with the backend's name and what to do.  When the keyring cannot be used, or
a write to it fails, the secret is kept in this process's memory for this session only, and the
result says so.  Nothing here ever writes a secret to a file, a log or an exception message.

``keyring`` is imported inside the methods, never at module import: start-up does not pay for it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from composer.core.contract import REDACTED

if TYPE_CHECKING:  # pragma: no cover
    from keyring.backend import KeyringBackend

#: the keyring's service name for every composer secret; the account is the profile's name
SERVICE = "composer"

log = logging.getLogger(__name__)

_SESSION_NOTE = "kept in memory for this session only (gone when Composer exits)"
_DETAIL_MAX = 200


class Location(str, Enum):
    """Where a secret is (or was put)."""

    KEYRING = "keyring"  # the OS keyring: it survives the process
    SESSION = "session"  # this process's memory only
    NOWHERE = "nowhere"


class Problem(str, Enum):
    """Why the keyring could not be used."""

    NO_KEYRING = "no_keyring"  # keyring's fail / null backend, or nothing to chain
    LOCKED = "locked"  # the keyring stayed locked (or the unlock prompt was dismissed)
    DENIED = "denied"  # the keyring refused this program
    UNAVAILABLE = "unavailable"  # the backend could not start (no D-Bus, daemon missing, ...)
    FAILED = "failed"  # the backend raised something else


@dataclass(frozen=True)
class KeyringStatus:
    """What keyring backend is in use, without touching any secret."""

    usable: bool
    backend: str
    problem: Problem | None = None
    message: str = ""


@dataclass(frozen=True)
class SecretResult:
    """The outcome of reading, saving or deleting one secret.

    ``problem`` is set when the keyring could not be used; ``message`` is one or two sentences for a
    person (empty only when there is nothing to say).  The secret never shows in ``repr``/``str``.
    """

    location: Location
    message: str = ""
    problem: Problem | None = None
    secret: str = ""

    def __repr__(self) -> str:
        shown = REDACTED if self.secret else "''"
        problem = self.problem.value if self.problem else None
        return f"SecretResult(location={self.location.value!r}, problem={problem!r}, secret={shown}, message={self.message!r})"

    __str__ = __repr__

    @property
    def ok(self) -> bool:
        """The keyring did what was asked (no problem)."""
        return self.problem is None

    @property
    def found(self) -> bool:
        """A secret came back (from the keyring or from this session's memory)."""
        return bool(self.secret)

    @property
    def session_only(self) -> bool:
        return self.location is Location.SESSION


# --- this session's memory ------------------------------------------------------------------------

_session_lock = threading.Lock()
_session: dict[tuple[str, str], str] = {}


def forget_session_secrets() -> None:
    """Drop every secret kept in memory for this session (tests, and "forget" in the window)."""
    with _session_lock:
        _session.clear()


# --- the store ------------------------------------------------------------------------------------


class CredentialStore:
    """Reads, saves and deletes profile secrets in the OS keyring.

    ``backend`` pins a keyring backend; without one, ``keyring.get_keyring()`` is asked at each call
    (so ``keyring.set_keyring`` in tests, and ``PYTHON_KEYRING_BACKEND``, are honoured).  Secrets kept
    for this session only are shared by every store of the same service in this process.
    """

    def __init__(self, service: str = SERVICE, backend: KeyringBackend | None = None):
        self.service = service
        self._pinned = backend

    def __repr__(self) -> str:
        with _session_lock:
            kept = sum(1 for service, _ in _session if service == self.service)
        return f"CredentialStore(service={self.service!r}, session_secrets={kept})"

    __str__ = __repr__

    # -- which backend --

    def status(self) -> KeyringStatus:
        """The backend in use and whether it can hold secrets; reads no secret, shows no prompt."""
        return self._backend()[1]

    def where(self) -> str:
        """One sentence saying where secrets live."""
        status = self.status()
        if status.usable:
            return (
                f"Secrets are kept in the system keyring ({status.backend}), service {self.service!r}, "
                "one entry per profile name."
            )
        return f"{status.message} Secrets entered now are {_SESSION_NOTE}."

    def _backend(self) -> tuple[KeyringBackend | None, KeyringStatus]:
        if self._pinned is not None:
            backend = self._pinned
        else:
            try:
                import keyring

                backend = keyring.get_keyring()
            except Exception as exc:  # noqa: BLE001 - a backend named in the environment that cannot load
                message = (
                    f"The keyring could not start ({_detail(exc)}). Check PYTHON_KEYRING_BACKEND and "
                    "keyringrc.cfg, and that the keyring service is running."
                )
                return None, KeyringStatus(False, "unknown backend", Problem.UNAVAILABLE, message)
        name = backend_name(backend)
        if _is_no_keyring(backend):
            return None, KeyringStatus(False, name, Problem.NO_KEYRING, _no_keyring_message(name))
        return backend, KeyringStatus(True, name)

    # -- secrets --

    def get(self, name: str) -> SecretResult:
        """The secret of profile ``name``: this session's copy first (it is the newer one), then
        the keyring."""
        kept = _session_get(self.service, name)
        backend, status = self._backend()
        if kept:
            note = f"The secret of profile {name!r} is {_SESSION_NOTE}."
            return SecretResult(Location.SESSION, note if status.usable else f"{status.message} {note}", status.problem, kept)
        if backend is None:
            return SecretResult(
                Location.NOWHERE,
                f"{status.message} No secret for profile {name!r} was entered in this session: enter it again.",
                status.problem,
            )
        try:
            secret = backend.get_password(self.service, name)
        except Exception as exc:  # noqa: BLE001 - every backend failure becomes a message
            problem, message = _explain(exc, status.backend, f"reading the secret of profile {name!r}")
            return SecretResult(Location.NOWHERE, message, problem)
        if not secret:
            return SecretResult(
                Location.NOWHERE,
                f"No secret is stored for profile {name!r} in the system keyring ({status.backend}), "
                f"service {self.service!r}.",
            )
        return SecretResult(Location.KEYRING, "", None, secret)

    def locate(self, name: str) -> SecretResult:
        """Where the secret of profile ``name`` is (keyring, this session's memory, nowhere) and
        why, without the secret: what the window shows beside the profile."""
        found = self.get(name)
        return SecretResult(found.location, found.message, found.problem)

    def set(self, name: str, secret: str) -> SecretResult:
        """Save the secret of profile ``name`` in the keyring; when that cannot be done, keep it in
        memory for this session only (the result says so and why)."""
        if not secret:
            raise ValueError("an empty secret cannot be saved")
        backend, status = self._backend()
        if backend is None:
            _session_put(self.service, name, secret)
            return SecretResult(
                Location.SESSION,
                f"{status.message} The secret of profile {name!r} is {_SESSION_NOTE}.",
                status.problem,
            )
        try:
            backend.set_password(self.service, name, secret)
        except Exception as exc:  # noqa: BLE001 - every backend failure becomes a message
            _session_put(self.service, name, secret)
            problem, message = _explain(exc, status.backend, f"saving the secret of profile {name!r}", secret)
            return SecretResult(Location.SESSION, f"{message} The secret is {_SESSION_NOTE}.", problem)
        _session_pop(self.service, name)
        return SecretResult(
            Location.KEYRING,
            f"The secret of profile {name!r} is saved in the system keyring ({status.backend}), service {self.service!r}.",
        )

    def delete(self, name: str) -> SecretResult:
        """Forget the secret of profile ``name``: this session's copy and the keyring entry.

        ``ok`` is False only when a keyring entry may still exist (locked, denied, failing backend)."""
        had_session = _session_pop(self.service, name) is not None
        backend, status = self._backend()
        if backend is None:
            if status.problem is Problem.NO_KEYRING:
                told = "the copy kept for this session was forgotten" if had_session else "nothing was stored"
                return SecretResult(Location.NOWHERE, f"{status.message} For profile {name!r} {told}.")
            return SecretResult(Location.NOWHERE, f"{status.message} {_delete_yourself(self.service, name)}", status.problem)
        from keyring.errors import PasswordDeleteError

        try:
            backend.delete_password(self.service, name)
        except PasswordDeleteError:
            return SecretResult(Location.NOWHERE, f"No secret was stored for profile {name!r} in the system keyring ({status.backend}).")
        except Exception as exc:  # noqa: BLE001 - every backend failure becomes a message
            problem, message = _explain(exc, status.backend, f"deleting the secret of profile {name!r}")
            return SecretResult(Location.NOWHERE, f"{message} {_delete_yourself(self.service, name)}", problem)
        return SecretResult(
            Location.NOWHERE,
            f"The secret of profile {name!r} was deleted from the system keyring ({status.backend}).",
        )


# --- helpers ---------------------------------------------------------------------------------------


def backend_name(backend: object) -> str:
    """A readable name such as "SecretService Keyring"; a chainer names what it chains."""
    name = str(getattr(type(backend), "name", "") or type(backend).__name__)
    chained = _chained(backend)
    if chained:
        return " + ".join(str(getattr(type(b), "name", type(b).__name__)) for b in chained)
    return name


def _chained(backend: object) -> list[object] | None:
    from keyring.backends.chainer import ChainerBackend

    if not isinstance(backend, ChainerBackend):
        return None
    try:
        return list(backend.backends)
    except Exception:  # noqa: BLE001 - a backend whose priority raises while being listed
        return []


def _is_no_keyring(backend: object) -> bool:
    from keyring.backends import fail, null

    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return True
    chained = _chained(backend)
    return chained is not None and not chained


def _no_keyring_message(name: str) -> str:
    return (
        f"There is no usable keyring ({name}): install or start one (GNOME Keyring or KWallet on "
        "Linux; the macOS Keychain and the Windows Credential Manager need nothing) or pick a backend "
        "with PYTHON_KEYRING_BACKEND."
    )


def _delete_yourself(service: str, name: str) -> str:
    return (
        f"The keyring entry (service {service!r}, account {name!r}) may still exist: fix the keyring "
        f"and try again, or delete it yourself (on Linux: secret-tool clear service {service} username {name!r})."
    )


_DENIED_WORDS = ("accessdenied", "access denied", "access is denied", "permission denied", "not authorized", "notauthorized", "secauthfailure")
_LOCKED_WORDS = ("locked", "dismissed", "unlock")


def _explain(exc: BaseException, backend: str, action: str, secret: str = "") -> tuple[Problem, str]:
    """Map a backend's exception to a problem and a message naming the backend and what to do."""
    problem = classify(exc)
    detail = _detail(exc, secret)
    # the caller shows the same sentence to the user; the log keeps it for support, quietly
    log.debug("keyring %s failed while %s: %s", backend, action, detail)
    if problem is Problem.NO_KEYRING:
        return problem, _no_keyring_message(backend)
    if problem is Problem.LOCKED:
        return problem, (
            f"The keyring ({backend}) is locked, so {action} failed: unlock it (log in to the desktop "
            "session, or open your password manager such as Passwords and Keys / Keychain Access) and try again."
        )
    if problem is Problem.DENIED:
        return problem, (
            f"The keyring ({backend}) denied access while {action} ({detail}): allow Composer (Python) to "
            "use it, in the keyring's prompt or its access settings, and try again."
        )
    if problem is Problem.UNAVAILABLE:
        return problem, (
            f"The keyring ({backend}) could not start while {action} ({detail}): check that its service is "
            "running (on Linux: gnome-keyring-daemon or KWallet in a D-Bus session) and try again."
        )
    return problem, (
        f"The keyring ({backend}) failed while {action} ({detail}). Try again; if it keeps failing, check "
        "the keyring's service or pick another backend with PYTHON_KEYRING_BACKEND."
    )


def classify(exc: BaseException) -> Problem:
    """Which :class:`Problem` an exception raised by a keyring backend is."""
    from keyring import errors

    if isinstance(exc, errors.NoKeyringError):
        return Problem.NO_KEYRING
    if isinstance(exc, errors.KeyringLocked):
        return Problem.LOCKED
    if isinstance(exc, errors.InitError):
        return Problem.UNAVAILABLE
    chain = _chain(exc)
    if any(isinstance(e, PermissionError) for e in chain):
        return Problem.DENIED
    text = " ".join(f"{type(e).__name__} {e}" for e in chain).lower()
    if any(word in text for word in _DENIED_WORDS):
        return Problem.DENIED
    if any(word in text for word in _LOCKED_WORDS):
        return Problem.LOCKED
    return Problem.FAILED


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    item: BaseException | None = exc
    while item is not None and item not in out and len(out) < 10:
        out.append(item)
        item = item.__cause__ or item.__context__
    return out


def _detail(exc: BaseException, secret: str = "") -> str:
    """``Type: message``, short, with the secret (if one was being saved) blotted out."""
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - an exception whose __str__ raises
        text = ""
    if secret and len(secret) >= 4:
        text = text.replace(secret, REDACTED)
    text = " ".join(text.split())
    if len(text) > _DETAIL_MAX:
        text = text[: _DETAIL_MAX - 3] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _session_get(service: str, name: str) -> str:
    with _session_lock:
        return _session.get((service, name), "")


def _session_put(service: str, name: str, secret: str) -> None:
    with _session_lock:
        _session[(service, name)] = secret


def _session_pop(service: str, name: str) -> str | None:
    with _session_lock:
        return _session.pop((service, name), None)
