"""The window and its data folder at start: a folder it cannot write turns autosave and the history
off with a notice that says why, and the window works all the same; the temporary files of
autosaves killed midway are cleared.

Tests run as root, where a folder's mode stops no write.  So the data folder is made unusable for
everyone (a regular file, or a path under one), and a read-only folder is stood in for where the
app asks whether it may write (``os.access``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from composer.core.storage import files
from composer.gui.controllers.drafts import AUTOSAVE_DELAY_MS
from composer.gui.dialogs import Choice
from composer.gui.history_view import HistoryDialog
from tests.helpers.environment import REPO
from tests.helpers.gui import compose, publish_and_wait, type_into

SAMPLE = REPO / "resources" / "drafts" / "product-launch.json"
OFF = "Autosave and the publish history are off: the data folder "


@pytest.fixture
def unusable_data(tmp_path, monkeypatch) -> Path:
    """COMPOSER_DATA_DIR under a regular file: no folder can be made there, not even by root."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    folder = blocker / "composer"
    monkeypatch.setenv("COMPOSER_DATA_DIR", str(folder))
    return folder


def test_the_window_starts_and_says_autosave_and_history_are_off(open_window, unusable_data, qtbot):
    win, ctl = open_window()
    assert win.notice.isVisible()
    assert win.notice.text() == f"{OFF}{unusable_data} cannot be created (Not a directory)."

    # typing: no autosave is attempted, so none fails
    type_into(qtbot, win.content.inputs["title"], "Work that cannot be autosaved")
    qtbot.wait(AUTOSAVE_DELAY_MS * 2)
    ctl.drafts.autosave_runner.wait(5000)
    assert "Autosave failed" not in win.status_label.text()

    # publishing: the result is shown, with why it is not in the history
    compose(qtbot, win, "demo-all-ok", "Read-only data folder")
    output = publish_and_wait(qtbot, win, ctl)
    assert output is not None and output.result.outcome.value == "posted"
    assert output.history_id is None
    note = f"could not record this attempt in the history: the publish history cannot be kept in the data folder: {unusable_data}"
    assert any(n.startswith(note) for n in output.result.notes)
    assert note in win.results.meta.text()

    # the History window says why it is empty
    win.history_action.trigger()
    dialog = win.findChild(HistoryDialog)
    qtbot.waitUntil(lambda: "could not be read" in dialog.status.text(), timeout=10000)
    assert str(unusable_data) in dialog.status.text()
    dialog.close()

    # opening a draft (the typed work given up) and closing the window work as anywhere else
    ctl.dialogs.ask_save_changes = lambda _name: Choice.DISCARD
    assert ctl.drafts.open_path(SAMPLE)
    assert win.notice.isVisible()
    assert ctl.drafts.close()


def test_the_window_starts_on_a_draft_with_a_data_folder_that_is_a_file(open_window, tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.write_text("a file")
    monkeypatch.setenv("COMPOSER_DATA_DIR", str(folder))
    win, ctl = open_window(start=False)
    ctl.start(str(SAMPLE))
    assert ctl.drafts.path == SAMPLE.resolve()
    assert win.notice.text() == f"{OFF}{folder} is a file, not a folder."
    assert folder.read_text() == "a file"


def test_a_read_only_data_folder_still_offers_the_earlier_autosave(open_window, isolated_home, monkeypatch, qtbot):
    folder = files.data_dir()
    draft = {"UID": "demo-all-ok", "userAction": {"title": "Work from before", "linkBack": "https://example.com/"}}
    files.atomic_write(folder / "autosave.json", json.dumps({"version": 1, "path": None, "draft": draft}))
    before = (folder / "autosave.json").read_bytes()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != folder and real_access(path, mode))

    win, ctl = open_window()
    assert win.notice.text() == f"{OFF}{folder} is read-only."
    assert win.restore_banner.isVisible()  # read where it is: it cannot be moved aside
    qtbot.mouseClick(win.restore_banner.restore_button, Qt.MouseButton.LeftButton)
    assert ctl.editing.call.userAction.title == "Work from before"
    ctl.drafts.autosave_runner.wait(5000)
    assert sorted(p.name for p in folder.iterdir()) == ["autosave.json"]
    assert (folder / "autosave.json").read_bytes() == before


def test_the_real_app_starts_with_an_unusable_data_folder(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
           "COMPOSER_EXIT_AFTER_PAINT": "1", "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "COMPOSER_DATA_DIR": str(blocker / "composer")}
    done = subprocess.run([sys.executable, "-m", "composer", str(SAMPLE)], cwd=tmp_path, env=env, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"Traceback" not in done.stderr


def test_leftover_autosave_temporaries_are_removed_at_start(open_window, isolated_home):
    folder = files.data_dir()
    folder.mkdir(parents=True)
    old = time.time() - files.LEFTOVER_AGE_S - 5
    leftovers = [folder / f".autosave.json.{i:08x}.tmp" for i in range(22)]
    for leftover in leftovers:
        leftover.write_bytes(b'{"version": 1, "draft": {"userAction": {"title": "half')
        os.utime(leftover, (old, old))
    in_progress = folder / ".autosave.json.another-window.tmp"
    in_progress.write_bytes(b"being written right now")
    autosaves = folder / "autosaves"
    autosaves.mkdir()
    crashed = [autosaves / f".{name}.json.{i:08x}.tmp" for i, name in enumerate(("crashed", "crashed", "never-written"))]
    for leftover in crashed:
        leftover.write_bytes(b'{"version": 1, "draft": {"userAction": {"title": "half')
        os.utime(leftover, (old, old))
    writing = autosaves / ".a-window.json.now.tmp"
    writing.write_bytes(b"being written right now")
    open_window()
    assert not any(p.exists() for p in leftovers + crashed)
    assert in_progress.exists() and writing.exists()
