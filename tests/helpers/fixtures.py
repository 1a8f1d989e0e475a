"""Every fixture the suite shares, in one place; ``tests/conftest.py`` makes them available to
every test.

Two are autouse: each test gets its own HOME (``isolated_home``) and an in-memory keyring
(``memory_keyring``), so no test touches the user's folders or a real keychain.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QApplication

from composer.gui.app import build_window, create_application
from composer.gui.controllers.window import WindowController
from composer.gui.history_view import HistoryDialog
from composer.gui.main_window import MainWindow
from composer.sandbox.scenario import Scenario
from composer.sandbox.server import SandboxServer
from tests.helpers.stubs import BlockingKeyring, MemoryKeyring


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch) -> Path:
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
    monkeypatch.delenv("COMPOSER_CACHE_DIR", raising=False)
    for var in ("GIGYA_API_KEY", "GIGYA_USER_KEY", "GIGYA_SECRET"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Tests never touch a real keychain: an in-memory backend (``stubs.MemoryKeyring``) is installed,
    and taken away only once the test's changes to it have ended (:func:`put_keyring_back`)."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    put_keyring_back(previous)


#: our choice: ample for changes to end once put_keyring_back has released every BlockingKeyring
KEYRING_CHANGES_WAIT_MS = 30_000


def put_keyring_back(previous: KeyringBackend) -> None:
    """Install ``previous`` once every change to the keyring a test queued has ended.  A test that
    failed before releasing its BlockingKeyring leaves a change queued on the profile dialog's
    ``KEYRING_CHANGES``: it would run later against the next test's keyring, or the system's."""
    BlockingKeyring.release_all()
    dialog = sys.modules.get("composer.gui.profile_dialog")  # no pool to wait for before a test opens Profiles
    if dialog is not None:
        assert dialog.KEYRING_CHANGES.waitForDone(KEYRING_CHANGES_WAIT_MS), "a change to the keyring outlived its test"
    keyring.set_keyring(previous)


@pytest.fixture
def python_exe() -> str:
    return sys.executable


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    """A real sandbox server of the test's own on loopback, fresh for each test (tests count what it
    received).  The window's Sandbox profile uses the process-wide built-in one instead
    (``composer.sandbox.builtin``)."""
    with SandboxServer() as server:
        yield server


@pytest.fixture
def sandbox_behind_a_proxy() -> Iterator[SandboxServer]:
    """A sandbox of the built-in scenario that trusts ``X-Forwarded-Proto: https``: with
    ``forwarding_session(..., as_sent=True)`` (tests/helpers/stubs.py) the client's requests for
    Gigya's own hosts (``https://socialize.us1.gigya.com``) reach it as sent, signatures intact."""
    data = Scenario.default().to_dict()
    data["trustProxyHttps"] = True
    with SandboxServer(Scenario.from_dict(data)) as server:
        yield server


class WindowOpener:
    """Opens main windows as ``composer`` does; at the end of the test it closes every one it opened,
    without the modal "Save the changes?" box (the test decides about unsaved changes)."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.opened: list[tuple[MainWindow, WindowController]] = []

    def __call__(self, *, show: bool = True, start: bool = True) -> tuple[MainWindow, WindowController]:
        """A new window and its controller, started on no draft (the built-in Sandbox profile) and
        shown until start-up is over (first frame painted, collector back).  ``show=False``: started
        but not shown.  ``start=False``: only built, for a test that watches the start and calls
        ``controller.start`` itself."""
        create_application()
        win, controller = build_window()
        self.opened.append((win, controller))
        if not start:
            return win, controller
        controller.start(None)
        if show:
            started: list[bool] = []
            win.ready.connect(lambda: started.append(True))
            win.show()
            self.qtbot.waitExposed(win)
            self.qtbot.waitUntil(lambda: bool(started))
            win.activateWindow()
        return win, controller

    def close(self, win: MainWindow) -> None:
        """Let the window's workers finish, then close and delete it without asking."""
        controller = next(c for w, c in self.opened if w is win)
        self.opened = [(w, c) for w, c in self.opened if w is not win]
        controller.publishing.runner.wait(15000)
        controller.drafts.autosave_runner.wait(15000)
        for dialog in win.findChildren(HistoryDialog):  # the History window, once it was opened
            dialog.runner.wait(15000)
        win.close_handler = None  # the test decides about unsaved changes, not a modal dialog
        win.close()
        win.deleteLater()
        QApplication.processEvents()

    def close_all(self) -> None:
        for win, _controller in list(self.opened):
            self.close(win)


@pytest.fixture
def open_window(qtbot) -> Iterator[WindowOpener]:
    """``open_window()`` opens a real main window (see :class:`WindowOpener`); every window a test
    opened is closed after it."""
    opener = WindowOpener(qtbot)
    yield opener
    opener.close_all()


@pytest.fixture
def window(open_window: WindowOpener) -> tuple[MainWindow, WindowController]:
    """The real main window and its controller, shown, on the built-in Sandbox profile."""
    return open_window()
