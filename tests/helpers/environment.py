"""Where the suite runs: the checkout, the shared folder beside it, whether this is CI, and the
environment of a window started in a process of its own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: this folder: the scripts that tests start as processes of their own live here
HELPERS = Path(__file__).resolve().parent
#: the shared folder laid beside the checkout (contract, seed, twitter-text conformance data)
SHARED = Path(os.environ.get("COMPOSER_SHARED_DIR", REPO.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(present: bool, reason: str) -> None:
    """A test's outside need (a tool, a package, the shared folder): without it the test skips
    locally and fails under CI, where ``.ci/run`` provides it."""
    if present:
        return
    if IN_CI:
        pytest.fail(f"{reason}; under CI this test must run (.ci/run provides it)")
    pytest.skip(reason)


def shared_path(*parts: str) -> Path:
    """A file from ../shared/; skips locally when it is missing, fails under CI."""
    path = SHARED.joinpath(*parts)
    require(path.exists(), f"{path} is missing (the shared/ folder is expected beside the checkout)")
    return path


def window_env(tmp_path: Path) -> dict[str, str]:
    """For a window in a process of its own: offscreen, its settings and data under ``tmp_path``,
    and no keyring."""
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "c"),
            "XDG_DATA_HOME": str(tmp_path / "d"), "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}


#: what the window loads on first use, not at start-up: the keyring, the HTTP stack and the history
#: database (with the windows that need them), hashlib (it loads OpenSSL: core/fingerprint.py) and QtSvg
#: (the icon is drawn from PNGs)
LAZY_MODULES = ("keyring", "requests", "urllib3", "urllib.request", "http.client", "html.parser", "sqlite3", "hashlib", "PySide6.QtSvg", "composer.gui.history_view",
                "composer.gui.profile_dialog", "composer.gui.plan_window", "composer.gui.controllers.plans")
