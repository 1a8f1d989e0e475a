"""Profiles: the JSON store, the built-in Sandbox, resolve()'s precedence, and 'composer profile'
driven like a user would, against the real sandbox server on loopback."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import KeyringLocked

from composer import cli
from composer.core.accounts.credentials import CredentialStore, forget_session_secrets
from composer.core.accounts.profiles import BUILTIN_NAME, LEGACY_NOTE, Profile, ProfileError, ProfileStore, builtin_profile
from composer.core.accounts.resolve import ENVIRONMENT_NAME, SESSION_NOTE, resolve
from composer.core.live_service import endpoint_note
from composer.core.storage import files
from composer.core.wire.client import AuthMode
from composer.sandbox.builtin import ensure_builtin_sandbox, stop_builtin_sandbox
from composer.sandbox.server import SandboxServer
from tests.helpers.stubs import MemoryKeyring

SECRET = "c3RhZ2luZy1zZWNyZXQtdmFsdWUtOTk="
WRONG_SECRET = "d3Jvbmctc2VjcmV0LXZhbHVl"


@pytest.fixture(autouse=True)
def fresh_session():
    forget_session_secrets()
    yield
    forget_session_secrets()


@pytest.fixture(scope="module", autouse=True)
def no_builtin_sandbox_left():
    yield
    stop_builtin_sandbox()


def staging(**overrides: Any) -> Profile:
    fields: dict[str, Any] = {"name": "Staging", "data_center": "us1-st1.gigya.com", "api_key": "3_staging", "user_key": "AKey"}
    fields.update(overrides)
    return Profile(**fields)


def profiles_file() -> Path:
    return files.config_dir() / "profiles.json"


def run_cli(capsys, monkeypatch, argv: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# --- the store ------------------------------------------------------------------------------------


def test_round_trip_keeps_only_non_secret_fields():
    store = ProfileStore()
    store.add(staging(approved_domains=["Example.com", "*.shop.example"], auth=AuthMode.SECRET))
    again = ProfileStore().get("Staging")
    assert again == staging(approved_domains=["example.com", "*.shop.example"], auth=AuthMode.SECRET)
    document = json.loads(profiles_file().read_text())
    assert document["version"] == 1
    assert document["profiles"] == [
        {
            "name": "Staging",
            "dataCenter": "us1-st1.gigya.com",
            "apiKey": "3_staging",
            "userKey": "AKey",
            "auth": "secret",
            "approvedDomains": ["example.com", "*.shop.example"],
        }
    ]
    assert "secret" not in {k.lower() for k in document["profiles"][0]}
    assert (profiles_file().stat().st_mode & 0o777) == 0o600


def test_sandbox_is_built_in_first_and_cannot_be_changed():
    store = ProfileStore()
    store.add(staging(name="alpha"))
    store.add(staging(name="Zulu", data_center="", base_url="https://gigya.staging.example/"))
    assert [p.name for p in store.list()] == [BUILTIN_NAME, "alpha", "Zulu"]
    sandbox = store.list()[0]
    assert sandbox.builtin and sandbox.api_key and sandbox.user_key
    assert "Sandbox" not in json.dumps(json.loads(profiles_file().read_text()))
    assert store.get("zulu").base_url == "https://gigya.staging.example"
    with pytest.raises(ProfileError, match="built-in"):
        store.add(staging(name="sandbox"))
    with pytest.raises(ProfileError, match="cannot be changed"):
        store.update(builtin_profile())
    with pytest.raises(ProfileError, match="cannot be removed"):
        store.remove("Sandbox")


def test_the_sandbox_profile_shows_the_builtin_scenarios_demo_site():
    """The Sandbox profile's keys and approved domains are written out in the code (listing the
    profiles reads no scenario); they are the built-in scenario's home site."""
    from composer.sandbox.scenario import Scenario

    site = Scenario.default().home_site
    profile = builtin_profile()
    assert (profile.api_key, profile.user_key, profile.approved_domains) == (
        site.api_key, site.user_keys[0].user_key, list(site.approved_domains))


