"""A result belongs to its attempt: what the Result tab and the History window say about one
publish, and what Retry, export and "Open as draft" do with it, driven in the real window against
the built-in sandbox over loopback."""

from __future__ import annotations

import csv
import io
import json
import socket
import sqlite3
import time

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from composer.cli import main
from composer.core.storage.history import CSV_COLUMNS, History, default_path
from composer.gui.history_view import HEADERS as HISTORY_HEADERS
from composer.gui.results_panel import COLUMNS, REASON_MIN_CHARS
from tests.helpers.gui import click_and_wait_published, compose, publish_and_wait, show_tab, type_into


def write_draft(path, uid: str, **extra) -> None:
    """A draft file with a title no other test uses (the sandbox refuses a repeated status)."""
    user_action = {"title": f"Results {uid} {time.time_ns()}", "linkBack": "https://example.com/results"}
    path.write_text(json.dumps({"UID": uid, "userAction": user_action, **extra}), encoding="utf-8")


def history_window(win, ctl, qtbot):
    """Open Publish > History… and wait until its list is loaded and the first row's details are
    shown (they are read on the window's worker)."""
    win.history_action.trigger()
    dialog = ctl.publishing._history_dialog
    qtbot.waitUntil(lambda: dialog.count.text().endswith("attempt(s)") and (dialog.entry is not None or not dialog.model.rows))
    return dialog


def test_the_panel_clears_and_shows_progress_while_a_publish_runs(window, qtbot):
    win, ctl = window
    compose(qtbot, win, "demo-partial")
    publish_and_wait(qtbot, win, ctl)
    panel = win.results
    assert panel.table.rowCount() == 6 and panel.retry_button.isEnabled()
    seen: dict[str, object] = {}

    def in_flight() -> None:  # the moment the second publish has started
        seen.update(rows=panel.table.rowCount(), raw=panel.raw.toPlainText(), meta=panel.meta.text(), caption=panel.caption.text(),
                    progress=panel.progress.isVisible(), retry=panel.retry_button.isEnabled(), action=win.retry_action.isEnabled(),
                    export=panel.export_button.isEnabled(), headline=panel.headline.text())

    ctl.publishing.started.connect(in_flight)
    type_into(qtbot, win.content.inputs["title"], f"Second {time.time_ns()}", replace=True)
    type_into(qtbot, win.options.uid, "demo-all-ok", replace=True)
    output = publish_and_wait(qtbot, win, ctl)
    assert seen == {
        "rows": 0, "raw": "", "meta": "", "caption": seen["caption"], "progress": True, "retry": False, "action": False,
        "export": False, "headline": seen["headline"],
    }
    assert "UID demo-all-ok" in str(seen["caption"]) and str(seen["headline"]).startswith("Publishing with profile Sandbox")
    assert not panel.progress.isVisible()
    # all posted: nothing to retry, in the menu or on the tab
    assert output.result.outcome.value == "posted"
    assert not panel.retry_button.isEnabled() and not win.retry_action.isEnabled()


def test_each_result_names_its_draft_uid_profile_and_time(window, qtbot, tmp_path):
    win, ctl = window
    path = tmp_path / "spring.json"
    write_draft(path, "demo-partial")
    assert ctl.drafts.open_path(path)
    output = publish_and_wait(qtbot, win, ctl)
    caption = win.results.caption.text()
    assert caption.startswith(f"#{output.history_id} · draft spring.json · UID demo-partial · profile Sandbox · sent ")
    assert output.time[:10] in caption and caption.endswith(" UTC")


