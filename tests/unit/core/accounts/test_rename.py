"""Renaming a profile moves its secret in the keyring, and a keyring that fails midway loses
nothing: the profile keeps its old name and secret, or has its new one with the secret beside it."""

from __future__ import annotations

import errno

import keyring
import pytest

from composer.core.accounts.check import check_form
from composer.core.accounts.credentials import SERVICE, CredentialStore, forget_session_secrets
from composer.core.accounts.profiles import Profile, ProfileStore
from composer.core.accounts.rename import rename_profile
from tests.helpers.stubs import CaseBlindKeyring, FailingKeyring

SECRET = "c2VjcmV0LW9mLXRoZS1wcm9maWxl"


def staging(name: str = "Staging", base_url: str = "https://socialize.us1-st1.gigya.com") -> Profile:
    return Profile(name=name, base_url=base_url, api_key="3_key", user_key="ukey")


@pytest.fixture
def failing():
    """A keyring the test tells where to fail, with the profile "Staging" and its secret in it."""
    previous = keyring.get_keyring()
    backend = FailingKeyring()
    keyring.set_keyring(backend)
    ProfileStore().add(staging())
    backend.store[(SERVICE, "Staging")] = SECRET
    yield backend
    keyring.set_keyring(previous)
    forget_session_secrets()


def test_rename_moves_the_secret(failing):
    done = rename_profile("Staging", staging("QA"))
    assert done.ok and "Renamed 'Staging' to 'QA'" in done.message
    assert failing.store == {(SERVICE, "QA"): SECRET}
    assert ProfileStore().names() == ["Sandbox", "QA"]


def test_a_keyring_that_refuses_the_new_entry_changes_nothing(failing):
    failing.fail_set.add("QA")
    done = rename_profile("Staging", staging("QA"))
    assert not done.ok and "Nothing was renamed" in done.message
    assert failing.store == {(SERVICE, "Staging"): SECRET}
    assert ProfileStore().names() == ["Sandbox", "Staging"]
    assert not CredentialStore().get("QA").found  # not even a copy kept in memory


class FullDisk(ProfileStore):
    """profiles.json on a full disk (the suite runs as root here, so a read-only folder would not
    stop the write)."""

    def _write(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_profiles_file_that_cannot_be_written_takes_the_new_entry_back(failing):
    done = rename_profile("Staging", staging("QA"), store=FullDisk())
    assert not done.ok and "No space left on device" in done.message and "Nothing was renamed" in done.message
    assert failing.store == {(SERVICE, "Staging"): SECRET}
    assert ProfileStore().names() == ["Sandbox", "Staging"]


def test_an_old_entry_that_cannot_be_deleted_is_named(failing):
    failing.fail_delete.add("Staging")
    done = rename_profile("Staging", staging("QA"))
    assert done.ok and "The old entry could not be deleted" in done.message and "secret-tool clear" in done.message
    assert failing.store == {(SERVICE, "Staging"): SECRET, (SERVICE, "QA"): SECRET}
    assert ProfileStore().names() == ["Sandbox", "QA"]


def test_a_name_already_taken_is_refused_with_nothing_changed(failing):
    ProfileStore().add(staging("QA"))
    done = rename_profile("Staging", staging("qa"))
    assert not done.ok and "already exists" in done.message
    assert failing.store == {(SERVICE, "Staging"): SECRET}


def test_a_typed_secret_replaces_the_old_one_under_the_new_name(failing):
    assert rename_profile("Staging", staging("QA"), "bmV3LXNlY3JldA==").ok
    assert failing.store == {(SERVICE, "QA"): "bmV3LXNlY3JldA=="}


def test_the_form_is_tested_as_it_is_typed(sandbox, failing):
    """Test in the profile dialog uses the form: its endpoint and the secret typed, saved or not."""
    info = sandbox.info()
    form = Profile(name="Staging", base_url=sandbox.url, api_key=info["apiKey"], user_key=info["userKey"])
    assert check_form(form, info["secret"]).ok  # the saved profile points elsewhere, with another secret
    refused = check_form(form, "")  # no secret typed: the saved one, which this server refuses
    assert not refused.ok and "403003" in refused.message
    assert not check_form(Profile(name="Staging", base_url="not a url", api_key="k"), "x").ok


def test_a_name_taken_by_a_profile_with_a_secret_keeps_that_secret(failing):
    ProfileStore().add(staging("QA"))
    failing.store[(SERVICE, "QA")] = "UUEtU0VDUkVU"
    done = rename_profile("Staging", staging("QA"))
    assert not done.ok and "already exists" in done.message
    assert failing.store == {(SERVICE, "Staging"): SECRET, (SERVICE, "QA"): "UUEtU0VDUkVU"}


def test_a_rollback_puts_back_an_entry_the_rename_did_not_create(failing):
    """An entry left under the new name (by a profile removed while its keyring was locked) is the
    user's: a rename that fails midway gives it back instead of deleting it."""
    failing.store[(SERVICE, "QA")] = "bGVmdC1iZWhpbmQ="
    done = rename_profile("Staging", staging("QA"), store=FullDisk())
    assert not done.ok and "Nothing was renamed" in done.message
    assert failing.store == {(SERVICE, "Staging"): SECRET, (SERVICE, "QA"): "bGVmdC1iZWhpbmQ="}


def test_a_case_only_rename_on_a_case_blind_keyring_keeps_the_secret():
    previous = keyring.get_keyring()
    keyring.set_keyring(CaseBlindKeyring())
    try:
        ProfileStore().add(staging())
        CredentialStore().set("Staging", SECRET)
        done = rename_profile("Staging", staging("staging"))
        assert done.ok, done.message
        assert ProfileStore().names() == ["Sandbox", "staging"]
        assert CredentialStore().get("staging").secret == SECRET
    finally:
        keyring.set_keyring(previous)


class ChangedMeanwhile(FailingKeyring):
    """A keyring slow enough that another window or command changes the profile's settings while
    it writes the secret under the new name."""

    name = "changed-meanwhile keyring ChangedMeanwhile"

    def set_password(self, service: str, username: str, password: str) -> None:
        if username == "QA":
            ProfileStore().update(staging(base_url="https://socialize.eu1.gigya.com"))
        super().set_password(service, username, password)


def test_a_profile_changed_elsewhere_during_the_rename_keeps_that_change():
    previous = keyring.get_keyring()
    backend = ChangedMeanwhile()
    keyring.set_keyring(backend)
    try:
        ProfileStore().add(staging())
        backend.store[(SERVICE, "Staging")] = SECRET
        done = rename_profile("Staging", staging("QA"))
    finally:
        keyring.set_keyring(previous)
        forget_session_secrets()
    assert not done.ok
    assert "changed in another window or by a command since it was read here" in done.message and "Nothing was renamed" in done.message
    assert ProfileStore().names() == ["Sandbox", "Staging"]
    assert ProfileStore().get("Staging").base_url == "https://socialize.eu1.gigya.com"
    assert backend.store == {(SERVICE, "Staging"): SECRET}
