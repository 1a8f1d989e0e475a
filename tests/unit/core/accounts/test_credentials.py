"""The credential store in every keyring state: no backend, locked, denied, failing, working.
Every backend here is defined in this file or in tests/helpers/stubs.py; none is a real keychain."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import InitError, KeyringLocked, NoKeyringError, PasswordSetError

from composer.core.accounts.credentials import SERVICE, CredentialStore, Location, Problem, SecretResult, classify, forget_session_secrets
from composer.core.accounts.profiles import Profile
from composer.core.accounts.resolve import resolve
from composer.core.wire.client import AuthMode, Credentials
from tests.helpers.stubs import MemoryKeyring

SECRET = "c3VwZXItc2VjcmV0LXZhbHVlLTQy"  # base64, long enough to spot anywhere


@pytest.fixture(autouse=True)
def fresh_session():
    forget_session_secrets()
    yield
    forget_session_secrets()


class RaisingKeyring(KeyringBackend):
    """A backend whose every operation raises what it was given."""

    priority = -1  # type: ignore[assignment]

    def __init__(self, error: BaseException):
        super().__init__()
        self.error = error
        self.calls: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append("get")
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append("set")
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append("delete")
        raise self.error


class EmptyChainer(chainer.ChainerBackend):
    backends = []  # type: ignore[assignment]  # nothing viable to chain


class DBusErrorResponse(Exception):  # noqa: N818 - named as jeepney names it
    """Shaped like jeepney's error for a D-Bus call refused with org.freedesktop.DBus.Error.AccessDenied."""


def _all_text(*results: SecretResult) -> str:
    return " ".join(r.message + repr(r) + str(r) for r in results)


# --- a working keyring ----------------------------------------------------------------------------


def test_round_trip_uses_service_composer_and_the_profile_name(memory_keyring: MemoryKeyring):
    store = CredentialStore()
    saved = store.set("Staging EU", SECRET)
    assert saved.ok and saved.location is Location.KEYRING and not saved.session_only
    assert memory_keyring.store == {(SERVICE, "Staging EU"): SECRET}
    assert SERVICE == "composer"
    got = store.get("Staging EU")
    assert got.found and got.secret == SECRET and got.location is Location.KEYRING
    deleted = store.delete("Staging EU")
    assert deleted.ok and memory_keyring.store == {}
    missing = store.get("Staging EU")
    assert not missing.found and missing.ok and "No secret is stored for profile 'Staging EU'" in missing.message
    assert SECRET not in _all_text(saved, got, deleted, missing)


def test_where_names_the_backend_and_the_service():
    store = CredentialStore()
    assert store.status().usable
    assert store.where().startswith("Secrets are kept in the system keyring (memory keyring MemoryKeyring), service 'composer'")


def test_a_pinned_backend_wins_over_the_global_one(memory_keyring: MemoryKeyring):
    own = MemoryKeyring()
    CredentialStore(backend=own).set("p", SECRET)
    assert own.store == {(SERVICE, "p"): SECRET} and memory_keyring.store == {}


def test_deleting_what_was_never_stored_is_fine():
    result = CredentialStore().delete("never")
    assert result.ok and "No secret was stored" in result.message


def test_a_chainer_with_a_usable_backend_names_it():
    class OneChainer(chainer.ChainerBackend):
        backends = [MemoryKeyring()]  # type: ignore[assignment]

    keyring.set_keyring(OneChainer())
    store = CredentialStore()
    assert store.status().usable
    assert "memory keyring MemoryKeyring" in store.where()
    assert store.set("p", SECRET).location is Location.KEYRING


# --- no keyring -----------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), EmptyChainer()], ids=["fail", "null", "empty-chainer"])
def test_no_keyring_keeps_the_secret_for_this_session_only(backend: KeyringBackend):
    keyring.set_keyring(backend)
    store = CredentialStore()
    status = store.status()
    assert not status.usable and status.problem is Problem.NO_KEYRING
    assert "There is no usable keyring" in store.where() and "this session only" in store.where()
    saved = store.set("p", SECRET)
    assert saved.session_only and saved.problem is Problem.NO_KEYRING
    assert "this session only" in saved.message and "no usable keyring" in saved.message
    # another store in the same process (the window's worker, say) finds it
    got = CredentialStore().get("p")
    assert got.found and got.secret == SECRET and got.session_only and "this session only" in got.message
    deleted = store.delete("p")
    assert deleted.ok and "forgotten" in deleted.message
    again = store.get("p")
    assert not again.found and "enter it again" in again.message
    assert SECRET not in _all_text(saved, got, deleted, again)


def test_null_backend_is_never_trusted_with_a_secret(monkeypatch):
    backend = null.Keyring()
    monkeypatch.setattr(backend, "set_password", lambda *a: pytest.fail("the null backend was asked to keep a secret"))
    keyring.set_keyring(backend)
    assert CredentialStore().set("p", SECRET).session_only


def test_a_keyring_that_cannot_even_load(monkeypatch):
    def broken() -> KeyringBackend:
        raise RuntimeError("The Secret Service daemon is neither running nor activatable through D-Bus")

    monkeypatch.setattr(keyring, "get_keyring", broken)
    store = CredentialStore()
    assert store.status().problem is Problem.UNAVAILABLE
    assert "could not start" in store.where() and "neither running" in store.where()
    saved = store.set("p", SECRET)
    assert saved.session_only and saved.problem is Problem.UNAVAILABLE
    assert store.get("p").secret == SECRET
    deleted = store.delete("p")
    assert not deleted.ok and "secret-tool clear service composer username 'p'" in deleted.message


