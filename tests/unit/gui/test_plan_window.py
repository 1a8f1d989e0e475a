"""The Test plan window, driven like a user: opened from the Publish menu, a sample plan opened
and run with live progress and a verdict per case, a case opened as a draft, and the main
window's draft saved as a test case with its last result as the expectation."""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from composer.gui.dialogs import Choice
from composer.gui.history_view import HEADERS as HISTORY_HEADERS
from composer.gui.plan_window import EXPECTED, GOT, RESULT, PlanWindow
from composer.gui.theme import apply_palette
from tests.helpers.environment import REPO
from tests.helpers.gui import compose, contrast, mnemonic_clashes, publish_and_wait

SAMPLE = REPO / "resources" / "plans" / "sandbox-demo-users.json"


def open_plans(qtbot, win, ctl) -> PlanWindow:
    win.test_plans_action.trigger()
    plan_window = ctl.plan_window
    qtbot.waitExposed(plan_window)
    return plan_window


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def run_and_wait(qtbot, ctl, button):
    with qtbot.waitSignal(ctl.plans.finished, timeout=30000) as blocker:
        click(qtbot, button)
    return blocker.args[0]


def plan_of_the_last_publish(qtbot, window, uid: str, title: str, case: str) -> PlanWindow:
    """Publish a draft, open Test plans and add that draft as a case named ``case``."""
    win, ctl = window
    compose(qtbot, win, uid, title)
    publish_and_wait(qtbot, win, ctl)
    plans = open_plans(qtbot, win, ctl)
    ctl.plans.dialogs.ask_text = lambda title, label, text="": case
    click(qtbot, plans.add_button)
    return plans


def test_a_sample_plan_runs_with_a_verdict_per_case(qtbot, window, tmp_path):
    win, ctl = window
    plans = open_plans(qtbot, win, ctl)
    ctl.plans.dialogs.open_plan_name = lambda start: SAMPLE
    click(qtbot, plans.open_button)
    cases = json.loads(SAMPLE.read_text("utf-8"))["cases"]
    assert plans.table.rowCount() == len(cases)
    assert plans.table.item(1, EXPECTED).text() == "partial, twitter failed 403048, facebook posted, linkedin posted"
    summary = run_and_wait(qtbot, ctl, plans.run_all_button)
    assert summary.ok and len(summary.results) == len(cases)
    assert [plans.table.item(row, RESULT).text() for row in range(len(cases))] == ["passed"] * len(cases)
    assert plans.progress.value() == plans.progress.maximum() == len(cases)
    assert plans.summary.text().startswith(f"{len(cases)} case(s): {len(cases)} passed")
    assert plans.run_all_button.isEnabled() and not plans.stop_button.isEnabled()
    plans.table.selectRow(1)
    assert "got: partial, twitter failed 403048" in plans.details.text()
    plans.grab().save(str(tmp_path / "plan-window.png"))

    # only the selected case runs again
    plans.table.selectRow(0)
    again = run_and_wait(qtbot, ctl, plans.run_selected_button)
    assert [r.name for r in again.results] == [cases[0]["name"]]

    # a case opens as a draft in the main window
    plans.table.selectRow(3)
    click(qtbot, plans.open_case_button)
    assert ctl.editing.call.UID == "demo-expired"
    assert ctl.editing.call.userAction.title == cases[3]["draft"]["userAction"]["title"]


def test_the_current_draft_and_its_last_result_become_a_test_case(qtbot, window, tmp_path):
    win, ctl = window
    plans = plan_of_the_last_publish(qtbot, window, "demo-partial", "Plan case", "rate limit rehearsal")
    assert plans.table.rowCount() == 1
    assert plans.table.item(0, EXPECTED).text() == "partial, facebook posted, twitter failed 403048, linkedin posted"
    target = tmp_path / "rehearsal.json"
    ctl.plans.dialogs.save_plan_name = lambda start: target
    click(qtbot, plans.save_button)
    saved = json.loads(target.read_text("utf-8"))
    case = saved["cases"][0]
    assert (case["name"], case["UID"], case["expect"]["outcome"]) == ("rate limit rehearsal", "demo-partial", "partial")
    assert case["expect"]["providers"]["twitter"] == {"status": "failed", "errorCode": 403048}
    summary = run_and_wait(qtbot, ctl, plans.run_all_button)  # the sandbox is reset first: no duplicate
    assert summary.ok, summary.results
    assert plans.table.item(0, GOT).text().startswith("partial")


