"""Two windows, two autosaves: each window writes its own file, a window that ends without closing
has its draft offered back at the next start (both, when both did), a window never offers the
draft of one still open, the recent files are one list for all, and the restore bar says which
draft and when, as a person would."""

from __future__ import annotations

import json
from datetime import datetime

from PySide6.QtCore import Qt

from composer.core.storage import files
from composer.gui.controllers.drafts import draft_name, readable_time
from composer.gui.dialogs import Choice
from tests.helpers.environment import REPO
from tests.helpers.gui import type_into

SAMPLES = REPO / "resources" / "drafts"


def _autosaved(path):
    return json.loads(path.read_text(encoding="utf-8"))["draft"]["userAction"]["title"]


def test_two_windows_autosave_apart_and_a_crash_of_both_offers_each_draft(open_window, qtbot):
    first, first_ctl = open_window()
    second, second_ctl = open_window()
    assert first_ctl.drafts.autosave.path != second_ctl.drafts.autosave.path
    type_into(qtbot, first.content.inputs["title"], "Work of the first window")
    type_into(qtbot, second.content.inputs["title"], "Work of the second window")
    for ctl in (first_ctl, second_ctl):
        qtbot.waitUntil(ctl.drafts.autosave.path.exists, timeout=5000)
        ctl.drafts.autosave_runner.wait(5000)
    assert _autosaved(first_ctl.drafts.autosave.path) == "Work of the first window"
    assert _autosaved(second_ctl.drafts.autosave.path) == "Work of the second window"

    # a third window while both are open offers neither: their windows hold them
    third, third_ctl = open_window()
    assert not third.restore_banner.isVisible() and third_ctl.drafts.pending_restores == []
    open_window.close(third)

    # both end without closing (their locks go, their files stay, as after a crash)
    for win, ctl in ((first, first_ctl), (second, second_ctl)):
        ctl.drafts.autosave.release(remove=False)
        open_window.close(win)

    win, ctl = open_window()
    offered = []
    while win.restore_banner.isVisible():
        offered.append(win.restore_banner.message.text())
        ctl.dialogs.ask_save_changes = lambda _name: Choice.DISCARD  # the first restored, not kept
        qtbot.mouseClick(win.restore_banner.restore_button, Qt.MouseButton.LeftButton)
        offered.append(ctl.editing.call.userAction.title)
    assert sorted(offered[1::2]) == ["Work of the first window", "Work of the second window"]
    assert "1 more after this one." in offered[0] and "more after" not in offered[2]
    # what this window holds now is autosaved in its own file; once written, the other two are gone
    qtbot.waitUntil(lambda: [p.name for p in (files.data_dir() / "autosaves").glob("*.json")] == [ctl.drafts.autosave.path.name], timeout=5000)


def test_an_offer_left_unanswered_is_offered_again_after_another_crash(open_window, qtbot):
    crashed = files.data_dir() / "autosaves" / "crashed.json"
    files.atomic_write(crashed, json.dumps({"version": 1, "path": None, "savedAt": "2026-03-03T18:00:00+00:00",
                                            "draft": {"userAction": {"title": "Crashed twice"}}}))
    win, ctl = open_window()
    assert win.restore_banner.isVisible()
    # this window holds the offer: another one starting now does not offer it too
    other, other_ctl = open_window()
    assert not other.restore_banner.isVisible()
    open_window.close(other)
    type_into(qtbot, win.content.inputs["title"], "New work, then a crash")
    qtbot.waitUntil(ctl.drafts.autosave.path.exists, timeout=5000)
    ctl.drafts.autosave_runner.wait(5000)
    ctl.drafts.autosave.release(remove=False)
    for autosave, _data in ctl.drafts.pending_restores:  # the crash lets go of every lock
        autosave.release(remove=False)
    open_window.close(win)

    win, ctl = open_window()
    titles = sorted(data["draft"]["userAction"]["title"] for _autosave, data in ctl.drafts.pending_restores)
    assert titles == ["Crashed twice", "New work, then a crash"]


