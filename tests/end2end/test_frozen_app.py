"""The self-contained app: ``packaging/build`` freezes the app once (PyInstaller, one folder), and the
frozen ``composer`` is run as a user without Python would run it: ``--version``, ``preview --json``
on a sample draft it ships, a publish to its built-in sandbox, the window's first frame offscreen,
and a secret stored in and read back from a real Secret Service (gnome-keyring-daemon in a private
D-Bus session), with keyring's backend found by the frozen app itself (no PYTHON_KEYRING_BACKEND).

The build needs the package index (it installs the pinned PyInstaller into a venv of its own under
``build/``, kept between runs) and takes minutes: it is marked slow, and still runs in CI.
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

from composer import __version__
from composer.sandbox.server import SandboxServer
from tests.helpers.environment import REPO, require

pytestmark = [pytest.mark.slow]

#: our choice: a cold build (a new venv, PySide6 from the package index, PyInstaller's analysis) on
#: a 2-core machine takes a few minutes; this leaves room without letting a hung build hang CI
BUILD_TIMEOUT_S = 1800
PROFILE = "Frozen app"
KEYRING_PASSWORD = "throwaway-keyring-password"


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory) -> Path:
    # what PyInstaller runs on GNU/Linux (https://pyinstaller.org/en/stable/requirements.html)
    missing = [tool for tool in ("objdump", "ldd") if shutil.which(tool) is None]
    require(not missing, f"{' and '.join(missing)} not installed (Debian packages: binutils for objdump, libc-bin for ldd)")
    dist = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [str(REPO / "packaging" / "build"), str(dist)],
        cwd=REPO,
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
    )
    assert done.returncode == 0, f"packaging/build failed:\n{done.stdout[-4000:]}\n{done.stderr[-8000:]}"
    app = dist / "composer" / "composer"
    assert app.is_file() and os.access(app, os.X_OK)
    return app


def _env(home: Path, **extra: str) -> dict[str, str]:
    """A user's environment without Python's: no venv, no PYTHONPATH, their own HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "COMPOSER_", "GIGYA_", "DBUS_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_STATE_HOME=str(home / ".local/state"), **extra)
    return env


def _run(app: Path, *args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(app), *args], env=env, input=stdin, capture_output=True, text=True, timeout=120, cwd=env["HOME"])


def test_the_frozen_app_runs_every_part_without_python(frozen_app: Path, tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    env = _env(home, QT_QPA_PLATFORM="offscreen")

    version = _run(frozen_app, "--version", env=env)
    assert version.returncode == 0 and version.stdout.strip() == f"composer {__version__}", version.stderr

    # a sample draft it ships: the same preview as the installed package gives
    (draft,) = frozen_app.parent.rglob("drafts/product-launch.json")
    frozen = _run(frozen_app, "preview", "--json", str(draft), env=env)
    installed = subprocess.run([sys.executable, "-m", "composer", "preview", "--json", str(draft)], capture_output=True, text=True, timeout=120)
    assert frozen.returncode == installed.returncode, frozen.stderr
    assert json.loads(frozen.stdout) == json.loads(installed.stdout)

    # the built-in sandbox, inside the frozen app
    published = _run(frozen_app, "publish", "--json", str(draft), env=env)
    assert published.returncode in (0, 3), published.stderr
    assert json.loads(published.stdout)["outcome"] in ("posted", "partial")

    # the window: its first frame, offscreen
    window = _run(frozen_app, env={**env, "COMPOSER_EXIT_AFTER_PAINT": "1"})
    assert window.returncode == 0, window.stderr
    assert window.stdout.split() == ["painted", "ready"]
    assert "Traceback" not in window.stderr

    # the desktop entry it installs runs the frozen app itself
    assert _run(frozen_app, "desktop", "install", env=env).returncode == 0
    entry = (home / ".local/share/applications/composer.desktop").read_text(encoding="utf-8")
    assert f"Exec={frozen_app} %f" in entry


# Inside the private D-Bus session: the daemon unlocks a throwaway keyring, then the frozen app stores
# a secret, says where it is, and reads it back to sign a request the sandbox accepts; keyring in the
# test's own Python (its backend named) checks that the secret is really in the Secret Service.
SCRIPT = textwrap.dedent(
    """\
    set -eu
    printf "%s" "$TEST_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    unset TEST_KEYRING_PASSWORD
    app="$1"; url="$2"; api_key="$3"; user_key="$4"; profile="$5"; out="$6"
    printf "%s\\n" "$TEST_SECRET" | "$app" profile add "$profile" --base-url "$url" --api-key "$api_key" --user-key "$user_key" --secret-stdin > "$out/add.txt" 2>&1
    "$app" profile list --json > "$out/list.json"
    "$app" profile test "$profile" --timeout 20 > "$out/test.txt" 2>&1
    PYTHON_KEYRING_BACKEND=keyring.backends.SecretService.Keyring "$TEST_PYTHON" -c \\
      'import keyring, sys; print(keyring.get_password("composer", sys.argv[1]) == sys.argv[2])' "$profile" "$TEST_SECRET" > "$out/probe.txt"
    """
)


def test_the_frozen_app_keeps_secrets_in_the_real_secret_service(frozen_app: Path, tmp_path: Path, sandbox: SandboxServer):
    missing = [tool for tool in ("dbus-run-session", "gnome-keyring-daemon") if shutil.which(tool) is None]
    require(not missing, f"{' and '.join(missing)} not installed (Debian packages: gnome-keyring dbus-x11)")
    home = tmp_path / "home"
    home.mkdir()
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    out = tmp_path / "out"
    out.mkdir()
    info = sandbox.info()
    secret = str(info["secret"])
    env = _env(home, XDG_RUNTIME_DIR=str(runtime), TEST_KEYRING_PASSWORD=KEYRING_PASSWORD, TEST_SECRET=secret, TEST_PYTHON=sys.executable)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", SCRIPT, "session", str(frozen_app), sandbox.url, info["apiKey"], info["userKey"], PROFILE, str(out)],
        env=env, capture_output=True, text=True, timeout=240,
    )
    results = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}\n{results}"
    assert "saved in the system keyring (SecretService Keyring), service 'composer'" in results["add.txt"]
    assert json.loads(results["list.json"])["keyring"] == {"backend": "SecretService Keyring", "usable": True}
    assert "accepted the credentials" in results["test.txt"]  # signed with the secret read back
    assert results["probe.txt"].strip() == "True"
    for path in home.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
