"""Windows as the user runs them: each ``composer [FILE]`` a process of its own
(tests/helpers/window_process.py), typed into, then killed with SIGKILL as a crash would end it.
Two windows open at once autosave apart and list their files in one recent list; a crash of either,
then of both, offers each draft back at the next start; an unexpected error inside a running window
leaves a crash log without the secret and keeps the draft; the first start after an update says
where the files moved."""

from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from composer.core.contract import REDACTED
from composer.core.storage import files
from composer.gui.dialogs import Choice
from composer.gui.settings import settings
from tests.helpers.environment import REPO
from tests.helpers.window_process import CRASH_SECRET, LINE_TIMEOUT_S, WindowProcess

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")]

SAMPLES = REPO / "resources" / "drafts"
#: our choice: an autosave lands within a second of the edit (AUTOSAVE_DELAY_MS); this is room for
#: a busy machine without letting a broken autosave pass
AUTOSAVED_WITHIN_S = 10


@pytest.fixture
def start(tmp_path, isolated_home):
    """``start(*args)``: a window process with this test's folders and no keyring (``module=``: another
    script of tests/helpers, see :class:`WindowProcess`); all killed at the end."""
    started: list[WindowProcess] = []

    def run(*args: str, module: str = "", stderr_in_lines: bool = False, **extra: str) -> WindowProcess:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring", **extra}
        process = WindowProcess(*args, env=env, stderr=tmp_path / f"window-{len(started)}.stderr", module=module, stderr_in_lines=stderr_in_lines)
        started.append(process)
        return process

    yield run
    for process in started:
        process.kill()


def _autosaved_titles() -> dict[str, str]:
    """Each autosave file in the data folder -> the title it holds."""
    titles = {}
    for path in (files.data_dir() / "autosaves").glob("*.json"):
        try:
            titles[path.name] = json.loads(path.read_text(encoding="utf-8"))["draft"]["userAction"]["title"]
        except (OSError, ValueError, KeyError):  # being written: read again
            continue
    return titles


def _wait_for_autosaves(qtbot, *titles: str) -> dict[str, str]:
    found: dict[str, str] = {}

    def all_there() -> bool:
        found.update(_autosaved_titles())
        return sorted(found.values()) == sorted(titles)

    qtbot.waitUntil(all_there, timeout=AUTOSAVED_WITHIN_S * 1000)
    return found


def _offered(win, ctl) -> list[str]:
    """The titles of the drafts the restore bar offers, in turn (none restored)."""
    return [data["draft"]["userAction"]["title"] for _autosave, data in ctl.drafts.pending_restores if win.restore_banner.isVisible()]


def test_two_windows_autosave_apart_and_each_crash_offers_its_draft(start, open_window, qtbot, tmp_path):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    launch = Path(shutil.copy(SAMPLES / "product-launch.json", drafts / "launch.json"))
    other = Path(shutil.copy(SAMPLES / "partial-failure.json", drafts / "other.json"))
    first = start(" (first window)", str(launch))
    second = start(" (second window)", str(other))  # 'composer FILE' with a window open: a second window
    for window in (first, second):
        window.wait_for("EDITED")
    first_title = json.loads(launch.read_text())["userAction"]["title"] + " (first window)"
    second_title = json.loads(other.read_text())["userAction"]["title"] + " (second window)"
    assert len(_wait_for_autosaves(qtbot, first_title, second_title)) == 2  # a file each
    # one recent list for both: each window added its file to what the other wrote
    settings().sync()
    assert sorted(settings().value("recent", [], type=list)) == sorted([str(launch.resolve()), str(other.resolve())])

    # the first crashes: the next start offers its draft, never the one of the window still open
    first.kill()
    assert second.running()
    win, ctl = open_window()
    assert _offered(win, ctl) == [first_title]
    assert "launch.json" in win.restore_banner.message.text()
    assert win.close()  # closed as the user does, the offer unanswered: offered again at the next start
    open_window.close(win)

    # then the second crashes too: both drafts are offered, one after the other, and both come back
    second.kill()
    win, ctl = open_window()
    assert sorted(_offered(win, ctl)) == sorted([first_title, second_title])
    restored = []
    while win.restore_banner.isVisible():
        ctl.dialogs.ask_save_changes = lambda _name: Choice.DISCARD  # the draft restored before, not kept
        qtbot.mouseClick(win.restore_banner.restore_button, Qt.MouseButton.LeftButton)
        restored.append(ctl.editing.call.userAction.title)
    assert sorted(restored) == sorted([first_title, second_title])


def test_an_unexpected_error_in_a_running_window_is_logged_without_the_secret_and_the_draft_kept(start, open_window, tmp_path):
    window = start("Typed before it broke", "--crash", GIGYA_SECRET=CRASH_SECRET)
    window.wait_for("EDITED")
    told = window.wait_for("BOX ")
    (log,) = (files.data_dir() / "crash-logs").glob("crash-*.log")
    # the user is told where the log is, and that the draft is kept
    assert str(log) in told and "Your draft is kept" in told and "Composer keeps running" in told
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "in boom" in text
    assert f"RuntimeError: signing failed: secret={REDACTED}&apiKey=3_x, GIGYA_SECRET was {REDACTED}" in text
    assert CRASH_SECRET not in text
    (autosave,) = (files.data_dir() / "autosaves").glob("*.json")
    assert json.loads(autosave.read_text(encoding="utf-8"))["draft"]["userAction"]["title"] == "Typed before it broke"
    assert window.running()  # the window goes on

    window.kill()  # and if it then ends without closing, the draft comes back
    win, ctl = open_window()
    assert _offered(win, ctl) == ["Typed before it broke"]


def test_the_first_start_after_an_update_says_where_the_files_moved(start, isolated_home, monkeypatch):
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):  # as on most Macs
        monkeypatch.delenv(var)
    old = isolated_home / ".config/composer"
    old.mkdir(parents=True)
    (old / "profiles.json").write_text('{"profiles": []}', encoding="utf-8")
    window = start("x", "--macos")
    new = isolated_home / "Library/Application Support/composer"
    assert window.wait_for("NOTICE ") == f"Your files moved from {old} to {new}, where this system keeps them."
    assert (new / "profiles.json").read_text(encoding="utf-8") == '{"profiles": []}' and not old.exists()
    window.kill()
    again = start("x", "--macos")
    assert again.wait_for("NOTICE") == ""  # said once: nothing is left to move


def test_a_window_closed_while_the_keyring_saves_keeps_its_process_until_the_keyring_answers(start):
    # the keyring held until told; what the app prints on stderr is read in order with the rest
    window = start(module="tests.helpers.held_keyring_window", stderr_in_lines=True)
    window.wait_for("HELD")
    asked = window.wait_for("ASKED ")
    assert asked == (
        "Composer is still saving the secret of QA in the keyring, which may be waiting for you to unlock it. If you close now, "
        "Composer keeps running without a window until the keyring answers, and cannot tell you how the change ended. Close anyway?"
    )
    # the event loop is over and the process waits for the keyring, as the question said
    assert window.wait_for("composer: ") == "still saving the secret of QA in the keyring; Composer exits once the keyring answers"

    window.tell("unlocked")
    assert window.wait_for("WRITTEN ") == "QA"  # after that line: the change ended, then the process
    assert window.proc.wait(LINE_TIMEOUT_S) == 0
