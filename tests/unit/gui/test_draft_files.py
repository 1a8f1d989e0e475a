"""Saving a draft over a file that is already there, as an editor does: through a link to the file
it points to, keeping the file's permissions, and never over a read-only file."""

from __future__ import annotations

import json
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
