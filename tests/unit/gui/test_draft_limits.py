"""Whatever ``composer preview`` accepts, the window opens, copies, autosaves and publishes; whatever
it refuses, the window refuses with the same message, and keeps working."""

from __future__ import annotations

import json

import pytest

from composer.cli import main as cli
from composer.core.call.draft import load_draft
from composer.core.call.model import LARGEST_NUMBER, MAX_JSON_DEPTH
from tests.helpers.gui import publish_and_wait


def nested(levels: int) -> object:
    value: object = "deepest"
    for _ in range(levels):
        value = {"k": value}
    return value


CONTENT = {"UID": "demo-all-ok", "userAction": {"title": "Limits", "linkBack": "https://example.com/limits"}}

#: drafts at each limit (accepted) and the issue's drafts past them (refused)
DRAFTS = {
    "deepest-unknown-key": {**CONTENT, "custom": nested(MAX_JSON_DEPTH - 1)},
    "deepest-key-in-the-content": {**CONTENT, "userAction": {**CONTENT["userAction"], "custom": nested(MAX_JSON_DEPTH - 2)}},
    "deepest-parameter-text": {**CONTENT, "userAction": json.dumps({**CONTENT["userAction"], "custom": nested(MAX_JSON_DEPTH - 2)})},
    "largest-number": {**CONTENT, "userAction": '{"title": "Limits", "linkBack": "https://example.com/", "n": %d}' % int(LARGEST_NUMBER)},
    "issue-parameter-1100-deep": {**CONTENT, "actionAttributes": '{"a": ' + "[" * 1100 + "]" * 1100 + "}"},
    "issue-integer-of-4300-digits": {**CONTENT, "actionAttributes": '{"a": ' + "7" * 4300 + "}"},
    "issue-unknown-key-500-deep": {**CONTENT, "userAction": {**CONTENT["userAction"], "custom": nested(500)}},
}


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_the_window_opens_what_preview_accepts_and_refuses_the_rest(open_window, tmp_path, qtbot, capsys, name):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(DRAFTS[name]), "utf-8")
    accepted = cli(["preview", str(path)]) != 2
    _out, refusal = capsys.readouterr()
    win, ctl = open_window(start=False)
    errors: list[str] = []
    ctl.dialogs.error = lambda _title, message: errors.append(message)  # no modal box in a test
    ctl.start(str(path))
    win.show()
    qtbot.waitExposed(win)
    if not accepted:
        assert errors == [refusal.removeprefix("composer: ").rstrip("\n")]
        assert ctl.drafts.path is None
        return
    assert errors == []
    call = ctl.editing.call
    assert call == load_draft(path).call
    assert call.copy() == call
    # autosaved, and the autosave offered back at the next start
    ctl.drafts.autosave_now()
    ctl.drafts.autosave_runner.wait(5000)
    assert "Autosave failed" not in win.status_label.text()
    ctl.drafts.autosave.release(remove=False)  # the window ends without closing
    open_window.close(win)
    win, ctl = open_window()
    assert win.restore_banner.isVisible(), win.status_label.text()
    ctl.drafts.restore_autosave()
    assert ctl.editing.call == call
    # published: the worker gets a copy of the call (a crash would finish with None)
    assert win.publish_button.isEnabled(), [str(p) for p in ctl.editing.problems]
    output = publish_and_wait(qtbot, win, ctl)
    assert output is not None