def test_a_case_saved_after_opening_another_draft_holds_the_attempt_that_made_its_result(qtbot, window):
    """The expectation belongs to the draft that was sent: opening or editing another draft after
    publishing must not pair that draft with the earlier result."""
    win, ctl = window
    sent = compose(qtbot, win, "demo-partial", "Attempt A")
    publish_and_wait(qtbot, win, ctl)
    ctl.dialogs.ask_save_changes = lambda _name: Choice.DISCARD
    win.new_action.trigger()
    compose(qtbot, win, "demo-all-ok", "Draft B")
    plans = open_plans(qtbot, win, ctl)
    ctl.plans.dialogs.ask_text = lambda title, label, text="": "attempt A"
    click(qtbot, plans.add_button)
    case = ctl.plans.plan.cases[0]
    assert (case.uid, case.draft["userAction"]["title"]) == ("demo-partial", sent)
    assert case.expect.outcome == "partial"
    assert "as it was sent (UID demo-partial)" in plans.summary.text()
    assert "the draft open now differs and was not used" in plans.summary.text()


def test_a_malformed_plan_is_refused_with_its_reason(qtbot, window, tmp_path):
    win, ctl = window
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"cases": [{"name": "x", "draft": {}, "expect": {"outcome": "maybe"}}]}), "utf-8")
    plans = open_plans(qtbot, win, ctl)
    shown = []
    ctl.plans.dialogs.error = lambda title, message: shown.append(message)
    ctl.plans.dialogs.open_plan_name = lambda start: bad
    click(qtbot, plans.open_button)
    assert shown and "case 1 ('x'): expect.outcome must be one of" in shown[0]
    assert plans.table.rowCount() == 0


def test_a_save_through_a_link_to_a_missing_folder_is_refused_as_the_drafts_are(qtbot, window, tmp_path):
    win, ctl = window
    link = tmp_path / "plan.json"
    link.symlink_to(Path("gone") / "plan.json")
    plans = open_plans(qtbot, win, ctl)
    shown = []
    ctl.plans.dialogs.error = lambda title, message: shown.append((title, message))
    ctl.plans.dialogs.save_plan_name = lambda start: link
    click(qtbot, plans.save_as_button)
    # the message names the file once, and says what to do: as the draft window says it
    message = f"{tmp_path / 'gone'} (where {link} points) does not exist; Save As to another name. The plan is still open."
    assert shown == [("Cannot save the test plan", message)]
    assert not (tmp_path / "gone").exists() and link.is_symlink() and ctl.plans.plan.path is None


def test_closing_the_app_keeps_cases_added_but_not_saved_unless_discarded(qtbot, window):
    win, ctl = window
    plan_of_the_last_publish(qtbot, window, "demo-all-ok", "Plan close", "unsaved case")
    asked = []
    ctl.plans.dialogs.confirm = lambda title, question: asked.append(question) or False
    assert not ctl.plans.may_close()
    assert asked == ["Discard the cases added to new plan?"]
    ctl.plans.dialogs.confirm = lambda title, question: True
    assert ctl.plans.may_close()


def test_a_cases_attempt_is_named_in_the_history_window_and_opens_as_a_draft(qtbot, window, tmp_path):
    win, ctl = window
    title = f"History of a case {tmp_path.name}"
    plan = tmp_path / "tagged.json"
    plan.write_text(json.dumps({"name": "tagged plan", "cases": [
        {"name": "rate limit", "UID": "demo-partial", "draft": {"userAction": {"title": title, "linkBack": "https://example.com/h"}},
         "expect": {"outcome": "partial"}},
    ]}), "utf-8")
    plans = open_plans(qtbot, win, ctl)
    assert ctl.plans.open_path(plan)
    summary = run_and_wait(qtbot, ctl, plans.run_all_button)
    attempt = summary.results[0].history_id
    win.history_action.trigger()
    history = ctl.publishing._history_dialog
    qtbot.waitUntil(lambda: history.count.text() == "1 attempt(s)")
    history.text.setText("tagged plan")  # the text filter finds a plan by its name
    qtbot.waitUntil(lambda: history.count.text() == "1 attempt(s)" and history.entry is not None)
    model = history.table.model()
    assert model.data(model.index(0, HISTORY_HEADERS.index("Test plan"))) == "tagged plan › rate limit"
    assert history.details.caption.text().startswith(f"#{attempt} · test plan tagged plan, case rate limit · draft untitled · UID demo-partial")
    click(qtbot, history.open_button)
    assert (ctl.editing.call.UID, ctl.editing.call.userAction.title) == ("demo-partial", title)