def test_update_and_remove():
    store = ProfileStore()
    store.add(staging())
    store.update(staging(name="staging", user_key="", data_center="eu1.gigya.com"))
    changed = store.get("Staging")
    assert changed.name == "Staging" and changed.data_center == "eu1.gigya.com" and changed.legacy_partner_secret
    assert store.remove("STAGING").name == "Staging"
    assert ProfileStore().names() == [BUILTIN_NAME]
    with pytest.raises(ProfileError, match="no profile named 'gone'"):
        store.remove("gone")


@pytest.mark.parametrize(
    ("profile", "words"),
    [
        (staging(name=""), "needs a name"),
        (staging(name=" padded"), "space"),
        (staging(name="(environment)"), "cannot start with"),
        (staging(api_key=""), "API key is required"),
        (staging(data_center="not a dc"), "not a data center"),
        (staging(data_center="", base_url="http://staging.example"), "plain http"),
        (staging(data_center="", base_url="http://127.0.0.1:9/", auth=AuthMode.SECRET), "refused over plain http"),
        (staging(approved_domains=["https://example.com/x"]), "not a host name"),
        (staging(base_url="https://x.example"), "not both"),
    ],
)
def test_bad_profiles_are_refused_with_a_reason(profile: Profile, words: str):
    with pytest.raises(ProfileError, match=words):
        ProfileStore().add(profile)
    assert not profiles_file().exists()


def test_a_duplicate_name_is_refused():
    store = ProfileStore()
    store.add(staging())
    with pytest.raises(ProfileError, match="already exists"):
        store.add(staging(name="STAGING"))