def test_retry_acts_on_the_attempts_own_draft_and_marks_what_posted_earlier(window, qtbot, tmp_path):
    win, ctl = window
    first_path, other_path = tmp_path / "spring.json", tmp_path / "other.json"
    write_draft(first_path, "demo-partial")
    write_draft(other_path, "demo-all-ok")
    assert ctl.drafts.open_path(first_path)
    first = publish_and_wait(qtbot, win, ctl)
    assert first.result.outcome.value == "partial"
    # another draft is opened: the result still says whose it is, and Retry says what it sends
    assert ctl.drafts.open_path(other_path)
    assert "draft spring.json" in win.results.caption.text()
    tip = win.results.retry_button.toolTip()
    assert f"#{first.history_id}'s draft (spring.json, UID demo-partial)" in tip and "Twitter" in tip and "not used" in tip
    retry = click_and_wait_published(qtbot, ctl, win.results.retry_button)
    assert retry.draft["UID"] == "demo-partial" and retry.retry_of == first.history_id
    assert retry.result.request_params["enabledProviders"] == "twitter"
    assert "its own draft (spring.json, UID demo-partial)" in win.status_label.text() or retry.result.headline in win.status_label.text()
    panel = win.results
    assert panel.row_for("facebook")["Reason"] == f"already posted (#{first.history_id})"
    assert panel.row_for("linkedin")["Reason"] == f"already posted (#{first.history_id})"
    assert panel.row_for("renren")["Reason"] == f"not retried: it did not fail in #{first.history_id}"  # the user set no lists
    assert f"(retry of #{first.history_id})" in panel.caption.text() and "draft spring.json" in panel.caption.text()
    assert ctl.editing.call.UID == "demo-all-ok"  # the draft open now was neither sent nor changed


def test_rows_and_headline_agree_on_an_unknown_outcome(window, qtbot):
    win, ctl = window
    compose(qtbot, win, "demo-server-error")
    output = publish_and_wait(qtbot, win, ctl)
    panel = win.results
    assert panel.headline.text().startswith("Outcome unknown")
    outcomes = {p: panel.row_for(p)["Outcome"] for p in ("facebook", "twitter", "linkedin", "vkontakte")}
    assert outcomes == {"facebook": "unknown", "twitter": "unknown", "linkedin": "unknown", "vkontakte": "not attempted"}
    assert output.result.failed_providers() == ["facebook", "twitter", "linkedin"]
    assert "failed" not in {panel.table.item(row, 1).text() for row in range(panel.table.rowCount())}


def test_networks_a_refused_user_is_not_connected_to_say_so(window, qtbot):
    win, ctl = window
    compose(qtbot, win, "demo-expired")
    publish_and_wait(qtbot, win, ctl)
    panel = win.results
    assert panel.row_for("facebook")["Outcome"] == "failed"
    for provider in ("twitter", "linkedin", "vkontakte", "renren", "sina"):
        assert panel.row_for(provider)["Reason"] == "not connected for this user"
    assert panel.headline.text() == "Not published: Facebook: Facebook session expired; the user must log in again (403005)"


def test_the_headline_names_the_real_reason_and_the_reason_wraps(window, qtbot):
    win, ctl = window
    compose(qtbot, win, "demo-duplicate")
    publish_and_wait(qtbot, win, ctl)
    panel = win.results
    assert "Twitter: Limit reached: Status is a duplicate." in panel.headline.text()
    win.resize(1280, 800)
    # the whole reason shows at 1280 px: its row is as tall as the wrapped text needs
    table = panel.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Twitter")
    text = table.item(row, 4).text()
    assert text.endswith("Status is a duplicate.")
    qtbot.waitUntil(lambda: table.rowHeight(row) >= _wrapped_height(table, 4, text))


def _wrapped_height(table, column: int, text: str) -> int:
    width = table.columnWidth(column) - 2 * table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) - 4
    return table.fontMetrics().boundingRect(QRect(0, 0, width, 100000), Qt.TextFlag.TextWordWrap, text).height()