def test_a_case_opens_as_a_draft_with_its_keys_in_order(qtbot, window, tmp_path):
    """Qt would carry a dict as a QVariantMap, whose keys come out sorted: the draft the user wrote
    must open as written."""
    win, ctl = window
    plan = tmp_path / "ordered.json"
    draft = {
        "userAction": {"title": "Ordered", "linkBack": "https://example.com/o"},
        "zzNote": "first",
        "actionAttributes": {"zeta": "1", "alpha": "2"},
        "aaNote": "second",
    }
    plan.write_text(json.dumps({"cases": [{"name": "ordered", "UID": "demo-all-ok", "draft": draft, "expect": {"outcome": "posted"}}]}), "utf-8")
    plans = open_plans(qtbot, win, ctl)
    assert ctl.plans.open_path(plan)
    plans.table.selectRow(0)
    click(qtbot, plans.open_case_button)
    assert ctl.editing.call.userAction.title == "Ordered"
    assert list(ctl.editing.call.actionAttributes) == ["zeta", "alpha"]
    assert list(ctl.editing.call.extra) == ["zzNote", "aaNote"]


def test_the_jobs_box_is_off_while_the_sandbox_is_reset_before_each_case(qtbot, window):
    win, ctl = window
    plans = open_plans(qtbot, win, ctl)
    assert plans.reset_sandbox.isChecked()  # the default: the cases run one at a time
    assert not plans.jobs.isEnabled() and "one at a time" in plans.jobs.toolTip()
    plans.reset_sandbox.click()
    assert plans.jobs.isEnabled() and plans.jobs.toolTip() == "How many cases run at once"
    ctl.plans.dialogs.open_plan_name = lambda start: SAMPLE
    click(qtbot, plans.open_button)
    with qtbot.waitSignal(ctl.plans.finished, timeout=30000):
        click(qtbot, plans.run_all_button)
        assert not plans.jobs.isEnabled()  # not during a run either
    assert plans.jobs.isEnabled()
    plans.reset_sandbox.click()
    assert not plans.jobs.isEnabled() and "one at a time" in plans.jobs.toolTip()


def test_an_empty_plan_shows_no_progress_bar(qtbot, window):
    win, ctl = window
    plans = open_plans(qtbot, win, ctl)
    assert plans.summary.text() == "0 case(s)" and not plans.progress.isVisible()
    click(qtbot, plans.run_all_button)
    assert not plans.progress.isVisible()
    click(qtbot, plans.run_selected_button)
    assert not plans.progress.isVisible()
    ctl.plans.dialogs.open_plan_name = lambda start: SAMPLE
    click(qtbot, plans.open_button)
    assert plans.progress.isVisible() and plans.progress.text() == f"0 / {plans.table.rowCount()}"


def test_a_long_summary_wraps_and_the_window_keeps_the_users_size(qtbot, window):
    win, ctl = window
    plans = open_plans(qtbot, win, ctl)
    ctl.plans.dialogs.open_plan_name = lambda start: SAMPLE
    click(qtbot, plans.open_button)
    plans.reset_sandbox.setChecked(True)
    plans.resize(800, 500)
    run_and_wait(qtbot, ctl, plans.run_all_button)
    qtbot.waitUntil(lambda: "reset before each case" in plans.summary.text())
    assert plans.size().width() == 800
    plans.resize(720, 500)
    qtbot.waitUntil(lambda: plans.width() == 720)
    summary = plans.summary
    qtbot.waitUntil(lambda: summary.height() >= summary.heightForWidth(summary.width()))