def test_a_corrupt_file_is_set_aside_and_never_crashes():
    path = profiles_file()
    path.parent.mkdir(parents=True)
    path.write_text("{ not json")
    store = ProfileStore()
    assert [p.name for p in store.list()] == [BUILTIN_NAME]
    assert "set aside as profiles.json.corrupt-" in store.recovered and "not valid JSON" in store.recovered
    aside = list(path.parent.glob("profiles.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == "{ not json"
    store.add(staging())  # the store works again
    assert [p.name for p in ProfileStore().list()] == [BUILTIN_NAME, "Staging"]
    assert ProfileStore().recovered == ""


def test_a_partly_damaged_file_keeps_the_good_profiles():
    path = profiles_file()
    path.parent.mkdir(parents=True)
    good = staging().to_json()
    original = json.dumps({"version": 1, "profiles": [good, {"name": 5}, {**good, "name": "Other", "auth": "magic"}]})
    path.write_text(original)
    store = ProfileStore()
    assert [p.name for p in store.list()] == [BUILTIN_NAME, "Staging"]
    assert "1 profile(s) were recovered" in store.recovered and "auth must be" in store.recovered
    assert next(path.parent.glob("profiles.json.corrupt-*")).read_text() == original
    assert [p["name"] for p in json.loads(path.read_text())["profiles"]] == ["Staging"]


def test_an_unreadable_file_is_left_alone_and_not_overwritten():
    path = profiles_file()
    path.mkdir(parents=True)  # a folder where the file should be: reading it fails
    store = ProfileStore()
    assert "cannot read" in store.recovered
    with pytest.raises(ProfileError, match="nothing was changed") as caught:
        store.add(staging())
    assert caught.value.exit_code == 1
    assert path.is_dir()


# --- the built-in sandbox -------------------------------------------------------------------------


def test_the_builtin_sandbox_starts_once_per_process_from_any_thread():
    stop_builtin_sandbox()
    seen: list[SandboxServer] = []
    threads = [threading.Thread(target=lambda: seen.append(ensure_builtin_sandbox())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(s) for s in seen}) == 1
    assert seen[0].url.startswith("http://127.0.0.1:")
    assert builtin_profile().base_url == seen[0].url


# --- resolve --------------------------------------------------------------------------------------


ENV = {"GIGYA_API_KEY": "3_env", "GIGYA_USER_KEY": "EnvKey", "GIGYA_SECRET": "ZW52LXNlY3JldA=="}


def test_resolve_without_anything_is_the_builtin_sandbox():
    resolved = resolve(None, environ={})
    info = ensure_builtin_sandbox().info()
    assert resolved.source == "sandbox" and resolved.profile_name == BUILTIN_NAME and resolved.profile.builtin
    assert resolved.base_url == info["url"]
    assert resolved.credentials.api_key == info["apiKey"] and resolved.credentials.secret == info["secret"]
    assert resolved.credentials.user_key == info["userKey"]
    assert any("built-in sandbox" in n for n in resolved.notes)


def test_resolve_environment_comes_before_the_sandbox():
    resolved = resolve(None, data_center="eu1.gigya.com", environ=ENV)
    assert resolved.source == "environment" and resolved.profile is None and resolved.profile_name == ENVIRONMENT_NAME
    assert resolved.base_url == "https://socialize.eu1.gigya.com"
    assert (resolved.credentials.api_key, resolved.credentials.user_key) == ("3_env", "EnvKey")
    assert resolve(None, base_url="http://127.0.0.1:8/", environ=ENV).base_url == "http://127.0.0.1:8"
    assert resolve(None, environ=ENV).base_url == "https://socialize.us1.gigya.com"
    legacy = resolve(None, environ={**ENV, "GIGYA_USER_KEY": ""}, auth="secret")
    assert LEGACY_NOTE in legacy.notes and legacy.credentials.auth is AuthMode.SECRET
    # the recorded name of such an attempt resolves again through the environment
    assert resolve(ENVIRONMENT_NAME, environ=ENV).source == "environment"


def test_an_environment_attempt_without_its_variables_says_how_to_go_on_in_the_window_and_the_command_line():
    with pytest.raises(ProfileError) as refused:
        resolve(ENVIRONMENT_NAME, environ={})
    assert str(refused.value) == (
        "this used the GIGYA_API_KEY / GIGYA_SECRET environment variables, which are not set now; set them "
        "(for the window: before starting Composer), or on the command line give --profile NAME"
    )


def test_resolve_a_profile_comes_before_the_environment():
    ProfileStore().add(staging())
    CredentialStore().set("Staging", SECRET)
    resolved = resolve("staging", environ=ENV)
    assert resolved.source == "profile" and resolved.profile_name == "Staging"
    assert resolved.base_url == "https://socialize.us1-st1.gigya.com"
    assert resolved.credentials.secret == SECRET and resolved.credentials.api_key == "3_staging"
    assert resolved.notes == []
    overridden = resolve("Staging", base_url="https://other.example", auth=AuthMode.SECRET, environ={})
    assert overridden.base_url == "https://other.example" and overridden.credentials.auth is AuthMode.SECRET
    assert any("instead of the profile's" in n for n in overridden.notes)
    assert resolve("Sandbox", environ=ENV).source == "sandbox"


def test_resolve_tells_about_the_legacy_secret_and_the_session_only_secret():
    ProfileStore().add(staging(user_key=""))
    keyring.set_keyring(fail.Keyring())
    CredentialStore().set("Staging", SECRET)
    resolved = resolve("Staging", environ={})
    assert LEGACY_NOTE in resolved.notes and SESSION_NOTE in resolved.notes
    assert "2023" in LEGACY_NOTE


@pytest.mark.parametrize(
    ("kwargs", "words", "code"),
    [
        ({"profile_name": "nope"}, "no profile named 'nope'", 2),
        ({"profile_name": "Staging"}, "No secret is stored for profile 'Staging'", 1),
        ({"profile_name": "Staging", "data_center": "no such"}, "not a data center", 2),
        ({"profile_name": "Sandbox", "base_url": "http://127.0.0.1:1"}, "its own endpoint", 2),
        ({"profile_name": None, "base_url": "https://x.example"}, "needs credentials", 2),
        ({"profile_name": None, "data_center": "eu1.gigya.com", "base_url": "https://x.example"}, "not both", 2),
        ({"profile_name": None, "auth": "plain"}, "auth must be", 2),
        ({"profile_name": None, "environ": {"GIGYA_API_KEY": "3_k"}}, "GIGYA_SECRET is not", 2),
        ({"profile_name": ENVIRONMENT_NAME}, "not set now", 2),
    ],
)
def test_resolve_errors_say_what_to_do(kwargs: dict[str, Any], words: str, code: int):
    ProfileStore().add(staging())
    kwargs.setdefault("environ", {})
    with pytest.raises(ProfileError, match=words) as caught:
        resolve(**kwargs)
    assert caught.value.exit_code == code


def test_resolve_reports_a_locked_keyring():
    ProfileStore().add(staging())

    class Locked(KeyringBackend):
        priority = -1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            raise KeyringLocked("Failed to unlock the collection!")

        def set_password(self, service: str, username: str, password: str) -> None:
            raise KeyringLocked("Failed to unlock the collection!")

        def delete_password(self, service: str, username: str) -> None:
            raise KeyringLocked("Failed to unlock the collection!")

    keyring.set_keyring(Locked())
    with pytest.raises(ProfileError, match="is locked") as caught:
        resolve("Staging", environ={})
    assert caught.value.exit_code == 1


# --- the command line -----------------------------------------------------------------------------


def add_sandbox_profile(capsys, monkeypatch, sandbox: SandboxServer, name: str = "Local", secret: str | None = None) -> int:
    info = sandbox.info()
    code, _, _ = run_cli(
        capsys, monkeypatch,
        ["profile", "add", name, "--base-url", sandbox.url, "--api-key", info["apiKey"], "--user-key", info["userKey"], "--secret-stdin"],
        stdin=(secret or info["secret"]) + "\n",
    )
    return code


def test_cli_add_list_edit_remove(capsys, monkeypatch, memory_keyring: MemoryKeyring):
    code, out, err = run_cli(
        capsys, monkeypatch,
        ["profile", "add", "Staging", "--data-center", "us1-st1.gigya.com", "--api-key", "3_staging", "--user-key", "AKey",
         "--approved-domain", "example.com", "--approved-domain", "shop.example", "--secret-stdin"],
        stdin=SECRET + "\n",
    )
    assert code == 0, err
    assert "Added profile 'Staging'" in out and "saved in the system keyring" in out
    assert memory_keyring.store == {("composer", "Staging"): SECRET}

    code, out, _ = run_cli(capsys, monkeypatch, ["profile", "list", "--json"])
    document = json.loads(out)
    assert code == 0 and [p["name"] for p in document["profiles"]] == ["Sandbox", "Staging"]
    assert document["profiles"][1]["approvedDomains"] == ["example.com", "shop.example"]
    assert document["keyring"]["usable"] and "service 'composer'" in document["secrets"]

    code, out, _ = run_cli(capsys, monkeypatch, ["profile", "list"])
    assert code == 0 and "Sandbox (built-in)" in out and "https://socialize.us1-st1.gigya.com" in out

    code, out, err = run_cli(capsys, monkeypatch, ["profile", "edit", "Staging", "--user-key", "", "--data-center", "eu1.gigya.com"])
    assert code == 0 and "Updated profile" in out and "2023" in err
    assert ProfileStore().get("Staging").data_center == "eu1.gigya.com"

    code, out, _ = run_cli(capsys, monkeypatch, ["profile", "edit", "Staging", "--secret-stdin"], stdin=WRONG_SECRET + "\n")
    assert code == 0 and memory_keyring.store[("composer", "Staging")] == WRONG_SECRET

    code, out, _ = run_cli(capsys, monkeypatch, ["profile", "remove", "Staging"])
    assert code == 0 and "Removed profile 'Staging'" in out and "deleted from the system keyring" in out
    assert memory_keyring.store == {} and ProfileStore().names() == ["Sandbox"]


def test_cli_never_prints_or_stores_the_secret(capsys, monkeypatch, isolated_home: Path):
    outputs = []
    for argv, stdin in (
        (["profile", "add", "S", "--data-center", "eu1.gigya.com", "--api-key", "3_k", "--secret-stdin"], SECRET + "\n"),
        (["profile", "list"], None),
        (["profile", "list", "--json"], None),
        (["profile", "edit", "S", "--secret-stdin"], SECRET + "\n"),
        (["profile", "remove", "S"], None),
    ):
        outputs.append(run_cli(capsys, monkeypatch, argv, stdin))
    assert [o[0] for o in outputs] == [0, 0, 0, 0, 0]
    assert all(SECRET not in out + err for _, out, err in outputs)
    for path in isolated_home.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_cli_prompts_hidden_on_a_terminal(capsys, monkeypatch, memory_keyring: MemoryKeyring):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    prompts: list[str] = []
    monkeypatch.setattr("sys.stdin", Terminal(""))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": prompts.append(prompt) or SECRET)
    code, _, err = run_cli(capsys, monkeypatch, ["profile", "add", "S", "--api-key", "3_k", "--user-key", "u"])
    assert code == 0, err
    assert prompts == ["Secret for profile 'S' (input hidden): "]
    assert memory_keyring.store[("composer", "S")] == SECRET
    assert ProfileStore().get("S").data_center == "us1.gigya.com"


def test_cli_refuses_to_read_a_secret_from_a_pipe_without_the_flag(capsys, monkeypatch):
    code, _, err = run_cli(capsys, monkeypatch, ["profile", "add", "S", "--api-key", "3_k"], stdin=SECRET + "\n")
    assert code == 2 and "--secret-stdin" in err
    assert ProfileStore().get("S") is None


def test_cli_has_no_secret_argument(capsys, monkeypatch):
    code, _, err = run_cli(capsys, monkeypatch, ["profile", "add", "S", "--api-key", "3_k", "--secret", SECRET])
    assert code == 2 and "unrecognized arguments" in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["profile", "edit", "nope", "--api-key", "x"], "no profile named 'nope'"),
        (["profile", "remove", "nope"], "no profile named 'nope'"),
        (["profile", "test", "nope"], "no profile named 'nope'"),
        (["profile", "edit", "Sandbox", "--api-key", "x"], "cannot be changed"),
        (["profile", "remove", "Sandbox"], "cannot be removed"),
        (["profile", "add", "Sandbox", "--api-key", "x", "--secret-stdin"], "built-in sandbox"),
        (["profile", "add", "S", "--api-key", "x", "--data-center", "a b", "--secret-stdin"], "not a data center"),
        (["profile", "add", "S", "--api-key", "x", "--data-center", "eu1.gigya.com", "--base-url", "https://x.example"], "not allowed with"),
        (["profile", "test", "Sandbox", "--timeout", "0"], "--timeout"),
    ],
)
def test_cli_usage_errors_exit_2(capsys, monkeypatch, argv: list[str], words: str):
    code, _, err = run_cli(capsys, monkeypatch, argv, stdin=SECRET + "\n")
    assert code == 2 and words in err