def test_a_timed_out_result_exports_every_field_of_the_history(window, qtbot, tmp_path):
    win, ctl = window
    compose(qtbot, win, "demo-slow")
    show_tab(win, win.options)
    win.options.timeout.setValue(0.5)
    output = publish_and_wait(qtbot, win, ctl)
    assert output.result.outcome.value == "unknown" and not output.result.time
    ctl.publishing.write_export(tmp_path / "result.json", output, "json")
    [exported] = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert exported["time"] == output.time and exported["time"].endswith("Z")
    assert exported["attempted"] == ["facebook", "twitter", "linkedin", "vkontakte", "renren", "sina"]
    assert exported["failed"] == exported["attempted"]
    assert exported["summary"].startswith("demo-slow: ")
    assert (exported["UID"], exported["id"], exported["profile"]) == ("demo-slow", output.history_id, "Sandbox")
    # the same fields as the history's own export of that attempt
    dialog = history_window(win, ctl, qtbot)
    dialog.write_export(tmp_path / "history.json", "json", selected_only=True)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Exported 1"))
    [recorded] = json.loads((tmp_path / "history.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in recorded.items() if k != "response"} == {k: v for k, v in exported.items() if k != "response"}
    ctl.publishing.write_export(tmp_path / "result.csv", output, "csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "result.csv").read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {r["UID"] for r in rows} == {"demo-slow"} and rows[0]["time"] == output.time


def test_history_actions_answer_in_the_history_window(window, qtbot, monkeypatch):
    win, ctl = window
    compose(qtbot, win, "demo-partial")
    first = publish_and_wait(qtbot, win, ctl)
    dialog = history_window(win, ctl, qtbot)
    assert dialog.details.caption.text().startswith(f"#{first.history_id} · draft untitled · UID demo-partial")
    with qtbot.waitSignal(ctl.publishing.finished, timeout=15000) as blocker:
        with qtbot.waitSignal(ctl.publishing.started):  # once what earlier retries posted is known
            qtbot.mouseClick(dialog.details.retry_button, Qt.MouseButton.LeftButton)
        assert dialog.status.text().startswith(f"Retrying #{first.history_id} on Twitter")
    retry = blocker.args[0]
    assert dialog.status.text() == f"#{retry.history_id}: {retry.result.headline}"
    qtbot.waitUntil(lambda: dialog.count.text() == "2 attempt(s)" and dialog.entry is not None)
    # a retry refused for a reason is said there too
    monkeypatch.setattr(ctl.publishing, "publishing", True)
    qtbot.mouseClick(dialog.details.retry_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "A publish is in flight: retry once its result is in."


def test_a_retry_from_the_history_of_a_command_line_attempt_goes_to_its_endpoint(window, qtbot, sandbox, tmp_path, monkeypatch):
    # 'composer publish' with GIGYA_API_KEY ... and --base-url: the History window's Retry goes to
    # that endpoint with those credentials, not to Gigya's default data center
    win, ctl = window
    info = sandbox.info()
    for name, key in (("GIGYA_API_KEY", "apiKey"), ("GIGYA_USER_KEY", "userKey"), ("GIGYA_SECRET", "secret")):
        monkeypatch.setenv(name, info[key])
    real_lookup = socket.getaddrinfo

    def loopback_only(host, *args, **kwargs):  # should the retry go elsewhere, no query leaves this machine
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: not looked up in tests")
        return real_lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    write_draft(tmp_path / "cli.json", "demo-partial")
    assert main(["publish", str(tmp_path / "cli.json"), "--base-url", sandbox.url]) == 3
    dialog = history_window(win, ctl, qtbot)
    assert dialog.entry.row.profile == "(environment)"
    with qtbot.waitSignal(ctl.publishing.finished, timeout=15000) as blocker:
        qtbot.mouseClick(dialog.details.retry_button, Qt.MouseButton.LeftButton)
    retry = blocker.args[0]
    assert retry.result.url == sandbox.url + "/socialize.publishUserAction"
    assert retry.profile_name == "(environment)"
    assert [a["provider"] for a in sandbox.attempts()] == ["facebook", "twitter", "linkedin", "twitter"]


def test_a_draft_reopened_from_history_is_the_draft_that_was_sent(window, qtbot, tmp_path):
    win, ctl = window
    path = tmp_path / "attributes.json"
    # keys out of alphabetical order, as a user typed them
    write_draft(path, "demo-all-ok", actionAttributes={"zone": "eu", "brand": "b", "Alpha": "1"})
    assert ctl.drafts.open_path(path)
    qtbot.waitUntil(win.publish_button.isEnabled)
    sent = publish_and_wait(qtbot, win, ctl)
    assert list(sent.draft["actionAttributes"]) == ["zone", "brand", "Alpha"]
    win.new_action.trigger()
    assert ctl.editing.call.UID == ""
    dialog = history_window(win, ctl, qtbot)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert json.dumps(ctl.editing.call.to_draft()) == json.dumps(sent.draft)
    assert dialog.status.text() == f"Opened #{sent.history_id}'s draft in the main window, as it was sent (unsaved)."


def test_a_short_result_panel_lays_nothing_over_anything(window, qtbot):
    win, ctl = window
    compose(qtbot, win, "demo-partial")
    publish_and_wait(qtbot, win, ctl)
    panel = win.results
    assert "nothing leaves this computer" in panel.meta.text()  # a note: the meta line wraps
    # the Result tab dragged as short as it goes, at 1280 px and at a narrower width
    right = win.bottom_tabs.parentWidget()
    for width in (1280, 1000):
        win.resize(width, 800)
        right.setSizes([sum(right.sizes()) - 1, 1])  # the splitter keeps the tab's minimum height
        for _ in range(3):
            QApplication.processEvents()
        assert right.sizes()[1] > 1
        stacked = [panel.headline, panel.caption, panel.meta, panel.table, panel.raw, panel.retry_button]
        spans = [(w.mapTo(panel, w.rect().topLeft()).y(), w.mapTo(panel, w.rect().bottomLeft()).y()) for w in stacked]
        assert all(top < bottom for top, bottom in spans), spans
        assert all(upper[1] < lower[0] for upper, lower in zip(spans, spans[1:])), spans
        for label in (panel.headline, panel.caption, panel.meta):  # every wrapped line has its room
            assert label.height() >= label.heightForWidth(label.width()), label.objectName()


@pytest.mark.parametrize("size", [(1024, 640), (1280, 800), (640, 480)])
def test_the_reason_stays_readable_in_a_small_window(window, qtbot, size):
    """The Reason keeps at least REASON_MIN_CHARS of width (a twenty-character line), no row is
    taller than the table shows at once, and the table scrolls sideways only when the columns
    cannot fit."""
    win, ctl = window
    compose(qtbot, win, "demo-partial")
    publish_and_wait(qtbot, win, ctl)
    win.resize(*size)
    table = win.results.table
    reason_min = REASON_MIN_CHARS * table.fontMetrics().averageCharWidth()

    def fitted() -> bool:
        widths, room = sum(table.columnWidth(column) for column in range(len(COLUMNS))), table.viewport().width()
        scrolls = table.horizontalScrollBar().isVisible()
        return table.columnWidth(4) >= reason_min and ((widths == room and not scrolls) or (widths > room and scrolls))

    qtbot.waitUntil(fitted)
    if size[0] >= 1024:
        assert not table.horizontalScrollBar().isVisible()
        assert max(table.rowHeight(row) for row in range(table.rowCount())) <= table.viewport().height()


def test_an_export_the_file_system_refuses_says_why_and_to_export_to_another_name(window, qtbot, tmp_path, monkeypatch):
    win, ctl = window
    compose(qtbot, win, "demo-all-ok")
    output = publish_and_wait(qtbot, win, ctl)
    told = []
    monkeypatch.setattr(ctl.publishing.dialogs, "error", lambda title, text: told.append(text))
    read_only = tmp_path / "read-only.json"
    read_only.write_text("[]")
    read_only.chmod(0o444)
    nowhere = tmp_path / "nowhere.json"
    nowhere.symlink_to(tmp_path / "gone" / "result.json")
    for path in (read_only, nowhere):
        ctl.publishing.write_export(path, output, "json")
    assert told == [
        f"{read_only} is read-only; export to another name",
        f"{tmp_path / 'gone'} (where {nowhere} points) does not exist; export to another name",
    ]
    assert read_only.read_text() == "[]" and not (tmp_path / "gone").exists()


def test_a_post_id_too_long_for_its_column_shows_it_is_cut(window, qtbot):
    """A post ID has no word to wrap at: cut without a mark it would read as a whole, wrong ID."""
    win, ctl = window
    compose(qtbot, win, "demo-partial")
    output = publish_and_wait(qtbot, win, ctl)
    win.resize(1024, 640)
    table = win.results.table
    qtbot.waitUntil(lambda: table.viewport().width() < 500)
    margin = table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    post_ids = {p.provider: p.post_id for p in output.result.providers if p.post_id}
    assert post_ids, output.result
    for row in range(table.rowCount()):
        index = table.model().index(row, COLUMNS.index("Post ID"))
        if not index.data():
            continue
        # the text as the view has it drawn, from the option it gives the cell's delegate
        option = QStyleOptionViewItem()
        option.font, option.fontMetrics, option.rect = table.font(), table.fontMetrics(), table.visualRect(index)
        option.textElideMode = table.textElideMode()
        if table.wordWrap():
            option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        table.itemDelegateForIndex(index).initStyleOption(option, index)
        room = option.rect.width() - 2 * margin
        drawn = option.fontMetrics.elidedText(option.text, option.textElideMode, room)
        assert option.text in post_ids.values()
        assert option.fontMetrics.horizontalAdvance(drawn) <= room, (option.text, drawn, room)
        assert drawn == option.text or "…" in drawn, (option.text, drawn)


def _tab_out_of(qtbot, table):
    """Where one Tab from ``table`` (made current in its active window) puts the focus."""
    window = table.window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # focus moves only in the active window
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    return QApplication.focusWidget()


def test_tab_leaves_the_result_and_history_tables_at_once(window, qtbot):
    """Tab goes on to the next control, not cell by cell through a table the user only reads (six
    networks by five columns before Retry; a whole history before its details)."""
    win, ctl = window
    compose(qtbot, win, "demo-partial")
    publish_and_wait(qtbot, win, ctl)
    panel = win.results
    assert _tab_out_of(qtbot, panel.table) is panel.raw
    dialog = history_window(win, ctl, qtbot)
    assert _tab_out_of(qtbot, dialog.table) is not dialog.table
    dialog.close()


def test_the_history_names_the_networks_as_the_window_does(window, qtbot):
    win, ctl = window
    compose(qtbot, win, "demo-partial")
    publish_and_wait(qtbot, win, ctl)
    dialog = history_window(win, ctl, qtbot)
    row = {header: dialog.model.index(0, column).data() for column, header in enumerate(HISTORY_HEADERS)}
    assert (row["Networks"], row["Failed or unknown"]) == ("Facebook, Twitter, LinkedIn", "Twitter")
    assert dialog.details.retry_button.toolTip().endswith("only to Twitter.")
    dialog.close()


def add_sibling(retry_of: int, result: dict, stored: str = "") -> int:
    """Record a retry of attempt ``retry_of`` with ``result`` (then ``stored`` written by hand over
    it, as someone editing the history file would), as another window's retry would have."""
    with History(default_path()) as history:
        entry = history.get(retry_of)
        number = history.add(profile=entry.row.profile, draft=entry.draft, result=result, retry_of=retry_of)
    if stored:
        with sqlite3.connect(default_path()) as db:
            db.execute("UPDATE attempts SET result = ? WHERE id = ?", (stored, number))
        db.close()
    return number


def test_a_retry_whose_family_cannot_be_read_sends_nothing(window, qtbot):
    win, ctl = window
    compose(qtbot, win, "demo-partial")
    first = publish_and_wait(qtbot, win, ctl)
    damaged = add_sibling(first.history_id, {}, stored="{not json")
    qtbot.mouseClick(win.results.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Nothing retried" in win.status_label.text())
    assert win.status_label.text().startswith(
        f"Nothing retried: the history cannot tell what the other attempts of #{first.history_id} posted; nothing is sent"
    )
    assert f"entry {damaged} of the publish history" in win.status_label.text()
    with History(default_path()) as history:
        assert history.count() == 2  # no retry was sent (each attempt is recorded)


def test_a_retry_asks_first_when_a_sibling_retrys_outcome_is_unknown(window, qtbot):
    win, ctl = window
    compose(qtbot, win, "demo-partial")
    first = publish_and_wait(qtbot, win, ctl)
    failed = first.result.failed_providers()
    sibling = add_sibling(first.history_id, {"outcome": "unknown", "providers": [{"provider": failed[0], "status": "unknown"}]})
    warnings: list[str] = []
    ctl.dialogs.ask_retry_unknown = lambda warning: warnings.append(warning) or False
    qtbot.mouseClick(win.results.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.status_label.text() == "Retry cancelled.")
    assert len(warnings) == 1 and f"may already be live on {failed[0]} (#{sibling})." in warnings[0]
    with History(default_path()) as history:
        assert history.count() == 2
