import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
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


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own HOME, XDG folders and app folders: nothing touches the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("COMPOSER_CONFIG_DIR", raising=False)
    monkeypatch.delenv("COMPOSER_DATA_DIR", raising=False)
    for var in ("GIGYA_API_KEY", "GIGYA_USER_KEY", "GIGYA_SECRET"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(autouse=True)
def memory_keyring():
    """Tests never touch a real keychain: an in-memory backend (defined under tests/) is installed."""
    import keyring

    from tests.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def python_exe() -> str:
    return sys.executable


@pytest.fixture
def window(qtbot):
    """The real main window and its controller, shown, on the built-in Sandbox profile."""
    from PySide6.QtWidgets import QApplication

    from composer.gui.app import build_window, create_application

    create_application()
    win, controller = build_window()
    controller.start(None)
    started: list[bool] = []
    win.ready.connect(lambda: started.append(True))
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: bool(started))  # start-up is over: first frame painted, collector back
    win.activateWindow()
    yield win, controller
    controller.publishing.runner.wait(15000)
    controller.drafts.autosave_runner.wait(15000)
    win.close_handler = None  # the test decides about unsaved changes, not a modal dialog
    win.close()
    win.deleteLater()
    QApplication.processEvents()