def test_cli_edit_with_nothing_to_change(capsys, monkeypatch):
    ProfileStore().add(staging())
    code, _, err = run_cli(capsys, monkeypatch, ["profile", "edit", "Staging"])
    assert code == 2 and "nothing to change" in err


def test_cli_add_without_a_keyring_keeps_the_profile_and_says_so(capsys, monkeypatch):
    keyring.set_keyring(fail.Keyring())
    code, out, err = run_cli(
        capsys, monkeypatch, ["profile", "add", "S", "--api-key", "3_k", "--user-key", "u", "--secret-stdin"], stdin=SECRET + "\n"
    )
    assert code == 1
    assert "Added profile 'S'" in out
    assert "no usable keyring" in err and "this session only" in err and "GIGYA_SECRET" in err
    assert ProfileStore().get("S") is not None
    code, out, _ = run_cli(capsys, monkeypatch, ["profile", "list"])
    assert code == 0 and "this session only" in out


def test_cli_remove_keeps_the_profile_when_the_keyring_is_locked(capsys, monkeypatch):
    ProfileStore().add(staging())

    class Locked(MemoryKeyring):
        def delete_password(self, service: str, username: str) -> None:
            raise KeyringLocked("Failed to unlock the collection!")

    keyring.set_keyring(Locked())
    code, _, err = run_cli(capsys, monkeypatch, ["profile", "remove", "Staging"])
    assert code == 1 and "is locked" in err and "was kept" in err and "--force" in err
    assert ProfileStore().get("Staging") is not None
    code, out, err = run_cli(capsys, monkeypatch, ["profile", "remove", "Staging", "--force"])
    assert code == 1 and "Removed profile 'Staging'" in out and "secret-tool clear service composer" in err
    assert ProfileStore().get("Staging") is None