def test_save_as_a_name_without_json_asks_before_replacing_the_plan_of_that_name(qtbot, window, tmp_path):
    win, ctl = window
    plans = plan_of_the_last_publish(qtbot, window, "demo-all-ok", "Plan replace", "new case")
    existing = tmp_path / "launch.json"
    existing.write_text('{"name": "launch", "cases": []}', "utf-8")
    asked = []
    ctl.plans.dialogs.confirm = lambda title, question: asked.append(question) or False
    ctl.plans.dialogs.save_plan_name = lambda start: tmp_path / "launch"  # typed without .json
    click(qtbot, plans.save_as_button)
    assert asked == ["launch.json already exists. Replace it?"]
    assert existing.read_text("utf-8") == '{"name": "launch", "cases": []}'  # kept: the user said No
    ctl.plans.dialogs.confirm = lambda title, question: True
    click(qtbot, plans.save_as_button)
    assert [case["name"] for case in json.loads(existing.read_text("utf-8"))["cases"]] == ["new case"]


def test_every_alt_key_of_the_window_reaches_one_button(qtbot, window):
    win, ctl = window
    plans = open_plans(qtbot, win, ctl)
    ctl.plans.dialogs.save_plan_name = lambda start: None  # the new plan's Save As is cancelled
    assert mnemonic_clashes(plans) == {}
    plans.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is plans)  # shortcuts go to the active window
    plans.table.setFocus()
    with qtbot.waitSignal(plans.save_requested, timeout=2000):
        qtbot.keyClick(plans.table, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)


def test_verdicts_are_readable_in_the_light_and_the_dark_palette(qtbot, window, tmp_path):
    win, ctl = window
    plans = open_plans(qtbot, win, ctl)
    passing = json.loads(SAMPLE.read_text("utf-8"))["cases"][0]
    passing["draft"] = str(SAMPLE.parent / passing["draft"])  # the plan is written elsewhere
    failing = {**passing, "name": "expects a failure", "expect": {"outcome": "failed"}}
    plan = tmp_path / "verdicts.json"
    plan.write_text(json.dumps({"name": "verdicts", "cases": [passing, failing]}), "utf-8")
    ctl.plans.dialogs.open_plan_name = lambda start: plan
    click(qtbot, plans.open_button)
    run_and_wait(qtbot, ctl, plans.run_all_button)
    verdicts = [plans.table.item(row, RESULT) for row in range(2)]
    assert [item.text() for item in verdicts] == ["passed", "failed"]
    app = QApplication.instance()
    try:
        for dark in (True, False):  # the verdicts shown follow a change of palette
            apply_palette(app, dark=dark)
            QApplication.processEvents()
            base = plans.table.palette().color(QPalette.ColorRole.Base)
            for item in verdicts:
                assert contrast(item.foreground().color(), base) >= 4.5, (dark, item.text())
    finally:
        apply_palette(app, dark=False)


def test_tab_leaves_the_cases_table_at_once(qtbot, window):
    win, ctl = window
    plans = open_plans(qtbot, win, ctl)
    ctl.plans.dialogs.open_plan_name = lambda start: SAMPLE
    click(qtbot, plans.open_button)
    plans.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is plans)
    plans.table.setFocus()
    plans.table.setCurrentCell(0, 0)
    qtbot.keyClick(plans.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not plans.table  # not cell by cell through every case


def test_saving_over_a_plan_another_program_wrote_since_asks_first_as_a_draft_does(qtbot, window, tmp_path):
    win, ctl = window
    plans = open_plans(qtbot, win, ctl)
    path = tmp_path / "launch.json"
    path.write_text('{"name": "launch", "cases": []}', "utf-8")
    assert ctl.plans.open_path(path)
    asked: list[tuple[str, str]] = []
    answers = [False, True]
    ctl.plans.dialogs.ask_replace_changed = lambda name, what: asked.append((name, what)) or answers.pop(0)

    os.utime(path, ns=(1, 1))  # touched: the same bytes, no question
    click(qtbot, plans.save_button)
    assert asked == []

    path.write_text('{"name": "launch", "cases": [], "note": "another program"}', "utf-8")
    click(qtbot, plans.save_button)  # Cancel: what the other program wrote is kept
    assert asked == [("launch.json", "test plan")]
    assert json.loads(path.read_text("utf-8"))["note"] == "another program"
    click(qtbot, plans.save_button)  # asked again, and told to save over it
    assert len(asked) == 2 and "note" not in json.loads(path.read_text("utf-8"))
    click(qtbot, plans.save_button)  # its own save since then asks nothing
    assert len(asked) == 2