def test_closing_a_window_keeps_the_drafts_it_offered_and_nobody_answered(open_window):
    crashed = files.data_dir() / "autosaves" / "crashed.json"
    files.atomic_write(crashed, json.dumps({"version": 1, "path": None, "draft": {"userAction": {"title": "Not answered"}}}))
    win, ctl = open_window()
    assert win.restore_banner.isVisible()
    assert win.close()  # as the user closes it, the bar left alone
    win, ctl = open_window()
    assert [data["draft"]["userAction"]["title"] for _autosave, data in ctl.drafts.pending_restores] == ["Not answered"]


def test_closing_a_window_removes_its_autosave_and_lock(open_window, qtbot):
    win, ctl = open_window()
    type_into(qtbot, win.content.inputs["title"], "Saved or given up")
    qtbot.waitUntil(ctl.drafts.autosave.path.exists, timeout=5000)
    ctl.dialogs.ask_save_changes = lambda _name: Choice.DISCARD
    assert ctl.drafts.close()
    assert list((files.data_dir() / "autosaves").iterdir()) == []


def test_the_recent_files_of_two_windows_are_merged(open_window, qtbot):
    first, first_ctl = open_window()
    second, second_ctl = open_window()
    assert first_ctl.drafts.open_path(SAMPLES / "product-launch.json")
    assert second_ctl.drafts.open_path(SAMPLES / "multilingual.json")
    # another process adds one meanwhile (written as QSettings writes its INI file)
    ini = files.config_dir() / "composer.ini"
    text = ini.read_text(encoding="utf-8")
    elsewhere = str(REPO / "elsewhere.json")
    ini.write_text(text.replace("recent=", f"recent={elsewhere}, "), encoding="utf-8")
    assert first_ctl.drafts.open_path(SAMPLES / "partial-failure.json")
    expected = [str(SAMPLES / "partial-failure.json"), elsewhere, str(SAMPLES / "multilingual.json"), str(SAMPLES / "product-launch.json")]
    assert [a.toolTip() for a in first.recent_menu.actions()] == expected


def test_the_restore_bar_names_the_draft_and_says_when():
    now = datetime.fromisoformat("2026-05-09T15:00:00").astimezone()
    assert readable_time(now.replace(hour=14, minute=5).isoformat(), now) == "today at 14:05"
    assert readable_time(now.replace(day=8, hour=9, minute=30).isoformat(), now) == "yesterday at 9:30"
    assert readable_time(now.replace(month=3, day=3, hour=18, minute=0).isoformat(), now) == "on 3 March 2026 at 18:00"
    assert readable_time("not a time", now) == "not a time"
    assert readable_time("", now) == "at an unknown time"
    assert draft_name({"path": "/drafts/launch.json", "draft": {}}) == "launch.json"
    assert draft_name({"path": None, "draft": {"userAction": {"title": "  Spring\nlaunch "}}}) == "the untitled draft \u201cSpring launch\u201d"
    assert draft_name({"draft": {"userAction": {"title": "", "userMessage": "x" * 60}}}) == f"the untitled draft \u201c{'x' * 39}\u2026\u201d"
    assert draft_name({"draft": {}}) == "an untitled draft"


def test_the_restore_bar_reads_as_a_sentence(open_window):
    files.atomic_write(files.data_dir() / "autosaves" / "crashed.json", json.dumps(
        {"version": 1, "path": "/drafts/launch.json", "savedAt": "2026-03-03T18:00:00", "draft": {"userAction": {"title": "x"}}}))
    win, _ctl = open_window()
    assert win.restore_banner.message.text() == "Composer closed without saving launch.json (last change on 3 March 2026 at 18:00)."


def test_a_restored_autosave_stays_on_disk_until_the_window_has_written_it_again(open_window, qtbot):
    crashed = files.data_dir() / "autosaves" / "crashed.json"
    files.atomic_write(crashed, json.dumps({"version": 1, "path": None, "savedAt": "2026-03-03T18:00:00+00:00",
                                            "draft": {"userAction": {"title": "Only copy"}}}))
    win, ctl = open_window()
    assert win.restore_banner.isVisible()
    own = ctl.drafts.autosave.path
    own.unlink(missing_ok=True)
    own.mkdir()  # this window's autosave cannot be written: a folder stands in its place
    failed = []
    ctl.drafts.view.show_status = failed.append
    qtbot.mouseClick(win.restore_banner.restore_button, Qt.MouseButton.LeftButton)
    assert ctl.editing.call.userAction.title == "Only copy"
    qtbot.waitUntil(lambda: any(text.startswith("Autosave failed") for text in failed), timeout=5000)
    assert crashed.exists()

    own.rmdir()  # the next autosave is written: only then does the earlier file go
    type_into(qtbot, win.content.inputs["title"], ", edited")
    qtbot.waitUntil(lambda: not crashed.exists(), timeout=5000)
    assert _autosaved(own) == "Only copy, edited"


