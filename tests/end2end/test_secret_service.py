"""The one test with a real keyring: gnome-keyring-daemon's Secret Service in a private D-Bus session
(``dbus-run-session``), with a throwaway keyring whose files live under ``tmp_path``.

It drives ``python -m composer profile add / list / test / edit / remove`` as a user would, checks with
keyring itself that the secret is in the Secret Service (service ``composer``, account = profile
name) and gone after ``remove``, and that no file holds the secret in plain text.

Needs ``dbus-run-session`` and ``gnome-keyring-daemon`` (Debian: ``gnome-keyring dbus-x11``; see
``.ci/run``).  Skipped with the reason when they are missing, except under CI (``CI=true``), where a
missing tool fails the test instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from composer.sandbox.server import SandboxServer
from tests.helpers.environment import REPO, require

pytestmark = [pytest.mark.secret_service, pytest.mark.slow]

PROFILE = "Real Secret Service"
KEYRING_PASSWORD = "throwaway-keyring-password"  # encrypts the throwaway keyring file on disk
WRONG_SECRET = "bm90LXRoZS1yaWdodC1zZWNyZXQ="

# Runs inside the private D-Bus session: every composer command is a separate process, as for a user.
DRIVER = textwrap.dedent(
    r'''
    import json, os, subprocess, sys
    from pathlib import Path

    results_path, url, api_key, user_key, profile = sys.argv[1:6]
    secret, wrong = os.environ.pop("TEST_SECRET"), os.environ.pop("TEST_WRONG_SECRET")
    home = Path(os.environ["HOME"])
    steps = {}

    def composer(step, *args, stdin=None):
        done = subprocess.run([sys.executable, "-m", "composer", "profile", *args], input=stdin,
                              capture_output=True, text=True, timeout=60)
        steps[step] = {"rc": done.returncode, "out": done.stdout, "err": done.stderr}

    PROBE = """
    import json, sys, keyring
    backend = keyring.get_keyring()
    stored = backend.get_password("composer", sys.argv[1])
    print(json.dumps({"backend": type(backend).__module__ + "." + type(backend).__name__,
                      "stored": stored is not None, "matches": stored == sys.argv[2]}))
    """

    def probe(step, expected):
        done = subprocess.run([sys.executable, "-c", PROBE, profile, expected], capture_output=True, text=True, timeout=60)
        steps[step] = {"rc": done.returncode, "err": done.stderr,
                       **(json.loads(done.stdout) if done.returncode == 0 else {})}

    def files_with_secret():
        return [str(p) for p in home.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]

    composer("add", "add", profile, "--base-url", url, "--api-key", api_key, "--user-key", user_key,
             "--secret-stdin", stdin=secret + "\n")
    composer("list", "list", "--json")
    probe("probe_added", secret)
    steps["plaintext_while_stored"] = files_with_secret()
    steps["keyring_files"] = sorted(str(p.relative_to(home)) for p in home.rglob("*.keyring"))
    composer("test", "test", profile, "--timeout", "20")
    composer("edit_wrong", "edit", profile, "--secret-stdin", stdin=wrong + "\n")
    composer("test_wrong", "test", profile, "--timeout", "20")
    composer("edit_back", "edit", profile, "--secret-stdin", stdin=secret + "\n")
    composer("remove", "remove", profile)
    probe("probe_removed", secret)
    composer("test_removed", "test", profile)
    Path(results_path).write_text(json.dumps(steps))
    '''
)

SCRIPT = (
    'set -eu\n'
    'printf "%s" "$TEST_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null\n'
    'unset TEST_KEYRING_PASSWORD\n'
    'exec "$TEST_PYTHON" "$TEST_DRIVER" "$@"\n'
)


def _tools_present() -> None:
    missing = [tool for tool in ("dbus-run-session", "gnome-keyring-daemon") if shutil.which(tool) is None]
    require(not missing, f"{' and '.join(missing)} not installed (Debian packages: gnome-keyring dbus-x11)")
    try:
        import secretstorage  # noqa: F401 - keyring's Secret Service backend needs it
    except ImportError:
        require(False, "the Python package secretstorage is not installed (keyring installs it on Linux)")


def _environment(tmp_path: Path, home: Path, secret: str) -> dict[str, str]:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "GNOME_KEYRING", "COMPOSER_", "GIGYA_"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local/state"),
        # the daemon's control socket: never the developer's own keyring daemon
        XDG_RUNTIME_DIR=str(runtime),
        PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")])),
        TEST_PYTHON=sys.executable,
        TEST_DRIVER=str(tmp_path / "driver.py"),
        TEST_KEYRING_PASSWORD=KEYRING_PASSWORD,
        TEST_SECRET=secret,
        TEST_WRONG_SECRET=WRONG_SECRET,
    )
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def test_real_secret_service_round_trip(tmp_path: Path, sandbox: SandboxServer):
    _tools_present()
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "driver.py").write_text(DRIVER)
    results = tmp_path / "results.json"
    info = sandbox.info()
    secret = str(info["secret"])
    done = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", SCRIPT, "driver", str(results), sandbox.url, info["apiKey"], info["userKey"], PROFILE],
        env=_environment(tmp_path, home, secret),
        capture_output=True,
        text=True,
        timeout=240,
    )
    published = sandbox.posts()
    assert done.returncode == 0 and results.exists(), f"the D-Bus session failed:\n{done.stdout}\n{done.stderr}"
    steps = json.loads(results.read_text())

    add = steps["add"]
    assert add["rc"] == 0, add
    assert "saved in the system keyring (SecretService Keyring), service 'composer'" in add["out"]

    listing = json.loads(steps["list"]["out"])
    assert [p["name"] for p in listing["profiles"]] == ["Sandbox", PROFILE]
    assert listing["keyring"] == {"backend": "SecretService Keyring", "usable": True}

    added = steps["probe_added"]
    assert added["rc"] == 0, added
    assert added["backend"] == "keyring.backends.SecretService.Keyring"
    assert added["stored"] and added["matches"]

    assert steps["test"]["rc"] == 0, steps["test"]
    assert "accepted the credentials" in steps["test"]["out"]
    assert steps["edit_wrong"]["rc"] == 0, steps["edit_wrong"]
    assert steps["test_wrong"]["rc"] == 1 and "403003" in steps["test_wrong"]["err"]
    assert steps["edit_back"]["rc"] == 0

    assert steps["remove"]["rc"] == 0, steps["remove"]
    assert "deleted from the system keyring (SecretService Keyring)" in steps["remove"]["out"]
    removed = steps["probe_removed"]
    assert removed["rc"] == 0 and removed["backend"] == "keyring.backends.SecretService.Keyring"
    assert not removed["stored"]
    assert steps["test_removed"]["rc"] == 2

    # the secret was in an (encrypted) keyring file under the throwaway HOME, and in plain text nowhere
    assert steps["keyring_files"], "gnome-keyring wrote no keyring file under the throwaway HOME"
    assert steps["plaintext_while_stored"] == []
    for path in home.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
    for step in steps.values():
        if isinstance(step, dict):
            assert secret not in step.get("out", "") + step.get("err", "")
    assert published == []