def test_cli_test_accepts_good_credentials(capsys, monkeypatch, sandbox: SandboxServer):
    assert add_sandbox_profile(capsys, monkeypatch, sandbox) == 0
    code, out, err = run_cli(capsys, monkeypatch, ["profile", "test", "Local"])
    assert code == 0, err
    assert "accepted the credentials" in out and "400002" in out and "nothing was published" in out
    assert sandbox.posts() == [] and sandbox.attempts() == []
    assert sandbox.request_count == 1


def test_cli_test_refuses_a_wrong_secret(capsys, monkeypatch, sandbox: SandboxServer):
    assert add_sandbox_profile(capsys, monkeypatch, sandbox, secret=WRONG_SECRET) == 0
    code, out, err = run_cli(capsys, monkeypatch, ["profile", "test", "Local"])
    assert code == 1
    assert "403003" in err and "hint:" in err and "composer profile edit Local --new-secret" in err
    assert WRONG_SECRET not in out + err
    assert sandbox.posts() == []


def test_cli_test_refuses_an_unknown_api_key(capsys, monkeypatch, sandbox: SandboxServer):
    info = sandbox.info()
    code, _, _ = run_cli(
        capsys, monkeypatch,
        ["profile", "add", "Local", "--base-url", sandbox.url, "--api-key", "3_unknown", "--user-key", info["userKey"], "--secret-stdin"],
        stdin=info["secret"] + "\n",
    )
    assert code == 0
    code, _, err = run_cli(capsys, monkeypatch, ["profile", "test", "Local"])
    assert code == 1 and "400093" in err and "API key" in err


