"""Saving a draft over a file that is already there, as an editor does: through a link to the file
it points to, keeping the file's permissions, and never over a read-only file."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.helpers.gui import type_into


def save_as(ctl, path):
    ctl.dialogs.save_draft_name = lambda start: path
    return ctl.drafts.save_as()


def test_a_read_only_draft_is_not_replaced_and_the_draft_stays_open(window, qtbot, tmp_path):
    win, ctl = window
    errors: list[tuple[str, str]] = []
    ctl.dialogs.error = lambda title, message: errors.append((title, message))  # no modal box in a test
    path = tmp_path / "read-only.json"
    path.write_text('{"UID": "orig"}')
    path.chmod(0o444)
    type_into(qtbot, win.content.inputs["title"], "Not lost")

    assert not save_as(ctl, path)
    message = f"{path} is read-only; Save As to another name. The draft is still open and autosaved."
    assert errors == [("Cannot save the draft", message)]
    assert win.status_label.text() == message
    assert path.read_text() == '{"UID": "orig"}' and path.stat().st_mode & 0o777 == 0o444
    assert win.isWindowModified() and ctl.drafts.path is None
    assert win.content.inputs["title"].text() == "Not lost"

    # Save As to another name then works
    assert save_as(ctl, tmp_path / "other.json")
    assert json.loads((tmp_path / "other.json").read_text())["userAction"]["title"] == "Not lost"
    assert not win.isWindowModified()


def test_saving_through_a_link_writes_its_target_and_keeps_its_mode(window, qtbot, tmp_path):
    win, ctl = window
    target = tmp_path / "target.json"
    target.write_text('{"UID": "orig"}')
    target.chmod(0o600)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    type_into(qtbot, win.options.uid, "saved-through-the-link")

    assert save_as(ctl, link)
    assert link.is_symlink()
    assert json.loads(target.read_text())["UID"] == "saved-through-the-link"
    assert target.stat().st_mode & 0o777 == 0o600
    assert win.status_label.text() == "Saved link.json"


def _a_link_to_a_draft_elsewhere(tmp_path):
    """``link.json`` -> ``real/draft.json``: the draft the user keeps, and the name they chose for it."""
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "draft.json"
    target.write_text('{"UID": "orig"}')
    link = tmp_path / "link.json"
    link.symlink_to(Path("real") / "draft.json")
    return link, target


def test_after_save_as_through_a_link_the_window_names_the_link(window, qtbot, tmp_path):
    win, ctl = window
    link, target = _a_link_to_a_draft_elsewhere(tmp_path)
    type_into(qtbot, win.options.uid, "first")

    assert save_as(ctl, link)
    assert win.windowTitle().startswith("link.json")
    assert [action.toolTip() for action in win.recent_menu.actions()][:1] == [str(link)]
    assert ctl.drafts.path == link

    # a later save writes through the link again, and the link stays a link
    type_into(qtbot, win.options.uid, " and second")
    assert ctl.drafts.save()
    assert json.loads(target.read_text())["UID"] == "first and second"
    assert link.is_symlink() and sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real"]
    assert win.windowTitle().startswith("link.json") and not win.isWindowModified()


def test_a_draft_opened_through_a_link_is_named_by_the_link(window, tmp_path):
    win, ctl = window
    link, _target = _a_link_to_a_draft_elsewhere(tmp_path)

    assert ctl.drafts.open_path(link, confirmed=True)
    assert ctl.editing.call.UID == "orig"
    assert win.windowTitle().startswith("link.json")
    assert [action.toolTip() for action in win.recent_menu.actions()][:1] == [str(link)]
    assert win.status_label.text() == "Opened link.json"


def test_a_draft_opened_through_a_link_and_then_its_own_name_is_one_recent_entry(window, tmp_path):
    win, ctl = window
    link, target = _a_link_to_a_draft_elsewhere(tmp_path)

    assert ctl.drafts.open_path(link, confirmed=True)
    assert ctl.drafts.open_path(target, confirmed=True)
    assert ctl.drafts.recent_files() == [str(target)]
    assert ctl.drafts.open_path(link, confirmed=True)
    assert ctl.drafts.recent_files() == [str(link)]


def test_a_draft_named_through_dot_dot_is_one_recent_entry_with_its_plain_name(window, qtbot, tmp_path, monkeypatch):
    """``composer ../drafts/x.json`` and the file dialog's ``/home/u/drafts/x.json`` are one file:
    one entry in the recent files, named without the ``..``."""
    win, ctl = window
    (tmp_path / "drafts").mkdir()
    (tmp_path / "elsewhere").mkdir()
    draft = tmp_path / "drafts" / "x.json"
    draft.write_text('{"UID": "orig"}')
    monkeypatch.chdir(tmp_path / "elsewhere")

    assert ctl.drafts.open_path(Path("../drafts/x.json"), confirmed=True)
    assert ctl.drafts.path == draft
    assert ctl.drafts.open_path(draft, confirmed=True)
    assert ctl.drafts.recent_files() == [str(draft)]

    type_into(qtbot, win.options.uid, " saved")
    assert save_as(ctl, Path("../drafts/./x.json"))
    assert ctl.drafts.path == draft and ctl.drafts.recent_files() == [str(draft)]
    assert json.loads(draft.read_text())["UID"] == "orig saved"


def test_a_link_reached_through_a_linked_folder_keeps_its_own_name(window, tmp_path):
    """The folders are made canonical, never the file's own name: a link to a draft opened through a
    linked folder is named by the link, in the real folder."""
    win, ctl = window
    link, _target = _a_link_to_a_draft_elsewhere(tmp_path)
    (tmp_path / "shortcut").symlink_to(tmp_path, target_is_directory=True)

    assert ctl.drafts.open_path(tmp_path / "shortcut" / "link.json", confirmed=True)
    assert ctl.drafts.path == link and win.windowTitle().startswith("link.json")
    assert ctl.drafts.open_path(link, confirmed=True)
    assert ctl.drafts.recent_files() == [str(link)]


def test_a_save_through_a_link_to_a_missing_folder_is_refused_and_the_draft_stays_open(window, qtbot, tmp_path):
    win, ctl = window
    errors: list[tuple[str, str]] = []
    ctl.dialogs.error = lambda title, message: errors.append((title, message))  # no modal box in a test
    link = tmp_path / "link.json"
    link.symlink_to(Path("gone") / "draft.json")
    type_into(qtbot, win.content.inputs["title"], "Not lost")

    assert not save_as(ctl, link)
    message = f"{tmp_path / 'gone'} (where {link} points) does not exist; Save As to another name. The draft is still open and autosaved."
    assert errors == [("Cannot save the draft", message)]
    assert win.status_label.text() == message
    assert not (tmp_path / "gone").exists() and link.is_symlink()
    assert win.isWindowModified() and ctl.drafts.path is None
    assert win.content.inputs["title"].text() == "Not lost"


def test_save_as_a_name_without_json_adds_it_and_asks_before_replacing_that_file(window, qtbot, tmp_path):
    win, ctl = window
    existing = tmp_path / "spring.json"
    existing.write_text('{"UID": "kept"}', "utf-8")
    type_into(qtbot, win.options.uid, "new draft")
    asked: list[str] = []
    ctl.dialogs.confirm = lambda title, question: asked.append(question) or False
    assert not save_as(ctl, tmp_path / "spring")  # typed without .json
    assert asked == ["spring.json already exists. Replace it?"]
    assert existing.read_text("utf-8") == '{"UID": "kept"}'

    ctl.dialogs.confirm = lambda title, question: True
    assert save_as(ctl, tmp_path / "spring")
    assert json.loads(existing.read_text("utf-8"))["UID"] == "new draft" and ctl.drafts.path == existing


def test_saving_over_a_draft_another_window_saved_since_asks_first_and_cancel_keeps_both(open_window, qtbot, tmp_path):
    path = tmp_path / "shared.json"
    path.write_text('{"UID": "orig"}')
    (first, first_ctl), (second, second_ctl) = open_window(), open_window()
    assert first_ctl.drafts.open_path(path) and second_ctl.drafts.open_path(path)
    asked: list[str] = []
    answers = [False, True]

    def ask_replace_changed(name, what):
        asked.append(name)
        return answers.pop(0)

    second_ctl.dialogs.ask_replace_changed = ask_replace_changed
    type_into(qtbot, first.options.uid, "-first", replace=False)
    assert first_ctl.drafts.save()
    assert json.loads(path.read_text())["UID"] == "orig-first"

    type_into(qtbot, second.options.uid, "-second")
    assert not second_ctl.drafts.save()  # Cancel: the first window's save is not lost
    assert asked == ["shared.json"]
    assert json.loads(path.read_text())["UID"] == "orig-first"
    assert second.isWindowModified() and second.options.uid.text() == "orig-second"
    assert second.status_label.text().startswith("Not saved: shared.json changed on disk.")

    assert second_ctl.drafts.save()  # asked again, and told to save over it
    assert asked == ["shared.json", "shared.json"]
    assert json.loads(path.read_text())["UID"] == "orig-second"
    assert not second.isWindowModified()

    # its own saves since then, and a file deleted meanwhile, ask nothing
    type_into(qtbot, second.options.uid, "!")
    assert second_ctl.drafts.save()
    path.unlink()
    type_into(qtbot, second.options.uid, "!")
    assert second_ctl.drafts.save()
    assert asked == ["shared.json", "shared.json"]
    assert json.loads(path.read_text())["UID"] == "orig-second!!"


def test_a_draft_file_touched_or_saved_again_with_the_same_bytes_is_saved_over_without_a_question(open_window, qtbot, tmp_path):
    path = tmp_path / "shared.json"
    path.write_text('{"UID": "orig"}')
    (first, first_ctl), (second, second_ctl) = open_window(), open_window()
    assert first_ctl.drafts.open_path(path)
    type_into(qtbot, first.options.uid, "-same", replace=False)
    assert first_ctl.drafts.save()
    assert second_ctl.drafts.open_path(path)
    asked: list[str] = []
    for ctl in (first_ctl, second_ctl):
        ctl.dialogs.ask_replace_changed = lambda name, what: asked.append(name) or False

    before = os.stat(path)
    os.utime(path, ns=(1, 1))  # touched (a backup tool, a checkout of the same content)
    assert first_ctl.drafts.save()  # the first window saves its draft again: the same bytes, another file
    assert path.stat().st_ino != before.st_ino and json.loads(path.read_text())["UID"] == "orig-same"
    type_into(qtbot, second.options.uid, "-second", replace=False)
    assert second_ctl.drafts.save()
    assert asked == []
    assert json.loads(path.read_text())["UID"] == "orig-same-second"


def test_a_save_not_made_says_autosaved_only_while_autosave_is_on(open_window, qtbot, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    monkeypatch.setenv("COMPOSER_DATA_DIR", str(blocker / "composer"))  # no data folder: autosave off
    path = tmp_path / "shared.json"
    path.write_text('{"UID": "orig"}')
    win, ctl = open_window()
    assert ctl.drafts.autosave_off and ctl.drafts.open_path(path)
    ctl.dialogs.ask_replace_changed = lambda name, what: False
    path.write_text('{"UID": "another program"}')
    type_into(qtbot, win.options.uid, "mine", replace=True)

    assert not ctl.drafts.save()
    assert win.status_label.text() == "Not saved: shared.json changed on disk. The draft is still open; Save As keeps both."