# --- a keyring that refuses -----------------------------------------------------------------------


CASES = [
    (KeyringLocked("Failed to unlock the collection!"), Problem.LOCKED, "is locked"),
    (PasswordSetError("Failed to unlock the keyring!"), Problem.LOCKED, "is locked"),
    (PermissionError(13, "Permission denied"), Problem.DENIED, "denied access"),
    (DBusErrorResponse("org.freedesktop.DBus.Error.AccessDenied: Rejected send message"), Problem.DENIED, "denied access"),
    (InitError("Failed to create the collection: Cannot connect."), Problem.UNAVAILABLE, "could not start"),
    (NoKeyringError("No recommended backend was available."), Problem.NO_KEYRING, "no usable keyring"),
    (RuntimeError("boom"), Problem.FAILED, "RuntimeError: boom"),
    (OSError("disk on fire"), Problem.FAILED, "OSError: disk on fire"),
]


@pytest.mark.parametrize(("error", "problem", "words"), CASES, ids=[type(c[0]).__name__ + "-" + c[1].value for c in CASES])
def test_every_failure_is_a_message_and_loses_nothing(error: BaseException, problem: Problem, words: str):
    backend = RaisingKeyring(error)
    keyring.set_keyring(backend)
    store = CredentialStore()
    assert store.status().usable  # the backend looks fine until it is used

    saved = store.set("p", SECRET)
    assert saved.problem is problem and saved.session_only
    assert words in saved.message and "RaisingKeyring" in saved.message
    assert "this session only" in saved.message

    # the secret typed in is not lost: this session still has it, the keyring is not even asked
    got = store.get("p")
    assert got.found and got.secret == SECRET and got.session_only
    assert backend.calls == ["set"]

    forget_session_secrets()
    failed_read = store.get("p")
    assert not failed_read.found and failed_read.problem is problem and words in failed_read.message

    deleted = store.delete("p")
    assert not deleted.ok and deleted.problem is problem
    assert "may still exist" in deleted.message
    assert "Traceback" not in _all_text(saved, got, failed_read, deleted)
    assert SECRET not in _all_text(saved, got, failed_read, deleted)


def test_access_denied_is_found_in_the_cause_chain():
    try:
        try:
            raise DBusErrorResponse("org.freedesktop.DBus.Error.AccessDenied")
        except DBusErrorResponse as inner:
            raise RuntimeError("secretstorage failed") from inner
    except RuntimeError as outer:
        assert classify(outer) is Problem.DENIED


def test_a_backend_that_echoes_the_secret_in_its_error_is_redacted(caplog):
    class Echo(KeyringBackend):
        priority = -1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise ValueError(f"cannot store {password!r} for {username}")

        def delete_password(self, service: str, username: str) -> None:
            return None

    keyring.set_keyring(Echo())
    with caplog.at_level(logging.DEBUG):
        saved = CredentialStore().set("p", SECRET)
    assert saved.problem is Problem.FAILED and "<redacted>" in saved.message
    assert SECRET not in saved.message
    assert SECRET not in caplog.text


def test_a_successful_write_replaces_the_session_copy(memory_keyring: MemoryKeyring):
    keyring.set_keyring(RaisingKeyring(KeyringLocked("locked")))
    CredentialStore().set("p", "b2xkLXNlY3JldA==")
    keyring.set_keyring(memory_keyring)
    store = CredentialStore()
    assert store.set("p", SECRET).location is Location.KEYRING
    got = store.get("p")
    assert got.location is Location.KEYRING and got.secret == SECRET


def test_an_empty_secret_is_a_programming_error():
    with pytest.raises(ValueError, match="empty secret"):
        CredentialStore().set("p", "")


# --- the secret never shows -----------------------------------------------------------------------


def test_secret_never_in_repr_or_str(caplog):
    keyring.set_keyring(fail.Keyring())
    store = CredentialStore()
    with caplog.at_level(logging.DEBUG):
        saved = store.set("p", SECRET)
        got = store.get("p")
    profile = Profile(name="p", data_center="eu1.gigya.com", api_key="3_k", user_key="u")
    credentials = Credentials(api_key="3_k", secret=SECRET, user_key="u", auth=AuthMode.SIGNED)
    shown = [repr(x) + str(x) for x in (profile, credentials, store, saved, got)]
    assert got.secret == SECRET
    for text in shown:
        assert SECRET not in text
    assert "<redacted>" in repr(got)
    assert SECRET not in caplog.text


def test_resolved_repr_hides_the_secret(memory_keyring: MemoryKeyring):
    from composer.core.accounts.profiles import ProfileStore

    ProfileStore().add(Profile(name="p", data_center="eu1.gigya.com", api_key="3_k", user_key="u"))
    CredentialStore().set("p", SECRET)
    resolved = resolve("p")
    assert resolved.credentials.secret == SECRET
    assert SECRET not in repr(resolved) and SECRET not in str(resolved)


def test_no_secret_ever_lands_in_a_file(isolated_home: Path):
    keyring.set_keyring(fail.Keyring())
    store = CredentialStore()
    store.set("p", SECRET)
    store.get("p")
    keyring.set_keyring(RaisingKeyring(RuntimeError("boom")))
    store.set("q", SECRET)
    for path in isolated_home.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_importing_the_core_loads_neither_keyring_nor_qt():
    code = textwrap.dedent(
        """
        import sys
        import composer.core.accounts.credentials, composer.core.accounts.profiles, composer.core.accounts.resolve, composer.core.accounts.check, composer.commands.profile
        loaded = [m for m in ("keyring", "PySide6", "requests") if m in sys.modules]
        print(",".join(loaded))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == ""