def test_cli_test_reports_a_missing_secret_and_an_unreachable_server(capsys, monkeypatch, sandbox: SandboxServer):
    ProfileStore().add(staging(name="Gone", data_center="", base_url=sandbox.url))
    code, _, err = run_cli(capsys, monkeypatch, ["profile", "test", "Gone"])
    assert code == 1 and "No secret is stored for profile 'Gone'" in err and "--new-secret" in err
    url = sandbox.url
    sandbox.stop()
    CredentialStore().set("Gone", SECRET)
    code, _, err = run_cli(capsys, monkeypatch, ["profile", "test", "Gone", "--timeout", "5"])
    assert code == 1 and "could not test profile 'Gone'" in err and url.split("//")[1] in err


def test_cli_test_the_builtin_sandbox_needs_no_set_up(capsys, monkeypatch):
    code, out, err = run_cli(capsys, monkeypatch, ["profile", "test", "Sandbox"])
    assert code == 0, err
    assert "accepted the credentials of profile 'Sandbox'" in out
    assert "retired" not in out + err  # a rehearsal on this machine: nothing to warn about


def test_cli_test_of_an_endpoint_elsewhere_says_the_live_call_was_retired(capsys, monkeypatch):
    # .invalid never resolves (RFC 6761): the test cannot reach a real server by accident
    ProfileStore().add(staging(name="Far", data_center="", base_url="https://socialize.us1.gigya.com.invalid"))
    CredentialStore().set("Far", SECRET)
    code, _, err = run_cli(capsys, monkeypatch, ["profile", "test", "Far", "--timeout", "5"])
    assert code == 1 and "could not test profile 'Far'" in err
    assert endpoint_note("https://socialize.us1.gigya.com.invalid") in err
    assert "retired socialize.publishUserAction on 2021-01-31" in err and "every outcome can still be rehearsed" in err


def test_cli_test_names_the_other_data_center(capsys, monkeypatch, sandbox: SandboxServer):
    ProfileStore().add(staging(name="EU", data_center="", base_url=sandbox.url, api_key="3_eu_site"))
    CredentialStore().set("EU", SECRET)
    code, _, err = run_cli(capsys, monkeypatch, ["profile", "test", "EU"])
    assert code == 1 and "301001" in err and "eu1.gigya.com" in err and "--data-center" in err


def test_cli_test_with_the_legacy_partner_secret_warns_about_2023(capsys, monkeypatch, sandbox: SandboxServer):
    from composer.sandbox.scenario import Scenario

    partner_secret = Scenario.default().home_site.partner_secret
    assert partner_secret
    code, _, err = run_cli(
        capsys, monkeypatch,
        ["profile", "add", "Old", "--base-url", sandbox.url, "--api-key", sandbox.info()["apiKey"], "--secret-stdin"],
        stdin=partner_secret + "\n",
    )
    assert code == 0 and "Gigya stopped accepting it in 2023" in err
    code, out, err = run_cli(capsys, monkeypatch, ["profile", "test", "Old"])
    assert code == 0, err
    assert "accepted the credentials" in out and "2023" in err