def test_an_autosave_edited_by_hand_whose_file_name_is_no_name_is_offered_untitled(open_window):
    folder = files.data_dir() / "autosaves"
    folder.mkdir(parents=True)
    names = {"number": 5, "list": ["a.json"], "null-byte": "/tmp/a\u0000.json"}
    for uid, path in names.items():
        (folder / f"{uid}.json").write_text(json.dumps({"version": 1, "savedAt": "x", "path": path, "draft": {"UID": uid}}))
    win, ctl = open_window()
    restored = []
    while win.restore_banner.isVisible():
        assert "without saving an untitled draft" in win.restore_banner.message.text()
        ctl.dialogs.ask_save_changes = lambda _name: Choice.DISCARD
        ctl.drafts.restore_autosave()
        restored.append((ctl.editing.call.UID, ctl.drafts.path, win.windowTitle()))
    assert sorted(restored) == sorted((uid, None, "Untitled draft[*] — Composer") for uid in names)


def _crash_after_autosaving(open_window, qtbot, path, uid):
    """A window opens ``path``, changes its UID to ``uid``, autosaves, and ends without closing."""
    win, ctl = open_window()
    assert ctl.drafts.open_path(path)
    type_into(qtbot, win.options.uid, uid, replace=True)
    assert ctl.drafts.autosave_now()
    ctl.drafts.autosave_runner.wait(5000)
    ctl.drafts.autosave.release(remove=False)
    open_window.close(win)


def _restore(open_window):
    win, ctl = open_window()
    asked: list[str] = []
    ctl.dialogs.ask_replace_changed = lambda name, what: asked.append(name) or False
    ctl.drafts.restore_autosave()
    return win, ctl, asked


def test_a_restored_draft_asks_before_saving_over_what_another_program_wrote_after_the_crash(open_window, qtbot, tmp_path):
    path = tmp_path / "launch.json"
    path.write_text('{"UID": "orig"}')
    _crash_after_autosaving(open_window, qtbot, path, "crashed-work")
    path.write_text('{"UID": "written after the crash"}')

    win, ctl, asked = _restore(open_window)
    assert ctl.editing.call.UID == "crashed-work" and ctl.drafts.path == path
    assert not ctl.drafts.save()
    assert asked == ["launch.json"]
    assert json.loads(path.read_text())["UID"] == "written after the crash"
    assert win.status_label.text().startswith("Not saved: launch.json changed on disk.")


def test_a_restored_draft_whose_file_nobody_wrote_since_is_saved_without_a_question(open_window, qtbot, tmp_path):
    path = tmp_path / "launch.json"
    path.write_text('{"UID": "orig"}')
    _crash_after_autosaving(open_window, qtbot, path, "crashed-work")

    _win, ctl, asked = _restore(open_window)
    assert ctl.drafts.save()
    assert asked == []
    assert json.loads(path.read_text())["UID"] == "crashed-work"


def test_a_draft_restored_from_an_earlier_versions_autosave_asks_before_saving_over_its_file(open_window, tmp_path):
    path = tmp_path / "launch.json"
    path.write_text('{"UID": "on disk"}')
    files.atomic_write(files.data_dir() / "autosaves" / "earlier.json", json.dumps(
        {"version": 1, "savedAt": "2026-03-03T18:00:00+00:00", "path": str(path), "draft": {"UID": "crashed-work"}}))

    _win, ctl, asked = _restore(open_window)
    assert not ctl.drafts.save()  # nothing says what the crashed window had seen: it asks
    assert asked == ["launch.json"]
    assert json.loads(path.read_text())["UID"] == "on disk"
